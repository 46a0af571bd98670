// Small pure builders for card JSON 2.0 elements, so card files read like the card they make.
import type { ButtonElement, Card, CardElement, CardHeader, PlainText, TemplateColor } from './types.js';
import { encodeAction, type CardAction } from './codec.js';

export const text = (content: string): PlainText => ({ tag: 'plain_text', content });

export const md = (content: string): CardElement => ({ tag: 'markdown', content });

export const hr = (): CardElement => ({ tag: 'hr' });

export function header(title: string, template: TemplateColor = 'blue', subtitle?: string): CardHeader {
  return subtitle ? { title: text(title), subtitle: text(subtitle), template } : { title: text(title), template };
}

export function card(head: CardHeader, elements: CardElement[]): Card {
  return { schema: '2.0', config: { update_multi: true, width_mode: 'fill' }, header: head, body: { elements } };
}

export function button(
  label: string,
  action: CardAction,
  opts: { name?: string; type?: ButtonElement['type']; disabled?: boolean } = {},
): ButtonElement {
  const el: ButtonElement = {
    tag: 'button',
    text: text(label),
    type: opts.type ?? 'default',
    behaviors: [{ type: 'callback', value: encodeAction(action) }],
  };
  if (opts.name) el.name = opts.name;
  if (opts.disabled) el.disabled = true;
  return el;
}

/**
 * Backslash-escapes what would change the meaning of user-provided text in Lark markdown:
 * emphasis, code, links and tags. `_` is left alone: open_ids are full of it and mid-word
 * underscores never start emphasis.
 */
export function escapeMd(s: string): string {
  return s.replace(/([\\*~`[\]<>])/g, '\\$1');
}

// What Lark checks in a message's `content` before accepting it (LARK.md §4, §6): a JSON string,
// the size limits, the 200-element cap and the card JSON 2.0 form rules.
import type { Card } from '../../cards/types.js';
import { FakeLarkError, LarkCode, invalidCard, invalidParam } from './lark-errors.js';

export const CARD_MAX_BYTES = 30 * 1024;
export const TEXT_MAX_BYTES = 150 * 1024;
export const CARD_MAX_ELEMENTS = 200;

const INTERACTIVE_TAGS = new Set([
  'input', 'select_static', 'multi_select_static', 'date_picker', 'picker_time', 'picker_datetime',
  'checker', 'button', 'select_person', 'multi_select_person', 'select_img', 'overflow',
]);
const NOT_IN_FORM_TAGS = new Set(['form', 'table', 'chart']);

export type ParsedContent = { content: string } & ({ msgType: 'text'; text: string } | { msgType: 'interactive'; card: Card });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates `content` for msg_type text or interactive and returns it parsed; throws FakeLarkError. */
export function parseContent(msgType: 'text' | 'interactive', content: unknown): ParsedContent {
  if (typeof content !== 'string') throw invalidParam('content must be a JSON string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw invalidParam('content is not valid JSON');
  }
  const bytes = Buffer.byteLength(content, 'utf8');
  if (msgType === 'text') {
    if (!isObject(parsed) || typeof parsed.text !== 'string') throw invalidParam('text content needs a string "text"');
    if (bytes > TEXT_MAX_BYTES) throw tooLarge(`text content is ${bytes} bytes, over ${TEXT_MAX_BYTES}`);
    return { content, msgType, text: parsed.text };
  }
  if (bytes > CARD_MAX_BYTES) throw tooLarge(`card content is ${bytes} bytes, over ${CARD_MAX_BYTES}`);
  return { content, msgType, card: validateCard(parsed) };
}

/** PATCH needs update_multi on both the old and the new card (LARK.md §4). */
export function isSharedCard(card: Card | undefined): boolean {
  return card?.config?.update_multi === true;
}

function tooLarge(detail: string): FakeLarkError {
  return new FakeLarkError(400, LarkCode.contentTooLarge, `The message content is too large, ext=${detail}`);
}

function validateCard(card: unknown): Card {
  if (!isObject(card)) throw invalidCard('card must be a JSON object');
  if (card.type === 'template') throw invalidCard('fake-lark does not model template cards');
  const isV2 = card.schema === '2.0';
  const root = isV2 ? card.body : card;
  if (!isObject(root) || !Array.isArray(root.elements)) {
    throw invalidCard(isV2 ? 'schema 2.0 card needs body.elements' : 'card needs elements');
  }
  const count = countElements(root);
  if (count > CARD_MAX_ELEMENTS) {
    throw invalidCard(`ErrCode: 11310; ErrMsg: card has ${count} elements, over the limit of ${CARD_MAX_ELEMENTS}`);
  }
  if (isV2) checkComponents(root.elements, 'body.elements', { inForm: false, atRoot: true }, new Set());
  // The bot only sends 2.0 cards; the Card type is the contract tests read the store with.
  return card as unknown as Card;
}

/** Components nest in `elements` (body, form, column, panel) and in a column_set's `columns`; all of them count. */
function childLists(node: Json): { key: 'elements' | 'columns'; list: unknown[] }[] {
  const lists: { key: 'elements' | 'columns'; list: unknown[] }[] = [];
  if (Array.isArray(node.elements)) lists.push({ key: 'elements', list: node.elements });
  // A table's `columns` are column definitions, not components.
  if (node.tag === 'column_set' && Array.isArray(node.columns)) lists.push({ key: 'columns', list: node.columns });
  return lists;
}

function countElements(node: unknown): number {
  if (!isObject(node)) return 0;
  return childLists(node).reduce((n, { list }) => n + list.reduce<number>((m, child) => m + 1 + countElements(child), 0), 0);
}

function checkComponents(list: unknown[], path: string, where: { inForm: boolean; atRoot: boolean }, names: Set<string>): void {
  list.forEach((node, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(node)) throw invalidCard(`${at} is not an object`);
    const tag = typeof node.tag === 'string' ? node.tag : '';
    if (tag === 'form' && !where.atRoot) throw invalidCard(`ErrMsg: a form can only be placed at the root of body.elements (found at ${at})`);
    if (where.inForm && NOT_IN_FORM_TAGS.has(tag)) throw invalidCard(`ErrMsg: ${tag} is not allowed inside a form (${at})`);
    const needsName = tag === 'form' || (where.inForm && INTERACTIVE_TAGS.has(tag));
    const name = typeof node.name === 'string' ? node.name : '';
    if (needsName && name === '') throw invalidCard(`ErrCode: 200530; ErrMsg: ${tag} at ${at} needs a non-empty name`);
    if (name !== '') {
      if (names.has(name)) throw invalidCard(`ErrMsg: component name "${name}" is used twice in the card (${at})`);
      names.add(name);
    }
    const inner = { inForm: where.inForm || tag === 'form', atRoot: false };
    for (const { key, list: children } of childLists(node)) checkComponents(children, `${at}.${key}`, inner, names);
  });
}

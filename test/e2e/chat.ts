// The small chat helpers the e2e tests share around the harness bot: signed deliveries, sending a command and
// getting the bot's answer, clicking a card, reading buttons off a card, and letting the pipeline and outbox run.
import type { Card, FormChild } from '../../cards/types.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import type { TestBot } from './harness.js';

export interface ChatOptions {
  /**
   * Which message `send` returns: `latest` is the last bot message in the sender's p2p chat; `toMessage` is the
   * bot's reply to the sent message itself, so a notification that happened to arrive meanwhile is not mistaken
   * for the answer.
   */
  reply?: 'latest' | 'toMessage';
}

/**
 * Helpers bound to the test bot. `bot` is a getter because the tests start the bot in `beforeAll`, after the
 * module-level helpers are made.
 */
export function chatWith(bot: () => TestBot, opts: ChatOptions = {}) {
  /** Signed with a timestamp from the bot's clock, which tests move around (the bot checks signatures against it). */
  const signed = () => {
    const t = bot();
    return { ...t.signing, timestamp: String(Math.floor(t.clock.now().getTime() / 1000)) };
  };

  /** The bot's messages in someone's p2p chat. */
  const repliesTo = (openId: string): FakeMessage[] => bot().fake.botMessages().filter((m) => m.chat_id === `oc_p2p_${openId}`);

  /** Sends a text (in a group with the bot mentioned when `group` is given) and returns the bot's answer. */
  async function send(from: string, text: string, group?: string): Promise<FakeMessage> {
    const t = bot();
    const where = group ? { chatType: 'group' as const, chatId: group, mentionBot: true } : {};
    const sent = await t.fake.sendText(t.app.webhookUrl, { from, text, ...where }, signed());
    await t.app.pipeline.drain();
    const reply = group
      ? t.fake.lastMessageTo(group)
      : opts.reply === 'toMessage'
        ? t.fake.messagesTo(from).find((m) => m.parent_id === sent.message.message_id)
        : repliesTo(from).at(-1);
    if (!reply) throw new Error(`no reply to ${from}`);
    return reply;
  }

  function click(operator: string, messageId: string, value: unknown, formValue?: Record<string, unknown>) {
    const t = bot();
    return t.fake.clickCard(t.app.webhookUrl, { operator, messageId, value, ...(formValue ? { formValue } : {}) }, signed());
  }

  /** Lets the pipeline finish and the outbox deliver what it queued. */
  async function flush(): Promise<void> {
    const t = bot();
    await t.app.pipeline.drain();
    await t.app.sender.kick();
  }

  /** The text of a message as the fake holds it now (cards are updated in place). */
  const shown = (messageId: string) => messageText(bot().fake.findMessage(messageId)!);

  return { signed, repliesTo, send, click, flush, shown };
}

/** The callback value of the first button with this name, on the card or inside its form. */
export function buttonValue(card: Card | undefined, name: string): Record<string, unknown> {
  const all = (card?.body.elements ?? []).flatMap((e): (FormChild | typeof e)[] => (e.tag === 'form' ? e.elements : [e]));
  const b = all.find((e) => e.tag === 'button' && e.name === name);
  if (!b || b.tag !== 'button') throw new Error(`no button ${name} on the card`);
  const value = b.behaviors?.[0]?.value;
  if (!value) throw new Error(`button ${name} has no callback`);
  return value;
}

/**
 * The callback value of the named button wherever it sits on the card (form, column set); the last one found wins.
 * Walks the card as data, so stored cards whose keys come back reordered are read the same.
 */
export function buttonValueAnywhere(card: Card | undefined, name: string): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as { tag?: string; name?: string; behaviors?: { value: Record<string, unknown> }[] };
    if (o.tag === 'button' && o.name === name) found = o.behaviors?.[0]?.value;
    Object.values(node).forEach(walk);
  };
  walk(card?.body);
  if (!found) throw new Error(`no button ${name} on the card`);
  return found;
}

/** The names of the buttons at the top level of the card. */
export const buttonNames = (card: Card | undefined) => (card?.body.elements ?? []).flatMap((e) => (e.tag === 'button' && e.name ? [e.name] : []));

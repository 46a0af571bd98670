// Turns Lark's event bodies into the transport-neutral Inbound the router consumes. Both transports
// land here: webhooks hand us the v2 envelope, the WSClient's EventDispatcher a flattened object.
import { z } from 'zod';
import type { Inbound, InboundCardAction, InboundMessage, Mention } from '../router/inbound.js';
import type { LarkEnvelope } from './envelope.js';

export const MESSAGE_RECEIVE_EVENT = 'im.message.receive_v1';
export const CARD_ACTION_EVENT = 'card.action.trigger';

/** An event whose body does not have the shape its type promises. The webhook answers it with 400. */
export class LarkEventShapeError extends Error {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`malformed ${eventType} event: ${reason}`);
    this.name = 'LarkEventShapeError';
  }
}

const mentionSchema = z.object({
  key: z.string().min(1),
  // @all carries no open_id; such mentions still get their placeholder replaced in the text.
  id: z.object({ open_id: z.string().optional() }).nullish(),
  name: z.string().default(''),
});

const messageEventSchema = z.object({
  sender: z.object({ sender_id: z.object({ open_id: z.string().min(1) }) }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string().min(1),
    content: z.string(),
    mentions: z.array(mentionSchema).nullish(),
  }),
});

const textContentSchema = z.object({ text: z.string() });

const cardActionEventSchema = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  token: z.string().min(1),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }),
  action: z.object({
    value: z.unknown(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
  }),
});

type ParsedMention = z.infer<typeof mentionSchema>;

export function normalizeEnvelope(env: LarkEnvelope, botOpenId: string | undefined): Inbound {
  return normalizeEvent(env.header.event_type, env.header.event_id, env.event, botOpenId);
}

/**
 * The WSClient path: the SDK's EventDispatcher calls handlers with `{...header, ...event}`, so the header
 * fields (event_id …) sit next to the event's own. For card.action.trigger the event's `token` (the c-…
 * update token) overrides the header's verification token, which is the one we want.
 */
export function normalizeFlatEvent(eventType: string, data: unknown, botOpenId: string | undefined): Inbound {
  const header = z.object({ event_id: z.string().min(1) }).safeParse(data);
  if (!header.success) throw new LarkEventShapeError(eventType, describe(header.error));
  return normalizeEvent(eventType, header.data.event_id, data, botOpenId);
}

function normalizeEvent(eventType: string, eventId: string, body: unknown, botOpenId: string | undefined): Inbound {
  switch (eventType) {
    case MESSAGE_RECEIVE_EVENT:
      return normalizeMessage(eventId, body, botOpenId);
    case CARD_ACTION_EVENT:
      return normalizeCardAction(eventId, body);
    default:
      return { kind: 'other', eventId, eventType };
  }
}

function normalizeMessage(eventId: string, body: unknown, botOpenId: string | undefined): InboundMessage {
  const parsed = messageEventSchema.safeParse(body);
  if (!parsed.success) throw new LarkEventShapeError(MESSAGE_RECEIVE_EVENT, describe(parsed.error));
  const { sender, message } = parsed.data;

  // `content` is JSON inside JSON; consumers of non-text kinds parse it again, so it must at least parse.
  const content = parseJson(message.content);
  if (content === undefined) throw new LarkEventShapeError(MESSAGE_RECEIVE_EVENT, 'message.content is not JSON');

  const allMentions = message.mentions ?? [];
  const isBot = (m: ParsedMention): boolean => botOpenId !== undefined && m.id?.open_id === botOpenId;

  let text = '';
  if (message.message_type === 'text') {
    const textContent = textContentSchema.safeParse(content);
    if (!textContent.success) throw new LarkEventShapeError(MESSAGE_RECEIVE_EVENT, 'text content has no "text" string');
    text = renderText(textContent.data.text, allMentions, isBot);
  }

  const mentions: Mention[] = allMentions
    .filter((m) => !isBot(m))
    .flatMap((m) => (m.id?.open_id ? [{ key: m.key, openId: m.id.open_id, name: m.name }] : []));

  return {
    kind: 'message',
    eventId,
    messageId: message.message_id,
    chatId: message.chat_id,
    // Lark documents p2p and group; anything else has several members, so it behaves like a group.
    chatType: message.chat_type === 'p2p' ? 'p2p' : 'group',
    senderOpenId: sender.sender_id.open_id,
    messageType: message.message_type,
    text,
    mentions,
    mentionsBot: allMentions.some(isBot),
    content: message.content,
  };
}

function normalizeCardAction(eventId: string, body: unknown): InboundCardAction {
  const parsed = cardActionEventSchema.safeParse(body);
  if (!parsed.success) throw new LarkEventShapeError(CARD_ACTION_EVENT, describe(parsed.error));
  const { operator, token, context, action } = parsed.data;
  return {
    kind: 'card_action',
    eventId,
    operatorOpenId: operator.open_id,
    token,
    openMessageId: context.open_message_id,
    chatId: context.open_chat_id,
    value: action.value,
    formValue: action.form_value ?? undefined,
    actionName: action.name,
  };
}

/**
 * Replaces every mention placeholder in one pass: the bot's own is dropped, others become "@name".
 * One pass with the longest keys first, so "@_user_1" never eats the front of "@_user_10" and a
 * replaced name is never scanned again.
 */
function renderText(raw: string, mentions: readonly ParsedMention[], isBot: (m: ParsedMention) => boolean): string {
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  let text = raw;
  if (byKey.size > 0) {
    const keys = [...byKey.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    text = raw.replace(new RegExp(keys.join('|'), 'g'), (key) => {
      const mention = byKey.get(key);
      if (mention === undefined) return key;
      if (isBot(mention)) return ' ';
      return mention.name === '' ? key : `@${mention.name}`;
    });
  }
  // Collapse runs of spaces (incl. the full-width U+3000 Chinese input methods produce) but keep
  // line breaks and tabs: rows pasted from a spreadsheet are one per line, cells tab-separated.
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[^\S\n\t]+/g, ' ').replace(/^[ \t]+|[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Paths and messages only: zod's messages name expected types, never the received values. */
function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

// Inbound traffic as Lark sends it: v2 envelopes, optionally encrypted and signed (LARK.md §1),
// carrying user messages (§2) and card callbacks (§3).
import type { Card } from '../../cards/types.js';
import { parseContent } from './content-rules.js';
import { encryptEvent, randomHex, signEvent } from './event-crypto.js';
import { p2pChatId } from './message-store.js';
import type { FakeLarkState } from './state.js';
import type {
  BotEndpoint, ChatType, ClickCardInput, ClickResult, DeliveryOptions, DeliveryResult, FakeMessage,
  SendFileInput, SendTextInput, SentUserMessage, UserMessageInput,
} from './types.js';

/** Lark gives up on a card callback answer after 3 s and ignores it (LARK.md §3). */
const CALLBACK_DEADLINE_MS = 3000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The three ids Lark gives a user; derived from the open_id so they stay stable. */
export function userIds(openId: string): { open_id: string; union_id: string; user_id: string } {
  const suffix = openId.replace(/^ou_/, '');
  return { open_id: openId, union_id: `on_${suffix}`, user_id: `u_${suffix}` };
}

export async function deliverEvent(
  state: FakeLarkState,
  target: BotEndpoint,
  eventType: string,
  event: unknown,
  opts: DeliveryOptions = {},
): Promise<DeliveryResult & { eventId: string }> {
  const eventId = opts.eventId ?? randomHex(16);
  const envelope = {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      create_time: String(state.now().getTime()),
      token: opts.verificationToken ?? '',
      app_id: state.appId,
      tenant_key: state.tenantKey,
    },
    event,
  };
  return { ...(await post(state, target, envelope, opts)), eventId };
}

/** The url_verification challenge Lark sends when the request URL is saved in the console. */
export async function verifyUrl(state: FakeLarkState, target: BotEndpoint, opts: DeliveryOptions = {}): Promise<DeliveryResult & { challenge: string }> {
  const challenge = randomHex(8);
  const body = { challenge, token: opts.verificationToken ?? '', type: 'url_verification' };
  return { ...(await post(state, target, body, opts)), challenge };
}

export async function sendText(state: FakeLarkState, target: BotEndpoint, input: SendTextInput, opts: DeliveryOptions = {}): Promise<SentUserMessage> {
  let text = input.text;
  const mentions: Json[] = [];
  let next = 1;
  if (input.mentionBot) {
    const key = `@_user_${next++}`;
    mentions.push({ key, id: { open_id: state.botOpenId, union_id: `on_${state.botOpenId}`, user_id: '' }, name: state.botName, tenant_key: state.tenantKey });
    text = `${key} ${text}`;
  }
  for (const m of input.mentions ?? []) {
    const key = m.key ?? `@_user_${next++}`;
    if (!text.includes(key)) text = `${text} ${key}`;
    mentions.push({ key, id: userIds(m.openId), name: m.name, tenant_key: state.tenantKey });
  }
  return sendUserMessage(state, target, input, 'text', JSON.stringify({ text }), mentions, opts);
}

export async function sendFile(state: FakeLarkState, target: BotEndpoint, input: SendFileInput, opts: DeliveryOptions = {}): Promise<SentUserMessage> {
  const fileKey = input.fileKey ?? `file_v3_${randomHex(12)}`;
  const messageId = input.messageId ?? `om_${randomHex(16)}`;
  state.store.putFile(messageId, fileKey, input.fileName, input.bytes);
  const content = JSON.stringify({ file_key: fileKey, file_name: input.fileName });
  return sendUserMessage(state, target, { ...input, messageId }, 'file', content, [], opts);
}

export async function clickCard(state: FakeLarkState, target: BotEndpoint, input: ClickCardInput, opts: DeliveryOptions = {}): Promise<ClickResult> {
  const message = state.store.find(input.messageId);
  if (!message) throw new Error(`fake-lark: clickCard on unknown message ${input.messageId}`);
  const token = state.store.issueCardToken(message.message_id);
  const action: Json = { value: input.value, tag: input.tag ?? 'button' };
  if (input.actionName !== undefined) action.name = input.actionName;
  if (input.formValue !== undefined) action.form_value = input.formValue;
  if (input.option !== undefined) action.option = input.option;
  if (input.options !== undefined) action.options = input.options;
  if (input.inputValue !== undefined) action.input_value = input.inputValue;
  if (input.checked !== undefined) action.checked = input.checked;
  const event = {
    operator: { tenant_key: state.tenantKey, ...userIds(input.operator) },
    token,
    action,
    host: 'im_message',
    context: { open_message_id: message.message_id, open_chat_id: message.chat_id },
  };
  const result = await deliverEvent(state, target, 'card.action.trigger', event, { ...opts, ...(input.eventId ? { eventId: input.eventId } : {}) });
  const answeredInTime = result.elapsedMs <= CALLBACK_DEADLINE_MS;
  const answer = result.status === 200 && answeredInTime && isObject(result.body) ? result.body : {};
  const toast = isObject(answer.toast) && typeof answer.toast.type === 'string' && typeof answer.toast.content === 'string'
    ? { type: answer.toast.type, content: answer.toast.content }
    : undefined;
  let card: Card | undefined;
  if (isObject(answer.card) && answer.card.type === 'raw' && isObject(answer.card.data)) {
    try {
      const parsed = parseContent('interactive', JSON.stringify(answer.card.data));
      if (parsed.msgType === 'interactive') card = parsed.card;
    } catch (err) {
      throw new Error(`fake-lark: the bot answered a card callback with a card Lark would reject: ${(err as Error).message}`);
    }
  }
  if (card) state.store.updateCard(message, card);
  return { ...result, toast, card, token, answeredInTime };
}

async function sendUserMessage(
  state: FakeLarkState,
  target: BotEndpoint,
  input: UserMessageInput,
  messageType: string,
  content: string,
  mentions: Json[],
  opts: DeliveryOptions,
): Promise<SentUserMessage> {
  const chat = userChat(state, input);
  // The same message_id again is Lark re-pushing a message: reuse it rather than storing a twin.
  const existing = input.messageId ? state.store.find(input.messageId) : undefined;
  const message = existing ?? state.store.create({
    ...chat,
    msgType: messageType,
    content,
    text: messageType === 'text' ? (JSON.parse(content) as { text: string }).text : undefined,
    sender: input.from,
    parentId: input.parentId,
    messageId: input.messageId,
  });
  const event = {
    sender: { sender_id: userIds(input.from), sender_type: 'user', tenant_key: state.tenantKey },
    message: {
      message_id: message.message_id,
      ...(message.parent_id ? { root_id: rootId(state, message), parent_id: message.parent_id } : {}),
      create_time: String(message.created_at.getTime()),
      update_time: String(message.updated_at.getTime()),
      chat_id: message.chat_id,
      chat_type: message.chat_type,
      message_type: messageType,
      content,
      ...(mentions.length > 0 ? { mentions } : {}),
    },
  };
  const result = await deliverEvent(state, target, 'im.message.receive_v1', event, { ...opts, ...(input.eventId ? { eventId: input.eventId } : {}) });
  return { ...result, message };
}

function userChat(state: FakeLarkState, input: UserMessageInput): { chatId: string; chatType: ChatType } {
  if ((input.chatType ?? 'p2p') === 'p2p') return { chatId: input.chatId ?? p2pChatId(input.from), chatType: 'p2p' };
  if (!input.chatId || !state.store.groupMembers(input.chatId)) {
    throw new Error(`fake-lark: group ${input.chatId ?? '(no chatId)'} is not registered; call addGroup first`);
  }
  return { chatId: input.chatId, chatType: 'group' };
}

function rootId(state: FakeLarkState, message: FakeMessage): string | undefined {
  let root = message.parent_id;
  for (let p = root ? state.store.find(root) : undefined; p?.parent_id; p = state.store.find(p.parent_id)) root = p.parent_id;
  return root;
}

async function post(state: FakeLarkState, target: BotEndpoint, payload: unknown, opts: DeliveryOptions): Promise<DeliveryResult> {
  const plain = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  let rawBody = plain;
  if (opts.encryptKey !== undefined) {
    rawBody = JSON.stringify({ encrypt: encryptEvent(opts.encryptKey, plain) });
    const timestamp = opts.timestamp ?? String(Math.floor(state.now().getTime() / 1000));
    const nonce = opts.nonce ?? randomHex(8);
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = opts.signature ?? signEvent(timestamp, nonce, opts.encryptKey, rawBody);
  }
  if (opts.tamper) rawBody = opts.tamper(rawBody);
  Object.assign(headers, opts.headers);
  const started = performance.now();
  const init = { method: 'POST', headers, body: rawBody };
  const res = typeof target === 'string' ? await fetch(target, init) : await target.fetch(new Request(target.url, init));
  const text = await res.text();
  const elapsedMs = performance.now() - started;
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body, elapsedMs };
}

// Shapes shared by the fake Lark OpenAPI server, its tests and the emulator that displays it.
import type { Card } from '../../cards/types.js';

export interface FakeLarkOptions {
  appId: string;
  appSecret: string;
  /** The bot's own open_id, returned by /bot/v3/info and used when a user @-mentions the bot. */
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** Drives message timestamps, the uuid window, card-token expiry and the 14-day PATCH rule. */
  now?: () => Date;
}

export type ChatType = 'p2p' | 'group';

/** One message in the fake's store, sent by the bot or injected as a user's message. */
export interface FakeMessage {
  message_id: string;
  chat_id: string;
  chat_type: ChatType;
  msg_type: string;
  /** The JSON string exactly as sent (or as the last update left it). */
  content: string;
  /** Parsed from `content` when msg_type is interactive; shaped as sent, only checked against the fake's limits. */
  card: Card | undefined;
  /** Parsed from `content` when msg_type is text. */
  text: string | undefined;
  uuid: string | undefined;
  /** 'bot' or the sending user's open_id. */
  sender: 'bot' | string;
  /** The message this one replies to. */
  parent_id: string | undefined;
  created_at: Date;
  updated_at: Date;
  update_count: number;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  headers: { authorization?: string; contentType?: string; userAgent?: string };
  status: number;
  /** The Lark `code` of the answer, when it had one. */
  code: number | undefined;
  at: Date;
}

export interface UnmodeledRequest {
  method: string;
  path: string;
  at: Date;
}

export interface RequestMatch {
  method?: string;
  pathIncludes?: string;
  /** How many matching requests are affected; default 1, Infinity for all. */
  times?: number;
}

export interface FaultSpec extends RequestMatch {
  status: number;
  code?: number;
  msg?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type StoreChange = { type: 'created' | 'updated'; message: FakeMessage };
export type ChangeListener = (change: StoreChange) => void;

/** Where the fake delivers events: a URL, or an in-process fetch (e.g. a Hono app's `fetch`) plus the URL to call it with. */
export type BotEndpoint = string | { url: string; fetch: (request: Request) => Response | Promise<Response> };

export interface DeliveryOptions {
  /** Encrypts the envelope as {encrypt} and signs it, the way Lark does when an Encrypt Key is set. */
  encryptKey?: string;
  /** Goes into header.token. */
  verificationToken?: string;
  eventId?: string;
  /** Overrides for negative tests; timestamp is in seconds. */
  timestamp?: string;
  nonce?: string;
  signature?: string;
  /** Changes the raw body after signing (a tampered request). */
  tamper?: (rawBody: string) => string;
  headers?: Record<string, string>;
}

export interface DeliveryResult {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: unknown;
  elapsedMs: number;
}

export interface FakeMention {
  /** The placeholder in the text, e.g. "@_user_2"; assigned (and appended to the text if absent) when omitted. */
  key?: string;
  openId: string;
  name: string;
}

export interface UserMessageInput {
  from: string;
  chatType?: ChatType;
  /** Required for group chats (registered with addGroup); p2p chats derive it from `from`. */
  chatId?: string;
  messageId?: string;
  eventId?: string;
  /** The message this one replies to (parent_id and root_id in the event). */
  parentId?: string;
}

export interface SendTextInput extends UserMessageInput {
  text: string;
  mentions?: FakeMention[];
  /** Puts an @bot mention (key @_user_1) at the start of the text. */
  mentionBot?: boolean;
}

export interface SendFileInput extends UserMessageInput {
  fileName: string;
  bytes: Uint8Array;
  fileKey?: string;
}

export interface ClickCardInput {
  operator: string;
  messageId: string;
  value: unknown;
  formValue?: Record<string, unknown>;
  actionName?: string;
  tag?: string;
  eventId?: string;
  /** Outside a form, what the component reports (LARK.md §3): select → option, multi-select → options, input → input_value, checker → checked. */
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
}

export interface ClickResult extends DeliveryResult {
  toast: { type: string; content: string } | undefined;
  /** The raw card the bot answered with, already applied to the message in the store. */
  card: Card | undefined;
  /** The c-… token the callback carried, usable with /interactive/v1/card/update. */
  token: string;
  /** False when the bot took over 3 s: Lark then ignores the answer (no toast, no card). */
  answeredInTime: boolean;
}

export interface SentUserMessage extends DeliveryResult {
  message: FakeMessage;
  eventId: string;
}

// One fake Lark tenant: the OpenAPI the bot calls (a Hono app to serve or mount) plus the
// controls tests and the emulator use to drive it and look inside.
import type { Hono } from 'hono';
import { clickCard, deliverEvent, sendFile, sendText, verifyUrl } from './event-delivery.js';
import { MessageStore, p2pChatId } from './message-store.js';
import { createOpenApiApp } from './openapi-app.js';
import type { FakeLarkState } from './state.js';
import { Traffic } from './traffic.js';
import type {
  BotEndpoint, ChangeListener, ClickCardInput, ClickResult, DeliveryOptions, DeliveryResult, FakeLarkOptions,
  FakeMessage, FaultSpec, RecordedCall, RequestMatch, SendFileInput, SendTextInput, SentUserMessage, UnmodeledRequest,
} from './types.js';

export class FakeLark {
  readonly app: Hono<{ Variables: { body: unknown } }>;
  private readonly state: FakeLarkState;

  constructor(options: FakeLarkOptions) {
    const now = options.now ?? (() => new Date());
    this.state = {
      appId: options.appId,
      appSecret: options.appSecret,
      botOpenId: options.botOpenId ?? 'ou_bot',
      botName: options.botName ?? 'Reform Desk',
      tenantKey: options.tenantKey ?? 'tenant_fake',
      now,
      store: new MessageStore(now),
      traffic: new Traffic(),
      tokens: new Set(),
    };
    this.app = createOpenApiApp(this.state);
  }

  get botOpenId(): string {
    return this.state.botOpenId;
  }
  /** Every request under /open-apis, in arrival order. */
  get calls(): readonly RecordedCall[] {
    return this.state.traffic.calls;
  }
  get unmodeled(): readonly UnmodeledRequest[] {
    return this.state.traffic.unmodeled;
  }
  /** Every message, the bot's and the users', in creation order (updated in place). */
  get messages(): readonly FakeMessage[] {
    return this.state.store.messages;
  }

  /** The bot's messages to a user (their p2p chat) or to a chat. */
  messagesTo(openIdOrChatId: string): FakeMessage[] {
    const chatId = openIdOrChatId.startsWith('ou_') ? p2pChatId(openIdOrChatId) : openIdOrChatId;
    return this.botMessages().filter((m) => m.chat_id === chatId);
  }
  lastMessageTo(openIdOrChatId: string): FakeMessage | undefined {
    return this.messagesTo(openIdOrChatId).at(-1);
  }
  botMessages(): FakeMessage[] {
    return this.messages.filter((m) => m.sender === 'bot');
  }
  findMessage(messageId: string): FakeMessage | undefined {
    return this.state.store.find(messageId);
  }
  callsTo(pathIncludes: string, method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.path.includes(pathIncludes) && (method === undefined || c.method === method.toUpperCase()));
  }

  addGroup(chatId: string, name: string, memberOpenIds: string[]): void {
    this.state.store.addGroup(chatId, name, memberOpenIds);
  }
  /** The bot leaves (or is removed from) a group: sends to it fail with 230002. */
  removeGroup(chatId: string): void {
    this.state.store.removeGroup(chatId);
  }
  /** The user falls outside the app's availability: sends to them fail with 230013. */
  setOutOfScope(openId: string, outOfScope = true): void {
    this.state.store.setOutOfScope(openId, outOfScope);
  }
  putFile(messageId: string, fileKey: string, fileName: string, bytes: Uint8Array): void {
    this.state.store.putFile(messageId, fileKey, fileName, bytes);
  }
  /** Invalidates every access token issued so far (the next call with one gets 99991663). */
  revokeTokens(): void {
    this.state.tokens.clear();
  }

  /** Clears messages, chats, files, calls, faults and unmodeled requests; issued access tokens stay valid. */
  reset(): void {
    this.state.store.reset();
    this.state.traffic.reset();
  }
  onChange(listener: ChangeListener): () => void {
    return this.state.store.onChange(listener);
  }

  injectFault(spec: FaultSpec): void {
    this.state.traffic.injectFault(spec);
  }
  injectDelay(ms: number, match: RequestMatch = {}): void {
    this.state.traffic.injectDelay(ms, match);
  }
  assertNoUnmodeled(): void {
    this.state.traffic.assertNoUnmodeled();
  }

  deliverEvent(target: BotEndpoint, eventType: string, event: unknown, opts?: DeliveryOptions): Promise<DeliveryResult & { eventId: string }> {
    return deliverEvent(this.state, target, eventType, event, opts);
  }
  verifyUrl(target: BotEndpoint, opts?: DeliveryOptions): Promise<DeliveryResult & { challenge: string }> {
    return verifyUrl(this.state, target, opts);
  }
  sendText(target: BotEndpoint, input: SendTextInput, opts?: DeliveryOptions): Promise<SentUserMessage> {
    return sendText(this.state, target, input, opts);
  }
  sendFile(target: BotEndpoint, input: SendFileInput, opts?: DeliveryOptions): Promise<SentUserMessage> {
    return sendFile(this.state, target, input, opts);
  }
  clickCard(target: BotEndpoint, input: ClickCardInput, opts?: DeliveryOptions): Promise<ClickResult> {
    return clickCard(this.state, target, input, opts);
  }
}

export function createFakeLark(options: FakeLarkOptions): FakeLark {
  return new FakeLark(options);
}

/** Every human-readable string of a message: its text, or a card's header and contents; for assertions. */
export function messageText(message: FakeMessage): string {
  if (message.text !== undefined) return message.text;
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'content' && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(message.card ?? JSON.parse(message.content));
  return parts.join('\n');
}

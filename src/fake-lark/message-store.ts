// The fake's world: chats, messages, uuid dedupe, card-callback tokens and files, with change
// notifications for the emulator.
import type { Card } from '../../cards/types.js';
import { FakeLarkError, LarkCode, invalidParam } from './lark-errors.js';
import { randomHex } from './event-crypto.js';
import type { ChangeListener, ChatType, FakeMessage } from './types.js';

const UUID_WINDOW_MS = 60 * 60 * 1000;
const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
const CARD_TOKEN_USES = 2;

export const p2pChatId = (openId: string): string => `oc_p2p_${openId}`;

export interface NewMessage {
  chatId: string;
  chatType: ChatType;
  msgType: string;
  content: string;
  card?: Card;
  text?: string;
  uuid?: string;
  sender: 'bot' | string;
  parentId?: string;
  messageId?: string;
}

interface Group {
  name: string;
  members: string[];
}

export class MessageStore {
  readonly messages: FakeMessage[] = [];
  private readonly groups = new Map<string, Group>();
  private readonly outOfScope = new Set<string>();
  private readonly byUuid = new Map<string, { messageId: string; at: number }>();
  private readonly cardTokens = new Map<string, { messageId: string; issuedAt: number; uses: number }>();
  private readonly files = new Map<string, { fileName: string; bytes: Uint8Array }>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly now: () => Date) {}

  reset(): void {
    this.messages.length = 0;
    for (const m of [this.groups, this.byUuid, this.cardTokens, this.files]) m.clear();
    this.outOfScope.clear();
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addGroup(chatId: string, name: string, members: string[]): void {
    this.groups.set(chatId, { name, members: [...members] });
  }

  removeGroup(chatId: string): void {
    this.groups.delete(chatId);
  }

  groupMembers(chatId: string): string[] | undefined {
    return this.groups.get(chatId)?.members;
  }

  setOutOfScope(openId: string, outOfScope = true): void {
    if (outOfScope) this.outOfScope.add(openId);
    else this.outOfScope.delete(openId);
  }

  /** Where a bot message to (receive_id_type, receive_id) lands, or the error Lark gives. */
  resolveRecipient(receiveIdType: 'open_id' | 'chat_id', receiveId: string): { chatId: string; chatType: ChatType } {
    if (receiveIdType === 'open_id') {
      if (!receiveId.startsWith('ou_')) throw invalidParam('invalid receive_id');
      this.assertInScope(receiveId);
      return { chatId: p2pChatId(receiveId), chatType: 'p2p' };
    }
    if (receiveId.startsWith('oc_p2p_')) {
      this.assertInScope(receiveId.slice('oc_p2p_'.length));
      return { chatId: receiveId, chatType: 'p2p' };
    }
    if (!this.groups.has(receiveId)) throw new FakeLarkError(400, LarkCode.botNotInChat, 'Bot is not in the chat.');
    return { chatId: receiveId, chatType: 'group' };
  }

  assertInScope(openId: string): void {
    if (this.outOfScope.has(openId)) {
      throw new FakeLarkError(400, LarkCode.userOutOfScope, 'The user is not within the availability of the app.');
    }
  }

  find(messageId: string): FakeMessage | undefined {
    return this.messages.find((m) => m.message_id === messageId);
  }

  /** The message an earlier request with this uuid created, if that was less than an hour ago. */
  findByUuid(uuid: string): FakeMessage | undefined {
    const hit = this.byUuid.get(uuid);
    if (!hit || this.now().getTime() - hit.at >= UUID_WINDOW_MS) return undefined;
    return this.find(hit.messageId);
  }

  create(input: NewMessage): FakeMessage {
    const at = this.now();
    const message: FakeMessage = {
      message_id: input.messageId ?? `om_${randomHex(16)}`,
      chat_id: input.chatId,
      chat_type: input.chatType,
      msg_type: input.msgType,
      content: input.content,
      card: input.card,
      text: input.text,
      uuid: input.uuid,
      sender: input.sender,
      parent_id: input.parentId,
      created_at: at,
      updated_at: at,
      update_count: 0,
    };
    this.messages.push(message);
    if (input.uuid) this.byUuid.set(input.uuid, { messageId: message.message_id, at: at.getTime() });
    this.emit('created', message);
    return message;
  }

  updateCard(message: FakeMessage, card: Card): void {
    message.content = JSON.stringify(card);
    message.card = card;
    message.updated_at = this.now();
    message.update_count += 1;
    this.emit('updated', message);
  }

  /** A c-… token as a card callback carries it, bound to the clicked message. */
  issueCardToken(messageId: string): string {
    const token = `c-${randomHex(20)}`;
    this.cardTokens.set(token, { messageId, issuedAt: this.now().getTime(), uses: 0 });
    return token;
  }

  /** Spends one use of a card token: valid 30 min, 2 uses (LARK.md §3). */
  useCardToken(token: string): FakeMessage {
    const entry = this.cardTokens.get(token);
    if (!entry || this.now().getTime() - entry.issuedAt > CARD_TOKEN_TTL_MS) {
      throw new FakeLarkError(400, LarkCode.cardTokenExpired, 'card token is invalid or expired');
    }
    if (entry.uses >= CARD_TOKEN_USES) {
      throw new FakeLarkError(400, LarkCode.cardTokenExhausted, 'card token has been used the maximum number of times');
    }
    const message = this.find(entry.messageId);
    if (!message) throw new FakeLarkError(400, LarkCode.cardTokenExpired, 'the message of this card token is gone');
    entry.uses += 1;
    return message;
  }

  putFile(messageId: string, fileKey: string, fileName: string, bytes: Uint8Array): void {
    this.files.set(`${messageId}/${fileKey}`, { fileName, bytes });
  }

  getFile(messageId: string, fileKey: string): { fileName: string; bytes: Uint8Array } | undefined {
    return this.files.get(`${messageId}/${fileKey}`);
  }

  private emit(type: 'created' | 'updated', message: FakeMessage): void {
    for (const listener of this.listeners) listener({ type, message });
  }
}

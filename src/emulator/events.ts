// What the console's browsers are told, live (SSE): every message the fake Lark stores or updates
// (a card PATCH, a callback answer and a delayed update all land as "updated", for every viewer:
// Lark's update_multi), clock moves and resets.
import type { FakeLark, FakeMessage } from '../fake-lark/index.js';

export type ConsoleEvent =
  | { type: 'message'; data: MessageView }
  | { type: 'clock'; data: { now: string } }
  | { type: 'reset'; data: { now: string } }
  /** The server is stopping: streams end so the HTTP server can close. */
  | { type: 'shutdown'; data: Record<string, never> };

export interface MessageView {
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** For p2p chats: the user the bot talks to. */
  peer: string | undefined;
  sender: string;
  msgType: string;
  text: string | undefined;
  card: unknown;
  fileName: string | undefined;
  parentId: string | undefined;
  createdAt: string;
  updatedAt: string;
  updateCount: number;
  seq: number;
}

function fileNameOf(m: FakeMessage): string | undefined {
  if (m.msg_type !== 'file') return undefined;
  try {
    const parsed = JSON.parse(m.content) as { file_name?: unknown };
    return typeof parsed.file_name === 'string' ? parsed.file_name : '文件';
  } catch {
    return '文件';
  }
}

export class ConsoleEvents {
  private readonly listeners = new Set<(e: ConsoleEvent) => void>();
  private readonly seqOf = new Map<string, number>();
  private next = 1;

  constructor(
    private readonly fake: FakeLark,
    private readonly botName: string,
  ) {
    fake.onChange(({ message }) => this.publish({ type: 'message', data: this.view(message) }));
  }

  /** Stable order numbers: a message keeps its place when its card is updated. */
  private seq(m: FakeMessage): number {
    let n = this.seqOf.get(m.message_id);
    if (n === undefined) {
      n = this.next++;
      this.seqOf.set(m.message_id, n);
    }
    return n;
  }

  view(m: FakeMessage): MessageView {
    // A group message's "@_user_1" placeholder is the bot's mention: show it as Lark does.
    const text = m.text !== undefined && m.sender !== 'bot' ? m.text.replace(/^@_user_1(?=\s|$)/, `@${this.botName}`) : m.text;
    return {
      messageId: m.message_id,
      chatId: m.chat_id,
      chatType: m.chat_type,
      peer: m.chat_type === 'p2p' ? m.chat_id.replace(/^oc_p2p_/, '') : undefined,
      sender: m.sender,
      msgType: m.msg_type,
      text,
      card: m.card,
      fileName: fileNameOf(m),
      parentId: m.parent_id,
      createdAt: m.created_at.toISOString(),
      updatedAt: m.updated_at.toISOString(),
      updateCount: m.update_count,
      seq: this.seq(m),
    };
  }

  messages(): MessageView[] {
    return this.fake.messages.map((m) => this.view(m));
  }

  /** After a reset the fake's store is empty; numbering starts again. */
  clear(): void {
    this.seqOf.clear();
    this.next = 1;
  }

  subscribe(listener: (e: ConsoleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: ConsoleEvent): void {
    for (const l of this.listeners) l(event);
  }
}

// Drains the outbox: claim due rows, send each with a uuid derived from its key, record the result.
// Kicked after every commit that planned messages, and by the minute tick (src/jobs/tick.ts).
import type { Db } from '../../db/types.js';
import type { Card } from '../../cards/types.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { LarkApiError, type Messenger, type OutboundMessage } from '../lark/messenger.js';
import { larkUuid } from '../lark/sdk-messenger.js';
import { claimDueOutbox, markOutboxFailed, markOutboxSent, markOutboxSkipped, type OutboxRow } from '../services/outbox.js';

/**
 * Renders a deferred row at send time: the message, or why it is skipped (the work is done,
 * the person muted the campaign). Renderers read the database but never write.
 */
export type OutboxRenderer = (args: { db: Db; params: Record<string, unknown>; recipient: string; now: Date }) => Promise<
  { message: OutboundMessage } | { skip: 'done' | 'muted'; reason: string }
>;

export interface OutboxSenderOptions {
  renderers?: Readonly<Record<string, OutboxRenderer>>;
  db: Db;
  messenger: Messenger;
  clock: Clock;
  log: Logger;
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
}


export class OutboxSender {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly o: OutboxSenderOptions) {}

  /** Starts a drain, or asks the running one to go round once more. Never throws. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.drain().catch((err: unknown) => this.o.log.error({ err }, 'outbox drain failed'));
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Sends every row that is due now; returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await claimDueOutbox(this.o.db, { now: this.o.clock.now(), limit: this.o.batch ?? 20, leaseMs: this.o.leaseMs ?? 60_000 });
      if (rows.length === 0) return sent;
      for (const row of rows) if (await this.sendOne(row)) sent += 1;
    }
  }

  /** The message to send now, or a skip to record (deferred rows are rendered at send time). */
  private async render(row: OutboxRow): Promise<OutboundMessage | { skip: 'done' | 'muted'; reason: string }> {
    const p = row.payload;
    if (p.kind === 'text') return { kind: 'text', text: p.text };
    if (p.kind === 'card') return { kind: 'card', card: p.card as Card };
    const renderer = this.o.renderers?.[p.renderer];
    if (!renderer) throw new Error(`no outbox renderer "${p.renderer}"`);
    const out = await renderer({ db: this.o.db, params: p.params, recipient: row.recipient, now: this.o.clock.now() });
    return 'message' in out ? out.message : out;
  }

  private async sendOne(row: OutboxRow): Promise<boolean> {
    const to = row.recipientType === 'open_id' ? { openId: row.recipient } : { chatId: row.recipient };
    try {
      const message = await this.render(row);
      if ('skip' in message) {
        await markOutboxSkipped(this.o.db, row.id, message.skip, message.reason);
        return false;
      }
      const { messageId } = await this.o.messenger.send(to, message, larkUuid(`outbox:${row.key}`));
      await markOutboxSent(this.o.db, row.id, messageId, this.o.clock.now());
      return true;
    } catch (err) {
      const retryable = err instanceof LarkApiError ? err.retryable : true;
      const reason = err instanceof LarkApiError ? `${err.larkCode ?? err.httpStatus ?? '-'}: ${err.larkMsg}` : String(err);
      const giveUp = !retryable || row.attempts >= (this.o.maxAttempts ?? 8);
      const retryAt = giveUp ? undefined : new Date(this.o.clock.now().getTime() + Math.min(3_600_000, 30_000 * 2 ** row.attempts));
      await markOutboxFailed(this.o.db, row.id, reason, retryAt);
      this.o.log.warn({ outboxKey: row.key, reason, giveUp }, 'outbox send failed');
      return false;
    }
  }
}

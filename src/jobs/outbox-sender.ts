// Drains the outbox: claim due rows, send each with a uuid derived from its key, record the result.
// Kicked after every commit that planned messages, and by the minute tick (src/jobs/tick.ts).
import type { Db } from '../../db/types.js';
import type { Card } from '../../cards/types.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { LarkApiError, type Messenger, type OutboundMessage } from '../lark/messenger.js';
import { larkUuid } from '../lark/sdk-messenger.js';
import { claimDueOutbox, markOutboxFailed, markOutboxSent, type OutboxRow } from '../services/outbox.js';

export interface OutboxSenderOptions {
  db: Db;
  messenger: Messenger;
  clock: Clock;
  log: Logger;
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

function toMessage(row: OutboxRow): OutboundMessage {
  return row.payload.kind === 'text' ? { kind: 'text', text: row.payload.text } : { kind: 'card', card: row.payload.card as Card };
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

  private async sendOne(row: OutboxRow): Promise<boolean> {
    const to = row.recipientType === 'open_id' ? { openId: row.recipient } : { chatId: row.recipient };
    try {
      const { messageId } = await this.o.messenger.send(to, toMessage(row), larkUuid(`outbox:${row.key}`));
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

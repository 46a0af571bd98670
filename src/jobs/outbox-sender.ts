// Drains the outbox: claim due rows, send each with a uuid derived from its key, record the result.
// Kicked after every commit that planned messages, and by the minute tick (src/jobs/tick.ts).
// A shared rate limiter (PostgreSQL token buckets) keeps all instances together under Lark's quotas;
// rows of one recipient with a group renderer (reminders) are merged into one message.
import type { Db } from '../../db/types.js';
import type { Card } from '../../cards/types.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { LarkApiError, type Messenger, type OutboundMessage } from '../lark/messenger.js';
import { larkUuid } from '../lark/sdk-messenger.js';
import { claimDueOutbox, markOutboxFailed, markOutboxSent, markOutboxSkipped, type OutboxRow } from '../services/outbox.js';
import type { RateLimiter } from '../services/rate-limit.js';
import { claimSiblings, deferClaimed, markMergedSent } from '../services/reminder-outbox.js';

export type RenderOutcome = { message: OutboundMessage } | { skip: 'done' | 'muted'; reason: string } | { defer: Date; reason: string };

/**
 * Renders a deferred row at send time: the message, why it is skipped (the work is done, the person
 * muted the campaign), or until when it waits (outside decent hours). Renderers read, never write.
 */
export type OutboxRenderer = (args: { db: Db; params: Record<string, unknown>; recipient: string; now: Date }) => Promise<RenderOutcome>;

export interface GroupItem {
  id: number;
  key: string;
  params: Record<string, unknown>;
}

export type ItemOutcome = { kind: 'include' } | { kind: 'skip'; skip: 'done' | 'muted'; reason: string } | { kind: 'defer'; until: Date; reason: string };

/** Renders several due rows of one recipient as one message; each row gets its own outcome. */
export interface GroupRenderer {
  render(args: { db: Db; items: readonly GroupItem[]; recipient: string; now: Date }): Promise<{ message: OutboundMessage | undefined; outcomes: ReadonlyMap<number, ItemOutcome> }>;
}

export interface OutboxSenderOptions {
  renderers?: Readonly<Record<string, OutboxRenderer>>;
  groupRenderers?: Readonly<Record<string, GroupRenderer>>;
  /** Shared by every instance on the database; omitted, sends are not paced here. */
  limiter?: RateLimiter;
  db: Db;
  messenger: Messenger;
  clock: Clock;
  log: Logger;
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

const RATE_LIMIT_CODES = new Set([99991400, 230020]);
const RATE_LIMIT_RETRY_MS = 60_000;

/** Lark codes that will fail the same way however often they are retried, in words for the admin's digest. */
export const permanentReasons: Readonly<Record<number, string>> = {
  230002: '机器人不在该群中',
  232009: '该群已解散',
  230013: '该用户不在应用的可用范围内',
  230053: '该用户已屏蔽机器人消息',
  230025: '消息内容超出长度限制',
  230099: '卡片内容无效',
};

export function failureReason(err: unknown): string {
  if (!(err instanceof LarkApiError)) return err instanceof Error ? err.message : String(err);
  const label = err.larkCode !== undefined ? permanentReasons[err.larkCode] : undefined;
  return `${err.larkCode ?? err.httpStatus ?? '-'}${label ? ` ${label}` : ''}：${err.larkMsg}`;
}

const isRateLimited = (err: unknown): boolean =>
  err instanceof LarkApiError && (err.httpStatus === 429 || (err.larkCode !== undefined && RATE_LIMIT_CODES.has(err.larkCode)));

class PermanentError extends Error {}

export class OutboxSender {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly o: OutboxSenderOptions) {}

  private get leaseMs(): number {
    return this.o.leaseMs ?? 60_000;
  }

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

  /** Sends every row that is due now; returns how many messages were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const rows = await claimDueOutbox(this.o.db, { now: this.o.clock.now(), limit: this.o.batch ?? 20, leaseMs: this.leaseMs });
      if (rows.length === 0) return sent;
      for (const unit of this.units(rows)) if (await this.sendUnit(unit)) sent += 1;
    }
  }

  /** Rows that go out as one message: a recipient's rows of one group renderer, every other row alone. */
  private units(rows: OutboxRow[]): OutboxRow[][] {
    const groups = new Map<string, OutboxRow[]>();
    const out: OutboxRow[][] = [];
    for (const row of rows) {
      const renderer = row.payload.kind === 'deferred' ? row.payload.renderer : undefined;
      if (!renderer || !this.o.groupRenderers?.[renderer]) {
        out.push([row]);
        continue;
      }
      const key = `${row.recipientType}:${row.recipient}:${renderer}`;
      const group = groups.get(key);
      if (group) group.push(row);
      else {
        const fresh = [row];
        groups.set(key, fresh);
        out.push(fresh);
      }
    }
    return out;
  }

  private async sendUnit(rows: OutboxRow[]): Promise<boolean> {
    const lead = rows[0];
    if (!lead) return false;
    let claimed = rows;
    try {
      const message = await this.render(rows, (more) => (claimed = [...rows, ...more]));
      if (!message) return false;
      const included = message.rows;
      if (!(await this.paced(lead, included))) return false;
      const to = lead.recipientType === 'open_id' ? { openId: lead.recipient } : { chatId: lead.recipient };
      const first = included[0] as OutboxRow;
      const { messageId } = await this.o.messenger.send(to, message.message, larkUuid(`outbox:${first.key}`));
      const at = this.o.clock.now();
      await markOutboxSent(this.o.db, first.id, messageId, at);
      await markMergedSent(this.o.db, included.slice(1).map((r) => r.id), messageId, at, first.key);
      return true;
    } catch (err) {
      await this.failed(claimed, err);
      return false;
    }
  }

  /**
   * The message for these rows, with the rows it covers; rows that are skipped or deferred are
   * recorded here. A group renderer also takes the recipient's other due rows (claimed first).
   */
  private async render(rows: OutboxRow[], onClaimed: (more: OutboxRow[]) => void): Promise<{ message: OutboundMessage; rows: OutboxRow[] } | undefined> {
    const lead = rows[0] as OutboxRow;
    const p = lead.payload;
    if (p.kind === 'text') return { message: { kind: 'text', text: p.text }, rows };
    if (p.kind === 'card') return { message: { kind: 'card', card: p.card as Card }, rows };
    const now = this.o.clock.now();
    const group = this.o.groupRenderers?.[p.renderer];
    if (group) {
      const more = await claimSiblings(this.o.db, { recipient: lead.recipient, kind: lead.kind, now, leaseMs: this.leaseMs, limit: 20, excludeIds: rows.map((r) => r.id) });
      const all = [...rows, ...more];
      onClaimed(more);
      const items = all.map((r) => ({ id: r.id, key: r.key, params: r.payload.kind === 'deferred' ? r.payload.params : {} }));
      const out = await group.render({ db: this.o.db, items, recipient: lead.recipient, now });
      const included: OutboxRow[] = [];
      for (const row of all) {
        const outcome = out.outcomes.get(row.id) ?? { kind: 'skip', skip: 'done', reason: '渲染时没有给出结果' };
        if (outcome.kind === 'include') included.push(row);
        else if (outcome.kind === 'skip') await markOutboxSkipped(this.o.db, row.id, outcome.skip, outcome.reason);
        else await deferClaimed(this.o.db, row.id, outcome.until, outcome.reason);
      }
      if (included.length === 0) return undefined;
      if (!out.message) throw new PermanentError('renderer returned no message for included rows');
      return { message: out.message, rows: included };
    }
    const renderer = this.o.renderers?.[p.renderer];
    if (!renderer) throw new PermanentError(`no outbox renderer "${p.renderer}"`);
    const out = await renderer({ db: this.o.db, params: p.params, recipient: lead.recipient, now });
    if ('message' in out) return { message: out.message, rows };
    if ('skip' in out) await markOutboxSkipped(this.o.db, lead.id, out.skip, out.reason);
    else await deferClaimed(this.o.db, lead.id, out.defer, out.reason);
    return undefined;
  }

  /** Waits for a send slot; when it would outlast half the lease, the rows go back for later instead. */
  private async paced(lead: OutboxRow, rows: OutboxRow[]): Promise<boolean> {
    if (!this.o.limiter) return true;
    const slot = await this.o.limiter.acquire(lead.recipient, this.leaseMs / 2);
    if (slot.ok) return true;
    const until = new Date(this.o.clock.now().getTime() + slot.waitMs);
    for (const row of rows) await deferClaimed(this.o.db, row.id, until, '等待发送额度（限流）');
    return false;
  }

  private async failed(rows: OutboxRow[], err: unknown): Promise<void> {
    const reason = failureReason(err);
    const now = this.o.clock.now().getTime();
    for (const row of rows) {
      if (isRateLimited(err)) {
        // The messenger already waited out x-ogw-ratelimit-reset and still got refused: try again later, not counted.
        await deferClaimed(this.o.db, row.id, new Date(now + RATE_LIMIT_RETRY_MS), `限流，稍后重试（${reason}）`);
        continue;
      }
      const retryable = err instanceof PermanentError ? false : err instanceof LarkApiError ? err.retryable : true;
      const giveUp = !retryable || row.attempts >= (this.o.maxAttempts ?? 8);
      const retryAt = giveUp ? undefined : new Date(now + Math.min(3_600_000, 30_000 * 2 ** row.attempts));
      await markOutboxFailed(this.o.db, row.id, reason, retryAt);
    }
    this.o.log.warn({ outboxKeys: rows.map((r) => r.key), reason }, 'outbox send failed');
  }
}

// Token buckets shared by every instance, kept in PostgreSQL (rate_limit_buckets), so N senders
// together stay under Lark's quotas: per app 50/s and 1,000/min, per user or group 5/s (LARK.md §6).
// A take is one atomic statement over all the buckets a send needs: it takes a token from each, or
// from none and says how long to wait. Time is the database's clock, the same for every instance.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';

export interface RateLimits {
  appPerSecond: number;
  appPerMinute: number;
  recipientPerSecond: number;
  /**
   * Share of each quota the limiter aims for (0–1]. Sends leave here a few milliseconds before
   * Lark counts them, so a little headroom keeps jitter from ever crossing the line.
   */
  headroom: number;
}

/** Lark's published quotas for sending messages (create, reply, PATCH). */
export const larkQuotas: RateLimits = { appPerSecond: 50, appPerMinute: 1000, recipientPerSecond: 5, headroom: 0.97 };

export interface Bucket {
  key: string;
  capacity: number;
  /** Tokens per second. */
  rate: number;
}

/**
 * A bucket that never lets more than `limit × headroom` through in any `windowS` window:
 * capacity (the burst) plus what refills during the window equals that budget.
 */
export function windowBucket(key: string, limit: number, windowS: number, headroom: number, burstShare = 0.1): Bucket {
  // Limits below 2 per window cannot both burst one and refill; they get one token per window.
  const budget = Math.max(2, limit * headroom);
  const capacity = Math.min(Math.max(1, Math.floor(budget * burstShare)), Math.floor(budget) - 1);
  return { key, capacity, rate: (budget - capacity) / windowS };
}

/** The buckets one message to `recipient` takes from. */
export function bucketsForSend(limits: RateLimits, recipient: string): Bucket[] {
  const h = limits.headroom;
  return [
    windowBucket('lark:app:second', limits.appPerSecond, 1, h),
    // The minute's burst is small, so the sustained rate stays close to the quota.
    windowBucket('lark:app:minute', limits.appPerMinute, 60, h, Math.min(0.02, limits.appPerSecond / limits.appPerMinute)),
    windowBucket(`lark:to:${recipient}`, limits.recipientPerSecond, 1, h, 0.2),
  ];
}

export type TakeResult = { ok: true } | { ok: false; waitMs: number };

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result && typeof result === 'object' && 'rows' in result && Array.isArray(result.rows)) return result.rows as Record<string, unknown>[];
  return [];
}

async function ensureBuckets(db: Db, buckets: readonly Bucket[]): Promise<void> {
  const values = sql.join(
    buckets.map((b) => sql`(${b.key}, ${b.capacity}::float8, clock_timestamp())`),
    sql`, `,
  );
  await db.execute(sql`insert into rate_limit_buckets (key, tokens, updated_at) values ${values} on conflict (key) do nothing`);
}

/**
 * Takes one token from every bucket, or none. The rows are locked in key order (no deadlock between
 * instances), refilled for the time since their last take, and decremented only if all have a token.
 */
export async function takeTokens(db: Db, buckets: readonly Bucket[]): Promise<TakeResult> {
  if (buckets.length === 0) return { ok: true };
  const want = sql.join(
    buckets.map((b) => sql`(${b.key}::text, ${b.capacity}::float8, ${b.rate}::float8)`),
    sql`, `,
  );
  const statement = sql`
    with want (key, cap, rate) as (values ${want}),
    t as (select clock_timestamp() as now),
    cur as (
      select b.key, w.cap, w.rate,
             least(w.cap, b.tokens + w.rate * greatest(0, extract(epoch from ((select now from t) - b.updated_at)))) as avail
      from rate_limit_buckets b join want w on w.key = b.key
      order by b.key
      for update of b
    ),
    verdict as (select count(*) = ${buckets.length} and coalesce(bool_and(avail >= 1), false) as ok from cur),
    taken as (
      update rate_limit_buckets b
      set tokens = cur.avail - 1, updated_at = greatest(b.updated_at, (select now from t))
      from cur, verdict
      where b.key = cur.key and verdict.ok
      returning b.key
    )
    select (select ok from verdict) as ok,
           (select count(*) from cur)::int as found,
           (select count(*) from taken)::int as taken,
           coalesce((select max(greatest(0, (1 - avail) / rate)) from cur), 0)::float8 as wait_s`;
  let [row] = rowsOf(await db.execute(statement));
  if (Number(row?.found ?? 0) < buckets.length) {
    await ensureBuckets(db, buckets);
    [row] = rowsOf(await db.execute(statement));
  }
  if (row?.ok === true && Number(row.taken) === buckets.length) return { ok: true };
  // At least one millisecond, so a caller that loops on this never spins.
  return { ok: false, waitMs: Math.max(1, Math.ceil(Number(row?.wait_s ?? 0.05) * 1000)) };
}

/** Drops buckets nobody took from for `idleMs` (per-recipient buckets would otherwise pile up). */
export async function pruneBuckets(db: Db, idleMs: number): Promise<void> {
  await db.execute(sql`delete from rate_limit_buckets where updated_at < clock_timestamp() - make_interval(secs => ${idleMs / 1000}::float8)`);
}

export interface RateLimiterOptions {
  limits?: RateLimits;
  sleep?: (ms: number) => Promise<void>;
}

/** Waits for a send slot shared with every other instance on the same database. */
export class RateLimiter {
  readonly limits: RateLimits;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    opts: RateLimiterOptions = {},
  ) {
    this.limits = opts.limits ?? larkQuotas;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Resolves once a token is taken for a send to `recipient`, or returns the time it would still
   * have to wait when that exceeds `maxWaitMs` (the caller then puts its work back for later).
   */
  async acquire(recipient: string, maxWaitMs = Number.POSITIVE_INFINITY): Promise<{ ok: true; waitedMs: number } | { ok: false; waitMs: number }> {
    const buckets = bucketsForSend(this.limits, recipient);
    let waited = 0;
    for (;;) {
      const r = await takeTokens(this.db, buckets);
      if (r.ok) return { ok: true, waitedMs: waited };
      if (waited + r.waitMs > maxWaitMs) return { ok: false, waitMs: r.waitMs };
      await this.sleep(r.waitMs);
      waited += r.waitMs;
    }
  }
}

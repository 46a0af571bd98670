// The outbox: pushes as rows, written in the transaction that caused them, claimed by senders
// with FOR UPDATE SKIP LOCKED and a lease so several instances never send a row twice.
import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/types.js';
import { outbox, type OutboxPayload } from '../../db/schema/index.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxItem {
  key: string;
  kind: string;
  to: { openId: string } | { chatId: string };
  payload: OutboxPayload;
  dueAt: Date;
  topic?: string;
}

/** Plans messages; a key that is already planned (or sent) is left alone. Returns how many are new. */
export async function enqueueOutbox(db: Db, items: readonly OutboxItem[], at: Date): Promise<number> {
  if (items.length === 0) return 0;
  const rows = await db
    .insert(outbox)
    .values(
      items.map((i) => ({
        key: i.key,
        kind: i.kind,
        recipientType: 'openId' in i.to ? ('open_id' as const) : ('chat_id' as const),
        recipient: 'openId' in i.to ? i.to.openId : i.to.chatId,
        payload: i.payload,
        topic: i.topic ?? null,
        dueAt: i.dueAt,
        createdAt: at,
      })),
    )
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return rows.length;
}

/** Claims up to `limit` due rows (or rows whose sender's lease ran out) for this sender. */
export async function claimDueOutbox(db: Db, opts: { now: Date; limit: number; leaseMs: number }): Promise<OutboxRow[]> {
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      or(
        and(eq(outbox.status, 'planned'), lte(outbox.dueAt, opts.now)),
        and(eq(outbox.status, 'claimed'), lt(outbox.leaseUntil, opts.now)),
      ),
    )
    .orderBy(outbox.dueAt, outbox.id)
    .limit(opts.limit)
    .for('update', { skipLocked: true });
  return db
    .update(outbox)
    .set({ status: 'claimed', leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}

export async function markOutboxSent(db: Db, id: number, larkMessageId: string, at: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', larkMessageId, sentAt: at, leaseUntil: null, lastError: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'claimed')));
}

/** A failed send: retried at `retryAt` unless it is permanent (then kept as failed, with the reason). */
export async function markOutboxFailed(db: Db, id: number, error: string, retryAt: Date | undefined): Promise<void> {
  await db
    .update(outbox)
    .set(retryAt ? { status: 'planned', dueAt: retryAt, leaseUntil: null, lastError: error } : { status: 'failed', leaseUntil: null, lastError: error })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'claimed')));
}

/** A deferred row that turned out not to be needed at send time; kept so "did X get it?" has an answer. */
export async function markOutboxSkipped(db: Db, id: number, why: 'done' | 'muted', reason: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: why === 'done' ? 'skipped_done' : 'skipped_muted', leaseUntil: null, lastError: reason })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'claimed')));
}

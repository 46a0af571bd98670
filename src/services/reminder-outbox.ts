// Outbox queries the reminder planner, the senders and /提醒 记录 need beyond the generic outbox
// service: moving or dropping still-planned rows, claiming a person's other due reminders so they
// go out merged in one card, putting a row back until a decent hour, and reading rows back.
import { and, asc, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { OutboxRow } from './outbox.js';

export const REMINDER_KINDS = ['deadline.reminder', 'deadline.digest', 'deadline.progress'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Keys of rows already planned (in any state) among those starting with `prefix`, within a topic. */
export async function existingKeys(db: Db, topic: string, prefix: string): Promise<Set<string>> {
  const rows = await db
    .select({ key: outbox.key })
    .from(outbox)
    .where(and(eq(outbox.topic, topic), sql`starts_with(${outbox.key}, ${prefix})`));
  return new Set(rows.map((r) => r.key));
}

/** Marks still-planned rows of these topics (optionally only keys starting with `prefix`) as skipped, with the reason. */
export async function dropPlanned(db: Db, topics: readonly string[], reason: string, prefix?: string): Promise<number> {
  if (topics.length === 0) return 0;
  const rows = await db
    .update(outbox)
    .set({ status: 'skipped_done', lastError: reason })
    .where(and(inArray(outbox.topic, [...topics]), eq(outbox.status, 'planned'), ...(prefix ? [sql`starts_with(${outbox.key}, ${prefix})`] : [])))
    .returning({ id: outbox.id });
  return rows.length;
}

/** Moves still-planned rows whose key starts with `prefix` to a new due time. */
export async function moveDue(db: Db, topic: string, prefix: string, dueAt: Date): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ dueAt })
    .where(and(eq(outbox.topic, topic), eq(outbox.status, 'planned'), sql`starts_with(${outbox.key}, ${prefix})`, ne(outbox.dueAt, dueAt)))
    .returning({ id: outbox.id });
  return rows.length;
}

/** The distinct key prefixes (up to the offset) of still-planned rows of a topic, e.g. "reminder:LN2022:topic_submission:d3:". */
export async function plannedPrefixes(db: Db, topic: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ prefix: sql<string>`substring(${outbox.key} from '^[^:]+:[^:]+:[^:]+:d[0-9]+:')` })
    .from(outbox)
    .where(and(eq(outbox.topic, topic), eq(outbox.status, 'planned'), inArray(outbox.kind, ['deadline.reminder', 'deadline.digest'])));
  return rows.map((r) => r.prefix).filter((p): p is string => typeof p === 'string' && p.length > 0);
}

/**
 * Claims the recipient's other due rows of the same kind (not locked by another sender), so they are
 * rendered into the same card as the row being sent.
 */
export async function claimSiblings(
  db: Db,
  args: { recipient: string; kind: string; now: Date; leaseMs: number; limit: number; excludeIds: readonly number[] },
): Promise<OutboxRow[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.recipient, args.recipient),
        eq(outbox.kind, args.kind),
        eq(outbox.status, 'planned'),
        lte(outbox.dueAt, args.now),
        ...(args.excludeIds.length ? [sql`${outbox.id} not in (${sql.join(args.excludeIds.map((id) => sql`${id}`), sql`, `)})`] : []),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(args.limit)
    .for('update', { skipLocked: true });
  return db
    .update(outbox)
    .set({ status: 'claimed', leaseUntil: new Date(args.now.getTime() + args.leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning();
}

/** Puts a claimed row back until `until` without counting the attempt (outside decent hours, or waiting for a send slot). */
export async function deferClaimed(db: Db, id: number, until: Date, reason: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'planned', dueAt: until, leaseUntil: null, lastError: reason, attempts: sql`greatest(0, ${outbox.attempts} - 1)` })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'claimed')));
}

/** Marks a claimed row sent as part of a message another row carried (a merged card). */
export async function markMergedSent(db: Db, ids: readonly number[], larkMessageId: string, at: Date, leadKey: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ status: 'sent', larkMessageId, sentAt: at, leaseUntil: null, lastError: `合并在 ${leadKey} 的卡片中发送` })
    .where(and(inArray(outbox.id, [...ids]), eq(outbox.status, 'claimed')));
}

/** Failed sends of these topics, newest first, for the admin's digest. */
export async function failedSends(db: Db, topics: readonly string[], limit = 20): Promise<OutboxRow[]> {
  if (topics.length === 0) return [];
  return db
    .select()
    .from(outbox)
    .where(and(inArray(outbox.topic, [...topics]), eq(outbox.status, 'failed')))
    .orderBy(desc(outbox.id))
    .limit(limit);
}

/** A person's reminder rows (every state), newest due first, optionally for one campaign. */
export async function reminderRowsFor(db: Db, recipient: string, campaignCode?: string, limit = 30): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.recipient, recipient),
        inArray(outbox.kind, [...REMINDER_KINDS]),
        ...(campaignCode ? [sql`starts_with(${outbox.topic}, ${`deadline:${campaignCode}:`})`] : []),
      ),
    )
    .orderBy(desc(outbox.dueAt), desc(outbox.id))
    .limit(limit);
}

import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const outboxStatus = pgEnum('outbox_status', ['planned', 'claimed', 'sent', 'failed', 'skipped_done', 'skipped_muted']);

/**
 * A static message, or a deferred one rendered at send time by a named renderer (so a reminder
 * goes only to someone who still has work then; a renderer may answer "skip").
 */
export type OutboxPayload =
  | { kind: 'text'; text: string }
  | { kind: 'card'; card: unknown }
  | { kind: 'deferred'; renderer: string; params: Record<string, unknown> };

/**
 * Every push the bot sends on its own (notices, reminders, letters, digests) is a row here,
 * written in the same transaction as the change that caused it. `key` says what, for whom and
 * why; it is unique (planning is INSERT … ON CONFLICT DO NOTHING) and the Lark uuid derives from
 * it, so a message is delivered at most once however often it is planned or retried.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull().unique(),
    kind: text('kind').notNull(),
    /** What the row is about (e.g. "deadline:LN2022:topic_submission"), to move or drop a group of rows. */
    topic: text('topic'),
    recipientType: text('recipient_type', { enum: ['open_id', 'chat_id'] }).notNull(),
    recipient: text('recipient').notNull(),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    status: outboxStatus('status').notNull().default('planned'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** A claimed row whose lease has passed is claimable again (its sender died). */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    larkMessageId: text('lark_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.dueAt), index('outbox_topic_idx').on(t.topic, t.status)],
);

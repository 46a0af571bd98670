import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Exactly-once inbound: a row is inserted in the same transaction as the event's effects.
 * dedupe_key is "msg:<message_id>" for messages (Lark's advice) and "evt:<event_id>" otherwise.
 */
export const inboundEvents = pgTable('inbound_events', {
  dedupeKey: text('dedupe_key').primaryKey(),
  eventId: text('event_id').notNull(),
  kind: text('kind').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

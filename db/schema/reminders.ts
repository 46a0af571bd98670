import { doublePrecision, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { users } from './users.js';

/**
 * Token buckets shared by every instance (the Lark quotas: per app, per user or group). A send
 * takes a token with one atomic UPDATE, so N instances together stay under the limit.
 */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Someone who muted a campaign's reminders (mandatory deadlines still reach them). */
export const reminderMutes = pgTable(
  'reminder_mutes',
  {
    userOpenId: text('user_open_id')
      .notNull()
      .references(() => users.openId),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userOpenId, t.campaignId] })],
);

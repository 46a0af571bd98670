import { index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { campaigns, submissions } from './campaigns.js';

/** A review round: 初评, 复评, 答辩, or a topic-selection round (office pick ≤ 20, leadership confirm ≤ 10). */
export const reviewRounds = pgTable(
  'review_rounds',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    key: text('key').notNull(),
    label: text('label').notNull(),
    state: text('state', { enum: ['open', 'closed'] }).notNull().default('open'),
    /** Reviewers per item. */
    k: integer('k').notNull(),
    /** Reviews an item needs before the round may close without an override. */
    quorum: integer('quorum').notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    previousRoundId: integer('previous_round_id'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: text('closed_by'),
    overrideReason: text('override_reason'),
  },
  (t) => [index('review_rounds_campaign_idx').on(t.campaignId)],
);

export const roundItems = pgTable(
  'round_items',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.submissionId] })],
);

export const roundReviewers = pgTable(
  'round_reviewers',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    reviewerOpenId: text('reviewer_open_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.reviewerOpenId] })],
);

export const reviewAssignments = pgTable(
  'review_assignments',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
    reviewerOpenId: text('reviewer_open_id').notNull(),
    status: text('status', { enum: ['assigned', 'recused'] }).notNull().default('assigned'),
    recuseReason: text('recuse_reason'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.submissionId, t.reviewerOpenId] })],
);

/** One review per reviewer per item per round: the primary key, so 500 clicks leave one row. */
export const reviews = pgTable(
  'reviews',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => reviewRounds.id),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
    reviewerOpenId: text('reviewer_open_id').notNull(),
    scores: jsonb('scores').$type<Record<string, number>>().notNull(),
    vote: text('vote', { enum: ['recommend', 'reject', 'abstain'] }).notNull(),
    comment: text('comment').notNull().default(''),
    version: integer('version').notNull().default(1),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.submissionId, t.reviewerOpenId] })],
);

/** The leader's answer to a shortlist: approve, or return with a reason. */
export const leaderDecisions = pgTable('leader_decisions', {
  id: serial('id').primaryKey(),
  roundId: integer('round_id')
    .notNull()
    .references(() => reviewRounds.id),
  leaderOpenId: text('leader_open_id').notNull(),
  decision: text('decision', { enum: ['approved', 'returned'] }).notNull(),
  reason: text('reason'),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
});

export interface AwardShare {
  openId: string;
  name: string;
  shareYuan: number;
  mainCreator: boolean;
  countyLevelCadre: boolean;
}

export const awards = pgTable('awards', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id')
    .notNull()
    .references(() => campaigns.id),
  submissionId: integer('submission_id')
    .notNull()
    .references(() => submissions.id)
    .unique(),
  tier: text('tier').notNull(),
  amountYuan: integer('amount_yuan').notNull(),
  split: jsonb('split').$type<AwardShare[]>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

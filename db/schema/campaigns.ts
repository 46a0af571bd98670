import { index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { CampaignTemplate } from '../../src/domain/campaign/template.js';
import { units } from './units.js';

/**
 * A campaign is a template instance: `definition` is the validated template (directions,
 * criteria, phases with their live dates and history, quotas, caps, prizes). Phase changes
 * rewrite it under a row lock; `version` counts those changes.
 */
export const campaigns = pgTable('campaigns', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  templateId: text('template_id').notNull(),
  name: text('name').notNull(),
  year: integer('year').notNull(),
  kind: text('kind', { enum: ['evaluation', 'supervision_incentive'] }).notNull(),
  definition: jsonb('definition').$type<CampaignTemplate>().notNull(),
  /** The group chat bound with /活动 绑定群 for notices and daily progress. */
  noticeChatId: text('notice_chat_id'),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
  version: integer('version').notNull().default(1),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

export const submissionStatus = pgEnum('submission_status', ['submitted', 'withdrawn', 'recommended', 'returned', 'confirmed']);

export interface SubmissionFields {
  problem?: string;
  innovation?: string;
  effect?: string;
  team?: string;
  /** yyyy-mm-dd, when the achievement was formed (seed 000: inside the campaign's window). */
  achievedOn?: string;
  evidence?: string;
  /** Chongqing: the unit's self-assessment against the measure. */
  selfAssessment?: string;
}

export interface PersonRef {
  openId: string;
  name: string;
}

/** A topic (选题), an achievement (成果) or a Chongqing declaration (申报) from one unit. */
export const submissions = pgTable(
  'submissions',
  {
    id: serial('id').primaryKey(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    /** Per campaign and unit, from 1; the tracking number is built from it. */
    seq: integer('seq').notNull(),
    trackingNo: text('tracking_no').notNull().unique(),
    kind: text('kind', { enum: ['topic', 'achievement', 'declaration'] }).notNull(),
    title: text('title').notNull(),
    direction: text('direction'),
    /** Chongqing: the measure (1–30) declared against. */
    measureNo: integer('measure_no'),
    fields: jsonb('fields').$type<SubmissionFields>().notNull(),
    mainCreators: jsonb('main_creators').$type<PersonRef[]>().notNull(),
    status: submissionStatus('status').notNull().default('submitted'),
    /** Reason given when a lead department returns a declaration, or when it is withdrawn. */
    statusReason: text('status_reason'),
    /** Optimistic concurrency: an edit names the version it was based on. */
    version: integer('version').notNull().default(1),
    /** One per form card: a double-clicked submit creates one submission. */
    formKey: text('form_key').notNull(),
    submittedBy: text('submitted_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('submissions_unit_seq').on(t.campaignId, t.unitId, t.seq),
    unique('submissions_form_key').on(t.campaignId, t.formKey),
    index('submissions_campaign_status_idx').on(t.campaignId, t.status),
  ],
);

export const recommendationStatus = pgEnum('recommendation_status', ['pending', 'assigned', 'declined']);

/** Seed 000 §四.2: the public recommends a topic that needs institutional innovation. */
export const recommendations = pgTable('recommendations', {
  id: serial('id').primaryKey(),
  campaignId: integer('campaign_id').references(() => campaigns.id),
  recommenderOpenId: text('recommender_open_id').notNull(),
  title: text('title').notNull(),
  problem: text('problem').notNull(),
  suggestedUnit: text('suggested_unit'),
  status: recommendationStatus('status').notNull().default('pending'),
  assignedUnitId: integer('assigned_unit_id').references(() => units.id),
  decisionReason: text('decision_reason'),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  /** One per form card, as for submissions. */
  formKey: text('form_key').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

import { boolean, date, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { submissions } from './campaigns.js';
import { units } from './units.js';

/** Escalation thresholds per ledger (seed 002): working days after which letters go out. */
export interface LedgerPolicy {
  reminderAfterWorkdays: number;
  supervisionAfterWorkdays: number;
  rectifyWithinWorkdays: number;
}

/** A reform ledger (改革台账) for a year. */
export const ledgers = pgTable('ledgers', {
  id: serial('id').primaryKey(),
  title: text('title').notNull().unique(),
  year: integer('year').notNull(),
  status: text('status', { enum: ['active', 'archived'] }).notNull().default('active'),
  policy: jsonb('policy').$type<LedgerPolicy>().notNull(),
  /** The work group for the daily dispatch (群内日调度). */
  noticeChatId: text('notice_chat_id'),
  /** 主要领导: receives the monthly digest. */
  mainLeaderOpenId: text('main_leader_open_id'),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export const taskState = pgEnum('task_state', ['registered', 'in_progress', 'close_requested', 'closed', 'kept']);

export type Cadence = 'weekly' | 'monthly' | 'quarterly' | 'half_yearly' | 'year_end';

/** A task with its four lists (seed 004): 任务 (title), 责任 (units, leader, owner), 措施 (measure, milestones), 结果 (results). */
export const ledgerTasks = pgTable(
  'ledger_tasks',
  {
    id: serial('id').primaryKey(),
    ledgerId: integer('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    /** Per ledger, e.g. RW2026-007. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    /** The measure or category the task belongs to. */
    measure: text('measure'),
    responsibleLeaderOpenId: text('responsible_leader_open_id'),
    /** 专人 / 改革专员. */
    ownerOpenId: text('owner_open_id').notNull(),
    cadences: jsonb('cadences').$type<Cadence[]>().notNull(),
    expectedResult: text('expected_result'),
    actualResult: text('actual_result'),
    state: taskState('state').notNull().default('registered'),
    stateReason: text('state_reason'),
    /** 留号: when a kept task is looked at again. */
    nextReviewOn: date('next_review_on'),
    /** From a campaign's confirmed list (seed 000 §四.3). */
    sourceSubmissionId: integer('source_submission_id').references(() => submissions.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('ledger_tasks_code').on(t.ledgerId, t.code), index('ledger_tasks_owner_idx').on(t.ownerOpenId)],
);

export const taskUnits = pgTable(
  'task_units',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => ledgerTasks.id),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    role: text('role', { enum: ['lead', 'cooperating'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.unitId] })],
);

export const milestones = pgTable('milestones', {
  id: serial('id').primaryKey(),
  taskId: integer('task_id')
    .notNull()
    .references(() => ledgerTasks.id),
  title: text('title').notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  /** 'plan' from the task's road map; 'rectification' from a plan answering a letter. */
  source: text('source', { enum: ['plan', 'rectification'] }).notNull().default('plan'),
  letterId: integer('letter_id'),
});

/** One report per task per period: a constraint, not an if. */
export const progressReports = pgTable(
  'progress_reports',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => ledgerTasks.id),
    cadence: text('cadence').$type<Cadence>().notNull(),
    periodKey: text('period_key').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    progress: text('progress').notNull(),
    problems: text('problems').notNull(),
    suggestions: text('suggestions').notNull(),
    percentComplete: integer('percent_complete').notNull(),
    milestoneStatus: jsonb('milestone_status').$type<{ milestoneId: number; status: 'on_time' | 'late' | 'done' }[]>().notNull(),
    late: boolean('late').notNull(),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [unique('progress_reports_period').on(t.taskId, t.periodKey)],
);

export const problemState = pgEnum('problem_state', ['open', 'assigned', 'resolved', 'escalated']);

/** 问题库 (seed 002 measure 11): registered at once (立即挂号), routed, resolved or escalated. */
export const problems = pgTable('problems', {
  id: serial('id').primaryKey(),
  ledgerId: integer('ledger_id')
    .notNull()
    .references(() => ledgers.id),
  taskId: integer('task_id').references(() => ledgerTasks.id),
  description: text('description').notNull(),
  responsibleUnitId: integer('responsible_unit_id').references(() => units.id),
  state: problemState('state').notNull().default('open'),
  resolution: text('resolution'),
  registeredBy: text('registered_by').notNull(),
  formKey: text('form_key').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** 提醒函 / 督办函. Numbers per kind and year have no gaps and no duplicates (letter_counters). */
export const letters = pgTable(
  'letters',
  {
    id: serial('id').primaryKey(),
    ledgerId: integer('ledger_id')
      .notNull()
      .references(() => ledgers.id),
    taskId: integer('task_id')
      .notNull()
      .references(() => ledgerTasks.id),
    kind: text('kind', { enum: ['reminder', 'supervision'] }).notNull(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    /** What is late (e.g. "report:2026-W07" or "milestone:12"); one letter per kind per trigger. */
    triggerKey: text('trigger_key').notNull(),
    reason: text('reason').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    rectifyBy: timestamp('rectify_by', { withTimezone: true }).notNull(),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    cc: jsonb('cc').$type<string[]>().notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBy: text('acknowledged_by'),
    planText: text('plan_text'),
    planDueAt: timestamp('plan_due_at', { withTimezone: true }),
  },
  (t) => [unique('letters_number').on(t.kind, t.year, t.number), unique('letters_trigger').on(t.taskId, t.kind, t.triggerKey)],
);

export const letterCounters = pgTable(
  'letter_counters',
  {
    kind: text('kind', { enum: ['reminder', 'supervision'] }).notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.year] })],
);

/** 红榜 (seed 002 measure 14). */
export const redList = pgTable('red_list', {
  id: serial('id').primaryKey(),
  ledgerId: integer('ledger_id')
    .notNull()
    .references(() => ledgers.id),
  subjectType: text('subject_type', { enum: ['task', 'unit', 'person'] }).notNull(),
  subjectId: text('subject_id').notNull(),
  subjectName: text('subject_name').notNull(),
  reason: text('reason').notNull(),
  status: text('status', { enum: ['nominated', 'published', 'withdrawn'] }).notNull().default('nominated'),
  withdrawReason: text('withdraw_reason'),
  nominatedBy: text('nominated_by').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

// Progress reports on a cadence (seed 004: 每周查进度、每月作小节…; 进展情况、存在问题、对策建议). One report per task per
// period is a database constraint; a report may be corrected until its period's due time; a late one is accepted and
// marked late. Only the task's owner (专人) reports, and never on a closed task.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { ledgers, ledgerTasks, milestones, progressReports } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { chinaDateOf, chinaWorkCalendar, isoWeekMonday, type WorkCalendar } from '../domain/ledger/calendar.js';
import { cadenceOfKey, periodContaining, periodLabel, periodsForAll, type Cadence, type ReportPeriod } from '../domain/ledger/periods.js';
import { isCorrectable, isLate, readReportForm, validateReport, type ReportContent, type ReportErrors, type ReportFormValues } from '../domain/ledger/report-form.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import type { TaskRow } from './ledger-tasks.js';

export type ReportRow = typeof progressReports.$inferSelect;

/** A (task, period) pair whose report is owed. */
export interface DueReport {
  taskId: number;
  ledgerId: number;
  code: string;
  title: string;
  ownerOpenId: string;
  period: ReportPeriod;
  /** The period's due time has passed. */
  overdue: boolean;
}

const trackedStates = ['registered', 'in_progress'] as const;

/**
 * Every (task, period) report owed by `until` (default `now`) and not yet submitted, for tasks still chased
 * (registered, in progress) in active ledgers, periods counted from the day the task was registered. Ordered by
 * due time, then task. For reminders: pass `until` ahead of `now` to include periods coming due.
 */
export async function dueReports(db: Db, now: Date, opts: { until?: Date; calendar?: WorkCalendar; ledgerId?: number } = {}): Promise<DueReport[]> {
  const until = opts.until ?? now;
  const calendar = opts.calendar ?? chinaWorkCalendar;
  const scope = and(eq(ledgers.status, 'active'), inArray(ledgerTasks.state, [...trackedStates]), ...(opts.ledgerId !== undefined ? [eq(ledgers.id, opts.ledgerId)] : []));
  const [tasks, reported] = await Promise.all([
    db
      .select({ id: ledgerTasks.id, ledgerId: ledgerTasks.ledgerId, code: ledgerTasks.code, title: ledgerTasks.title, ownerOpenId: ledgerTasks.ownerOpenId, cadences: ledgerTasks.cadences, createdAt: ledgerTasks.createdAt })
      .from(ledgerTasks)
      .innerJoin(ledgers, eq(ledgers.id, ledgerTasks.ledgerId))
      .where(scope)
      .orderBy(asc(ledgerTasks.id)),
    db
      .select({ taskId: progressReports.taskId, periodKey: progressReports.periodKey })
      .from(progressReports)
      .innerJoin(ledgerTasks, eq(ledgerTasks.id, progressReports.taskId))
      .innerJoin(ledgers, eq(ledgers.id, ledgerTasks.ledgerId))
      .where(scope),
  ]);
  const done = new Set(reported.map((r) => `${r.taskId}\u0000${r.periodKey}`));
  const lastDay = chinaDateOf(until);
  // Tasks registered the same day with the same cadences owe the same periods: compute them once.
  const cache = new Map<string, ReportPeriod[]>();
  const out: DueReport[] = [];
  for (const t of tasks) {
    const from = chinaDateOf(t.createdAt);
    if (from > lastDay) continue;
    const key = `${t.cadences.join(',')}|${from}`;
    let periods = cache.get(key);
    if (!periods) {
      periods = periodsForAll(t.cadences, from, lastDay, calendar).filter((p) => p.dueAt.getTime() <= until.getTime());
      cache.set(key, periods);
    }
    for (const period of periods) {
      if (done.has(`${t.id}\u0000${period.key}`)) continue;
      const { createdAt: _c, cadences: _k, id, ...rest } = t;
      out.push({ taskId: id, ...rest, period, overdue: period.dueAt.getTime() < now.getTime() });
    }
  }
  return out.sort((a, b) => a.period.dueAt.getTime() - b.period.dueAt.getTime() || a.taskId - b.taskId);
}

const pad = (n: number): string => String(n).padStart(2, '0');

function firstDayOf(cadence: Cadence, key: string): string {
  const year = Number(key.slice(0, 4));
  const rest = key.slice(5);
  switch (cadence) {
    case 'weekly':
      return isoWeekMonday(year, Number(rest.slice(1)));
    case 'monthly':
      return `${key}-01`;
    case 'quarterly':
      return `${year}-${pad((Number(rest.slice(1)) - 1) * 3 + 1)}-01`;
    case 'half_yearly':
      return `${year}-${rest === 'H1' ? '01' : '07'}-01`;
    case 'year_end':
      return `${year}-01-01`;
  }
}

/** The period a key names for this task: one of its cadences, begun by now, and not before the task was registered. */
export function periodOfTask(task: Pick<TaskRow, 'cadences' | 'createdAt'>, key: string, now: Date, calendar: WorkCalendar = chinaWorkCalendar): ReportPeriod | undefined {
  const cadence = cadenceOfKey(key);
  if (!cadence || !task.cadences.includes(cadence)) return undefined;
  const period = periodContaining(cadence, firstDayOf(cadence, key), calendar);
  if (!period || period.key !== key) return undefined;
  if (period.dueOn < chinaDateOf(task.createdAt) || period.startsOn > chinaDateOf(now)) return undefined;
  return period;
}

export interface ReportItem {
  taskId: number;
  code: string;
  title: string;
  period: { key: string; label: string; dueAt: Date };
  status: 'overdue' | 'due' | 'submitted';
}

/** /汇报: the owner's reports owed now (the current periods and any missed ones) and those still open to correction. */
export async function listMyReports({ ctx, openId }: { ctx: ServiceCtx; openId: string }): Promise<ReportItem[]> {
  const now = ctx.clock.now();
  const today = chinaDateOf(now);
  const tasks = await ctx.db
    .select({ task: ledgerTasks })
    .from(ledgerTasks)
    .innerJoin(ledgers, eq(ledgers.id, ledgerTasks.ledgerId))
    .where(and(eq(ledgers.status, 'active'), eq(ledgerTasks.ownerOpenId, openId), inArray(ledgerTasks.state, [...trackedStates])))
    .orderBy(asc(ledgerTasks.id));
  if (tasks.length === 0) return [];
  const reports = await ctx.db.select().from(progressReports).where(inArray(progressReports.taskId, tasks.map((t) => t.task.id)));
  const items: ReportItem[] = [];
  for (const { task } of tasks) {
    const from = chinaDateOf(task.createdAt);
    if (from > today) continue;
    for (const p of periodsForAll(task.cadences, from, today, chinaWorkCalendar)) {
      const report = reports.find((r) => r.taskId === task.id && r.periodKey === p.key);
      const open = isCorrectable(now, p.dueAt);
      if (report && !open) continue;
      const status = report ? 'submitted' : open ? 'due' : 'overdue';
      items.push({ taskId: task.id, code: task.code, title: task.title, period: { key: p.key, label: periodLabel(p), dueAt: p.dueAt }, status });
    }
  }
  return items.sort((a, b) => a.period.dueAt.getTime() - b.period.dueAt.getTime() || a.taskId - b.taskId);
}

export interface ReportCardView {
  task: { id: number; code: string; title: string };
  period: { key: string; label: string; dueAt: Date; dueText: string };
  milestones: { id: number; title: string; dueAt: Date; doneAt: Date | null }[];
  /** The stored report, if any. */
  report: (ReportContent & { version: number; late: boolean; submittedAt: Date }) | undefined;
  /** New, or still open to correction. */
  editable: boolean;
}

async function loadForOwner(ctx: ServiceCtx, openId: string, taskId: number, periodKey: string) {
  const [task] = await ctx.db.select().from(ledgerTasks).where(eq(ledgerTasks.id, taskId));
  if (!task) throw new DomainError('task.gone');
  if (task.ownerOpenId !== openId) throw new DomainError('report.notOwner');
  if (task.state === 'closed') throw new DomainError('report.taskClosed', { code: task.code });
  const now = ctx.clock.now();
  const period = periodOfTask(task, periodKey, now);
  if (!period) throw new DomainError('report.badPeriod', { period: periodKey });
  const ms = await ctx.db.select().from(milestones).where(eq(milestones.taskId, task.id)).orderBy(asc(milestones.dueAt), asc(milestones.id));
  return { task, period, milestones: ms, now };
}

function cardView(task: TaskRow, period: ReportPeriod, ms: (typeof milestones.$inferSelect)[], report: ReportRow | undefined, now: Date): ReportCardView {
  return {
    task: { id: task.id, code: task.code, title: task.title },
    period: { key: period.key, label: periodLabel(period), dueAt: period.dueAt, dueText: formatChinaDateTime(period.dueAt) },
    milestones: ms.map((m) => ({ id: m.id, title: m.title, dueAt: m.dueAt, doneAt: m.doneAt })),
    report: report && {
      progress: report.progress,
      problems: report.problems,
      suggestions: report.suggestions,
      percentComplete: report.percentComplete,
      milestoneStatus: report.milestoneStatus,
      version: report.version,
      late: report.late,
      submittedAt: report.submittedAt,
    },
    editable: !report || isCorrectable(now, period.dueAt),
  };
}

/** The report card of one task and period, for its owner. */
export async function openReport({ ctx, openId, input }: { ctx: ServiceCtx; openId: string; input: { taskId: number; periodKey: string } }): Promise<ReportCardView> {
  const { task, period, milestones: ms, now } = await loadForOwner(ctx, openId, input.taskId, input.periodKey);
  const [report] = await ctx.db.select().from(progressReports).where(and(eq(progressReports.taskId, task.id), eq(progressReports.periodKey, period.key)));
  return cardView(task, period, ms, report, now);
}

/** The form values a stored report fills in (for a correction). */
export function formValuesOf(report: NonNullable<ReportCardView['report']>): ReportFormValues {
  return {
    progress: report.progress,
    problems: report.problems,
    suggestions: report.suggestions,
    percent: String(report.percentComplete),
    milestones: Object.fromEntries(report.milestoneStatus.map((m) => [m.milestoneId, m.status])),
  };
}

export type SubmitOutcome =
  | { kind: 'invalid'; errors: ReportErrors; values: ReportFormValues; view: ReportCardView }
  | { kind: 'created' | 'corrected' | 'duplicate'; view: ReportCardView };

/**
 * Submits (version 0) or corrects (the version shown) a report. A second submit of a new form finds the row the first
 * made (the unique constraint decides races) and changes nothing; a correction after the due time, or of a version
 * that is no longer current, is refused.
 */
export async function submitReport({ ctx, openId, input }: { ctx: ServiceCtx; openId: string; input: { taskId: number; periodKey: string; version: number; form: Record<string, unknown> | undefined } }): Promise<SubmitOutcome> {
  const { task, period, milestones: ms, now } = await loadForOwner(ctx, openId, input.taskId, input.periodKey);
  const ids = ms.map((m) => m.id);
  const values = readReportForm(input.form, ids);
  const current = () => ctx.db.select().from(progressReports).where(and(eq(progressReports.taskId, task.id), eq(progressReports.periodKey, period.key))).for('update');
  let [existing] = await current();
  const checked = validateReport(values, ids);
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, values, view: cardView(task, period, ms, existing, now) };
  const content = checked.value;
  const label = periodLabel(period);

  if (!existing) {
    if (input.version !== 0) throw new DomainError('report.stale');
    const [row] = await ctx.db
      .insert(progressReports)
      .values({ taskId: task.id, cadence: period.cadence, periodKey: period.key, dueAt: period.dueAt, ...content, late: isLate(now, period.dueAt), submittedBy: openId, submittedAt: now })
      .onConflictDoNothing({ target: [progressReports.taskId, progressReports.periodKey] })
      .returning();
    if (row) {
      const doneIds = await markMilestones(ctx.db, ms, content, undefined, now);
      await recordAudit(ctx.db, { at: now, actorOpenId: openId, action: 'report.submit', entityType: 'progress_report', entityId: String(row.id), after: { ...row, milestonesDone: doneIds } });
      return { kind: 'created', view: cardView(task, period, await reload(ctx.db, task.id), row, now) };
    }
    [existing] = await current();
    if (!existing) throw new Error(`report ${task.id}/${period.key} conflicted but is not there`);
  }
  if (input.version === 0) return { kind: 'duplicate', view: cardView(task, period, ms, existing, now) };
  if (existing.version !== input.version) throw new DomainError('report.stale');
  if (!isCorrectable(now, existing.dueAt)) throw new DomainError('report.locked', { period: label, dueAt: formatChinaDateTime(existing.dueAt) });
  const [row] = await ctx.db
    .update(progressReports)
    .set({ ...content, version: existing.version + 1, submittedBy: openId, submittedAt: now })
    .where(eq(progressReports.id, existing.id))
    .returning();
  if (!row) throw new Error(`report ${existing.id} vanished under a row lock`);
  const doneIds = await markMilestones(ctx.db, ms, content, existing, now);
  await recordAudit(ctx.db, { at: now, actorOpenId: openId, action: 'report.correct', entityType: 'progress_report', entityId: String(row.id), before: existing, after: { ...row, milestonesDone: doneIds } });
  return { kind: 'corrected', view: cardView(task, period, await reload(ctx.db, task.id), row, now) };
}

const reload = (db: Db, taskId: number) => db.select().from(milestones).where(eq(milestones.taskId, taskId)).orderBy(asc(milestones.dueAt), asc(milestones.id));

/**
 * A milestone reported 已完成 is marked done at the report's time; one a correction takes back from 已完成 is reopened
 * when the report being corrected was what marked it. Returns the ids marked done now.
 */
async function markMilestones(db: Db, ms: (typeof milestones.$inferSelect)[], content: ReportContent, before: ReportRow | undefined, now: Date): Promise<number[]> {
  const doneNow = content.milestoneStatus.filter((s) => s.status === 'done').map((s) => s.milestoneId);
  const toMark = ms.filter((m) => doneNow.includes(m.id) && m.doneAt === null).map((m) => m.id);
  if (toMark.length) await db.update(milestones).set({ doneAt: now }).where(inArray(milestones.id, toMark));
  if (before) {
    const wasDone = new Set(before.milestoneStatus.filter((s) => s.status === 'done').map((s) => s.milestoneId));
    const reopen = ms.filter((m) => wasDone.has(m.id) && !doneNow.includes(m.id) && m.doneAt?.getTime() === before.submittedAt.getTime()).map((m) => m.id);
    if (reopen.length) await db.update(milestones).set({ doneAt: null }).where(inArray(milestones.id, reopen));
  }
  return toMark;
}

// What is still outstanding in a ledger: report periods without a report and milestones not done, for tasks still
// chased (registered, in progress). Shared by the escalation pass, the report reminders, the digests and the
// dashboard. Which periods a task has reported comes back from SQL as one bitmask row per task (see unreportedOf),
// so a ledger of thousands of tasks and a hundred thousand reports costs a few thousand small rows per pass.
import { and, eq, inArray, isNull, like, lte, notExists, sql, type SQL } from 'drizzle-orm';
import { ledgers, ledgerTasks, letters, milestones, progressReports } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { addDays, chinaDateOf, chinaInstantOn, type WorkCalendar } from '../domain/ledger/calendar.js';
import { milestoneTriggerKey } from '../domain/ledger/escalation.js';
import { cadences, periodLabel, periodsFor, type Cadence, type ReportPeriod } from '../domain/ledger/periods.js';

export type LedgerRow = typeof ledgers.$inferSelect;

/** Task states whose reports and milestones are chased (see isTracked in the task state machine). */
export const TRACKED_STATES = ['registered', 'in_progress'] as const;
export type TrackedState = (typeof TRACKED_STATES)[number];

export async function activeLedgers(db: Db, ids?: readonly number[]): Promise<LedgerRow[]> {
  const where = ids ? and(eq(ledgers.status, 'active'), inArray(ledgers.id, [...ids])) : eq(ledgers.status, 'active');
  if (ids && ids.length === 0) return [];
  return db.select().from(ledgers).where(where).orderBy(ledgers.id);
}

/** Every report period due within the ledger's year (any cadence) by `until`, and after `after` when given. */
export function ledgerPeriods(year: number, until: Date, calendar: WorkCalendar, after?: Date): ReportPeriod[] {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const untilDay = chinaDateOf(until);
  if (untilDay < first) return [];
  const to = untilDay < last ? untilDay : last;
  return cadences
    .flatMap((c) => periodsFor(c, first, to, calendar))
    .filter((p) => p.dueOn <= last && p.dueAt.getTime() <= until.getTime() && (!after || p.dueAt.getTime() > after.getTime()));
}

export interface UnreportedPeriod {
  taskId: number;
  taskState: TrackedState;
  period: ReportPeriod;
  label: string;
}

export interface OutstandingOptions {
  /** Only periods / milestones due at or before this instant. */
  until: Date;
  /** …and after this one. */
  after?: Date;
  calendar: WorkCalendar;
  /** Leave out items that already have a supervision letter (nothing more can happen to them). */
  excludeSupervised?: boolean;
  /** Only these tasks. */
  taskIds?: readonly number[];
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (result && typeof result === 'object' && 'rows' in result && Array.isArray(result.rows)) return result.rows as Record<string, unknown>[];
  return [];
}

/**
 * The (task, period) pairs of tracked tasks that owe a report: the task has the period's cadence, existed by the
 * period's due date (its Beijing creation date is on or before it) and has no report for the period.
 */
export async function unreportedPeriods(db: Db, ledger: Pick<LedgerRow, 'id' | 'year'>, o: OutstandingOptions): Promise<UnreportedPeriod[]> {
  return unreportedOf(db, ledger.id, ledgerPeriods(ledger.year, o.until, o.calendar, o.after), o);
}

/** Bits per mask column: ints stay positive, so JavaScript's 32-bit operators read them as they are. */
const MASK_BITS = 30;

/**
 * The same for an explicit list of periods (e.g. only the period a reminder is about). The database returns, per
 * task, which of the listed periods it has reported, as bitmasks (a hash join of the reports with the period list,
 * aggregated per task: a few thousand small rows however many reports there are); the expected pairs are walked
 * here. Set operations over every (task, period) pair cost several times more on a ledger of 2,000 tasks.
 */
export async function unreportedOf(db: Db, ledgerId: number, periods: readonly ReportPeriod[], o: Pick<OutstandingOptions, 'excludeSupervised' | 'taskIds'> = {}): Promise<UnreportedPeriod[]> {
  if (periods.length === 0 || (o.taskIds && o.taskIds.length === 0)) return [];
  const words = Math.ceil(periods.length / MASK_BITS);
  const values = sql.join(
    periods.map((p, i) => sql`(${p.key}::text, ${i}::int)`),
    sql`, `,
  );
  const masks = sql.join(
    Array.from({ length: words }, (_, w) => sql`bit_or(case when p.idx / ${MASK_BITS} = ${w} then 1 << (p.idx % ${MASK_BITS}) else 0 end) as ${sql.raw(`m${w}`)}`),
    sql`, `,
  );
  const only = o.taskIds ? sql`and t.id in (${sql.join(o.taskIds.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const tracked = and(eq(ledgerTasks.ledgerId, ledgerId), inArray(ledgerTasks.state, [...TRACKED_STATES]), o.taskIds ? inArray(ledgerTasks.id, [...o.taskIds]) : undefined);
  const [tasks, reported, supervised] = await Promise.all([
    db.select({ id: ledgerTasks.id, state: ledgerTasks.state, cadences: ledgerTasks.cadences, createdAt: ledgerTasks.createdAt }).from(ledgerTasks).where(tracked),
    db.execute(sql`
      with p(key, idx) as (values ${values})
      select r.task_id, ${masks}
      from ${progressReports} r join p on p.key = r.period_key
      where r.task_id in (select t.id from ${ledgerTasks} t where t.ledger_id = ${ledgerId} and t.state in ('registered', 'in_progress') ${only})
      group by r.task_id`),
    o.excludeSupervised
      ? db
          .select({ taskId: letters.taskId, triggerKey: letters.triggerKey })
          .from(letters)
          .where(and(eq(letters.ledgerId, ledgerId), eq(letters.kind, 'supervision'), like(letters.triggerKey, 'report:%')))
      : Promise.resolve([]),
  ]);
  const maskOf = new Map<number, number[]>();
  for (const row of rowsOf(reported)) maskOf.set(Number(row.task_id), Array.from({ length: words }, (_, w) => Number(row[`m${w}`] ?? 0)));
  const done = new Set(supervised.map((l) => `${l.taskId}|${l.triggerKey.slice('report:'.length)}`));
  // A task created on its period's due date (Beijing) still owes it: created before the next day starts.
  const owedFrom = periods.map((p) => chinaInstantOn(addDays(p.dueOn, 1), 0).getTime());
  const labels = periods.map((p) => `${periodLabel(p)}进展汇报`);
  const none = new Array<number>(words).fill(0);
  const byCadence = new Map<Cadence, number[]>();
  periods.forEach((p, i) => byCadence.set(p.cadence, [...(byCadence.get(p.cadence) ?? []), i]));
  const out: UnreportedPeriod[] = [];
  for (const t of tasks) {
    const mask = maskOf.get(t.id) ?? none;
    const created = t.createdAt.getTime();
    const taskState = t.state === 'registered' ? 'registered' : 'in_progress';
    for (const cadence of t.cadences) {
      for (const i of byCadence.get(cadence) ?? []) {
        if (created >= (owedFrom[i] ?? 0) || ((mask[Math.floor(i / MASK_BITS)] ?? 0) >>> i % MASK_BITS) & 1) continue;
        const period = periods[i] as ReportPeriod;
        if (done.size && done.has(`${t.id}|${period.key}`)) continue;
        out.push({ taskId: t.id, taskState, period, label: labels[i] ?? '' });
      }
    }
  }
  return out.sort((a, b) => a.period.dueAt.getTime() - b.period.dueAt.getTime() || a.taskId - b.taskId);
}

export interface OpenMilestone {
  id: number;
  taskId: number;
  taskState: TrackedState;
  title: string;
  dueAt: Date;
  source: 'plan' | 'rectification';
  label: string;
  triggerKey: string;
}

/** Milestones not done of tracked tasks, due by `until` (and after `after`). */
export async function openMilestones(db: Db, ledgerId: number, o: Omit<OutstandingOptions, 'calendar'>): Promise<OpenMilestone[]> {
  if (o.taskIds && o.taskIds.length === 0) return [];
  const conditions: SQL[] = [
    eq(ledgerTasks.ledgerId, ledgerId),
    inArray(ledgerTasks.state, [...TRACKED_STATES]),
    isNull(milestones.doneAt),
    lte(milestones.dueAt, o.until),
  ];
  if (o.after) conditions.push(sql`${milestones.dueAt} > ${o.after.toISOString()}::timestamptz`);
  if (o.taskIds) conditions.push(inArray(milestones.taskId, [...o.taskIds]));
  if (o.excludeSupervised) {
    conditions.push(
      notExists(
        db
          .select({ one: sql`1` })
          .from(letters)
          .where(and(eq(letters.taskId, milestones.taskId), eq(letters.kind, 'supervision'), eq(letters.triggerKey, sql`'milestone:' || ${milestones.id}`))),
      ),
    );
  }
  const rows = await db
    .select({ id: milestones.id, taskId: milestones.taskId, taskState: ledgerTasks.state, title: milestones.title, dueAt: milestones.dueAt, source: milestones.source })
    .from(milestones)
    .innerJoin(ledgerTasks, eq(ledgerTasks.id, milestones.taskId))
    .where(and(...conditions))
    .orderBy(milestones.dueAt, milestones.id);
  return rows.map((m) => ({ ...m, taskState: m.taskState === 'registered' ? 'registered' : 'in_progress', label: `里程碑：${m.title}`, triggerKey: milestoneTriggerKey(m.id) }));
}

export type { Cadence };

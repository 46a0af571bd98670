// /台账 总览: the ledger at a glance, per lead unit: tasks by state, and deadlines so far (reports and milestones)
// met on time or late. The office and the ledger's main leader see every task; a leader the tasks they answer
// for; a unit's people the tasks their unit leads or cooperates on; an owner their own.
import { and, count, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { ledgerTasks, letters, milestones, progressReports, taskUnits, units } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { chinaWorkCalendar, type WorkCalendar } from '../domain/ledger/calendar.js';
import { NO_LEAD_UNIT } from '../domain/ledger/digest.js';
import { isTracked, taskStates, type TaskState } from '../domain/ledger/task-state.js';
import type { Actor } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import type { ServiceCtx } from './context.js';
import { unreportedPeriods, type LedgerRow } from './ledger-outstanding.js';

export type StateCounts = Record<TaskState, number>;

export interface DashboardUnit {
  unitId: number | null;
  unitName: string;
  tasks: number;
  byState: StateCounts;
  /** Deadlines due so far that were met in time. */
  onTime: number;
  /** Deadlines met late, or passed and still open (tasks still chased). */
  late: number;
}

export interface DashboardView {
  ledgerId: number;
  ledgerTitle: string;
  scope: 'all' | 'mine';
  asOf: Date;
  units: DashboardUnit[];
  totals: Omit<DashboardUnit, 'unitId' | 'unitName'> & { overdueNow: number };
  letters: { reminder: number; supervision: number; unacknowledged: number };
}

const zero = (): StateCounts => Object.fromEntries(taskStates.map((s) => [s, 0])) as StateCounts;

/** Whether the actor sees the whole ledger; otherwise the SQL condition for the tasks they may see. */
export function dashboardScope(actor: Pick<Actor, 'openId' | 'roles' | 'units'>, ledger: Pick<LedgerRow, 'mainLeaderOpenId'>): SQL | undefined {
  if (actor.roles.includes('admin') || ledger.mainLeaderOpenId === actor.openId) return undefined;
  const mine: SQL[] = [eq(ledgerTasks.ownerOpenId, actor.openId), eq(ledgerTasks.responsibleLeaderOpenId, actor.openId)];
  const unitIds = actor.units.map((u) => u.unitId);
  if (unitIds.length) mine.push(sql`exists (select 1 from ${taskUnits} tu where tu.task_id = ${ledgerTasks.id} and ${inArray(sql`tu.unit_id`, unitIds)})`);
  return or(...mine);
}

interface TaskLine {
  id: number;
  state: TaskState;
  unitId: number | null;
  unitName: string | null;
}

async function tasksIn(db: Db, ledgerId: number, scope: SQL | undefined): Promise<TaskLine[]> {
  return db
    .select({ id: ledgerTasks.id, state: ledgerTasks.state, unitId: units.id, unitName: units.name })
    .from(ledgerTasks)
    .leftJoin(taskUnits, and(eq(taskUnits.taskId, ledgerTasks.id), eq(taskUnits.role, 'lead')))
    .leftJoin(units, eq(units.id, taskUnits.unitId))
    .where(and(eq(ledgerTasks.ledgerId, ledgerId), scope));
}

export async function ledgerDashboard({
  ctx,
  ledger,
  actor,
  calendar = chinaWorkCalendar,
}: {
  ctx: ServiceCtx;
  ledger: LedgerRow;
  actor: Pick<Actor, 'openId' | 'roles' | 'units'>;
  calendar?: WorkCalendar;
}): Promise<DashboardView> {
  const { db } = ctx;
  const now = ctx.clock.now();
  const scope = dashboardScope(actor, ledger);
  const tasks = await tasksIn(db, ledger.id, scope);
  if (scope && tasks.length === 0) throw new DomainError('dashboard.noScope');
  const ids = tasks.map((t) => t.id);
  const only = scope ? ids : undefined;
  const inLedger = (column: typeof progressReports.taskId | typeof milestones.taskId) =>
    only ? inArray(column, only.length ? only : [-1]) : sql`${column} in (select id from ${ledgerTasks} where ledger_id = ${ledger.id})`;

  const [reports, ms, unreported, letterRows] = await Promise.all([
    db
      .select({
        taskId: progressReports.taskId,
        onTime: sql<number>`count(*) filter (where not ${progressReports.late})`.mapWith(Number),
        late: sql<number>`count(*) filter (where ${progressReports.late})`.mapWith(Number),
      })
      .from(progressReports)
      .where(inLedger(progressReports.taskId))
      .groupBy(progressReports.taskId),
    db
      .select({
        taskId: milestones.taskId,
        onTime: sql<number>`count(*) filter (where ${milestones.doneAt} <= ${milestones.dueAt})`.mapWith(Number),
        lateDone: sql<number>`count(*) filter (where ${milestones.doneAt} > ${milestones.dueAt})`.mapWith(Number),
        overdue: sql<number>`count(*) filter (where ${milestones.doneAt} is null and ${milestones.dueAt} < ${now.toISOString()}::timestamptz)`.mapWith(Number),
      })
      .from(milestones)
      .where(inLedger(milestones.taskId))
      .groupBy(milestones.taskId),
    unreportedPeriods(db, ledger, { until: now, calendar, ...(only ? { taskIds: only } : {}) }),
    db
      .select({ kind: letters.kind, n: count(), open: sql<number>`count(*) filter (where ${letters.acknowledgedAt} is null)`.mapWith(Number) })
      .from(letters)
      .where(and(eq(letters.ledgerId, ledger.id), only ? inArray(letters.taskId, only.length ? only : [-1]) : undefined))
      .groupBy(letters.kind),
  ]);

  const perTask = new Map<number, { onTime: number; late: number }>();
  const add = (taskId: number, onTime: number, late: number) => {
    const t = perTask.get(taskId) ?? { onTime: 0, late: 0 };
    t.onTime += onTime;
    t.late += late;
    perTask.set(taskId, t);
  };
  const stateOf = new Map(tasks.map((t) => [t.id, t.state]));
  for (const r of reports) add(r.taskId, r.onTime, r.late);
  let overdueNow = unreported.length;
  for (const m of ms) {
    const chased = isTracked(stateOf.get(m.taskId) ?? 'closed');
    add(m.taskId, m.onTime, m.lateDone + (chased ? m.overdue : 0));
    if (chased) overdueNow += m.overdue;
  }
  for (const u of unreported) add(u.taskId, 0, 1);

  const byUnit = new Map<string, DashboardUnit>();
  for (const t of tasks) {
    const key = String(t.unitId);
    let u = byUnit.get(key);
    if (!u) {
      u = { unitId: t.unitId, unitName: t.unitName ?? NO_LEAD_UNIT, tasks: 0, byState: zero(), onTime: 0, late: 0 };
      byUnit.set(key, u);
    }
    u.tasks += 1;
    u.byState[t.state] += 1;
    const d = perTask.get(t.id);
    if (d) {
      u.onTime += d.onTime;
      u.late += d.late;
    }
  }
  const list = [...byUnit.values()].sort((a, b) => b.tasks - a.tasks || a.unitName.localeCompare(b.unitName, 'zh-CN'));
  const totals = { tasks: tasks.length, byState: zero(), onTime: 0, late: 0, overdueNow };
  for (const u of list) {
    for (const s of taskStates) totals.byState[s] += u.byState[s];
    totals.onTime += u.onTime;
    totals.late += u.late;
  }
  const letterCount = (kind: 'reminder' | 'supervision') => letterRows.find((r) => r.kind === kind)?.n ?? 0;
  return {
    ledgerId: ledger.id,
    ledgerTitle: ledger.title,
    scope: scope ? 'mine' : 'all',
    asOf: now,
    units: list,
    totals,
    letters: { reminder: letterCount('reminder'), supervision: letterCount('supervision'), unacknowledged: letterRows.reduce((n, r) => n + r.open, 0) },
  };
}

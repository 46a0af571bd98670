// Dispatch digests (seed 001: 主要领导月调度、分管领导周调度、重点工作群内日调度) as plain view models: the
// service loads plain arrays, these functions count and sort, cards draw. Pure: `now` is passed in.
//
// Rules:
// - A deadline (report or milestone) is overdue when it is not done and its due instant has passed; on time when
//   done by its due instant; late when done after it. Only tasks still chased (registered, in progress) have
//   overdue or upcoming deadlines; a kept (留号) or closing task is not chased, a closed one is finished.
// - Daily (work group): changes since the previous working day (on Monday: Friday to Sunday), everything overdue,
//   everything due from now to the end of this ISO week (Sunday), and kept tasks whose review date has come.
// - Weekly (each responsible leader): their tasks only: counts by state, overdue, due in the next 7 days, changes
//   and letters of the last 7 days.
// - Monthly (main leader): per lead unit, tasks closed (销号) of all tasks, and the deadlines that fell due in the
//   month on time / late / still pending; the late tasks with their late items; the letters issued in the month.
import { addDays, chinaDateOf, isoWeekday, lastDayOfMonth, previousWorkday, type WorkCalendar } from './calendar.js';
import { isTracked, type TaskState } from './task-state.js';
import {
  byId,
  changeLines,
  countStates,
  dueLines,
  letterLines,
  NO_LEAD_UNIT,
  overdueLines,
  push,
  taskRef,
  type DailyDigest,
  type DigestDeadline,
  type DigestInput,
  type DigestTask,
  type LeaderDigest,
  type MonthlyDigest,
  type UnitCompletion,
} from './digest-model.js';

export type * from './digest-model.js';
export { NO_LEAD_UNIT } from './digest-model.js';

/** The daily digest for a ledger's work group (群内日调度). */
export function buildDailyDigest(input: DigestInput, now: Date, calendar: WorkCalendar): DailyDigest {
  const today = chinaDateOf(now);
  const since = previousWorkday(today, calendar);
  const tasks = byId(input.tasks);
  const changed = changeLines(tasks, input.changes, since, today);
  const overdue = overdueLines(tasks, input.deadlines, now, calendar);
  const dueThisWeek = dueLines(tasks, input.deadlines, now, addDays(today, 7 - isoWeekday(today)));
  const reviewsDue = input.tasks
    .filter((t) => t.state === 'kept' && t.nextReviewOn !== null && t.nextReviewOn <= today)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map(taskRef);
  return {
    date: today,
    since,
    counts: { tasks: input.tasks.length, byState: countStates(input.tasks), changed: changed.length, overdue: overdue.length, dueThisWeek: dueThisWeek.length },
    changed,
    overdue,
    dueThisWeek,
    reviewsDue,
  };
}

/** One weekly digest per responsible leader (分管领导周调度), in leader order; tasks without a leader are left out. */
export function buildWeeklyLeaderDigests(input: DigestInput, now: Date, calendar: WorkCalendar): LeaderDigest[] {
  const today = chinaDateOf(now);
  const weekAgo = addDays(today, -7);
  const leaders = new Map<string, DigestTask[]>();
  const leaderOf = new Map<number, string>();
  for (const t of input.tasks) {
    if (t.responsibleLeaderOpenId === null) continue;
    push(leaders, t.responsibleLeaderOpenId, t);
    leaderOf.set(t.id, t.responsibleLeaderOpenId);
  }
  const split = <T extends { taskId: number }>(rows: readonly T[]): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const r of rows) {
      const leader = leaderOf.get(r.taskId);
      if (leader !== undefined) push(out, leader, r);
    }
    return out;
  };
  const deadlinesOf = split(input.deadlines);
  const changesOf = split(input.changes);
  const lettersOf = split(input.letters);
  return [...leaders.entries()]
    .map(([leaderOpenId, own]) => {
      const tasks = byId(own);
      const deadlines = deadlinesOf.get(leaderOpenId) ?? [];
      const overdue = overdueLines(tasks, deadlines, now, calendar);
      const dueNextWeek = dueLines(tasks, deadlines, now, addDays(today, 6));
      return {
        leaderOpenId,
        leaderName: own.find((t) => t.responsibleLeaderName !== null)?.responsibleLeaderName ?? null,
        counts: { tasks: own.length, byState: countStates(own), overdue: overdue.length, dueNextWeek: dueNextWeek.length },
        overdue,
        dueNextWeek,
        changed: changeLines(tasks, changesOf.get(leaderOpenId) ?? [], weekAgo, today),
        letters: letterLines(tasks, lettersOf.get(leaderOpenId) ?? [], weekAgo, today),
      };
    })
    .sort((a, b) => (a.leaderName ?? a.leaderOpenId).localeCompare(b.leaderName ?? b.leaderOpenId, 'zh-CN') || a.leaderOpenId.localeCompare(b.leaderOpenId));
}

export type DeadlineVerdict = 'on_time' | 'late' | 'pending' | 'excused';

/** A deadline's standing at `now`: an undone deadline of a task no longer chased is excused (not counted). */
export function deadlineVerdict(d: Pick<DigestDeadline, 'dueAt' | 'doneAt'>, taskState: TaskState, now: Date): DeadlineVerdict {
  if (d.doneAt) return d.doneAt.getTime() <= d.dueAt.getTime() ? 'on_time' : 'late';
  if (!isTracked(taskState)) return 'excused';
  return d.dueAt.getTime() < now.getTime() ? 'late' : 'pending';
}

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The monthly digest for the main leader (主要领导月调度) for `month` (yyyy-mm), as it stands at `now`. */
export function buildMonthlyDigest(input: DigestInput, month: string, now: Date): MonthlyDigest {
  const m = monthPattern.exec(month);
  if (!m) throw new RangeError(`month must be yyyy-mm: ${month}`);
  const startsOn = `${month}-01`;
  const endsOn = lastDayOfMonth(Number(m[1]), Number(m[2]));
  const tasks = byId(input.tasks);
  const units = new Map<string, UnitCompletion>();
  const unitOf = (t: DigestTask): UnitCompletion => {
    const key = String(t.leadUnitId);
    let u = units.get(key);
    if (!u) {
      u = { unitId: t.leadUnitId, unitName: t.leadUnitId === null ? NO_LEAD_UNIT : (t.leadUnitName ?? String(t.leadUnitId)), tasks: 0, closed: 0, completionRate: 0, onTime: 0, late: 0, pending: 0 };
      units.set(key, u);
    }
    return u;
  };
  for (const t of input.tasks) {
    const u = unitOf(t);
    u.tasks += 1;
    if (t.state === 'closed') u.closed += 1;
  }
  const late = new Map<number, { label: string; dueAt: Date; doneAt: Date | null }[]>();
  for (const d of input.deadlines) {
    const task = tasks.get(d.taskId);
    const day = chinaDateOf(d.dueAt);
    if (!task || day < startsOn || day > endsOn) continue;
    const verdict = deadlineVerdict(d, task.state, now);
    if (verdict === 'excused') continue;
    const u = unitOf(task);
    if (verdict === 'on_time') u.onTime += 1;
    else if (verdict === 'pending') u.pending += 1;
    else {
      u.late += 1;
      push(late, task.id, { label: d.label, dueAt: d.dueAt, doneAt: d.doneAt });
    }
  }
  const list = [...units.values()].map((u) => ({ ...u, completionRate: u.tasks === 0 ? 0 : u.closed / u.tasks }));
  list.sort((a, b) => b.completionRate - a.completionRate || a.late - b.late || a.unitName.localeCompare(b.unitName, 'zh-CN'));
  const sum = (f: (u: UnitCompletion) => number): number => list.reduce((n, u) => n + f(u), 0);
  const totalTasks = sum((u) => u.tasks);
  const totalClosed = sum((u) => u.closed);
  return {
    month,
    startsOn,
    endsOn,
    units: list,
    totals: { tasks: totalTasks, closed: totalClosed, completionRate: totalTasks === 0 ? 0 : totalClosed / totalTasks, onTime: sum((u) => u.onTime), late: sum((u) => u.late), pending: sum((u) => u.pending) },
    lateTasks: [...late.entries()]
      .map(([id, items]) => ({ task: taskRef(tasks.get(id) as DigestTask), items: items.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime()) }))
      .sort((a, b) => a.task.code.localeCompare(b.task.code)),
    letters: letterLines(tasks, input.letters, startsOn, addDays(endsOn, 1)),
  };
}

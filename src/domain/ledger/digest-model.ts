// The digest view models and the line builders they share (see digest.ts for the rules).
import { chinaDateOf, workdaysBetween, type WorkCalendar } from './calendar.js';
import { isTracked, taskStates, type TaskState } from './task-state.js';
import type { LetterKind } from './letter-number.js';

export interface DigestTask {
  id: number;
  code: string;
  title: string;
  state: TaskState;
  leadUnitId: number | null;
  leadUnitName: string | null;
  ownerOpenId: string;
  ownerName: string | null;
  responsibleLeaderOpenId: string | null;
  responsibleLeaderName: string | null;
  /** 留号: when the kept task is to be looked at again. */
  nextReviewOn: string | null;
}

export interface DigestDeadline {
  taskId: number;
  kind: 'report' | 'milestone';
  /** 2026年第7周进展汇报 / 里程碑：完成方案起草. */
  label: string;
  dueAt: Date;
  doneAt: Date | null;
}

export interface DigestChange {
  taskId: number;
  at: Date;
  /** One line, Chinese: “提交了2026年第7周进展汇报”. */
  summary: string;
}

export interface DigestLetter {
  taskId: number;
  kind: LetterKind;
  number: string;
  issuedAt: Date;
  acknowledgedAt: Date | null;
}

export interface DigestInput {
  tasks: readonly DigestTask[];
  deadlines: readonly DigestDeadline[];
  changes: readonly DigestChange[];
  letters: readonly DigestLetter[];
}

export type TaskRef = Pick<DigestTask, 'id' | 'code' | 'title' | 'leadUnitName' | 'ownerName'>;
export interface OverdueLine {
  task: TaskRef;
  label: string;
  dueAt: Date;
  overdueWorkdays: number;
}
export interface DueLine {
  task: TaskRef;
  label: string;
  dueAt: Date;
}
export interface ChangeLine {
  task: TaskRef;
  changes: string[];
}
export interface LetterLine {
  task: TaskRef;
  kind: LetterKind;
  number: string;
  issuedAt: Date;
  acknowledged: boolean;
}
export type StateCounts = Record<TaskState, number>;

export interface DailyDigest {
  date: string;
  /** Changes dated from this day up to yesterday are listed. */
  since: string;
  counts: { tasks: number; byState: StateCounts; changed: number; overdue: number; dueThisWeek: number };
  changed: ChangeLine[];
  overdue: OverdueLine[];
  dueThisWeek: DueLine[];
  reviewsDue: TaskRef[];
}

export interface LeaderDigest {
  leaderOpenId: string;
  leaderName: string | null;
  counts: { tasks: number; byState: StateCounts; overdue: number; dueNextWeek: number };
  overdue: OverdueLine[];
  dueNextWeek: DueLine[];
  changed: ChangeLine[];
  letters: LetterLine[];
}

export interface UnitCompletion {
  unitId: number | null;
  unitName: string;
  tasks: number;
  closed: number;
  /** closed / tasks, 0 when the unit has no task. */
  completionRate: number;
  onTime: number;
  late: number;
  pending: number;
}

export interface MonthlyDigest {
  month: string;
  startsOn: string;
  endsOn: string;
  units: UnitCompletion[];
  totals: Omit<UnitCompletion, 'unitId' | 'unitName'>;
  lateTasks: { task: TaskRef; items: { label: string; dueAt: Date; doneAt: Date | null }[] }[];
  letters: LetterLine[];
}

export const NO_LEAD_UNIT = '未指定牵头单位';

export const taskRef = (t: DigestTask): TaskRef => ({ id: t.id, code: t.code, title: t.title, leadUnitName: t.leadUnitName, ownerName: t.ownerName });

export function countStates(tasks: readonly DigestTask[]): StateCounts {
  const counts = Object.fromEntries(taskStates.map((s) => [s, 0])) as StateCounts;
  for (const t of tasks) counts[t.state] += 1;
  return counts;
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function byId(tasks: readonly DigestTask[]): Map<number, DigestTask> {
  return new Map(tasks.map((t) => [t.id, t]));
}

export function overdueLines(tasks: Map<number, DigestTask>, deadlines: readonly DigestDeadline[], now: Date, calendar: WorkCalendar): OverdueLine[] {
  const today = chinaDateOf(now);
  const out: OverdueLine[] = [];
  const counted = new Map<number, number>();
  for (const d of deadlines) {
    const task = tasks.get(d.taskId);
    if (!task || !isTracked(task.state) || d.doneAt || d.dueAt.getTime() >= now.getTime()) continue;
    let overdue = counted.get(d.dueAt.getTime());
    if (overdue === undefined) {
      overdue = workdaysBetween(chinaDateOf(d.dueAt), today, calendar);
      counted.set(d.dueAt.getTime(), overdue);
    }
    out.push({ task: taskRef(task), label: d.label, dueAt: d.dueAt, overdueWorkdays: overdue });
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.task.code.localeCompare(b.task.code));
}

/** Outstanding deadlines of chased tasks due from `now` up to the end of Beijing date `lastDay`. */
export function dueLines(tasks: Map<number, DigestTask>, deadlines: readonly DigestDeadline[], now: Date, lastDay: string): DueLine[] {
  const out: DueLine[] = [];
  for (const d of deadlines) {
    const task = tasks.get(d.taskId);
    if (!task || !isTracked(task.state) || d.doneAt || d.dueAt.getTime() < now.getTime() || chinaDateOf(d.dueAt) > lastDay) continue;
    out.push({ task: taskRef(task), label: d.label, dueAt: d.dueAt });
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.task.code.localeCompare(b.task.code));
}

/** Changes with a Beijing date in [from, until), grouped per task in task-code order, each task's lines in time order. */
export function changeLines(tasks: Map<number, DigestTask>, changes: readonly DigestChange[], from: string, until: string): ChangeLine[] {
  const grouped = new Map<number, DigestChange[]>();
  for (const c of changes) {
    const day = chinaDateOf(c.at);
    if (day < from || day >= until || !tasks.has(c.taskId)) continue;
    push(grouped, c.taskId, c);
  }
  return [...grouped.entries()]
    .map(([id, list]) => ({
      task: taskRef(tasks.get(id) as DigestTask),
      changes: [...list].sort((a, b) => a.at.getTime() - b.at.getTime()).map((c) => c.summary),
    }))
    .sort((a, b) => a.task.code.localeCompare(b.task.code));
}

export function letterLines(tasks: Map<number, DigestTask>, letters: readonly DigestLetter[], from: string, until: string): LetterLine[] {
  return letters
    .filter((l) => tasks.has(l.taskId) && chinaDateOf(l.issuedAt) >= from && chinaDateOf(l.issuedAt) < until)
    .sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime() || a.number.localeCompare(b.number))
    .map((l) => ({ task: taskRef(tasks.get(l.taskId) as DigestTask), kind: l.kind, number: l.number, issuedAt: l.issuedAt, acknowledged: l.acknowledgedAt !== null }));
}

// The escalation policy (seed 002 measure 9: 《提醒函》《督办函》, 限期整改). Pure: the caller passes the overdue
// things, the letters already issued for them, `now` and the working-day calendar; it gets the letters to issue.
//
// Rules (all counts are working days of the official calendar, Beijing dates):
// - "Overdue by N working days" on a day D: the thing was not done by its due instant and D is the N-th working day
//   after its due date (D itself counts, the due date does not). A weekly report due Friday 6 March 2026 18:00 is
//   overdue by 1 on Monday 9 March and by 3 on Wednesday 11 March.
// - 提醒函 (reminder): on the day the item is overdue by `reminderAfterWorkdays` (default 3) or later, to the owner
//   and the lead unit's liaison. It asks to put things right by 18:00 on the working day before a supervision
//   letter would be due (the (S-1)-th working day after the reminder, S = supervisionAfterWorkdays; the reminder day
//   itself when S = 1).
// - 督办函 (supervision): on the `supervisionAfterWorkdays`-th (default 5) working day after the reminder was issued
//   or later, if still not done, addressed to the lead unit (its liaison, and the owner) and copied to the
//   responsible leader, with a rectification deadline at 18:00 `rectifyWithinWorkdays` (default 5) working days
//   after the day it is issued.
// - Letters are dated and issued on working days only: on a day off nothing is issued (it waits for the next
//   working day). Only tasks still chased (registered, in progress) escalate: not kept (留号), closing or closed.
// - Each item gets at most one letter of each kind, ever: an item that already has one is skipped, and an item
//   listed twice in the input is decided once. A supervision letter needs a reminder first, and once an item has
//   a supervision letter (however it came) it gets no reminder any more.
import { fail, ok, type Result } from '../campaign/result.js';
import { formatChinaDateTime } from '../campaign/china-time.js';
import { addWorkdays, chinaDateOf, chinaInstantOn, workdaysBetween, type WorkCalendar } from './calendar.js';
import { letterKindLabels, type LetterKind } from './letter-number.js';
import { isTracked, type TaskState } from './task-state.js';

/** Thresholds per ledger (ledgers.policy), in working days. */
export interface EscalationPolicy {
  reminderAfterWorkdays: number;
  supervisionAfterWorkdays: number;
  rectifyWithinWorkdays: number;
}

export const defaultEscalationPolicy: EscalationPolicy = { reminderAfterWorkdays: 3, supervisionAfterWorkdays: 5, rectifyWithinWorkdays: 5 };

export const POLICY_MAX_WORKDAYS = 30;

const policyLabels: Record<keyof EscalationPolicy, string> = {
  reminderAfterWorkdays: '逾期多少个工作日发提醒函',
  supervisionAfterWorkdays: '提醒函发出后多少个工作日仍未整改发督办函',
  rectifyWithinWorkdays: '督办函整改期限（工作日）',
};

/** Validates thresholds typed by the office; missing fields take the defaults. */
export function parseEscalationPolicy(input: Partial<Record<keyof EscalationPolicy, unknown>>): Result<EscalationPolicy, 'invalid_policy'> {
  const out = { ...defaultEscalationPolicy };
  for (const field of Object.keys(policyLabels) as (keyof EscalationPolicy)[]) {
    const raw = input[field];
    if (raw === undefined || raw === null || raw === '') continue;
    const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > POLICY_MAX_WORKDAYS) {
      return fail('invalid_policy', `“${policyLabels[field]}”应为 1 到 ${POLICY_MAX_WORKDAYS} 之间的整数，当前为“${String(raw)}”。`);
    }
    out[field] = value;
  }
  return ok(out);
}

export type OverdueKind = 'report' | 'milestone';

/** The trigger key that makes a letter unique per task and kind (letters.trigger_key). */
export function reportTriggerKey(periodKey: string): string {
  return `report:${periodKey}`;
}
export function milestoneTriggerKey(milestoneId: number): string {
  return `milestone:${milestoneId}`;
}
export function isMilestoneTrigger(triggerKey: string): boolean {
  return triggerKey.startsWith('milestone:');
}

export interface IssuedLetter {
  kind: LetterKind;
  issuedAt: Date;
  /** 提醒〔2026〕第7号, quoted by the supervision letter when known. */
  number?: string;
}

/** A report or milestone with its due instant and the letters already issued for it. */
export interface EscalationItem {
  taskId: number;
  taskState: TaskState;
  kind: OverdueKind;
  triggerKey: string;
  /** What is late, in Chinese: “2026年第7周进展汇报”, “里程碑：完成方案起草”. */
  label: string;
  dueAt: Date;
  /** When the report came in or the milestone was done; unset while still outstanding. */
  doneAt?: Date | null;
  letters: readonly IssuedLetter[];
}

/** Who a letter goes to; the service resolves these to people. */
export type LetterParty = 'owner' | 'lead_liaison' | 'responsible_leader';

export interface LetterToIssue {
  kind: LetterKind;
  taskId: number;
  triggerKey: string;
  /** The numbering year: the year of the issue date. */
  year: number;
  issuedOn: string;
  overdueWorkdays: number;
  /** 18:00 Beijing time on rectifyByOn. */
  rectifyBy: Date;
  rectifyByOn: string;
  to: readonly LetterParty[];
  cc: readonly LetterParty[];
  /** The letter's reason line, Chinese (letters.reason). */
  reason: string;
}

/** How many working days an item due at `dueAt` is overdue on `today` (0 when not yet overdue). */
export function overdueWorkdays(dueAt: Date, today: string, calendar: WorkCalendar): number {
  return workdaysBetween(chinaDateOf(dueAt), today, calendar);
}

function reminderDeadline(issuedOn: string, policy: EscalationPolicy, calendar: WorkCalendar): string {
  const days = policy.supervisionAfterWorkdays - 1;
  return days === 0 ? issuedOn : addWorkdays(issuedOn, days, calendar);
}

function reasonFor(item: EscalationItem, dueText: string, overdue: number, reminder: IssuedLetter | undefined): string {
  const late = `${item.label}（应于${dueText}前完成）已逾期${overdue}个工作日`;
  if (!reminder) return `${late}。`;
  const quoted = reminder.number ? `${letterKindLabels.reminder}${reminder.number}` : letterKindLabels.reminder;
  return `${late}，${quoted}发出后仍未整改。`;
}

/** The letters to issue at `now`; see the rules at the top of this file. */
export function decideEscalations(
  input: { items: readonly EscalationItem[] },
  now: Date,
  calendar: WorkCalendar,
  policy: EscalationPolicy = defaultEscalationPolicy,
): LetterToIssue[] {
  const today = chinaDateOf(now);
  if (!calendar.isWorkday(today)) return [];
  const seen = new Set<string>();
  const out: LetterToIssue[] = [];
  const year = Number(today.slice(0, 4));
  // Many items share a due instant (every task's report for a period): count working days once per instant.
  const sinceCache = new Map<number, number>();
  const workdaysSince = (instant: Date): number => {
    let n = sinceCache.get(instant.getTime());
    if (n === undefined) {
      n = overdueWorkdays(instant, today, calendar);
      sinceCache.set(instant.getTime(), n);
    }
    return n;
  };
  const dueTexts = new Map<number, string>();
  const dueText = (instant: Date): string => {
    let text = dueTexts.get(instant.getTime());
    if (text === undefined) {
      text = formatChinaDateTime(instant);
      dueTexts.set(instant.getTime(), text);
    }
    return text;
  };
  const reminderBy = reminderDeadline(today, policy, calendar);
  const reminderByAt = chinaInstantOn(reminderBy).getTime();
  const supervisionBy = addWorkdays(today, policy.rectifyWithinWorkdays, calendar);
  const supervisionByAt = chinaInstantOn(supervisionBy).getTime();
  for (const item of input.items) {
    const id = `${item.taskId}\u0000${item.triggerKey}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!isTracked(item.taskState) || item.doneAt || item.dueAt.getTime() >= now.getTime()) continue;
    const overdue = workdaysSince(item.dueAt);
    if (item.letters.some((l) => l.kind === 'supervision')) continue;
    const reminder = item.letters.find((l) => l.kind === 'reminder');
    const common = { taskId: item.taskId, triggerKey: item.triggerKey, year, issuedOn: today, overdueWorkdays: overdue };
    if (!reminder) {
      if (overdue < policy.reminderAfterWorkdays) continue;
      out.push({
        ...common,
        kind: 'reminder',
        rectifyByOn: reminderBy,
        rectifyBy: new Date(reminderByAt),
        to: ['owner', 'lead_liaison'],
        cc: [],
        reason: reasonFor(item, dueText(item.dueAt), overdue, undefined),
      });
      continue;
    }
    if (workdaysSince(reminder.issuedAt) < policy.supervisionAfterWorkdays) continue;
    out.push({
      ...common,
      kind: 'supervision',
      rectifyByOn: supervisionBy,
      rectifyBy: new Date(supervisionByAt),
      to: ['lead_liaison', 'owner'],
      cc: ['responsible_leader'],
      reason: reasonFor(item, dueText(item.dueAt), overdue, reminder),
    });
  }
  return out;
}

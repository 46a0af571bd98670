// Report-due reminders to task owners (the rung below the letters): on working days at 09:00 Beijing time, a
// reminder on the due day of each report period still unreported, and for monthly and longer cadences also some
// working days before. The campaign reminder planner (src/services/reminders.ts) is keyed to campaign phases, so
// ledger reminders are planned here, into the same outbox, keyed report:<taskId>:<periodKey>:<offset> so each
// goes once however often or on however many instances the job runs. They are planned at their moment, not
// hours ahead: a report handed in beforehand never triggers one.
import { and, eq, inArray, like } from 'drizzle-orm';
import { ledgerTasks, outbox } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { chinaDateOf, previousWorkday, type WorkCalendar } from '../domain/ledger/calendar.js';
import { cadences, periodContaining, periodLabel, type Cadence, type ReportPeriod } from '../domain/ledger/periods.js';
import { chinaMinutes } from '../domain/reminders/calendar.js';
import { DECENT_UNTIL_MINUTES } from '../domain/reminders/settings.js';
import { policyOf } from './escalation.js';
import { activeLedgers, unreportedOf } from './ledger-outstanding.js';

/** The Beijing hour report reminders, letters and digests go out from. */
export const LEDGER_PUSH_HOUR = 9;

/** Working days before the due day on which the owner is reminded (0 = the due day itself). */
export const reportReminderOffsets: Record<Cadence, readonly number[]> = {
  weekly: [0],
  monthly: [3, 0],
  quarterly: [5, 0],
  half_yearly: [5, 0],
  year_end: [5, 0],
};

/** From 09:00 until the decent hours end (21:00) on an official working day. */
export function isLedgerPushTime(now: Date, calendar: WorkCalendar): boolean {
  const minutes = chinaMinutes(now);
  return calendar.isWorkday(chinaDateOf(now)) && minutes >= LEDGER_PUSH_HOUR * 60 && minutes < DECENT_UNTIL_MINUTES;
}

/** The `n`-th working day before `day` (n = 0: the day itself). */
function workdaysBefore(day: string, n: number, calendar: WorkCalendar): string {
  let d = day;
  for (let i = 0; i < n; i += 1) d = previousWorkday(d, calendar);
  return d;
}

export interface ReportReminder {
  key: string;
  topic: string;
  ownerOpenId: string;
  ledgerTitle: string;
  task: { id: number; code: string; title: string };
  period: ReportPeriod;
  /** 2026年第7周进展汇报. */
  label: string;
  offset: number;
  /** The ledger's threshold for a 提醒函, in working days overdue. */
  reminderAfterWorkdays: number;
}

export const reportReminderKey = (taskId: number, periodKey: string, offset: number): string => `report:${taskId}:${periodKey}:${offset}`;

/** The periods of the ledger's year whose reminder day (for some offset) is today. */
function periodsRemindedOn(today: string, year: number, calendar: WorkCalendar): { period: ReportPeriod; offset: number }[] {
  const out: { period: ReportPeriod; offset: number }[] = [];
  for (const cadence of cadences) {
    const period = periodContaining(cadence, today, calendar);
    if (!period || Number(period.dueOn.slice(0, 4)) !== year) continue;
    for (const offset of reportReminderOffsets[cadence]) {
      const day = workdaysBefore(period.dueOn, offset, calendar);
      if (day === today && day >= period.startsOn) out.push({ period, offset });
    }
  }
  return out;
}

/**
 * The reminders due now and not yet planned: owners of tracked tasks whose report for a period reminded today is
 * still missing. Read-only; the caller draws the cards and plans them.
 */
export async function dueReportReminders(db: Db, now: Date, calendar: WorkCalendar): Promise<ReportReminder[]> {
  if (!isLedgerPushTime(now, calendar)) return [];
  const today = chinaDateOf(now);
  const out: ReportReminder[] = [];
  for (const ledger of await activeLedgers(db)) {
    const due = periodsRemindedOn(today, ledger.year, calendar);
    if (due.length === 0) continue;
    const missing = await unreportedOf(
      db,
      ledger.id,
      due.map((d) => d.period),
    );
    if (missing.length === 0) continue;
    const taskIds = [...new Set(missing.map((m) => m.taskId))];
    const tasks = await db.select({ id: ledgerTasks.id, code: ledgerTasks.code, title: ledgerTasks.title, owner: ledgerTasks.ownerOpenId }).from(ledgerTasks).where(inArray(ledgerTasks.id, taskIds));
    const taskOf = new Map(tasks.map((t) => [t.id, t]));
    const planned = new Set<string>();
    for (const { period } of due) {
      const rows = await db.select({ key: outbox.key }).from(outbox).where(and(eq(outbox.topic, `report:${ledger.id}:${period.key}`), like(outbox.key, 'report:%')));
      for (const r of rows) planned.add(r.key);
    }
    for (const m of missing) {
      const task = taskOf.get(m.taskId);
      if (!task) continue;
      for (const d of due) {
        if (d.period.key !== m.period.key || d.period.cadence !== m.period.cadence) continue;
        const key = reportReminderKey(task.id, m.period.key, d.offset);
        if (planned.has(key)) continue;
        out.push({
          key,
          topic: `report:${ledger.id}:${m.period.key}`,
          ownerOpenId: task.owner,
          ledgerTitle: ledger.title,
          task: { id: task.id, code: task.code, title: task.title },
          period: m.period,
          label: `${periodLabel(m.period)}进展汇报`,
          offset: d.offset,
          reminderAfterWorkdays: policyOf(ledger).reminderAfterWorkdays,
        });
      }
    }
  }
  return out;
}

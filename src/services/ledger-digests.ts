// Dispatch digests (seed 001: 主要领导月调度、分管领导周调度、重点工作群内日调度): the data the pure builders in
// src/domain/ledger/digest.ts count, loaded per ledger, and which digests are due now. On a working day from
// 09:00: the daily digest to the ledger's work group; on the first working day of an ISO week, one weekly digest to
// each responsible leader; on the first working day of a month, the previous month's digest to the main leader.
// Each is keyed in the outbox (ledger-digest:…), so it goes once whatever runs the job, however often.
import { and, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { ledgerTasks, letters, milestones, outbox, progressReports, taskUnits, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { addDays, chinaDateOf, chinaInstantOn, isoWeekMonday, isoWeekOf, lastDayOfMonth, previousWorkday, type WorkCalendar } from '../domain/ledger/calendar.js';
import { buildDailyDigest, buildMonthlyDigest, buildWeeklyLeaderDigests, type DailyDigest, type DigestChange, type DigestDeadline, type DigestInput, type LeaderDigest, type MonthlyDigest } from '../domain/ledger/digest.js';
import { formatLetterNumber, letterKindLabels } from '../domain/ledger/letter-number.js';
import { cadenceOfKey, periodLabel } from '../domain/ledger/periods.js';
import { taskStateLabels } from '../domain/ledger/task-state.js';
import { activeLedgers, openMilestones, unreportedPeriods, type LedgerRow } from './ledger-outstanding.js';
import { isLedgerPushTime } from './report-reminders.js';

export interface DigestWindow {
  /** Outstanding deadlines due up to this instant are loaded (overdue and upcoming). */
  deadlinesUntil: Date;
  /** …and after this one (default: from the start of the ledger's year). */
  deadlinesAfter?: Date;
  /** Changes and letters from this instant to now. */
  since: Date;
  /** Also deadlines already met, due in [from, to] (the monthly on time / late counts). */
  met?: { from: Date; to: Date };
}

const dayStart = (day: string): Date => chinaInstantOn(day, 0);

/** Everything the digest builders need about one ledger, as plain arrays. */
export async function loadDigestInput(db: Db, ledger: LedgerRow, now: Date, calendar: WorkCalendar, w: DigestWindow): Promise<DigestInput> {
  const inLedger = sql`in (select id from ${ledgerTasks} where ledger_id = ${ledger.id})`;
  const since = w.since.toISOString();
  const owner = alias(users, 'owner');
  const leader = alias(users, 'leader');
  const [taskRows, unreported, open, reports, doneMs, letterRows] = await Promise.all([
    // One row per task (and lead unit), with the owner's and the leader's names.
    db
      .select({
        id: ledgerTasks.id,
        code: ledgerTasks.code,
        title: ledgerTasks.title,
        state: ledgerTasks.state,
        ownerOpenId: ledgerTasks.ownerOpenId,
        ownerName: owner.name,
        leaderOpenId: ledgerTasks.responsibleLeaderOpenId,
        leaderName: leader.name,
        nextReviewOn: ledgerTasks.nextReviewOn,
        createdAt: ledgerTasks.createdAt,
        updatedAt: ledgerTasks.updatedAt,
        unitId: units.id,
        unitName: units.name,
      })
      .from(ledgerTasks)
      .leftJoin(owner, eq(owner.openId, ledgerTasks.ownerOpenId))
      .leftJoin(leader, eq(leader.openId, ledgerTasks.responsibleLeaderOpenId))
      .leftJoin(taskUnits, and(eq(taskUnits.taskId, ledgerTasks.id), eq(taskUnits.role, 'lead')))
      .leftJoin(units, eq(units.id, taskUnits.unitId))
      .where(eq(ledgerTasks.ledgerId, ledger.id))
      .orderBy(ledgerTasks.id, units.id),
    unreportedPeriods(db, ledger, { until: w.deadlinesUntil, calendar, ...(w.deadlinesAfter ? { after: w.deadlinesAfter } : {}) }),
    openMilestones(db, ledger.id, { until: w.deadlinesUntil, ...(w.deadlinesAfter ? { after: w.deadlinesAfter } : {}) }),
    db
      .select({ taskId: progressReports.taskId, cadence: progressReports.cadence, key: progressReports.periodKey, dueAt: progressReports.dueAt, at: progressReports.submittedAt, late: progressReports.late, pct: progressReports.percentComplete })
      .from(progressReports)
      .where(
        and(
          sql`${progressReports.taskId} ${inLedger}`,
          or(
            sql`${progressReports.submittedAt} >= ${since}::timestamptz`,
            w.met ? sql`${progressReports.dueAt} between ${w.met.from.toISOString()}::timestamptz and ${w.met.to.toISOString()}::timestamptz` : undefined,
          ),
        ),
      ),
    db
      .select({ taskId: milestones.taskId, title: milestones.title, dueAt: milestones.dueAt, doneAt: milestones.doneAt })
      .from(milestones)
      .where(
        and(
          sql`${milestones.taskId} ${inLedger}`,
          sql`${milestones.doneAt} is not null`,
          or(sql`${milestones.doneAt} >= ${since}::timestamptz`, w.met ? sql`${milestones.dueAt} between ${w.met.from.toISOString()}::timestamptz and ${w.met.to.toISOString()}::timestamptz` : undefined),
        ),
      ),
    db
      .select({ taskId: letters.taskId, kind: letters.kind, year: letters.year, number: letters.number, issuedAt: letters.issuedAt, acknowledgedAt: letters.acknowledgedAt })
      .from(letters)
      .where(and(eq(letters.ledgerId, ledger.id), or(gte(letters.issuedAt, w.since), gte(letters.acknowledgedAt, w.since), w.met ? and(gte(letters.issuedAt, w.met.from), lt(letters.issuedAt, w.met.to)) : undefined))),
  ]);
  // A task with two lead units is listed under the first.
  const tasks = taskRows.filter((t, i) => i === 0 || taskRows[i - 1]?.id !== t.id);

  const deadlines: DigestDeadline[] = [
    ...unreported.map((u) => ({ taskId: u.taskId, kind: 'report' as const, label: u.label, dueAt: u.period.dueAt, doneAt: null })),
    ...open.map((m) => ({ taskId: m.taskId, kind: 'milestone' as const, label: m.label, dueAt: m.dueAt, doneAt: null })),
  ];
  const changes: DigestChange[] = [];
  const inWindow = (d: Date | null): d is Date => d !== null && d.getTime() >= w.since.getTime() && d.getTime() < now.getTime();
  for (const r of reports) {
    const label = `${periodLabel({ cadence: cadenceOfKey(r.key) ?? r.cadence, key: r.key })}进展汇报`;
    if (w.met && r.dueAt.getTime() >= w.met.from.getTime() && r.dueAt.getTime() <= w.met.to.getTime()) {
      deadlines.push({ taskId: r.taskId, kind: 'report', label, dueAt: r.dueAt, doneAt: r.at });
    }
    if (inWindow(r.at)) changes.push({ taskId: r.taskId, at: r.at, summary: `提交了${label}（完成${r.pct}%${r.late ? '，逾期提交' : ''}）` });
  }
  for (const m of doneMs) {
    if (w.met && m.dueAt.getTime() >= w.met.from.getTime() && m.dueAt.getTime() <= w.met.to.getTime()) {
      deadlines.push({ taskId: m.taskId, kind: 'milestone', label: `里程碑：${m.title}`, dueAt: m.dueAt, doneAt: m.doneAt });
    }
    if (inWindow(m.doneAt)) changes.push({ taskId: m.taskId, at: m.doneAt, summary: `完成里程碑：${m.title}` });
  }
  for (const l of letterRows) {
    const name = `${letterKindLabels[l.kind]}${formatLetterNumber(l.kind, l.year, l.number)}`;
    if (inWindow(l.issuedAt)) changes.push({ taskId: l.taskId, at: l.issuedAt, summary: `收到${name}` });
    if (inWindow(l.acknowledgedAt)) changes.push({ taskId: l.taskId, at: l.acknowledgedAt, summary: `签收了${name}` });
  }
  for (const t of tasks) {
    if (inWindow(t.createdAt)) changes.push({ taskId: t.id, at: t.createdAt, summary: '新登记任务' });
    else if (inWindow(t.updatedAt)) changes.push({ taskId: t.id, at: t.updatedAt, summary: `任务有更新，现为“${taskStateLabels[t.state]}”` });
  }
  return {
    tasks: tasks.map((t) => ({
      id: t.id,
      code: t.code,
      title: t.title,
      state: t.state,
      leadUnitId: t.unitId,
      leadUnitName: t.unitName,
      ownerOpenId: t.ownerOpenId,
      ownerName: t.ownerName,
      responsibleLeaderOpenId: t.leaderOpenId,
      responsibleLeaderName: t.leaderOpenId ? t.leaderName : null,
      nextReviewOn: t.nextReviewOn,
    })),
    deadlines,
    changes,
    letters: letterRows.map((l) => ({ taskId: l.taskId, kind: l.kind, number: formatLetterNumber(l.kind, l.year, l.number), issuedAt: l.issuedAt, acknowledgedAt: l.acknowledgedAt })),
  };
}

export async function dailyDigestOf(db: Db, ledger: LedgerRow, now: Date, calendar: WorkCalendar): Promise<DailyDigest> {
  const today = chinaDateOf(now);
  const sunday = addDays(isoWeekMonday(isoWeekOf(today).year, isoWeekOf(today).week), 6);
  // Changes since the previous working day began (the builder keeps those dated from then up to yesterday).
  const since = dayStart(previousWorkday(today, calendar));
  const input = await loadDigestInput(db, ledger, now, calendar, { deadlinesUntil: dayStart(addDays(sunday, 1)), since });
  return buildDailyDigest(input, now, calendar);
}

export async function weeklyDigestsOf(db: Db, ledger: LedgerRow, now: Date, calendar: WorkCalendar): Promise<LeaderDigest[]> {
  const today = chinaDateOf(now);
  const input = await loadDigestInput(db, ledger, now, calendar, { deadlinesUntil: dayStart(addDays(today, 7)), since: dayStart(addDays(today, -7)) });
  return buildWeeklyLeaderDigests(input, now, calendar);
}

/** `month` is yyyy-mm. */
export async function monthlyDigestOf(db: Db, ledger: LedgerRow, month: string, now: Date, calendar: WorkCalendar): Promise<MonthlyDigest> {
  const from = dayStart(`${month}-01`);
  const to = dayStart(addDays(lastDayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7))), 1));
  const input = await loadDigestInput(db, ledger, now, calendar, { deadlinesUntil: to.getTime() < now.getTime() ? to : now, deadlinesAfter: new Date(from.getTime() - 1), since: now, met: { from, to } });
  return buildMonthlyDigest(input, month, now);
}

export type DueDigest =
  | { key: string; kind: 'daily'; ledger: LedgerRow; chatId: string; digest: DailyDigest }
  | { key: string; kind: 'weekly'; ledger: LedgerRow; openId: string; digest: LeaderDigest }
  | { key: string; kind: 'monthly'; ledger: LedgerRow; openId: string; digest: MonthlyDigest };

function firstWorkdayFrom(day: string, until: string, calendar: WorkCalendar): string | undefined {
  for (let d = day; d <= until; d = addDays(d, 1)) if (calendar.isWorkday(d)) return d;
  return undefined;
}

async function plannedKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ key: outbox.key }).from(outbox).where(inArray(outbox.key, [...keys]));
  return new Set(rows.map((r) => r.key));
}

/** The digests due at `now` and not yet planned, built and ready to be drawn. */
export async function dueDigests(db: Db, now: Date, calendar: WorkCalendar): Promise<DueDigest[]> {
  if (!isLedgerPushTime(now, calendar)) return [];
  const today = chinaDateOf(now);
  const week = isoWeekOf(today);
  const monday = isoWeekMonday(week.year, week.week);
  const firstOfWeek = firstWorkdayFrom(monday, addDays(monday, 6), calendar) === today;
  const monthStart = `${today.slice(0, 7)}-01`;
  const firstOfMonth = firstWorkdayFrom(monthStart, today, calendar) === today;
  const previousMonth = addDays(monthStart, -1).slice(0, 7);
  const out: DueDigest[] = [];
  for (const ledger of await activeLedgers(db)) {
    const dailyKey = `ledger-digest:daily:${ledger.id}:${today}`;
    const monthlyKey = `ledger-digest:monthly:${ledger.id}:${previousMonth}`;
    const done = await plannedKeys(db, [dailyKey, monthlyKey]);
    if (ledger.noticeChatId && !done.has(dailyKey)) {
      out.push({ key: dailyKey, kind: 'daily', ledger, chatId: ledger.noticeChatId, digest: await dailyDigestOf(db, ledger, now, calendar) });
    }
    if (firstOfWeek) {
      const weekKey = `${week.year}-W${String(week.week).padStart(2, '0')}`;
      const digests = await weeklyDigestsOf(db, ledger, now, calendar);
      const keyOf = (d: LeaderDigest) => `ledger-digest:weekly:${ledger.id}:${weekKey}:${d.leaderOpenId}`;
      const planned = await plannedKeys(db, digests.map(keyOf));
      for (const d of digests) if (!planned.has(keyOf(d))) out.push({ key: keyOf(d), kind: 'weekly', ledger, openId: d.leaderOpenId, digest: d });
    }
    if (firstOfMonth && ledger.mainLeaderOpenId && Number(previousMonth.slice(0, 4)) === ledger.year && !done.has(monthlyKey)) {
      out.push({ key: monthlyKey, kind: 'monthly', ledger, openId: ledger.mainLeaderOpenId, digest: await monthlyDigestOf(db, ledger, previousMonth, now, calendar) });
    }
  }
  return out;
}

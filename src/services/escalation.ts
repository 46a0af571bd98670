// The escalation pass (seed 002 measure 9): overdue reports and milestones → the policy in
// src/domain/ledger/escalation.ts → 提醒函 / 督办函, each issued in its own transaction together with its number,
// its audit row and the outbox rows that carry it to its recipients and copies. Idempotent: a letter is unique per
// task, kind and trigger, so running the pass twice, or on three instances at once, issues each letter once.
import { and, eq, inArray } from 'drizzle-orm';
import { ledgerTasks, letters } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { chinaDateOf, chinaInstantOn, chinaWorkCalendar, previousWorkday, type WorkCalendar } from '../domain/ledger/calendar.js';
import {
  decideEscalations,
  defaultEscalationPolicy,
  parseEscalationPolicy,
  reportTriggerKey,
  type EscalationItem,
  type EscalationPolicy,
  type IssuedLetter,
  type LetterParty,
  type LetterToIssue,
} from '../domain/ledger/escalation.js';
import { formatLetterNumber } from '../domain/ledger/letter-number.js';
import type { ServiceCtx } from './context.js';
import { activeLedgers, openMilestones, unreportedPeriods, type LedgerRow } from './ledger-outstanding.js';
import { letterViewsByIds, type LetterView } from './letter-views.js';
import { issueLetter, leadLiaisonsOf } from './letters.js';
import { enqueueOutbox, type OutboxItem } from './outbox.js';

export interface PassOptions {
  now: Date;
  /**
   * false: look back only over the policy's window (see lookbackStart), the cheap pass the minute job runs; true
   * (default): every period and milestone of the year, as the job does on its first run of each day.
   */
  full?: boolean;
  calendar?: WorkCalendar;
  ledgerIds?: readonly number[];
  /** The outbox rows that announce a new letter; cards are drawn outside the services layer. */
  notices: (letter: LetterView, now: Date) => OutboxItem[];
}

export interface IssuedSummary {
  id: number;
  number: string;
  kind: LetterToIssue['kind'];
  taskId: number;
  triggerKey: string;
}

export interface PassReport {
  /** Outstanding items looked at. */
  considered: number;
  /** Letters the policy asked for (some may have been issued meanwhile by another instance). */
  decided: number;
  issued: IssuedSummary[];
}

export function policyOf(ledger: Pick<LedgerRow, 'policy'>): EscalationPolicy {
  const parsed = parseEscalationPolicy(ledger.policy ?? {});
  return parsed.ok ? parsed.value : defaultEscalationPolicy;
}

/** Working days beyond the policy's reminder and supervision thresholds that the windowed pass still looks at. */
export const LOOKBACK_SPARE_WORKDAYS = 5;

/**
 * The start of the windowed pass: an item due earlier has, if the pass ran on the working days since, already got
 * every letter it can get (reminder on the R-th working day overdue, supervision S working days later). Items the
 * window misses (the app was down, a kept task resumed) are found by the day's full pass.
 */
export function lookbackStart(today: string, policy: EscalationPolicy, calendar: WorkCalendar): Date {
  let day = today;
  for (let i = 0; i < policy.reminderAfterWorkdays + policy.supervisionAfterWorkdays + LOOKBACK_SPARE_WORKDAYS; i += 1) day = previousWorkday(day, calendar);
  return chinaInstantOn(day, 0);
}

/** The planning half of the pass, read-only: which letters the ledger's outstanding items call for at `now`. */
export async function decideLedgerLetters(
  db: Db,
  ledger: LedgerRow,
  now: Date,
  calendar: WorkCalendar = chinaWorkCalendar,
  opts: { full?: boolean } = {},
): Promise<{ considered: number; decisions: LetterToIssue[] }> {
  const today = chinaDateOf(now);
  // Letters are dated and issued on working days only: on a day off there is nothing to load.
  if (!calendar.isWorkday(today)) return { considered: 0, decisions: [] };
  const policy = policyOf(ledger);
  const window = opts.full === false ? { after: lookbackStart(today, policy, calendar) } : {};
  const [reports, open, reminders] = await Promise.all([
    unreportedPeriods(db, ledger, { until: now, calendar, excludeSupervised: true, ...window }),
    openMilestones(db, ledger.id, { until: now, excludeSupervised: true, ...window }),
    db
      .select({ taskId: letters.taskId, triggerKey: letters.triggerKey, issuedAt: letters.issuedAt, year: letters.year, number: letters.number })
      .from(letters)
      .where(and(eq(letters.ledgerId, ledger.id), eq(letters.kind, 'reminder'))),
  ]);
  const issued = new Map<string, IssuedLetter>();
  for (const r of reminders) issued.set(`${r.taskId}|${r.triggerKey}`, { kind: 'reminder', issuedAt: r.issuedAt, number: formatLetterNumber('reminder', r.year, r.number) });
  const lettersOf = (taskId: number, triggerKey: string): IssuedLetter[] => {
    const l = issued.get(`${taskId}|${triggerKey}`);
    return l ? [l] : [];
  };
  const items: EscalationItem[] = [];
  for (const r of reports) {
    const triggerKey = reportTriggerKey(r.period.key);
    items.push({ taskId: r.taskId, taskState: r.taskState, kind: 'report', triggerKey, label: r.label, dueAt: r.period.dueAt, doneAt: null, letters: lettersOf(r.taskId, triggerKey) });
  }
  for (const m of open) {
    items.push({ taskId: m.taskId, taskState: m.taskState, kind: 'milestone', triggerKey: m.triggerKey, label: m.label, dueAt: m.dueAt, doneAt: null, letters: lettersOf(m.taskId, m.triggerKey) });
  }
  return { considered: items.length, decisions: decideEscalations({ items }, now, calendar, policy) };
}

interface Parties {
  ownerOpenId: string;
  leaderOpenId: string | null;
  liaisons: string[];
}

function resolve(parties: readonly LetterParty[], p: Parties): string[] {
  const out: string[] = [];
  for (const party of parties) {
    const ids = party === 'owner' ? [p.ownerOpenId] : party === 'lead_liaison' ? p.liaisons : p.leaderOpenId ? [p.leaderOpenId] : [];
    for (const id of ids) if (!out.includes(id)) out.push(id);
  }
  return out;
}

async function partiesOf(db: Db, taskIds: readonly number[]): Promise<Map<number, Parties>> {
  const ids = [...new Set(taskIds)];
  if (ids.length === 0) return new Map();
  const [tasks, liaisons] = await Promise.all([
    db.select({ id: ledgerTasks.id, owner: ledgerTasks.ownerOpenId, leader: ledgerTasks.responsibleLeaderOpenId }).from(ledgerTasks).where(inArray(ledgerTasks.id, ids)),
    leadLiaisonsOf(db, ids),
  ]);
  return new Map(tasks.map((t) => [t.id, { ownerOpenId: t.owner, leaderOpenId: t.leader, liaisons: liaisons.get(t.id) ?? [] }]));
}

/**
 * Issues letters the policy decided for one ledger, each in its own transaction with its number, audit row and
 * outbox rows, so a long pass holds a letter counter's lock only for one letter at a time. A letter another
 * instance issued meanwhile is skipped (unique per task, kind and trigger).
 */
export async function issueDecidedLetters(
  ctx: ServiceCtx,
  ledgerId: number,
  decisions: readonly LetterToIssue[],
  opts: Pick<PassOptions, 'now' | 'notices'>,
): Promise<IssuedSummary[]> {
  const out: IssuedSummary[] = [];
  if (decisions.length === 0) return out;
  const parties = await partiesOf(ctx.db, decisions.map((d) => d.taskId));
  for (const d of decisions) {
    const p = parties.get(d.taskId);
    if (!p) continue; // the task vanished between loading and now
    const recipients = resolve(d.to, p);
    const cc = resolve(d.cc, p).filter((id) => !recipients.includes(id));
    const issued = await ctx.db.transaction(async (tx) => {
      const { letter, created } = await issueLetter({
        ctx: { db: tx, clock: ctx.clock },
        input: { ledgerId, taskId: d.taskId, kind: d.kind, year: d.year, triggerKey: d.triggerKey, reason: d.reason, issuedAt: opts.now, rectifyBy: d.rectifyBy, recipients, cc },
        actorOpenId: null,
      });
      if (!created) return undefined;
      const [view] = await letterViewsByIds(tx, [letter.id]);
      if (view) await enqueueOutbox(tx, opts.notices(view, opts.now), opts.now);
      return { id: letter.id, number: view?.number ?? '', kind: letter.kind, taskId: letter.taskId, triggerKey: letter.triggerKey };
    });
    if (issued) out.push(issued);
  }
  return out;
}

/** Runs the pass over every active ledger (or `ledgerIds`). */
export async function runEscalationPass(ctx: ServiceCtx, opts: PassOptions): Promise<PassReport> {
  const calendar = opts.calendar ?? chinaWorkCalendar;
  const report: PassReport = { considered: 0, decided: 0, issued: [] };
  for (const ledger of await activeLedgers(ctx.db, opts.ledgerIds)) {
    const { considered, decisions } = await decideLedgerLetters(ctx.db, ledger, opts.now, calendar, { full: opts.full ?? true });
    report.considered += considered;
    report.decided += decisions.length;
    report.issued.push(...(await issueDecidedLetters(ctx, ledger.id, decisions, opts)));
  }
  return report;
}

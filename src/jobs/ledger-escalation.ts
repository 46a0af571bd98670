// The minute job of the ledger's chase, from 09:00 to 21:00 on working days: report-due reminders to owners, then
// the escalation pass (提醒函 → 督办函): the whole year on this instance's first run of the day, the policy's
// look-back window on later runs. Every instance runs it; outbox keys and the letters' unique constraints make
// a doubled or concurrent run change nothing. The outbox job sends what it planned (same tick, same limiter).
import { letterCard } from '../../cards/letter.js';
import { reportReminderCard } from '../../cards/ledger-digest.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { chinaDateOf, chinaWorkCalendar, type WorkCalendar } from '../domain/ledger/calendar.js';
import type { Logger } from '../log.js';
import { runEscalationPass, type PassReport } from '../services/escalation.js';
import type { LetterView } from '../services/letter-views.js';
import { enqueueOutbox, type OutboxItem } from '../services/outbox.js';
import { dueReportReminders, isLedgerPushTime, type ReportReminder } from '../services/report-reminders.js';
import type { Job } from './tick.js';

export interface LedgerEscalationReport {
  reminders: number;
  letters: PassReport;
}

export interface LedgerEscalationJob extends Job {
  run(): Promise<LedgerEscalationReport>;
}

/** The outbox rows that carry a new letter: the letter card to each recipient, the copy to each person copied. */
export function letterNotices(view: LetterView, now: Date): OutboxItem[] {
  const row = (openId: string, role: 'to' | 'cc'): OutboxItem => ({
    key: `letter:${view.id}:${role}:${openId}`,
    kind: 'ledger.letter',
    topic: `letter:${view.id}`,
    to: { openId },
    payload: { kind: 'card', card: letterCard(view, role === 'to' ? 'recipient' : 'copy') },
    dueAt: now,
  });
  return [...view.recipients.map((p) => row(p.openId, 'to')), ...view.cc.map((p) => row(p.openId, 'cc'))];
}

export function reportReminderItem(r: ReportReminder, now: Date): OutboxItem {
  return {
    key: r.key,
    kind: 'ledger.report.reminder',
    topic: r.topic,
    to: { openId: r.ownerOpenId },
    payload: {
      kind: 'card',
      card: reportReminderCard({ ledgerTitle: r.ledgerTitle, task: r.task, periodKey: r.period.key, label: r.label, dueAt: r.period.dueAt, reminderAfterWorkdays: r.reminderAfterWorkdays }),
    },
    dueAt: now,
  };
}

const CHUNK = 500;

export function ledgerEscalationJob(o: { db: Db; clock: Clock; log: Logger; calendar?: WorkCalendar }): LedgerEscalationJob {
  const calendar = o.calendar ?? chinaWorkCalendar;
  // The first run of each day on this instance looks at the whole year; later runs only at the policy's window.
  let fullOn: string | undefined;
  return {
    name: 'ledger-escalation',
    async run() {
      const now = o.clock.now();
      const report: LedgerEscalationReport = { reminders: 0, letters: { considered: 0, decided: 0, issued: [] } };
      if (!isLedgerPushTime(now, calendar)) return report;
      const started = Date.now();
      const items = (await dueReportReminders(o.db, now, calendar)).map((r) => reportReminderItem(r, now));
      for (let i = 0; i < items.length; i += CHUNK) report.reminders += await enqueueOutbox(o.db, items.slice(i, i + CHUNK), now);
      const today = chinaDateOf(now);
      report.letters = await runEscalationPass({ db: o.db, clock: o.clock }, { now, calendar, notices: letterNotices, full: fullOn !== today });
      fullOn = today;
      if (report.reminders || report.letters.issued.length) {
        o.log.info({ reminders: report.reminders, letters: report.letters.issued.map((l) => l.number), ms: Date.now() - started }, 'ledger chase planned');
      }
      return report;
    },
  };
}

// The minute job of the dispatch digests (seed 001): the daily card to each ledger's work group, the weekly card to
// each responsible leader and the monthly card to the main leader, from 09:00 on working days (decent hours only).
// src/services/ledger-digests.ts decides what is due and not yet planned; this draws the cards into the outbox.
import { dailyDigestCard, monthlyDigestCard, weeklyDigestCard } from '../../cards/ledger-digest.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { chinaWorkCalendar, type WorkCalendar } from '../domain/ledger/calendar.js';
import type { Logger } from '../log.js';
import { dueDigests, type DueDigest } from '../services/ledger-digests.js';
import { enqueueOutbox, type OutboxItem } from '../services/outbox.js';
import type { Job } from './tick.js';

export interface LedgerDigestJob extends Job {
  /** How many digests were planned. */
  run(): Promise<number>;
}

export function digestItem(d: DueDigest, now: Date): OutboxItem {
  const common = { key: d.key, kind: `ledger.digest.${d.kind}`, topic: `ledger-digest:${d.ledger.id}`, dueAt: now };
  switch (d.kind) {
    case 'daily':
      return { ...common, to: { chatId: d.chatId }, payload: { kind: 'card', card: dailyDigestCard(d.ledger.title, d.digest) } };
    case 'weekly':
      return { ...common, to: { openId: d.openId }, payload: { kind: 'card', card: weeklyDigestCard(d.ledger.title, d.digest) } };
    case 'monthly':
      return { ...common, to: { openId: d.openId }, payload: { kind: 'card', card: monthlyDigestCard(d.ledger.title, d.digest) } };
  }
}

export function ledgerDigestJob(o: { db: Db; clock: Clock; log: Logger; calendar?: WorkCalendar }): LedgerDigestJob {
  const calendar = o.calendar ?? chinaWorkCalendar;
  return {
    name: 'ledger-digests',
    async run() {
      const now = o.clock.now();
      const due = await dueDigests(o.db, now, calendar);
      if (due.length === 0) return 0;
      const planned = await enqueueOutbox(
        o.db,
        due.map((d) => digestItem(d, now)),
        now,
      );
      o.log.info({ planned, digests: due.map((d) => d.key) }, 'ledger digests planned');
      return planned;
    },
  };
}

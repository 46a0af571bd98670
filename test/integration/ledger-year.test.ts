// A simulated year of the ledger with a controlled clock, on PGlite and on PostgreSQL: 30 tasks in 10 units, weekly
// and monthly reports; some owners report on time, some a day late, some after the reminder letter, some never,
// and some tasks are kept open (留号) at midyear. The real minute jobs run every day at 09:30. An oracle written
// here, with its own working-day walk, says which report reminders, letters and digests are due; the test asserts
// exactly those and no others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { ledgerTasks, letters, milestones, outbox } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { chinaDateOf, chinaWorkCalendar } from '../../src/domain/ledger/calendar.js';
import { periodsFor, type Cadence } from '../../src/domain/ledger/periods.js';
import { ledgerDigestJob } from '../../src/jobs/ledger-digests.js';
import { ledgerEscalationJob } from '../../src/jobs/ledger-escalation.js';
import { dailyDigestOf, monthlyDigestOf } from '../../src/services/ledger-digests.js';
import { createTestDatabase, dbKind, silentLog, type TestDatabase } from '../helpers/db.js';
import { addLedger, addMilestone, addPerson, addReport, addTask, addUnit, bj, type LedgerRow } from '../helpers/ledger-rows.js';

const cal = chinaWorkCalendar;
const START = '2026-01-05';
const END = '2026-12-31';
const KEPT_ON = '2026-06-30';
const nextDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const prevDay = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
/** The oracle's own working-day walk. */
function workdayAfter(day: string, n: number): string {
  let d = day;
  for (let k = 0; k < n; ) if (cal.isWorkday((d = nextDay(d)))) k += 1;
  return d;
}
function workdayBefore(day: string, n: number): string {
  let d = day;
  for (let k = 0; k < n; ) if (cal.isWorkday((d = prevDay(d)))) k += 1;
  return d;
}
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
};

/** 0 on time, 1 a working day late, 2 after the 提醒函, 3 never, 4 never and kept (留号) from 30 June evening. */
type Behaviour = 0 | 1 | 2 | 3 | 4;
interface SimTask {
  id: number;
  owner: string;
  liaison: string;
  leader: string;
  cadence: Cadence;
  behaviour: Behaviour;
}
interface Item {
  task: SimTask;
  trigger: string;
  dueOn: string;
  dueAt: Date;
  doneAt: Date | null;
  milestoneId?: number;
  cadence?: Cadence;
  period?: { startsOn: string; key: string };
}

let t: TestDatabase;
let ledger: LedgerRow;
const clock = new ManualClock(bj(START, '08:00'));
const sim: SimTask[] = [];
const items: Item[] = [];
const found: { dailyJune15?: { overdue: number; dueThisWeek: number }; march?: { onTime: number; late: number; pending: number } } = {};

const trackedOn = (task: SimTask, day: string): boolean => task.behaviour !== 4 || day <= KEPT_ON;
const doneBy = (item: Item, at: Date): boolean => item.doneAt !== null && item.doneAt.getTime() <= at.getTime();

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.database.db;
  ledger = await addLedger(db, { title: '2026年全面深化改革任务', year: 2026, at: bj('2026-01-04'), noticeChatId: 'oc_ledger_group', mainLeaderOpenId: 'ou_main' });
  const unitIds: number[] = [];
  for (let u = 0; u < 10; u++) unitIds.push(await addUnit(db, `单位${u}`, { openId: `ou_liaison_${u}`, name: `联络人${u}` }));
  for (let l = 0; l < 3; l++) await addPerson(db, `ou_leader_${l}`, `分管领导${l}`);
  for (let i = 0; i < 30; i++) {
    const cadence: Cadence = i < 15 ? 'weekly' : 'monthly';
    const task: SimTask = { id: 0, owner: `ou_owner_${i}`, liaison: `ou_liaison_${i % 10}`, leader: `ou_leader_${i % 3}`, cadence, behaviour: (i % 5) as Behaviour };
    await addPerson(db, task.owner, `专员${i}`);
    task.id = await addTask(db, { ledgerId: ledger.id, code: `RW2026-${String(i + 1).padStart(3, '0')}`, ownerOpenId: task.owner, leaderOpenId: task.leader, cadences: [cadence], leadUnitId: unitIds[i % 10]!, at: bj(START) });
    sim.push(task);
    for (const p of periodsFor(cadence, START, END, cal).filter((x) => x.dueOn <= END)) {
      const b = task.behaviour;
      const doneAt = b === 0 ? bj(p.dueOn, '16:00') : b === 1 ? bj(workdayAfter(p.dueOn, 1), '10:00') : b === 2 ? bj(workdayAfter(p.dueOn, 4), '10:00') : null;
      items.push({ task, trigger: `report:${p.key}`, dueOn: p.dueOn, dueAt: p.dueAt, doneAt: doneAt && doneAt.getTime() <= bj(END, '23:59').getTime() ? doneAt : null, cadence, period: p });
    }
  }
  // Milestones: one met early, one never met, one met after National Day.
  const milestoneSpecs: [SimTask, string, Date | null][] = [
    [sim[0]!, '2026-04-30', bj('2026-04-29', '11:00')],
    [sim[5]!, '2026-05-29', null],
    [sim[10]!, '2026-09-30', bj('2026-10-12', '10:00')],
  ];
  for (const [task, dueOn, doneAt] of milestoneSpecs) {
    // Not done yet: the simulation marks it done on its day.
    const id = await addMilestone(db, { taskId: task.id, title: `节点${dueOn}`, dueAt: bj(dueOn, '18:00') });
    items.push({ task, trigger: `milestone:${id}`, milestoneId: id, dueOn, dueAt: bj(dueOn, '18:00'), doneAt });
  }
}, 120_000);
afterAll(async () => {
  await t.cleanup();
});

/** What the oracle expects: letters (kind, task, trigger, day) and report reminders (task, period, offset). */
function expected(): { letters: string[]; reminders: string[] } {
  const out: string[] = [];
  const reminders: string[] = [];
  for (const item of items) {
    const remDay = workdayAfter(item.dueOn, 3);
    if (remDay <= END && trackedOn(item.task, remDay) && !doneBy(item, bj(remDay, '09:30'))) {
      out.push(`reminder|${item.task.id}|${item.trigger}|${remDay}`);
      const supDay = workdayAfter(remDay, 5);
      if (supDay <= END && trackedOn(item.task, supDay) && !doneBy(item, bj(supDay, '09:30'))) out.push(`supervision|${item.task.id}|${item.trigger}|${supDay}`);
    }
    if (!item.period || !item.cadence) continue;
    for (const offset of item.cadence === 'weekly' ? [0] : [3, 0]) {
      const day = workdayBefore(item.dueOn, offset);
      if (day >= item.period.startsOn && day >= START && trackedOn(item.task, day) && !doneBy(item, bj(day, '09:30'))) {
        reminders.push(`report:${item.task.id}:${item.period.key}:${offset}`);
      }
    }
  }
  return { letters: out.sort(), reminders: reminders.sort() };
}

describe(`a simulated year of the ledger (${dbKind})`, () => {
  it('runs every day of 2026 at 09:30 with reports coming in as the owners behave', async () => {
    const db = t.database.db;
    const escalation = ledgerEscalationJob({ db, clock, log: silentLog, calendar: cal });
    const digests = ledgerDigestJob({ db, clock, log: silentLog, calendar: cal });
    const reportsOn = new Map<string, Item[]>();
    for (const item of items) if (item.doneAt) reportsOn.set(chinaDateOf(item.doneAt), [...(reportsOn.get(chinaDateOf(item.doneAt)) ?? []), item]);
    for (const day of days(START, END)) {
      clock.set(bj(day, '09:30'));
      await escalation.run();
      await digests.run();
      if (day === '2026-06-15') {
        const d = await dailyDigestOf(db, ledger, clock.now(), cal);
        found.dailyJune15 = { overdue: d.counts.overdue, dueThisWeek: d.counts.dueThisWeek };
      }
      if (day === '2026-04-01') {
        const m = await monthlyDigestOf(db, ledger, '2026-03', clock.now(), cal);
        found.march = { onTime: m.totals.onTime, late: m.totals.late, pending: m.totals.pending };
      }
      // A later run the same day looks only at the policy's window, and finds nothing more to do.
      clock.set(bj(day, '09:40'));
      const again = await escalation.run();
      expect(again.letters.issued.length + again.reminders).toBe(0);
      for (const item of reportsOn.get(day) ?? []) {
        if (item.milestoneId !== undefined) await db.update(milestones).set({ doneAt: item.doneAt }).where(eq(milestones.id, item.milestoneId));
        else await addReport(db, { taskId: item.task.id, cadence: item.cadence!, periodKey: item.period!.key, dueAt: item.dueAt, at: item.doneAt!, by: item.task.owner });
      }
      if (day === KEPT_ON) {
        for (const task of sim.filter((s) => s.behaviour === 4)) await db.update(ledgerTasks).set({ state: 'kept', stateReason: '长期工作', nextReviewOn: '2027-01-15' }).where(eq(ledgerTasks.id, task.id));
      }
    }
  }, 300_000);

  it('issued exactly the letters at the policy thresholds and no others, numbered without gaps', async () => {
    const rows = await t.database.db.select().from(letters);
    const actual = rows.map((l) => `${l.kind}|${l.taskId}|${l.triggerKey}|${chinaDateOf(l.issuedAt)}`).sort();
    const want = expected().letters;
    expect(want.length).toBeGreaterThan(100);
    expect(actual).toEqual(want);
    for (const kind of ['reminder', 'supervision'] as const) {
      const numbers = rows.filter((l) => l.kind === kind).map((l) => l.number).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
    // Reminders to the owner and the lead unit's liaison; supervision letters to the liaison and owner, the leader copied.
    const byTask = new Map(sim.map((s) => [s.id, s]));
    for (const l of rows) {
      const s = byTask.get(l.taskId)!;
      expect([l.recipients, l.cc]).toEqual(l.kind === 'reminder' ? [[s.owner, s.liaison], []] : [[s.liaison, s.owner], [s.leader]]);
    }
    const letterRows = await t.database.db.$count(outbox, like(outbox.key, 'letter:%'));
    expect(letterRows).toBe(rows.reduce((n, l) => n + l.recipients.length + l.cc.length, 0));
    // Behaviours 0 and 1 never get a letter; 2 only reminders.
    const kindsOf = (b: Behaviour) => new Set(rows.filter((l) => byTask.get(l.taskId)!.behaviour === b && l.triggerKey.startsWith('report:')).map((l) => l.kind));
    expect([...kindsOf(0)]).toEqual([]);
    expect([...kindsOf(1)]).toEqual([]);
    expect([...kindsOf(2)]).toEqual(['reminder']);
  });

  it('sent exactly the report reminders due, once each', async () => {
    const rows = await t.database.db.select({ key: outbox.key }).from(outbox).where(like(outbox.key, 'report:%'));
    expect(rows.map((r) => r.key).sort()).toEqual(expected().reminders);
  });

  it('planned one daily digest per working day, one weekly per leader per week, one monthly per month', async () => {
    const keys = (await t.database.db.select({ key: outbox.key, to: outbox.recipient }).from(outbox).where(like(outbox.key, 'ledger-digest:%'))).map((r) => r.key);
    const workdays = days(START, END).filter((d) => cal.isWorkday(d));
    const dailies = keys.filter((k) => k.includes(':daily:'));
    expect(dailies.sort()).toEqual(workdays.map((d) => `ledger-digest:daily:${ledger.id}:${d}`).sort());
    const weeks = new Set<string>();
    for (const d of workdays) {
      const monday = new Date(Date.parse(`${d}T00:00:00Z`) - ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
      weeks.add(monday);
    }
    expect(keys.filter((k) => k.includes(':weekly:'))).toHaveLength(weeks.size * 3);
    // On the first working day of February … December, the previous month's digest.
    const months = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'];
    expect(keys.filter((k) => k.includes(':monthly:')).sort()).toEqual(months.map((m) => `ledger-digest:monthly:${ledger.id}:2026-${m}`));
  });

  it('counted the digests right: the daily card of 15 June and the March monthly', () => {
    const at = bj('2026-06-15', '09:30');
    const overdue = items.filter((i) => trackedOn(i.task, '2026-06-15') && i.dueAt.getTime() < at.getTime() && !doneBy(i, at)).length;
    const sunday = '2026-06-21';
    const dueThisWeek = items.filter((i) => trackedOn(i.task, '2026-06-15') && i.dueAt.getTime() >= at.getTime() && i.dueOn <= sunday && !doneBy(i, at)).length;
    expect(found.dailyJune15).toEqual({ overdue, dueThisWeek });
    const april1 = bj('2026-04-01', '09:30');
    const march = items.filter((i) => i.dueOn >= '2026-03-01' && i.dueOn <= '2026-03-31');
    const onTime = march.filter((i) => i.doneAt && i.doneAt.getTime() <= i.dueAt.getTime() && doneBy(i, april1)).length;
    const pending = march.filter((i) => !doneBy(i, april1) && i.dueAt.getTime() >= april1.getTime()).length;
    expect(found.march).toEqual({ onTime, late: march.length - onTime - pending, pending });
  });
});

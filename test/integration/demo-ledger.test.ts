// The emulator's demo ledger (src/emulator/demo-seed.ts): a dozen tasks, one late report and one 提醒函 the policy
// itself would have issued, whatever the day the demo is first started (a working morning, right after National
// Day, a Spring Festival evening, a Saturday); the letter escalates to a 督办函 five working days later.
import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgers, ledgerTasks, letters, outbox, progressReports } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { addWorkdays, chinaDateOf, chinaInstantOn, chinaWorkCalendar, workdaysBetween } from '../../src/domain/ledger/calendar.js';
import { seedDemo } from '../../src/emulator/demo-seed.js';
import { letterNotices } from '../../src/jobs/ledger-escalation.js';
import { runEscalationPass } from '../../src/services/escalation.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const PROBLEM_TASK = '建立深改工作重点问题库';
const GX_LIAISON = 'ou_demo_liaison_gx'; // owner of that task and liaison of its lead unit 本溪高新区
const LEADER = 'ou_demo_leader';

let test: TestDatabase | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

describe(`demo ledger (${dbKind})`, () => {
  it.each([
    ['a working morning', '2026-04-15T10:00:00+08:00', '2026-04-15', '2026-W14'],
    ['before 09:30 right after National Day (the ledger starts earlier)', '2026-10-08T08:00:00+08:00', '2026-09-30', '2026-W38'],
    ['a Spring Festival evening', '2026-02-20T22:00:00+08:00', '2026-02-14', '2026-W06'],
    ['a Saturday', '2026-11-28T15:00:00+08:00', '2026-11-27', '2026-W47'],
  ])('started on %s: a dozen tasks, one late report, one 提醒函 by the policy, once', async (_, at, letterOn, latePeriod) => {
    test = await createTestDatabase();
    const { db } = test.database;
    const clock = new ManualClock(new Date(at));
    await seedDemo(db, clock);
    clock.set(new Date(clock.now().getTime() + 3_600_000));
    await seedDemo(db, clock); // idempotent: a restart adds nothing

    expect((await db.select({ main: ledgers.mainLeaderOpenId }).from(ledgers))).toEqual([{ main: LEADER }]);
    const tasks = await db.select().from(ledgerTasks).orderBy(asc(ledgerTasks.id));
    expect(tasks).toHaveLength(12);
    expect(tasks.filter((t) => t.state === 'in_progress')).toHaveLength(4);
    expect(await db.select({ late: progressReports.late, periodKey: progressReports.periodKey }).from(progressReports)).toEqual([{ late: true, periodKey: latePeriod }]);

    const all = await db.select().from(letters);
    expect(all).toHaveLength(1);
    const [letter] = all;
    const chased = tasks.find((t) => t.title === PROBLEM_TASK);
    expect(letter).toMatchObject({ kind: 'reminder', year: Number(letterOn.slice(0, 4)), number: 1, taskId: chased?.id, recipients: [GX_LIAISON], cc: [] });
    expect(letter?.triggerKey).toMatch(/^milestone:\d+$/);
    // Issued at 09:30 on the working day `letterOn`, exactly three working days after the milestone's due date.
    expect(letter?.issuedAt).toEqual(chinaInstantOn(letterOn, 9, 30));
    expect(letter?.reason).toContain('已逾期3个工作日');
    const cards = await db.select({ key: outbox.key, recipient: outbox.recipient }).from(outbox).where(eq(outbox.kind, 'ledger.letter'));
    expect(cards).toEqual([{ key: `letter:${letter?.id}:to:${GX_LIAISON}`, recipient: GX_LIAISON }]);
  });

  it('the seeded letter escalates to a 督办函 copied to the leader five working days later, and to nothing before', async () => {
    test = await createTestDatabase();
    const { db } = test.database;
    const clock = new ManualClock(new Date('2026-04-15T10:00:00+08:00'));
    await seedDemo(db, clock);
    const [reminder] = await db.select().from(letters);
    const pass = (at: Date) => runEscalationPass({ db, clock: { now: () => at } }, { now: at, notices: letterNotices });
    const letterOn = chinaDateOf(reminder?.issuedAt ?? new Date(0));

    const dayBefore = chinaInstantOn(addWorkdays(letterOn, 4, chinaWorkCalendar), 10);
    const before = await pass(dayBefore);
    expect(before.issued.filter((l) => l.triggerKey === reminder?.triggerKey)).toEqual([]);

    const fifth = addWorkdays(letterOn, 5, chinaWorkCalendar);
    expect(workdaysBetween(letterOn, fifth, chinaWorkCalendar)).toBe(5);
    const after = await pass(chinaInstantOn(fifth, 10));
    expect(after.issued.filter((l) => l.triggerKey === reminder?.triggerKey)).toMatchObject([{ kind: 'supervision', number: '督办〔2026〕第1号' }]);
    const [supervision] = await db.select().from(letters).where(eq(letters.kind, 'supervision'));
    expect(supervision).toMatchObject({ taskId: reminder?.taskId, recipients: [GX_LIAISON], cc: [LEADER] });
  });
});

// Letters on real SQL (PGlite, and PostgreSQL with TEST_DATABASE_URL): gap-free numbers under concurrency, the
// escalation pass issuing each letter once however often and on however many instances it runs, acknowledgement
// recorded once, rectification plans becoming tracked milestones, and who may see and answer a letter.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import { auditLog, ledgerTasks, letterCounters, letters, milestones, outbox } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { letterNotices } from '../../src/jobs/ledger-escalation.js';
import { runEscalationPass } from '../../src/services/escalation.js';
import { letterViewFor, listLetters } from '../../src/services/letter-views.js';
import { acknowledgeLetter, checkPlan, issueLetter, submitRectificationPlan, type IssueLetterInput } from '../../src/services/letters.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';
import { addLedger, addPerson, addReport, addTask, addUnit, bj } from '../helpers/ledger-rows.js';

let t: TestDatabase;
const clock = new ManualClock(bj('2026-03-11', '09:30'));
const OWNER = { openId: 'ou_owner', name: '赵专员' };
const LIAISON = { openId: 'ou_liaison', name: '钱联络' };
const LEADER = { openId: 'ou_leader', name: '孙副市长' };
let ledgerId: number;
let unitId: number;

const db = () => t.database.db;
const ctx = () => ({ db: db(), clock });
const actor = (openId: string, extra: Partial<{ roles: ('admin' | 'public')[]; units: { unitId: number; unitName: string; unitType: 'department'; role: 'liaison' }[] }> = {}) => ({
  openId,
  roles: extra.roles ?? ['public'],
  units: extra.units ?? [],
});

async function tasks(n: number, prefix: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await addTask(db(), { ledgerId, code: `${prefix}-${String(i + 1).padStart(3, '0')}`, ownerOpenId: OWNER.openId, leaderOpenId: LEADER.openId, cadences: ['weekly'], leadUnitId: unitId, at: bj('2026-03-02') }));
  }
  return ids;
}

const input = (taskId: number, over: Partial<IssueLetterInput> = {}): IssueLetterInput => ({
  ledgerId,
  taskId,
  kind: 'reminder',
  year: 2026,
  triggerKey: 'report:2026-W10',
  reason: '2026年第10周进展汇报已逾期3个工作日。',
  issuedAt: clock.now(),
  rectifyBy: bj('2026-03-17', '18:00'),
  recipients: [OWNER.openId],
  cc: [],
  ...over,
});

const issueInOwnTx = (i: IssueLetterInput) => db().transaction((tx) => issueLetter({ ctx: { db: tx, clock }, input: i, actorOpenId: null }));
/** The minute job's windowed pass unless `full`. */
const pass = (at: Date, full = false) => runEscalationPass(ctx(), { now: at, ledgerIds: [ledgerId], notices: letterNotices, full });
const numbersOf = async (kind: 'reminder' | 'supervision', year = 2026) =>
  (await db().select({ n: letters.number }).from(letters).where(and(eq(letters.kind, kind), eq(letters.year, year))).orderBy(asc(letters.number))).map((r) => r.n);
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

beforeAll(async () => {
  t = await createTestDatabase();
  await addPerson(db(), OWNER.openId, OWNER.name);
  await addPerson(db(), LEADER.openId, LEADER.name);
  unitId = await addUnit(db(), '市发展改革委', LIAISON);
});
let ledgers = 0;
beforeEach(async () => {
  // A ledger per test: the pass runs over one ledger, so earlier tests' tasks stay out of it.
  ledgers += 1;
  ledgerId = (await addLedger(db(), { title: `2026年全面深化改革任务（${ledgers}）`, year: 2026, at: bj('2026-03-01') })).id;
});
afterAll(async () => {
  await t.cleanup();
});
afterEach(async () => {
  // Numbers are per kind and year across the database: every test starts from an empty register.
  await db().delete(milestones).where(eq(milestones.source, 'rectification'));
  await db().delete(letters);
  await db().delete(letterCounters);
  await db().delete(outbox);
  await db().execute(`delete from progress_reports`);
});

describe(`letter numbers (${dbKind})`, () => {
  it('numbers per kind and year, 1, 2, 3 …; the same trigger again returns the letter and consumes no number', async () => {
    const [a, b, c] = await tasks(3, 'NUM');
    expect((await issueInOwnTx(input(a!))).letter.number).toBe(1);
    const again = await issueInOwnTx(input(a!, { reason: 'twice' }));
    expect(again.created).toBe(false);
    expect(again.letter.reason).not.toBe('twice');
    expect((await issueInOwnTx(input(b!))).letter.number).toBe(2);
    expect((await issueInOwnTx(input(c!, { kind: 'supervision' }))).letter.number).toBe(1);
    expect((await issueInOwnTx(input(c!, { year: 2027 }))).letter.number).toBe(1);
    expect(await numbersOf('reminder')).toEqual([1, 2]);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'letter.issue'));
    expect(audits.filter((r) => (r.after as { number: string }).number === '提醒〔2026〕第1号').length).toBeGreaterThanOrEqual(1);
  });

  it('20 concurrent escalations allocate 20 distinct, gap-free numbers', async () => {
    const ids = await tasks(20, 'CON');
    const results = await Promise.all(ids.map((id) => issueInOwnTx(input(id))));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.letter.number).sort((x, y) => x - y)).toEqual(range(20));
    expect(await numbersOf('reminder')).toEqual(range(20));
  });

  it('20 concurrent escalations of one trigger issue one letter and use one number', async () => {
    const [id] = await tasks(1, 'ONE');
    const results = await Promise.all(range(20).map(() => issueInOwnTx(input(id!))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.letter.id)).size).toBe(1);
    const [counter] = await db().select().from(letterCounters).where(and(eq(letterCounters.kind, 'reminder'), eq(letterCounters.year, 2026)));
    expect(counter?.last).toBe(1);
    // The next letter follows on without a gap.
    const [other] = await tasks(1, 'ONE-B');
    expect((await issueInOwnTx(input(other!))).letter.number).toBe(2);
  });
});

describe(`the escalation pass (${dbKind})`, () => {
  it('issues a reminder at the threshold and a supervision letter after the grace period, each once', async () => {
    const [id] = await tasks(1, 'ESC');
    expect((await pass(bj('2026-03-10', '09:30'))).issued).toEqual([]);
    const first = await pass(bj('2026-03-11', '09:30'));
    expect(first.issued.map((l) => l.number)).toEqual(['提醒〔2026〕第1号']);
    expect((await pass(bj('2026-03-11', '15:00'))).issued).toEqual([]);
    // Saturday: nothing is dated on a day off.
    expect((await pass(bj('2026-03-14', '10:00'))).issued).toEqual([]);
    const later = await pass(bj('2026-03-18', '09:30'));
    expect(later.issued.map((l) => `${l.number} ${l.triggerKey}`).sort()).toEqual(['提醒〔2026〕第2号 report:2026-W11', '督办〔2026〕第1号 report:2026-W10']);

    const rows = await db().select().from(letters).where(eq(letters.taskId, id!)).orderBy(asc(letters.id));
    expect(rows.map((r) => [r.kind, r.recipients, r.cc, r.rectifyBy.toISOString()])).toEqual([
      ['reminder', [OWNER.openId, LIAISON.openId], [], bj('2026-03-17', '18:00').toISOString()],
      ['supervision', [LIAISON.openId, OWNER.openId], [LEADER.openId], bj('2026-03-25', '18:00').toISOString()],
      ['reminder', [OWNER.openId, LIAISON.openId], [], bj('2026-03-24', '18:00').toISOString()],
    ]);
    const keys = (await db().select({ key: outbox.key }).from(outbox).where(like(outbox.key, 'letter:%'))).map((r) => r.key.replace(/:\d+:/, ':#:'));
    expect(keys.sort()).toEqual(['letter:#:cc:ou_leader', 'letter:#:to:ou_liaison', 'letter:#:to:ou_liaison', 'letter:#:to:ou_liaison', 'letter:#:to:ou_owner', 'letter:#:to:ou_owner', 'letter:#:to:ou_owner']);
  });

  it('leaves items older than the look-back window to the full pass, which issues them', async () => {
    const [id] = await tasks(1, 'OLD');
    // Everything from W10 on is handed in; W10 itself never was, and no pass ran for weeks (the app was down).
    for (let w = 11; w <= 17; w++) {
      const due = new Date(bj('2026-03-13', '18:00').getTime() + (w - 11) * 7 * 86_400_000);
      await addReport(db(), { taskId: id!, cadence: 'weekly', periodKey: `2026-W${w}`, dueAt: due, at: due, by: OWNER.openId });
    }
    expect((await pass(bj('2026-04-28', '09:30'))).issued).toEqual([]);
    expect((await pass(bj('2026-04-28', '09:31'), true)).issued.map((l) => `${l.kind} ${l.triggerKey}`)).toEqual(['reminder report:2026-W10']);
  });

  it('issues nothing for a report handed in, even late, before the threshold', async () => {
    const [id] = await tasks(1, 'LATE');
    await addReport(db(), { taskId: id!, cadence: 'weekly', periodKey: '2026-W10', dueAt: bj('2026-03-06', '18:00'), at: bj('2026-03-10', '16:00'), by: OWNER.openId });
    expect((await pass(bj('2026-03-11', '09:30'))).issued).toEqual([]);
  });

  it('run on three instances at once, issues each letter once with gap-free numbers', async () => {
    const ids = await tasks(10, 'TRI');
    const runs = await Promise.all([pass(bj('2026-03-11', '09:30')), pass(bj('2026-03-11', '09:30')), pass(bj('2026-03-11', '09:30'))]);
    expect(runs.flatMap((r) => r.issued)).toHaveLength(10);
    expect(await numbersOf('reminder')).toEqual(range(10));
    const second = await Promise.all([pass(bj('2026-03-18', '09:31')), pass(bj('2026-03-18', '09:31')), pass(bj('2026-03-18', '09:31'))]);
    expect(second.flatMap((r) => r.issued)).toHaveLength(20);
    expect(await numbersOf('supervision')).toEqual(range(10));
    expect(await numbersOf('reminder')).toEqual(range(20));
    const all = await db().select().from(letters);
    expect(all.filter((l) => ids.includes(l.taskId))).toHaveLength(30);
    // Two recipients per letter, and the leader copied on each supervision letter: 30 × 2 + 10 rows.
    expect(await db().$count(outbox, like(outbox.key, 'letter:%'))).toBe(70);
  });
});

describe(`answering a letter (${dbKind})`, () => {
  it('records an acknowledgement once however often (or concurrently) it is clicked; others are refused', async () => {
    await tasks(1, 'ACK');
    const [issued] = (await pass(bj('2026-03-11', '09:30'))).issued;
    const letterId = issued!.id;
    await expect(acknowledgeLetter({ ctx: ctx(), letterId, actor: actor('ou_stranger') })).rejects.toMatchObject({ code: 'letter.notRecipient' });
    const clicks = await Promise.all(range(5).map(() => db().transaction((tx) => acknowledgeLetter({ ctx: { db: tx, clock }, letterId, actor: actor(OWNER.openId) }))));
    expect(clicks.filter((c) => c.first)).toHaveLength(1);
    expect((await acknowledgeLetter({ ctx: ctx(), letterId, actor: actor(LIAISON.openId) })).first).toBe(false);
    const audits = await db().select().from(auditLog).where(and(eq(auditLog.action, 'letter.acknowledge'), eq(auditLog.entityId, String(letterId))));
    expect(audits).toHaveLength(1);
    const [row] = await db().select().from(letters).where(eq(letters.id, letterId));
    expect(row?.acknowledgedBy).toBe(OWNER.openId);
  });

  it('turns a rectification plan into a tracked milestone, moves it on revision, and escalates it when missed', async () => {
    const [taskId] = await tasks(1, 'PLAN');
    await pass(bj('2026-03-11', '09:30'));
    const [sup] = (await pass(bj('2026-03-18', '09:30'))).issued.filter((l) => l.kind === 'supervision');
    const letterId = sup!.id;
    expect(checkPlan({ measures: ' ', dueOn: '2026-13-01' }, '2026-03-18')).toEqual({
      ok: false,
      errors: { measures: '请填写整改措施：做什么、谁来做、怎么做。', dueOn: '整改完成日期“2026-13-01”格式不对，请按 2026-06-30 的格式选择日期。' },
    });
    expect(checkPlan({ measures: '补报', dueOn: '2026-03-18 +0800' }, '2026-03-18')).toMatchObject({ ok: false, errors: { dueOn: '整改完成日期须晚于今天，请重新选择。' } });
    const plan = checkPlan({ measures: '补报第10、11周进展，建立周报提醒', dueOn: '2026-03-20 +0800' }, '2026-03-18');
    if (!plan.ok) throw new Error('plan should pass');
    const liaisonActor = actor(LIAISON.openId, { units: [{ unitId, unitName: '市发展改革委', unitType: 'department', role: 'liaison' }] });
    const first = await submitRectificationPlan({ ctx: ctx(), letterId, plan: plan.value, actor: liaisonActor });
    expect(first.revised).toBe(false);
    const [m] = await db().select().from(milestones).where(eq(milestones.id, first.milestoneId));
    expect(m).toMatchObject({ taskId, source: 'rectification', letterId, dueAt: bj('2026-03-20', '18:00') });
    const [acked] = await db().select().from(letters).where(eq(letters.id, letterId));
    expect(acked?.acknowledgedBy).toBe(LIAISON.openId);

    const again = await submitRectificationPlan({ ctx: ctx(), letterId, plan: { ...plan.value, dueOn: '2026-03-23' }, actor: liaisonActor });
    expect(again).toMatchObject({ revised: true, milestoneId: first.milestoneId });
    expect(await db().$count(milestones, eq(milestones.letterId, letterId))).toBe(1);

    // A stranger may not file or change a plan; nothing changes.
    await expect(submitRectificationPlan({ ctx: ctx(), letterId, plan: plan.value, actor: actor('ou_stranger') })).rejects.toMatchObject({ code: 'letter.notRecipient' });
    // Missed: overdue by 3 working days on 26 March → a 提醒函 for the milestone, like any other milestone.
    const late = await pass(bj('2026-03-26', '09:30'));
    expect(late.issued.filter((l) => l.triggerKey === `milestone:${first.milestoneId}`).map((l) => l.kind)).toEqual(['reminder']);
  });

  it('refuses a plan for a task that is no longer chased, and changes nothing', async () => {
    const [taskId] = await tasks(1, 'DONE');
    const [issued] = (await pass(bj('2026-03-11', '09:30'))).issued;
    await db().update(ledgerTasks).set({ state: 'closed' }).where(eq(ledgerTasks.id, taskId!));
    await expect(submitRectificationPlan({ ctx: ctx(), letterId: issued!.id, plan: { measures: '补报', dueOn: '2026-03-20' }, actor: actor(OWNER.openId) })).rejects.toMatchObject({
      code: 'letter.taskFinished',
    });
    expect(await db().$count(milestones, eq(milestones.letterId, issued!.id))).toBe(0);
    const [row] = await db().select().from(letters).where(eq(letters.id, issued!.id));
    expect(row).toMatchObject({ planText: null, acknowledgedAt: null });
  });

  it('shows letters only to those concerned; the office sees all', async () => {
    await tasks(2, 'VIS');
    await pass(bj('2026-03-11', '09:30'));
    expect((await listLetters({ ctx: ctx(), actor: actor('ou_admin', { roles: ['admin', 'public'] }) })).total).toBe(2);
    expect((await listLetters({ ctx: ctx(), actor: actor(OWNER.openId) })).total).toBe(2);
    expect((await listLetters({ ctx: ctx(), actor: actor(LEADER.openId) })).total).toBe(2);
    // A member of the lead unit sees them through the unit, without being addressed.
    const member = actor('ou_member', { units: [{ unitId, unitName: '市发展改革委', unitType: 'department', role: 'liaison' }] });
    expect((await listLetters({ ctx: ctx(), actor: member })).total).toBe(2);
    const stranger = await listLetters({ ctx: ctx(), actor: actor('ou_stranger') });
    expect(stranger).toMatchObject({ total: 0, letters: [] });
    const [one] = await db().select().from(letters);
    await expect(letterViewFor({ ctx: ctx(), letterId: one!.id, actor: actor('ou_stranger') })).rejects.toMatchObject({ code: 'letter.notVisible' });
    const view = await letterViewFor({ ctx: ctx(), letterId: one!.id, actor: actor(OWNER.openId) });
    expect(view.recipients.map((p) => p.name)).toEqual([OWNER.name, LIAISON.name]);
  });
});

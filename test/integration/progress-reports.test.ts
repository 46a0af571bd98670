// Progress reports on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL): which (task, period) reports are owed,
// one report per task and period however often it is submitted, correction until the due time, lateness, and the
// refusals (not the owner, a closed task, a period the task does not have). Dates follow the official 2026 calendar.
import { and, asc, eq, gt, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, ledgers, ledgerTasks, milestones, progressReports } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { createTask } from '../../src/services/ledger-tasks.js';
import { createLedger } from '../../src/services/ledgers.js';
import { dueReports, listMyReports, openReport, submitReport } from '../../src/services/progress-reports.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { createTestDatabase, dbKind, queryRows, type TestDatabase } from '../helpers/db.js';

const OWNER = 'ou_owner';
let test: TestDatabase;
let db: Db;
const clock = new ManualClock(new Date('2026-03-02T09:00:00+08:00'));
let unitId = 0;
let taskId = 0;
let milestoneId = 0;

const tx = <T>(work: (ctx: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((t) => work({ db: t, clock }));
const at = (iso: string) => clock.set(new Date(iso));

async function refused(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a DomainError');
}

const filled = (extra: Record<string, unknown> = {}) => ({ progress: '实施方案已起草，正在征求意见', problems: '部门意见不一', suggestions: '召开协调会', percent: '30', [`ms_${milestoneId}`]: 'on_time', ...extra });
const submit = (periodKey: string, version: number, form: Record<string, unknown> = filled(), openId = OWNER) =>
  tx((ctx) => submitReport({ ctx, openId, input: { taskId, periodKey, version, form } }));
const rows = () => db.select().from(progressReports).orderBy(asc(progressReports.id));
const owed = (now: string, until?: string) => dueReports(db, new Date(now), until ? { until: new Date(until) } : {}).then((l) => l.filter((d) => d.taskId === taskId).map((d) => [d.period.key, d.overdue]));

beforeAll(async () => {
  test = await createTestDatabase();
  db = test.database.db;
  await tx(async (ctx) => {
    const unit = await ensureUnit({ ctx, input: { name: '市营商环境建设局', type: 'department' }, actorOpenId: null });
    unitId = unit.id;
    await setUnitMember({ ctx, input: { unitId, openId: OWNER, name: '王刚', role: 'member' }, actorOpenId: null });
  });
});
afterAll(async () => {
  await test?.cleanup();
});
beforeEach(async () => {
  await queryRows(test.database, 'truncate progress_reports, milestones, task_units, letters, problems, red_list, ledger_tasks, ledgers restart identity cascade');
  at('2026-03-02T09:00:00+08:00');
  const draft = { title: '推行企业开办“一日办结”', measure: undefined, leadUnitId: unitId, cooperatingUnitIds: [], responsibleLeaderOpenId: undefined, ownerOpenId: OWNER, milestones: [{ dueOn: '2026-03-31', title: '出台实施方案' }], cadences: ['weekly' as const, 'monthly' as const], expectedResult: undefined };
  const task = await tx(async (ctx) => {
    const ledger = await createLedger({ ctx, input: { title: '2026年全面深化改革任务' }, actorOpenId: null });
    return (await createTask({ ctx, input: { ledgerId: ledger.id, draft }, actorOpenId: null })).task;
  });
  taskId = task.id;
  milestoneId = (await db.select().from(milestones).where(eq(milestones.taskId, taskId)))[0]!.id;
});

describe(`reports owed (${dbKind})`, () => {
  it('lists each (task, period) once its due time has come, until it is reported', async () => {
    expect(await owed('2026-03-06T17:59:00+08:00')).toEqual([]);
    expect(await owed('2026-03-06T18:00:00+08:00')).toEqual([['2026-W10', false]]);
    expect(await owed('2026-03-09T10:00:00+08:00')).toEqual([['2026-W10', true]]);
    expect(await owed('2026-03-09T10:00:00+08:00', '2026-03-13T19:00:00+08:00')).toEqual([['2026-W10', true], ['2026-W11', false]]);
    expect(await owed('2026-04-01T10:00:00+08:00')).toEqual([['2026-W10', true], ['2026-W11', true], ['2026-W12', true], ['2026-W13', true], ['2026-03', true]]);
    at('2026-03-04T10:00:00+08:00');
    await submit('2026-W10', 0);
    expect(await owed('2026-03-09T10:00:00+08:00')).toEqual([]);
  });

  it('asks nothing of kept tasks or archived ledgers', async () => {
    await db.update(ledgerTasks).set({ state: 'kept' }).where(eq(ledgerTasks.id, taskId));
    expect(await owed('2026-03-09T10:00:00+08:00')).toEqual([]);
    await db.update(ledgerTasks).set({ state: 'in_progress' }).where(eq(ledgerTasks.id, taskId));
    await db.update(ledgers).set({ status: 'archived' });
    expect(await owed('2026-03-09T10:00:00+08:00')).toEqual([]);
  });

  it('/汇报 lists the current periods, missed ones, and submitted ones still open to correction', async () => {
    at('2026-03-04T10:00:00+08:00');
    const mine = () => tx((ctx) => listMyReports({ ctx, openId: OWNER })).then((l) => l.map((i) => [i.period.key, i.status]));
    expect(await mine()).toEqual([['2026-W10', 'due'], ['2026-03', 'due']]);
    await submit('2026-W10', 0);
    expect(await mine()).toEqual([['2026-W10', 'submitted'], ['2026-03', 'due']]);
    at('2026-03-10T10:00:00+08:00');
    expect(await mine()).toEqual([['2026-W11', 'due'], ['2026-03', 'due']]);
    at('2026-03-17T10:00:00+08:00');
    expect(await mine()).toEqual([['2026-W11', 'overdue'], ['2026-W12', 'due'], ['2026-03', 'due']]);
    expect(await tx((ctx) => listMyReports({ ctx, openId: 'ou_someone' }))).toEqual([]);
  });
});

describe(`submitting reports (${dbKind})`, () => {
  it('keeps one report per task and period, corrects it until the due time, and audits each change', async () => {
    const mark = (await db.select({ id: auditLog.id }).from(auditLog)).reduce((m, r) => Math.max(m, r.id), 0);
    at('2026-03-04T10:00:00+08:00');
    const bad = await submit('2026-W10', 0, { progress: ' ', percent: '一百', [`ms_${milestoneId}`]: 'x' });
    expect(bad).toMatchObject({ kind: 'invalid', errors: { progress: expect.any(String), percent: expect.any(String), [`ms_${milestoneId}`]: expect.any(String) }, values: { percent: '一百' } });
    expect(await rows()).toHaveLength(0);

    expect(await submit('2026-W10', 0, filled({ [`ms_${milestoneId}`]: 'done' }))).toMatchObject({ kind: 'created', view: { report: { version: 1, late: false }, editable: true } });
    expect((await db.select().from(milestones).where(eq(milestones.id, milestoneId)))[0]?.doneAt?.toISOString()).toBe('2026-03-04T02:00:00.000Z');
    expect(await submit('2026-W10', 0)).toMatchObject({ kind: 'duplicate', view: { report: { version: 1 } } });
    expect(await rows()).toHaveLength(1);

    at('2026-03-05T10:00:00+08:00');
    expect(await submit('2026-W10', 1, filled({ percent: '45' }))).toMatchObject({ kind: 'corrected', view: { report: { version: 2, percentComplete: 45 } } });
    expect((await db.select().from(milestones).where(eq(milestones.id, milestoneId)))[0]?.doneAt).toBeNull();
    expect(await refused(submit('2026-W10', 1))).toContain('已被更新过');
    at('2026-03-06T18:00:01+08:00');
    expect(await refused(submit('2026-W10', 2))).toBe('2026年第10周汇报已过截止时间（2026年3月6日 18:00），不能再修改。');
    expect(await rows()).toMatchObject([{ periodKey: '2026-W10', version: 2, percentComplete: 45, late: false }]);

    const audits = await db.select().from(auditLog).where(and(gt(auditLog.id, mark), like(auditLog.action, 'report.%'))).orderBy(asc(auditLog.id));
    expect(audits.map((a) => a.action)).toEqual(['report.submit', 'report.correct']);
  });

  it('two submits of one new report at once make one row', async () => {
    at('2026-03-20T10:00:00+08:00');
    const outcomes = await Promise.all([submit('2026-03', 0), submit('2026-03', 0)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'duplicate']);
    expect((await rows()).filter((r) => r.periodKey === '2026-03')).toHaveLength(1);
  });

  it('accepts a late report and marks it late; it can no longer be corrected', async () => {
    at('2026-03-16T09:30:00+08:00');
    expect(await submit('2026-W11', 0)).toMatchObject({ kind: 'created', view: { report: { late: true }, editable: false } });
    expect(await tx((ctx) => openReport({ ctx, openId: OWNER, input: { taskId, periodKey: '2026-W11' } }))).toMatchObject({ editable: false, report: { late: true } });
    expect(await refused(submit('2026-W11', 1))).toContain('已过截止时间');
  });

  it('refuses someone else, a closed task, and periods the task does not have; nothing is written', async () => {
    at('2026-03-04T10:00:00+08:00');
    expect(await refused(submit('2026-W10', 0, filled(), 'ou_intruder'))).toBe('只有这项任务的负责人（专人）可以填报它的进展汇报。');
    for (const key of ['2026-W09', '2026-Q1', '2026-W20', '2026-13', '2026-W10x']) {
      expect(await refused(submit(key, 0))).toContain('这项任务没有');
    }
    await db.update(ledgerTasks).set({ state: 'closed' }).where(eq(ledgerTasks.id, taskId));
    expect(await refused(submit('2026-W10', 0))).toBe('任务 RW2026-001 已销号，不再需要汇报。');
    expect(await rows()).toHaveLength(0);
  });
});

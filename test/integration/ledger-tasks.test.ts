// Ledger part A on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL): the task state machine through the
// services, who may see and move a task, the all-or-nothing task import, a confirmed topic becoming a task, the
// problem library and the red list. Every refused move leaves the rows and the audit log as they were.
import { and, asc, desc, eq, gt, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, ledgerTasks, milestones, problems, redList, submissions, taskUnits } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import type { Actor } from '../../src/domain/roles.js';
import { validateTaskForm, readTaskForm } from '../../src/domain/ledger/task-import.js';
import { DomainError } from '../../src/errors.js';
import { grantRole, resolveActor } from '../../src/services/actors.js';
import { createCampaign } from '../../src/services/campaigns.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { importTasks, taskFromSubmission } from '../../src/services/ledger-import.js';
import { changeTaskState, createTask, listMyTasks, loadTaskLookups, viewTask } from '../../src/services/ledger-tasks.js';
import { bindLedgerChat, createLedger } from '../../src/services/ledgers.js';
import { changeProblem, listProblems, registerProblem, viewProblem } from '../../src/services/problems.js';
import { listRedList, nominate, publishRedList, withdrawRedListEntry } from '../../src/services/red-list.js';
import { readTable } from '../../src/services/unit-import.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { createTestDatabase, dbKind, queryRows, type TestDatabase } from '../helpers/db.js';

const ADMIN = 'ou_admin';
let test: TestDatabase;
let db: Db;
const clock = new ManualClock(new Date('2026-03-02T09:00:00+08:00'));
const unitIds: Record<string, number> = {};

/** Like the router: each call in its own transaction. */
const tx = <T>(work: (ctx: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((t) => work({ db: t, clock }));
/** PGlite has one connection: inside a transaction, resolve through it. */
const actor = (openId: string, on: Db = db): Promise<Actor> => resolveActor(on, openId, [ADMIN]);

async function refused(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a DomainError');
}

beforeAll(async () => {
  test = await createTestDatabase();
  db = test.database.db;
  await tx(async (ctx) => {
    const people: [string, string, string, 'liaison' | 'member'][] = [
      ['市营商环境建设局', 'ou_li', '李明', 'liaison'],
      ['市营商环境建设局', 'ou_wang', '王刚', 'member'],
      ['市市场监管局', 'ou_zhao', '赵芳', 'liaison'],
      ['市税务局', 'ou_sun', '孙强', 'liaison'],
    ];
    for (const [unit, openId, name, role] of people) {
      const row = await ensureUnit({ ctx, input: { name: unit, type: 'department' }, actorOpenId: null });
      unitIds[unit] = row.id;
      await setUnitMember({ ctx, input: { unitId: row.id, openId, name, role }, actorOpenId: null });
    }
    await grantRole(ctx.db, { openId: 'ou_chen', role: 'leader', at: clock.now(), actorOpenId: null });
    await ctx.db.execute(`update users set name = '陈副市长' where open_id = 'ou_chen'`);
  });
});
afterAll(async () => {
  await test?.cleanup();
});
beforeEach(async () => {
  await queryRows(test.database, 'truncate red_list, problems, progress_reports, milestones, task_units, letters, ledger_tasks, ledgers restart identity cascade');
  clock.set(new Date('2026-03-02T09:00:00+08:00'));
  await tx((ctx) => createLedger({ ctx, input: { title: '2026年全面深化改革任务' }, actorOpenId: ADMIN }));
});

async function newTask(title = '推行企业开办“一日办结”') {
  const lookups = await loadTaskLookups(db);
  const form = { title, lead: String(unitIds['市营商环境建设局']), cooperating: [String(unitIds['市市场监管局'])], leader: 'ou_chen', owner: 'ou_wang', milestones: '2026-03-31 出台实施方案\n2026-06-30 全市推开', cadences: ['weekly'] };
  const checked = validateTaskForm(readTaskForm(form), lookups);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return tx((ctx) => createTask({ ctx, input: { ledgerId: 1, draft: checked.draft }, actorOpenId: ADMIN }));
}

const taskRow = async (id: number) => (await db.select().from(ledgerTasks).where(eq(ledgerTasks.id, id)))[0]!;
/** The audit log is append-only and outlives the truncates: look at what came after a mark. */
const auditMark = async () => (await db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]?.id ?? 0;
const auditsSince = async (mark: number, prefix: string) =>
  (await db.select().from(auditLog).where(and(gt(auditLog.id, mark), like(auditLog.action, `${prefix}.%`))).orderBy(asc(auditLog.id))).map((a) => a.action);

describe(`ledger tasks (${dbKind})`, () => {
  it('creates a task with its code, units and milestones; the same title again creates nothing', async () => {
    const { created, task } = await newTask();
    expect(created).toBe(true);
    expect(task.code).toBe('RW2026-001');
    expect(await db.select().from(taskUnits).where(eq(taskUnits.taskId, task.id))).toHaveLength(2);
    expect((await db.select().from(milestones).where(eq(milestones.taskId, task.id))).map((m) => m.dueAt.toISOString())).toEqual(['2026-03-31T10:00:00.000Z', '2026-06-30T10:00:00.000Z']);
    const again = await newTask();
    expect(again).toMatchObject({ created: false, task: { id: task.id } });
    expect((await newTask('第二项任务')).task.code).toBe('RW2026-002');
  });

  it('runs 挂号 → 推进中 → 申请销号 → 退回 → 留号 → 恢复 → 销号 through the services, refusing illegal moves', async () => {
    const mark = await auditMark();
    const { task } = await newTask();
    const owner = await actor('ou_wang');
    const admin = await actor(ADMIN);
    const cooperating = await actor('ou_zhao');
    const move = (who: Actor, version: number, event: Parameters<typeof changeTaskState>[0]['input']['event']) =>
      tx((ctx) => changeTaskState({ ctx, actor: who, input: { taskId: task.id, version, event } }));

    expect(await refused(move(cooperating, 1, { type: 'start' }))).toBe('只有任务负责人或牵头单位联络人或办公室管理员可以开始推进。');
    expect(await move(owner, 1, { type: 'start' })).toMatchObject({ kind: 'done', view: { state: 'in_progress', version: 2 } });
    expect(await refused(move(owner, 1, { type: 'request_close', summary: 'x' }))).toBe('任务已被他人更新（现在是“推进中”），请刷新卡片后再操作。');
    expect(await refused(move(cooperating, 2, { type: 'request_close', summary: '办完了' }))).toContain('只有任务负责人或牵头单位联络人可以申请销号');
    expect(await move(owner, 2, { type: 'request_close', summary: '  ' })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('需要填写完成情况') });
    expect(await refused(move(owner, 2, { type: 'confirm_close' }))).toBe('只有办公室管理员可以确认销号。');
    expect((await taskRow(task.id)).state).toBe('in_progress');

    await move(owner, 2, { type: 'request_close', summary: '企业开办压缩至1个工作日' });
    expect(await taskRow(task.id)).toMatchObject({ state: 'close_requested', actualResult: '企业开办压缩至1个工作日', version: 3 });
    await move(admin, 3, { type: 'reject_close', reason: '配套细则未出台' });
    expect(await taskRow(task.id)).toMatchObject({ state: 'in_progress', stateReason: '配套细则未出台' });
    expect(await move(admin, 4, { type: 'keep', reason: '跨年度', nextReviewOn: '2026-03-01' })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('须晚于今天') });
    await move(admin, 4, { type: 'keep', reason: '属长期性工作', nextReviewOn: '2026-09-30' });
    expect(await taskRow(task.id)).toMatchObject({ state: 'kept', nextReviewOn: '2026-09-30' });
    await move(owner, 5, { type: 'resume' });
    await move(owner, 6, { type: 'request_close', summary: '全市推开' });
    await move(admin, 7, { type: 'confirm_close' });
    expect(await refused(move(owner, 8, { type: 'start' }))).toContain('已销号的任务不再变动');
    expect(await taskRow(task.id)).toMatchObject({ state: 'closed', version: 8 });
    expect(await auditsSince(mark, 'task')).toEqual(['task.create', 'task.start', 'task.request_close', 'task.reject_close', 'task.keep', 'task.resume', 'task.request_close', 'task.confirm_close']);
  });

  it('lets the people of a task see it and lists it as mine; others are refused', async () => {
    const { task } = await newTask();
    expect(await refused(tx(async (ctx) => viewTask({ ctx, viewer: await actor('ou_sun', ctx.db), taskId: task.id })))).toContain('你无权查看这项任务');
    const seen = await tx(async (ctx) => viewTask({ ctx, viewer: await actor('ou_li', ctx.db), code: 'rw2026-001' }));
    expect(seen).toMatchObject({ leadUnit: { name: '市营商环境建设局' }, leader: { name: '陈副市长' }, relations: ['lead_liaison'], allowed: ['start', 'request_close'] });
    expect((await tx(async (ctx) => viewTask({ ctx, viewer: await actor('ou_chen', ctx.db), code: '1' }))).allowed).toEqual([]);
    expect((await tx(async (ctx) => listMyTasks({ ctx, actor: await actor('ou_zhao', ctx.db) }))).map((l) => [l.code, l.roles])).toEqual([['RW2026-001', ['配合单位']]]);
    expect(await tx(async (ctx) => listMyTasks({ ctx, actor: await actor('ou_sun', ctx.db) }))).toEqual([]);
    expect(await refused(tx(async (ctx) => viewTask({ ctx, viewer: await actor('ou_li', ctx.db), code: 'RW-1' })))).toContain('格式不对');
  });
});

describe(`task import (${dbKind})`, () => {
  const header = '任务名称,牵头单位,配合单位,责任领导,专人,里程碑（日期 内容）,汇报频次,预期成果';
  const run = async (lines: string[]) => tx(async (ctx) => importTasks({ ctx, input: { table: await readTable({ text: [header, ...lines].join('\n') }) }, actorOpenId: ADMIN }));

  it('writes nothing when any row is bad, and gives every bad row its reasons', async () => {
    const result = await run([
      '企业开办一日办结,市营商环境建设局,市税务局,陈副市长,王刚,2026-03-31 出台方案,每月,一日办结',
      '工程建设审批,市住建局,,,王刚,,每月,',
      '不动产登记,市税务局,,,张三,,每旬,',
      '信用监管,市市场监管局,,,赵芳,3月底 出台方案,每周,',
    ]);
    expect(result).toMatchObject({ kind: 'rejected', rowCount: 4 });
    if (result.kind !== 'rejected') return;
    expect(result.problems.map((p) => p.rowNumber)).toEqual([3, 4, 5]);
    expect(result.problems[0]?.reason).toContain('牵头单位“市住建局”不存在');
    expect(result.problems[1]?.reason).toMatch(/专人“张三”不在系统中.*汇报频次“每旬”无法识别/);
    expect(result.problems[2]?.reason).toContain('应以日期开头');
    expect(await db.select().from(ledgerTasks)).toHaveLength(0);
  });

  it('creates, then updates by title, leaving unchanged rows alone; an unknown code is refused', async () => {
    expect(await run(['企业开办一日办结,市营商环境建设局,市税务局,陈副市长,王刚,2026-03-31 出台方案,每月,一日办结', '信用监管,市市场监管局,,,赵芳,,每周、每月,'])).toMatchObject({
      kind: 'done',
      created: ['RW2026-001 企业开办一日办结', 'RW2026-002 信用监管'],
    });
    const second = await run(['企业开办一日办结,市营商环境建设局,市税务局,陈副市长,王刚,2026-04-30 出台方案,每月,一日办结', '信用监管,市市场监管局,,,赵芳,,每周、每月,']);
    expect(second).toMatchObject({ kind: 'done', created: [], updated: ['RW2026-001 企业开办一日办结'], unchanged: ['RW2026-002 信用监管'] });
    expect((await db.select().from(milestones)).map((m) => m.dueAt.toISOString())).toEqual(['2026-04-30T10:00:00.000Z']);
    const byCode = await tx(async (ctx) => importTasks({ ctx, input: { table: await readTable({ text: `任务编号,${header}\nRW2026-009,新任务,市税务局,,,孙强,,每月,` }) }, actorOpenId: ADMIN }));
    expect(byCode).toMatchObject({ kind: 'rejected', problems: [{ rowNumber: 2, reason: expect.stringContaining('任务编号“RW2026-009”在台账') }] });
    expect(await db.select().from(ledgerTasks)).toHaveLength(2);
  });
});

describe(`campaign topic to ledger task (${dbKind})`, () => {
  it('keeps the unit, the first main creator as owner and the link back; once per submission', async () => {
    const sub = await tx(async (ctx) => {
      const campaign = await createCampaign({ ctx, input: { templateId: 'liaoning-2022', code: `LN${Date.now() % 100000}` }, actorOpenId: null });
      const values = { campaignId: campaign.id, unitId: unitIds['市税务局']!, seq: 1, kind: 'topic' as const, title: '办税“一网通办”', fields: { innovation: '全程网办' }, formKey: `k${Date.now()}` };
      const [row] = await ctx.db.insert(submissions).values({ ...values, trackingNo: `T-${Date.now()}`, mainCreators: [{ openId: 'ou_sun', name: '孙强' }], status: 'submitted', submittedBy: 'ou_sun', createdAt: clock.now(), updatedAt: clock.now() }).returning();
      return row!;
    });
    expect(await refused(tx((ctx) => taskFromSubmission({ ctx, input: { submissionId: sub.id }, actorOpenId: ADMIN })))).toContain('只有已确认的选题');
    await db.update(submissions).set({ status: 'confirmed' }).where(eq(submissions.id, sub.id));
    const first = await tx((ctx) => taskFromSubmission({ ctx, input: { submissionId: sub.id }, actorOpenId: ADMIN }));
    expect(first).toMatchObject({ created: true, task: { title: '办税“一网通办”', ownerOpenId: 'ou_sun', sourceSubmissionId: sub.id, expectedResult: '全程网办' } });
    const view = await tx(async (ctx) => viewTask({ ctx, viewer: await actor(ADMIN, ctx.db), taskId: first.task.id }));
    expect(view).toMatchObject({ leadUnit: { name: '市税务局' }, source: { trackingNo: sub.trackingNo, creators: ['孙强'] } });
    expect(await tx((ctx) => taskFromSubmission({ ctx, input: { submissionId: sub.id }, actorOpenId: ADMIN }))).toMatchObject({ created: false, task: { id: first.task.id } });
  });
});

describe(`problem library (${dbKind})`, () => {
  it('registers at once (one per form), routes, answers, and refuses the rest', async () => {
    await newTask();
    const mark = await auditMark();
    const member = await actor('ou_wang');
    const form = { description: '企业开办涉及的刻章环节仍需线下办理' };
    const first = await tx((ctx) => registerProblem({ ctx, actor: member, input: { formKey: 'form-key-0001', form } }));
    expect(first).toMatchObject({ kind: 'created', view: { state: 'open', unit: undefined } });
    expect(await tx((ctx) => registerProblem({ ctx, actor: member, input: { formKey: 'form-key-0001', form } }))).toMatchObject({ kind: 'duplicate' });
    expect(await tx((ctx) => registerProblem({ ctx, actor: member, input: { formKey: 'form-key-0002', form: { description: ' ' } } }))).toMatchObject({ kind: 'invalid', errors: { description: expect.any(String) } });
    expect(await db.select().from(problems)).toHaveLength(1);

    const admin = await actor(ADMIN);
    const liaison = await actor('ou_zhao');
    const id = 1;
    expect(await refused(tx((ctx) => changeProblem({ ctx, actor: liaison, input: { problemId: id, event: { type: 'resolve', resolution: 'x' } } })))).toContain('你不能办结这个问题');
    expect(await refused(tx((ctx) => viewProblem({ ctx, viewer: liaison, problemId: id })))).toContain('你无权查看这个问题');
    const routed = await tx((ctx) => changeProblem({ ctx, actor: admin, input: { problemId: id, event: { type: 'assign', unitId: unitIds['市市场监管局']! } } }));
    expect(routed).toMatchObject({ kind: 'done', notifyOpenIds: ['ou_zhao'], view: { state: 'assigned', unit: { name: '市市场监管局' } } });
    expect(await tx(async (ctx) => changeProblem({ ctx, actor: await actor('ou_zhao', ctx.db), input: { problemId: id, event: { type: 'resolve', resolution: '' } } }))).toMatchObject({ kind: 'invalid' });
    await tx(async (ctx) => changeProblem({ ctx, actor: await actor('ou_zhao', ctx.db), input: { problemId: id, event: { type: 'resolve', resolution: '已实现刻章网上办' } } }));
    expect(await refused(tx((ctx) => changeProblem({ ctx, actor: admin, input: { problemId: id, event: { type: 'escalate', reason: 'x' } } })))).toContain('问题已解决');

    const second = await tx((ctx) => registerProblem({ ctx, actor: member, input: { formKey: 'form-key-0003', form: { description: '跨部门数据不共享' } } }));
    if (second.kind !== 'created') throw new Error('not created');
    const escalated = await tx((ctx) => changeProblem({ ctx, actor: admin, input: { problemId: second.view.id, event: { type: 'escalate', reason: '需市级统筹数据共享' } } }));
    // No related task: every leader is asked to study it.
    expect(escalated).toMatchObject({ kind: 'done', notifyOpenIds: ['ou_chen'], escalation: 1 });
    const leaderView = await tx(async (ctx) => viewProblem({ ctx, viewer: await actor('ou_chen', ctx.db), problemId: second.view.id }));
    expect(leaderView).toMatchObject({ state: 'escalated', escalationReason: '需市级统筹数据共享' });
    expect((await tx(async (ctx) => listProblems({ ctx, viewer: await actor('ou_sun', ctx.db) })))).toEqual([]);
    expect(await auditsSince(mark, 'problem')).toEqual(['problem.register', 'problem.assign', 'problem.resolve', 'problem.register', 'problem.escalate']);
  });
});

describe(`red list (${dbKind})`, () => {
  it('nominates, refuses duplicates, publishes to the bound group once, and withdraws with a reason', async () => {
    const { task } = await newTask();
    await tx((ctx) => nominate({ ctx, input: { subject: { type: 'task', taskId: task.id, ledgerId: task.ledgerId, name: `${task.code} ${task.title}` }, reason: '一日办结全市推广' }, actorOpenId: ADMIN }));
    await tx((ctx) => nominate({ ctx, input: { subject: { type: 'unit', unitId: unitIds['市税务局']!, name: '市税务局' }, reason: '办税一网通办' }, actorOpenId: ADMIN }));
    expect(await refused(tx((ctx) => nominate({ ctx, input: { subject: { type: 'unit', unitId: unitIds['市税务局']!, name: '市税务局' }, reason: '再来' }, actorOpenId: ADMIN })))).toContain('已在红榜上');
    expect(await refused(tx((ctx) => nominate({ ctx, input: { subject: { type: 'person', openId: 'ou_li', name: '李明' }, reason: ' ' }, actorOpenId: ADMIN })))).toContain('请写明提名理由');
    expect(await refused(tx((ctx) => publishRedList({ ctx, input: {}, actorOpenId: ADMIN })))).toContain('还没有绑定工作群');
    await tx((ctx) => bindLedgerChat({ ctx, ledgerId: 1, chatId: 'oc_work', actorOpenId: ADMIN }));
    const published = await tx((ctx) => publishRedList({ ctx, input: {}, actorOpenId: ADMIN }));
    expect(published).toMatchObject({ chatId: 'oc_work', published: [{ status: 'published' }, { status: 'published' }] });
    expect(await refused(tx((ctx) => publishRedList({ ctx, input: {}, actorOpenId: ADMIN })))).toContain('没有待发布的提名');
    await tx((ctx) => withdrawRedListEntry({ ctx, input: { entryId: 2, reason: '数据有误' }, actorOpenId: ADMIN }));
    expect(await refused(tx((ctx) => withdrawRedListEntry({ ctx, input: { entryId: 2, reason: '再撤' }, actorOpenId: ADMIN })))).toContain('已撤回');
    expect((await tx((ctx) => listRedList({ ctx, includeAll: false }))).entries.map((e) => e.subjectName)).toEqual([`${task.code} ${task.title}`]);
    expect((await db.select().from(redList)).map((r) => r.status)).toEqual(['published', 'withdrawn']);
  });
});

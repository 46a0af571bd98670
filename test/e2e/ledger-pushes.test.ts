// What the ledger pushes to the people who must decide, end to end through the real SDK and the fake Lark: an
// owner's close request (申请销号) reaches every admin as a card whose 确认销号 / 退回 buttons are the task card's own;
// the first decision closes (or returns) the task and tells the owner, a second click on another copy is refused and
// changes nothing; a new request after a return is pushed again. A problem put to the leaders (提请研究) reaches the
// responsible leader of its task, or every leader when it has no task.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, ledgerTasks, outbox } from '../../db/schema/index.js';
import { grantRole, upsertUser } from '../../src/services/actors.js';
import { createLedger } from '../../src/services/ledgers.js';
import { createTask } from '../../src/services/ledger-tasks.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { buttonNames, buttonValue, chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const ADMIN_2 = 'ou_admin_2';
const OWNER = 'ou_wang';
let t: TestBot;
const taskIds: number[] = [];
const units: Record<string, number> = {};

const { repliesTo: messagesTo, send, click, flush } = chatWith(() => t);

beforeAll(async () => {
  t = await startTestBot();
  t.clock.jumpTo(new Date('2026-03-04T10:00:00+08:00'));
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    const at = t.clock.now();
    for (const [name, openId, person, role] of [
      ['市营商环境建设局', 'ou_li', '李明', 'liaison'],
      ['市营商环境建设局', OWNER, '王刚', 'member'],
      ['市市场监管局', 'ou_zhao', '赵芳', 'liaison'],
    ] as const) {
      const unit = await ensureUnit({ ctx, input: { name, type: 'department' }, actorOpenId: null });
      units[name] = unit.id;
      await setUnitMember({ ctx, input: { unitId: unit.id, openId, name: person, role }, actorOpenId: null });
    }
    await upsertUser(tx, { openId: ADMIN_2, name: '周办', at });
    await grantRole(tx, { openId: ADMIN_2, role: 'admin', at, actorOpenId: null });
    for (const [openId, name] of [['ou_chen', '陈副市长'], ['ou_liu', '刘副市长']] as const) {
      await upsertUser(tx, { openId, name, at });
      await grantRole(tx, { openId, role: 'leader', at, actorOpenId: null });
    }
    const ledger = await createLedger({ ctx, input: { title: '2026年全面深化改革任务' }, actorOpenId: ADMIN });
    for (const title of ['推行企业开办“一日办结”', '工程建设项目审批改革']) {
      const draft = { title, measure: undefined, leadUnitId: units['市营商环境建设局']!, cooperatingUnitIds: [], responsibleLeaderOpenId: 'ou_chen', ownerOpenId: OWNER, milestones: [], cadences: ['monthly' as const], expectedResult: '企业开办1个工作日办结' };
      taskIds.push((await createTask({ ctx, input: { ledgerId: ledger.id, draft }, actorOpenId: ADMIN })).task.id);
    }
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const titled = (openId: string, prefix: string) => messagesTo(openId).filter((m) => m.card?.header?.title.content.startsWith(prefix));
const task = async (id: number) => (await t.app.database.db.select().from(ledgerTasks).where(eq(ledgerTasks.id, id)))[0]!;
const taskAudits = async (id: number) => (await t.app.database.db.select().from(auditLog).where(eq(auditLog.entityId, String(id)))).filter((a) => a.entityType === 'ledger_task').length;

/** The owner fills in 申请销号 on their task card and submits it. */
async function requestClose(code: string, summary: string) {
  const card = await send(OWNER, `/任务 详情 ${code}`);
  const form = await click(OWNER, card.message_id, buttonValue(card.card, 'ev_request_close'));
  return click(OWNER, card.message_id, buttonValue(form.card, 'submit'), { summary });
}

describe('close requests reach the office', () => {
  it('pushes one card per admin; the first 确认销号 closes the task and tells the owner; a second click is refused', async () => {
    const requested = await requestClose('RW2026-001', '企业开办压缩至1个工作日，全市推开');
    expect(requested.toast).toEqual({ type: 'success', content: '任务 RW2026-001 已申请销号，现在是“待确认销号”；已通知办公室确认。' });
    await flush();
    const [first] = titled(ADMIN, '销号申请 · RW2026-001');
    const [second] = titled(ADMIN_2, '销号申请 · RW2026-001');
    expect(titled(ADMIN, '销号申请')).toHaveLength(1);
    expect(titled(ADMIN_2, '销号申请')).toHaveLength(1);
    expect(titled(OWNER, '销号申请')).toHaveLength(0);
    for (const pushed of [first!, second!]) {
      expect(messageText(pushed)).toContain('企业开办压缩至1个工作日，全市推开');
      expect(messageText(pushed)).toContain('**专人**：王刚');
      expect(buttonNames(pushed.card)).toEqual(['ev_confirm_close', 'ev_reject_close', 'view']);
    }
    // The same payloads as the task card's buttons for an admin: one confirm path.
    const adminCard = await send(ADMIN, '/任务 详情 RW2026-001');
    expect(buttonValue(first!.card, 'ev_confirm_close')).toEqual(buttonValue(adminCard.card, 'ev_confirm_close'));
    expect(buttonValue(first!.card, 'ev_reject_close')).toEqual(buttonValue(adminCard.card, 'ev_reject_close'));
    const ownerMessages = messagesTo(OWNER).length;

    const confirmed = await click(ADMIN_2, second!.message_id, buttonValue(second!.card, 'ev_confirm_close'));
    expect(confirmed.toast).toEqual({ type: 'success', content: '任务 RW2026-001 已确认销号，现在是“已销号”。' });
    expect(messageText(t.fake.findMessage(second!.message_id)!)).toContain('已销号');
    await flush();
    expect(messagesTo(OWNER)).toHaveLength(ownerMessages + 1);
    expect(messageText(messagesTo(OWNER).at(-1)!)).toBe('台账任务 RW2026-001“推行企业开办“一日办结””已由办公室确认销号，现在是“已销号”。');
    const closed = await task(taskIds[0]!);
    expect(closed).toMatchObject({ state: 'closed', actualResult: '企业开办压缩至1个工作日，全市推开' });
    const audits = await taskAudits(taskIds[0]!);

    for (const name of ['ev_confirm_close', 'ev_reject_close']) {
      const late = await click(ADMIN, first!.message_id, buttonValue(first!.card, name));
      expect(late.toast).toEqual({ type: 'error', content: '这份销号申请已经办理过了，任务现在是“已销号”，本次操作没有生效。' });
    }
    await flush();
    expect(await task(taskIds[0]!)).toEqual(closed);
    expect(await taskAudits(taskIds[0]!)).toBe(audits);
    expect(messagesTo(OWNER)).toHaveLength(ownerMessages + 1);
  });

  it('退回 on the pushed card asks for a reason and tells the owner; a new request is pushed again', async () => {
    await requestClose('RW2026-002', '审批时限压缩一半');
    await flush();
    const [pushed] = titled(ADMIN, '销号申请 · RW2026-002');
    const [copy] = titled(ADMIN_2, '销号申请 · RW2026-002');
    // Cards are updated in place by the fake: read the other admin's button before anything changes.
    const confirmOnCopy = buttonValue(copy!.card, 'ev_confirm_close');
    const form = await click(ADMIN, pushed!.message_id, buttonValue(pushed!.card, 'ev_reject_close'));
    const submit = buttonValue(form.card, 'submit');
    const empty = await click(ADMIN, pushed!.message_id, submit, { reason: ' ' });
    expect(empty.toast?.content).toBe('退回销号申请需要填写理由，说明还需要完成什么。');
    expect((await task(taskIds[1]!)).state).toBe('close_requested');
    const returned = await click(ADMIN, pushed!.message_id, submit, { reason: '配套细则尚未出台' });
    expect(returned.toast?.content).toBe('任务 RW2026-002 已退回销号申请，现在是“推进中”。');
    await flush();
    expect(messageText(messagesTo(OWNER).at(-1)!)).toBe('台账任务 RW2026-002“工程建设项目审批改革”已由办公室退回销号申请，现在是“推进中”。理由：配套细则尚未出台');
    const stale = await click(ADMIN_2, copy!.message_id, confirmOnCopy);
    expect(stale.toast?.content).toBe('这份销号申请已经办理过了，任务现在是“推进中”，本次操作没有生效。');
    expect((await task(taskIds[1]!)).state).toBe('in_progress');

    const seen = new Map([ADMIN, ADMIN_2].map((a) => [a, messagesTo(a).length]));
    await requestClose('RW2026-002', '审批时限压缩一半，细则已出台');
    await flush();
    for (const admin of [ADMIN, ADMIN_2]) {
      const fresh = messagesTo(admin).slice(seen.get(admin));
      expect(fresh).toHaveLength(1);
      expect(messageText(fresh[0]!)).toContain('细则已出台');
      expect(buttonValue(fresh[0]!.card, 'ev_confirm_close')).toMatchObject({ a: 'task.event', e: 'confirm_close', ver: 4 });
    }
    const keys = (await t.app.database.db.select({ key: outbox.key }).from(outbox).where(eq(outbox.kind, 'task.closeRequest'))).map((r) => r.key).sort();
    expect(keys).toEqual(
      [
        `task.closeRequest:${taskIds[0]}:v2:${ADMIN}`,
        `task.closeRequest:${taskIds[0]}:v2:${ADMIN_2}`,
        `task.closeRequest:${taskIds[1]}:v2:${ADMIN}`,
        `task.closeRequest:${taskIds[1]}:v2:${ADMIN_2}`,
        `task.closeRequest:${taskIds[1]}:v4:${ADMIN}`,
        `task.closeRequest:${taskIds[1]}:v4:${ADMIN_2}`,
      ].sort(),
    );
  });
});

describe('problems put to the leaders', () => {
  async function registerAndEscalate(description: string, taskId: number | undefined, reason: string): Promise<number> {
    const form = await send('ou_li', '/问题 登记');
    const registered = await click('ou_li', form.message_id, buttonValue(form.card, 'submit'), { description, ...(taskId ? { task: String(taskId) } : {}) });
    const id = Number(/#(\d+)/.exec(registered.toast?.content ?? '')?.[1]);
    const problem = await send(ADMIN, `/问题 详情 ${id}`);
    const escalateForm = await click(ADMIN, problem.message_id, buttonValue(problem.card, 'ev_escalate'));
    const escalated = await click(ADMIN, problem.message_id, buttonValue(escalateForm.card, 'submit'), { text: reason });
    expect(escalated.toast?.content).toBe(`问题 #${id} 已提请研究，现在是“提请研究”。`);
    await flush();
    return id;
  }

  it('goes to the responsible leader of the related task, else to every leader; once per escalation', async () => {
    const withTask = await registerAndEscalate('企业开办刻章环节仍需线下办理', taskIds[1], '需市级统筹公安、市场监管数据共享');
    expect(titled('ou_chen', `问题 #${withTask}`)).toHaveLength(1);
    expect(titled('ou_liu', `问题 #${withTask}`)).toHaveLength(0);
    const card = titled('ou_chen', `问题 #${withTask}`)[0]!;
    expect(messageText(card)).toContain('改革办提请您研究以下问题');
    expect(messageText(card)).toContain('**提请研究**：需市级统筹公安、市场监管数据共享');
    expect(buttonNames(card.card)).toEqual([]);

    const orphan = await registerAndEscalate('跨部门数据不共享', undefined, '涉及多个部门，需市政府协调');
    expect(titled('ou_chen', `问题 #${orphan}`)).toHaveLength(1);
    expect(titled('ou_liu', `问题 #${orphan}`)).toHaveLength(1);

    // Routed to a unit, then put to the leaders again: a second push for the second escalation.
    const problem = await send(ADMIN, `/问题 详情 ${orphan}`);
    const assign = await click(ADMIN, problem.message_id, buttonValue(problem.card, 'ev_assign'));
    const routed = await click(ADMIN, problem.message_id, buttonValue(assign.card, 'submit'), { unit: String(units['市市场监管局']) });
    const reason = await click(ADMIN, problem.message_id, buttonValue(routed.card, 'ev_escalate'));
    const again = await click(ADMIN, problem.message_id, buttonValue(reason.card, 'submit'), { text: '单位反馈仍需市级协调' });
    expect(again.toast?.content).toBe(`问题 #${orphan} 已提请研究，现在是“提请研究”。`);
    await flush();
    expect(titled('ou_liu', `问题 #${orphan}`)).toHaveLength(2);
    const keys = (await t.app.database.db.select({ key: outbox.key }).from(outbox).where(eq(outbox.kind, 'problem.escalated'))).map((r) => r.key).sort();
    expect(keys).toEqual([`problem.escalate:${orphan}:n1:ou_chen`, `problem.escalate:${orphan}:n1:ou_liu`, `problem.escalate:${orphan}:n2:ou_chen`, `problem.escalate:${orphan}:n2:ou_liu`, `problem.escalate:${withTask}:n1:ou_chen`].sort());
  });
});

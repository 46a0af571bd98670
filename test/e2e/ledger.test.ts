// The reform ledger (part A) end to end, through the real SDK and the fake Lark: a ledger and a task from the form
// card, the owner's report card submitted through a card callback and updated in place, state changes on the task
// card, a task import from a file, the red list published to the bound group, and a problem routed to a unit.
// Bad input (a refused form, a forged or stale payload, someone else's task) gets a Chinese answer and changes nothing.
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ledgerTasks, progressReports } from '../../db/schema/index.js';
import { grantRole, upsertUser } from '../../src/services/actors.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { buttonNames, buttonValue, chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
const units: Record<string, number> = {};

const { signed, repliesTo, send, click, flush, shown } = chatWith(() => t);

beforeAll(async () => {
  t = await startTestBot();
  t.clock.jumpTo(new Date('2026-03-04T10:00:00+08:00'));
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    const cast: [string, string, string, 'liaison' | 'member'][] = [
      ['市营商环境建设局', 'ou_li', '李明', 'liaison'],
      ['市营商环境建设局', 'ou_wang', '王刚', 'member'],
      ['市市场监管局', 'ou_zhao', '赵芳', 'liaison'],
      ['市税务局', 'ou_sun', '孙强', 'liaison'],
    ];
    for (const [name, openId, person, role] of cast) {
      const unit = await ensureUnit({ ctx, input: { name, type: 'department' }, actorOpenId: null });
      units[name] = unit.id;
      await setUnitMember({ ctx, input: { unitId: unit.id, openId, name: person, role }, actorOpenId: null });
    }
    await upsertUser(tx, { openId: 'ou_chen', name: '陈副市长', at: t.clock.now() });
    await grantRole(tx, { openId: 'ou_chen', role: 'leader', at: t.clock.now(), actorOpenId: null });
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const reports = () => t.app.database.db.select().from(progressReports);
const tasks = () => t.app.database.db.select().from(ledgerTasks);

describe('reform ledger in chat', () => {
  it('admin: ledger and a task from the form card; a refused form writes nothing; the owner is told', async () => {
    expect(messageText(await send(ADMIN, '/台账 新建 2026年全面深化改革任务'))).toContain('已新建台账“2026年全面深化改革任务”（2026年）');
    expect(messageText(await send('ou_li', '/台账 新建 别的台账'))).toContain('你没有权限执行“台账 新建”');

    const form = await send(ADMIN, '/任务 新建');
    const submit = buttonValue(form.card, 'submit');
    expect(submit).toEqual({ v: 1, a: 'task.create', l: 1 });
    const values = { title: '', lead: String(units['市营商环境建设局']), cooperating: [String(units['市市场监管局'])], leader: 'ou_chen', owner: 'ou_wang', milestones: '六月底 全市推开', cadences: ['weekly', 'monthly'] };
    const bad = await click(ADMIN, form.message_id, submit, values);
    expect(bad.toast).toEqual({ type: 'error', content: '有2处需要修改，请按卡片上的红字提示修改后重新提交。' });
    expect(JSON.stringify(bad.card)).toContain('请填写任务名称。');
    expect(JSON.stringify(bad.card)).toContain('"default_value":"六月底 全市推开"');
    expect(await tasks()).toHaveLength(0);

    const ok = await click(ADMIN, form.message_id, submit, { ...values, title: '推行企业开办“一日办结”', milestones: '2026-03-31 出台实施方案\n2026-06-30 全市推开' });
    expect(ok.toast).toEqual({ type: 'success', content: '已登记任务 RW2026-001。' });
    expect(shown(form.message_id)).toContain('RW2026-001 推行企业开办“一日办结”');
    expect(shown(form.message_id)).toContain('市市场监管局');
    await flush();
    expect(messageText(repliesTo('ou_wang').at(-1)!)).toContain('你已被指定为台账任务 RW2026-001');
  });

  it('owner: /汇报 → report card → refused submit → submitted in place; a double submit and forged payloads change nothing', async () => {
    const list = await send('ou_wang', '/汇报');
    expect(messageText(list)).toContain('2026年第10周');
    const opened = await click('ou_wang', list.message_id, buttonValue(list.card, 'open_0'));
    expect(opened.card?.header?.title.content).toBe('进展汇报 · RW2026-001 2026年第10周');
    const submit = buttonValue(opened.card, 'submit');
    expect(submit).toMatchObject({ a: 'report.submit', ver: 0 });
    const milestoneFields = JSON.stringify(opened.card).match(/"name":"(ms_\d+)"/g) ?? [];
    expect(milestoneFields).toHaveLength(2);
    const form: Record<string, unknown> = { progress: '实施方案已起草', problems: '', suggestions: '', percent: '一百' };
    for (const f of milestoneFields) form[f.slice(8, -1)] = 'on_time';

    const bad = await click('ou_wang', list.message_id, submit, form);
    expect(bad.toast?.type).toBe('error');
    expect(JSON.stringify(bad.card)).toContain('完成进度“一百”不对');
    expect(await reports()).toHaveLength(0);

    const ok = await click('ou_wang', list.message_id, submit, { ...form, percent: '30' });
    expect(ok.toast).toEqual({ type: 'success', content: '2026年第10周汇报已提交。截止前仍可修改。' });
    expect(shown(list.message_id)).toContain('已提交');
    expect(shown(list.message_id)).toContain('完成进度**：30%');
    expect(buttonNames(ok.card)).toEqual(['edit', 'list']);

    const twice = await click('ou_wang', list.message_id, submit, { ...form, percent: '30' });
    expect(twice.toast?.type).toBe('info');
    expect(await reports()).toHaveLength(1);

    const intruder = await click('ou_zhao', list.message_id, submit, { ...form, percent: '99' });
    expect(intruder.toast).toEqual({ type: 'error', content: '只有这项任务的负责人（专人）可以填报它的进展汇报。' });
    const forged = await click('ou_wang', list.message_id, { ...submit, t: 999 }, form);
    expect(forged.toast).toEqual({ type: 'error', content: '这项任务已不存在，请发送“/任务”查看最新情况。' });
    const garbage = await click('ou_wang', list.message_id, { v: 1, a: 'report.submit', t: 1, p: '2026-W10; drop table', ver: 0 }, form);
    expect(garbage.toast?.content).toBe('这张卡片已过期或无法识别，请重新发送命令获取新卡片。');
    expect((await reports())[0]).toMatchObject({ percentComplete: 30, version: 1, late: false });
  });

  it('task card: only the moves each person may make; stale buttons and other people are refused', async () => {
    const coop = await send('ou_zhao', '/任务 详情 RW2026-001');
    expect(buttonNames(coop.card)).toEqual(['mine']);
    const sneaky = await click('ou_zhao', coop.message_id, { v: 1, a: 'task.eventForm', id: 1, ver: 1, e: 'request_close' });
    expect(sneaky.toast?.content).toBe('只有任务负责人或牵头单位联络人可以申请销号。');
    expect(messageText(await send('ou_sun', '/任务 详情 RW2026-001'))).toContain('你无权查看这项任务');

    const card = await send('ou_wang', '/任务 详情 RW2026-001');
    expect(buttonNames(card.card)).toEqual(['ev_start', 'ev_request_close', 'mine']);
    // The fake updates the message in place: keep the first card's button to click it again later.
    const startV1 = buttonValue(card.card, 'ev_start');
    const started = await click('ou_wang', card.message_id, startV1);
    expect(started.toast?.content).toBe('任务 RW2026-001 已开始推进，现在是“推进中”。');
    const stale = await click('ou_wang', card.message_id, startV1);
    expect(stale.toast?.content).toBe('任务已被他人更新（现在是“推进中”），请刷新卡片后再操作。');

    const closeForm = await click('ou_wang', card.message_id, buttonValue(started.card, 'ev_request_close'));
    const empty = await click('ou_wang', card.message_id, buttonValue(closeForm.card, 'submit'), { summary: ' ' });
    expect(empty.toast?.content).toContain('申请销号需要填写完成情况');
    expect(JSON.stringify(empty.card)).toContain("<font color='red'>");
    const requested = await click('ou_wang', card.message_id, buttonValue(closeForm.card, 'submit'), { summary: '企业开办压缩至1个工作日' });
    expect(shown(card.message_id)).toContain('待确认销号');

    const adminCard = await send(ADMIN, '/任务 详情 RW2026-001');
    expect(buttonNames(adminCard.card)).toEqual(['ev_confirm_close', 'ev_reject_close', 'mine']);
    const owned = await click('ou_wang', card.message_id, { v: 1, a: 'task.event', id: 1, ver: 3, e: 'confirm_close' });
    expect(owned.toast?.content).toBe('只有办公室管理员可以确认销号。');
    expect(requested.toast?.type).toBe('success');
    const confirmed = await click(ADMIN, adminCard.message_id, buttonValue(adminCard.card, 'ev_confirm_close'));
    expect(confirmed.toast?.content).toBe('任务 RW2026-001 已确认销号，现在是“已销号”。');
    await flush();
    expect(messageText(repliesTo('ou_wang').at(-1)!)).toContain('已由办公室确认销号');

    const late = await click('ou_wang', card.message_id, { v: 1, a: 'report.submit', t: 1, p: '2026-03', ver: 0 }, { progress: 'x', percent: '1' });
    expect(late.toast?.content).toBe('任务 RW2026-001 已销号，不再需要汇报。');
  });

  it('imports tasks from a file: every bad row named and nothing written, then all rows', async () => {
    const header = ['任务名称', '所属举措', '牵头单位', '配合单位', '责任领导', '专人', '里程碑（日期 内容）', '汇报频次', '预期成果'];
    const bad = [header, ['工程建设项目审批改革', '营商环境', '市住建局', '', '', '王刚', '', '每月', ''], ['不动产登记一窗办理', '', '市税务局', '', '', '张三', '2026/13/01 完成', '每旬', '']].map((r) => r.join(',')).join('\n');
    await t.fake.sendFile(t.app.webhookUrl, { from: ADMIN, fileName: '台账任务.csv', bytes: new TextEncoder().encode(bad) }, signed());
    await t.app.pipeline.drain();
    const rejected = messageText(repliesTo(ADMIN).at(-1)!);
    expect(rejected).toContain('台账任务导入未完成：没有写入任何数据');
    expect(rejected).toContain('牵头单位“市住建局”不存在');
    expect(rejected).toMatch(/第3行.*专人“张三”不在系统中.*汇报频次“每旬”无法识别/);
    expect(await tasks()).toHaveLength(1);

    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('任务');
    for (const r of [header, ['工程建设项目审批改革', '营商环境', '市营商环境建设局', '市税务局', '陈副市长', '李明', '2026-05-31 审批时限压缩一半', '每月', '审批时限压缩50%'], ['信用监管', '', '市市场监管局', '', '', '赵芳', '', '每周', '']]) sheet.addRow(r);
    await t.fake.sendFile(t.app.webhookUrl, { from: ADMIN, fileName: '台账任务.xlsx', bytes: new Uint8Array(await wb.xlsx.writeBuffer()) }, signed());
    await t.app.pipeline.drain();
    const done = messageText(repliesTo(ADMIN).at(-1)!);
    expect(done).toContain('台账任务导入完成');
    expect(done).toContain('新建 **2** 项');
    expect((await tasks()).map((x) => x.code).sort()).toEqual(['RW2026-001', 'RW2026-002', 'RW2026-003']);
    const everything = messageText(await send(ADMIN, '/任务 全部'));
    expect(everything).toContain('共 3 项');
    expect(everything).toContain('**RW2026-003** 信用监管｜已挂号｜牵头：市市场监管局｜专人：赵芳');
    expect(messageText(await send('ou_li', '/任务'))).toContain('**RW2026-002** 工程建设项目审批改革');
  });

  it('publishes the red list to the bound group and routes a problem to a unit', async () => {
    t.fake.addGroup('oc_reform_group', '全面深化改革工作群', [ADMIN, 'ou_li']);
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, chatType: 'group', chatId: 'oc_reform_group', text: '/台账 绑定群', mentionBot: true }, signed());
    await t.app.pipeline.drain();
    expect(messageText(t.fake.lastMessageTo('oc_reform_group')!)).toContain('已将本群设为台账“2026年全面深化改革任务”的工作群');
    expect(messageText(await send(ADMIN, '/红榜 提名 RW2026-001 企业开办一日办结，经验全市推广'))).toBe('已提名“RW2026-001 推行企业开办“一日办结””上红榜（#1）。发送“/红榜 发布”通报到工作群。');
    expect(messageText(await send(ADMIN, '/红榜 提名 市税务局'))).toContain('请写明提名理由');
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, text: '/红榜 提名 @_user_1 改革专员履职突出', mentions: [{ key: '@_user_1', openId: 'ou_li', name: '李明' }] }, signed());
    await t.app.pipeline.drain();
    expect(messageText(repliesTo(ADMIN).at(-1)!)).toBe('已提名“李明”上红榜（#2）。发送“/红榜 发布”通报到工作群。');
    expect(messageText(await send('ou_li', '/红榜 发布'))).toContain('你没有权限执行“红榜 发布”');
    expect(messageText(await send(ADMIN, '/红榜 发布'))).toBe('已在工作群通报红榜，新上榜 2 项。');
    await flush();
    const notice = t.fake.lastMessageTo('oc_reform_group')!;
    expect(messageText(notice)).toContain('改革“红榜”通报');
    expect(messageText(notice)).toContain('经验全市推广');
    expect(messageText(notice)).toContain('【个人】李明：改革专员履职突出');
    expect(messageText(await send('ou_sun', '/红榜'))).toContain('【个人】李明');

    const form = await send('ou_wang', '/问题 登记');
    const registered = await click('ou_wang', form.message_id, buttonValue(form.card, 'submit'), { description: '企业开办刻章环节仍需线下办理', task: '1' });
    expect(registered.toast).toEqual({ type: 'success', content: '问题已挂号，编号 #1。' });
    const problem = await send(ADMIN, '/问题 详情 1');
    const assignForm = await click(ADMIN, problem.message_id, buttonValue(problem.card, 'ev_assign'));
    const routed = await click(ADMIN, problem.message_id, buttonValue(assignForm.card, 'submit'), { unit: String(units['市市场监管局']) });
    expect(routed.toast?.content).toBe('问题 #1 已分办，现在是“已分办”。');
    await flush();
    const toLiaison = repliesTo('ou_zhao').at(-1)!;
    expect(messageText(toLiaison)).toContain('企业开办刻章环节仍需线下办理');
    expect(buttonNames(toLiaison.card)).toEqual(['ev_resolve', 'ev_escalate']);
    expect(messageText(await send('ou_sun', '/问题 详情 1'))).toContain('你无权查看这个问题');
    expect(messageText(await send('ou_zhao', '/问题'))).toContain('**#1** 企业开办刻章环节仍需线下办理｜已分办｜市市场监管局｜RW2026-001');
  });
});

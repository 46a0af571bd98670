// /推荐 end to end: the public's form (refused, accepted, double-clicked), the office's list with 分派 and
// 不采纳, the notices to the recommender and the assigned unit, forged payloads and outsiders.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, recommendations } from '../../db/schema/index.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { buttonValueAnywhere as buttonValue, chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
let unitId: number;
const CITIZEN = 'ou_citizen';
const LIAISON = 'ou_liaison_ys';

beforeAll(async () => {
  t = await startTestBot();
  const ctx = { db: t.app.database.db, clock: t.clock };
  const unit = await ensureUnit({ ctx, input: { name: '市营商环境建设局', type: 'department' }, actorOpenId: null });
  unitId = unit.id;
  await setUnitMember({ ctx, input: { unitId, openId: LIAISON, name: '孙强', role: 'liaison' }, actorOpenId: null });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

// `send` returns the bot's reply to the sent message itself, not a notification that happened to arrive meanwhile.
const { send, click, flush } = chatWith(() => t, { reply: 'toMessage' });

const rows = () => t.app.database.db.select().from(recommendations);

describe('public recommendations in chat', () => {
  let listMessage: FakeMessage;
  let firstId: number;

  it('anyone: /推荐 → refused submit re-shows the form → accepted → a double click stores one', async () => {
    const form = await send(CITIZEN, '/推荐');
    expect(messageText(form)).toContain('推荐制度创新选题');
    const submit = buttonValue(form.card, 'submit');
    expect(submit).toMatchObject({ v: 1, a: 'recommend.submit' });

    const bad = await click(CITIZEN, form.message_id, submit, { title: '证照联办', problem: '  ' });
    expect(bad.toast).toEqual({ type: 'error', content: '推荐内容有误，请按卡片上的红字修改后重新提交。' });
    const badJson = JSON.stringify(bad.card);
    expect(badJson).toContain('"default_value":"证照联办"');
    expect(badJson).toContain('请描述存在的问题');
    expect(await rows()).toHaveLength(0);

    const values = { title: '证照联办', problem: '开办餐馆要分别办营业执照和食品经营许可证，跑两个窗口', suggestedUnit: '市营商环境建设局' };
    const ok = await click(CITIZEN, form.message_id, submit, values);
    expect(ok.toast?.type).toBe('success');
    expect(messageText(t.fake.findMessage(form.message_id)!)).toContain('推荐已收到');
    const again = await click(CITIZEN, form.message_id, submit, values);
    expect(again.toast).toEqual({ type: 'info', content: '这张表单已经提交过了。' });
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ ...values, status: 'pending', recommenderOpenId: CITIZEN });
    firstId = stored[0]!.id;
  });

  it('outsiders cannot list or decide, not even with a forged payload', async () => {
    expect(messageText(await send(CITIZEN, '/推荐 列表'))).toContain('你没有权限执行“推荐 列表”');
    const form = t.fake.messagesTo(CITIZEN)[0]!;
    const forged = await click(CITIZEN, form.message_id, { v: 1, a: 'recommend.assign', id: firstId }, { unit: String(unitId) });
    expect(forged.toast).toEqual({ type: 'error', content: '你不能操作这张卡片。' });
    const stale = await click(ADMIN, form.message_id, { v: 2, a: 'recommend.assign', id: firstId });
    expect(stale.toast?.content).toBe('这张卡片已过期或无法识别，请重新发送命令获取新卡片。');
    expect((await rows())[0]?.status).toBe('pending');
  });

  it('office: 分派 → choose a unit → the recommender and the unit liaison each get one card', async () => {
    listMessage = await send(ADMIN, '/推荐 列表');
    expect(messageText(listMessage)).toContain('证照联办');
    const chooser = await click(ADMIN, listMessage.message_id, buttonValue(listMessage.card, `assign_${firstId}`));
    // The suggested unit is preselected.
    expect(JSON.stringify(chooser.card)).toContain(`"initial_option":"${unitId}"`);
    const noUnit = await click(ADMIN, listMessage.message_id, buttonValue(chooser.card, 'submit'), {});
    expect(noUnit.toast).toEqual({ type: 'error', content: '请先选择承办单位。' });
    expect(JSON.stringify(noUnit.card)).toContain('请从下拉列表中选择承办单位');

    const before = { citizen: t.fake.messagesTo(CITIZEN).length, liaison: t.fake.messagesTo(LIAISON).length };
    const done = await click(ADMIN, listMessage.message_id, buttonValue(chooser.card, 'submit'), { unit: String(unitId) });
    expect(done.toast).toEqual({ type: 'success', content: '已分派给市营商环境建设局，并通知了推荐人。' });
    expect(messageText(t.fake.findMessage(listMessage.message_id)!)).toContain('目前没有待处理的公众推荐');
    await flush();
    const toCitizen = t.fake.messagesTo(CITIZEN).slice(before.citizen);
    const toLiaison = t.fake.messagesTo(LIAISON).slice(before.liaison);
    expect(toCitizen.map((m) => m.msg_type)).toEqual(['interactive']);
    expect(messageText(toCitizen[0]!)).toContain('你的推荐已被采纳');
    expect(messageText(toCitizen[0]!)).toContain('市营商环境建设局');
    expect(toLiaison).toHaveLength(1);
    expect(messageText(toLiaison[0]!)).toContain('收到一条分派的公众推荐选题');
    expect(messageText(toLiaison[0]!)).not.toContain(CITIZEN);

    // The old chooser clicked again: refused, nobody told twice.
    const twice = await click(ADMIN, listMessage.message_id, buttonValue(chooser.card, 'submit'), { unit: String(unitId) });
    expect(twice.toast?.content).toBe('这条推荐已经处理过（已分派给市营商环境建设局），不能重复处理。');
    await flush();
    expect(t.fake.messagesTo(CITIZEN).length).toBe(before.citizen + 1);
    const trail = await t.app.database.db.select().from(auditLog).where(eq(auditLog.entityId, String(firstId)));
    expect(trail.filter((a) => a.entityType === 'recommendation').map((a) => a.action)).toEqual(['recommendation.create', 'recommendation.assign']);
  });

  it('office: 不采纳 needs a reason; the recommender is told why', async () => {
    const form = await send(CITIZEN, '推荐');
    await click(CITIZEN, form.message_id, buttonValue(form.card, 'submit'), { title: '夜间施工审批', problem: '审批慢' });
    const [rec] = (await rows()).filter((r) => r.title === '夜间施工审批');
    const list = await send(ADMIN, '/推荐 列表');
    const reasonForm = await click(ADMIN, list.message_id, buttonValue(list.card, `decline_${rec!.id}`));
    const empty = await click(ADMIN, list.message_id, buttonValue(reasonForm.card, 'submit'), { reason: ' ' });
    expect(empty.toast).toEqual({ type: 'error', content: '请填写不采纳的理由，让推荐人了解原因。' });
    expect(JSON.stringify(empty.card)).toContain("<font color='red'>");
    expect((await rows()).find((r) => r.id === rec!.id)?.status).toBe('pending');

    const before = t.fake.messagesTo(CITIZEN).length;
    const declined = await click(ADMIN, list.message_id, buttonValue(reasonForm.card, 'submit'), { reason: '已纳入市级夜间施工管理办法修订' });
    expect(declined.toast?.type).toBe('success');
    await flush();
    const notices = t.fake.messagesTo(CITIZEN).slice(before);
    expect(notices).toHaveLength(1);
    expect(messageText(notices[0]!)).toContain('你的推荐未被采纳');
    expect(messageText(notices[0]!)).toContain('已纳入市级夜间施工管理办法修订');
    expect((await rows()).find((r) => r.id === rec!.id)).toMatchObject({ status: 'declined', decidedBy: ADMIN });
  });

  it('a forged id or unit gets a clear toast and changes nothing', async () => {
    const list = await send(ADMIN, '/推荐 列表');
    const missing = await click(ADMIN, list.message_id, { v: 1, a: 'recommend.assignForm', id: 987654 });
    expect(missing.toast?.content).toBe('没有找到编号为 987654 的推荐，可能已被删除。请发送“/推荐 列表”重新查看。');
    const form = await send(CITIZEN, '/推荐');
    await click(CITIZEN, form.message_id, buttonValue(form.card, 'submit'), { title: '第三条', problem: '问题' });
    const [rec] = (await rows()).filter((r) => r.title === '第三条');
    const badUnit = await click(ADMIN, list.message_id, { v: 1, a: 'recommend.assign', id: rec!.id }, { unit: '99999' });
    expect(badUnit.toast?.content).toBe('没有找到所选的单位，可能已被删除。请重新选择。');
    expect((await rows()).find((r) => r.id === rec!.id)?.status).toBe('pending');
  });
});

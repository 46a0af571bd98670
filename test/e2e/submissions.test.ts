// /申报 end to end: the form card, a refused submit, the confirmation with its tracking number,
// a double click, 修改, 撤回, /我的, /申报 详情, permissions and the deadline.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { submissions } from '../../db/schema/index.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText } from '../fakes/index.js';
import { buttonValue, chatWith } from './chat.js';
import { startTestBot, type TestBot } from './harness.js';

let t: TestBot;
const OPEN = new Date('2022-09-10T10:00:00+08:00');

// Signed with the bot's clock, which these tests move into 2022.
const { send, click } = chatWith(() => t);

beforeAll(async () => {
  t = await startTestBot();
  t.clock.jumpTo(OPEN);
  const db = t.app.database.db;
  await db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: null });
    const unit = await ensureUnit({ ctx, input: { name: '本溪高新区', type: 'park' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_li', name: '李明', role: 'liaison' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_zhao', name: '赵强', role: 'member' }, actorOpenId: null });
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const rowsOf = () => t.app.database.db.select().from(submissions);

const filled = {
  kind: 'topic',
  title: '企业开办“一日办结”',
  direction: 'reform_opening',
  problem: '企业开办要跑多个部门、多次提交材料',
  innovation: '一窗受理、并联审批、证照同发',
  mainCreators: ['ou_li'],
  evidence: 'https://zwfw.benxi.example.cn/kaiban',
};

describe('submissions in chat', () => {
  it('liaison: /申报 → form → refused submit → confirmation → double click → 修改 → 撤回', async () => {
    const formMessage = await send('ou_li', '/申报');
    expect(formMessage.card?.body.elements.some((e) => e.tag === 'form')).toBe(true);
    expect(messageText(formMessage)).toContain('选题申报进行中');
    const submit = buttonValue(formMessage.card, 'submit');
    expect(submit).toMatchObject({ v: 1, a: 'submission.create', c: 'LN2022' });

    // A bad submit: the same form again, with what was typed and a red line; nothing written.
    const bad = await click('ou_li', formMessage.message_id, submit, { ...filled, title: '', mainCreators: ['ou_li', 'ou_zhao', 'ou_li'], achievedOn: '2020-05-01', kind: 'achievement', effect: '有效' });
    expect(bad.answeredInTime).toBe(true);
    expect(bad.toast).toEqual({ type: 'error', content: '有2处需要修改，请按卡片上的红字提示修改后重新提交。' });
    const badText = JSON.stringify(bad.card);
    expect(badText).toContain('请填写标题。');
    expect(badText).toContain('不在2021年1月1日至2022年12月31日之间');
    expect(badText).toContain('"initial_option":"achievement"');
    expect(badText).toContain(filled.problem);
    expect(await rowsOf()).toHaveLength(0);

    const ok = await click('ou_li', formMessage.message_id, submit, filled);
    expect(ok.toast).toEqual({ type: 'success', content: '申报已提交，编号 LN2022-本溪高新区-001。' });
    const confirmation = messageText(t.fake.findMessage(formMessage.message_id)!);
    expect(confirmation).toContain('LN2022-本溪高新区-001');
    expect(confirmation).toContain('已提交');
    expect(confirmation).toContain('企业开办“一日办结”');

    // The same form submitted again (a double click that reached us twice): still one submission.
    const twice = await click('ou_li', formMessage.message_id, submit, filled);
    expect(twice.toast?.content).toContain('不会重复创建');
    expect(await rowsOf()).toHaveLength(1);

    // 修改: the form pre-filled, then saved.
    const editForm = await click('ou_li', formMessage.message_id, buttonValue(ok.card, 'edit'));
    expect(editForm.card?.header?.title.content).toBe('修改申报 LN2022-本溪高新区-001');
    expect(JSON.stringify(editForm.card)).toContain(`"default_value":"${filled.title.replace(/"/g, '\\"')}"`);
    const saved = await click('ou_li', formMessage.message_id, buttonValue(editForm.card, 'submit'), { ...filled, title: '企业开办“半日办结”' });
    expect(saved.toast).toEqual({ type: 'success', content: '修改已保存。' });
    expect(messageText(t.fake.findMessage(formMessage.message_id)!)).toContain('企业开办“半日办结”');
    const [row] = await rowsOf();
    expect(row).toMatchObject({ title: '企业开办“半日办结”', version: 2, trackingNo: 'LN2022-本溪高新区-001' });

    // The old card's 修改 button carries version 1: refused, nothing changes.
    const stale = await click('ou_li', formMessage.message_id, buttonValue(editForm.card, 'submit'), { ...filled, title: '过期卡片' });
    expect(stale.toast).toEqual({ type: 'error', content: '该申报已被他人修改，请刷新后重试。' });
    expect((await rowsOf())[0]?.title).toBe('企业开办“半日办结”');

    // 撤回 asks first, then withdraws.
    const ask = await click('ou_li', formMessage.message_id, buttonValue(saved.card, 'withdraw'));
    expect(messageText(t.fake.findMessage(formMessage.message_id)!)).toContain('确定撤回这条申报吗？');
    const gone = await click('ou_li', formMessage.message_id, buttonValue(ask.card, 'withdraw_confirm'));
    expect(gone.toast).toEqual({ type: 'success', content: '申报已撤回。' });
    expect(gone.card?.header?.title.content).toBe('申报已撤回');
    expect((await rowsOf())[0]).toMatchObject({ status: 'withdrawn', version: 3 });

    const list = await send('ou_li', '/我的');
    expect(list.card?.body.elements[0]).toMatchObject({ tag: 'table', rows: [{ no: 'LN2022-本溪高新区-001', title: '企业开办“半日办结”', status: '已撤回' }] });
  });

  it('people outside the unit: no /申报, no clicking someone else\'s card, no peeking at details', async () => {
    const denied = await send('ou_stranger', '/申报');
    expect(messageText(denied)).toContain('你没有权限执行“申报”');

    const formMessage = await send('ou_li', '/submit LN2022');
    const ok = await click('ou_li', formMessage.message_id, buttonValue(formMessage.card, 'submit'), { ...filled, title: '第二项' });
    expect(ok.toast?.content).toContain('LN2022-本溪高新区-002');
    // A member who is not a main creator may see it but not change it.
    const notYours = await click('ou_zhao', formMessage.message_id, buttonValue(ok.card, 'edit'));
    expect(notYours.toast).toEqual({ type: 'error', content: '只有该申报单位的联络人或主创人才能修改、撤回这条申报。' });
    expect(notYours.card).toBeUndefined();
    const stranger = await click('ou_stranger', formMessage.message_id, buttonValue(ok.card, 'withdraw'));
    expect(stranger.toast).toEqual({ type: 'error', content: '你不能操作这张卡片。' });

    // Forged payloads: another submission id, a tampered version.
    const unknown = await click('ou_li', formMessage.message_id, { v: 1, a: 'submission.withdrawConfirm', id: 424242, ver: 1 });
    expect(unknown.toast).toEqual({ type: 'error', content: '这条申报已不存在，请发送“/我的”查看最新情况。' });
    const tampered = await click('ou_li', formMessage.message_id, { ...buttonValue(ok.card, 'withdraw'), a: 'submission.withdrawConfirm', ver: 9 });
    expect(tampered.toast).toEqual({ type: 'error', content: '该申报已被他人修改，请刷新后重试。' });
    expect((await rowsOf()).find((r) => r.title === '第二项')).toMatchObject({ status: 'submitted', version: 1 });

    const detail = await send('ou_zhao', '/申报 详情 LN2022-本溪高新区-002');
    expect(messageText(detail)).toContain('第二项');
    expect(messageText(detail)).toContain('只有本单位联络人或主创人可以修改、撤回这条申报。');
    const missing = await send('ou_li', '/申报 详情');
    expect(messageText(missing)).toContain('请写上申报编号。');
  });

  it('after the deadline the card says 已截止，不可修改 and its buttons are disabled', async () => {
    const formMessage = await send('ou_li', '/申报');
    const ok = await click('ou_li', formMessage.message_id, buttonValue(formMessage.card, 'submit'), { ...filled, title: '第三项' });
    expect(ok.toast?.type).toBe('success');
    t.clock.jumpTo(new Date('2022-10-16T09:00:00+08:00'));
    try {
      const late = await click('ou_li', formMessage.message_id, buttonValue(ok.card, 'withdraw'));
      expect(late.toast).toEqual({ type: 'error', content: '已截止，不可修改。' });
      expect(messageText(t.fake.findMessage(formMessage.message_id)!)).toContain('已截止，不可修改');
      const disabled = late.card?.body.elements.filter((e) => e.tag === 'button').map((e) => e.tag === 'button' && e.disabled);
      expect(disabled).toEqual([true, true]);
      const [row] = await t.app.database.db.select().from(submissions).where(eq(submissions.title, '第三项'));
      expect(row?.status).toBe('submitted');
      const closed = await send('ou_li', '/申报');
      expect(messageText(closed)).toContain('申报已于2022年10月15日 23:59截止，不能再提交。');
    } finally {
      t.clock.jumpTo(OPEN);
    }
  });
});

// Chongqing supervision incentive end to end: a district declares (/激励申报), the measure's lead department
// recommends or returns (/审核), the office confirms (/审核 确认); every step notifies by card. Plus wrong-unit
// reviewers, forged payloads and lead departments that are not set up.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { submissions } from '../../db/schema/index.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { buttonValueAnywhere as buttonValue, chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
const DECLARING = new Date('2023-01-10T10:00:00+08:00');
const units: Record<string, number> = {};
// Liaisons: two districts, a park, two co-lead departments of measure 1 (and 市发展改革委 also leads 6 and 12).
const YZ = 'ou_yz';
const LJ = 'ou_lj';
const FGW = 'ou_fgw';
const CZ = 'ou_cz';

// Signed with the bot's clock, which these tests move into the declaration phase; `send` returns the bot's reply to
// the sent message itself, not a notification that happened to arrive meanwhile.
const { send, click, flush } = chatWith(() => t, { reply: 'toMessage' });

beforeAll(async () => {
  t = await startTestBot();
  t.clock.jumpTo(DECLARING);
  await t.app.database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock: t.clock };
    await createCampaign({ ctx, input: { templateId: 'chongqing-2022' }, actorOpenId: null });
    const cast: [string, 'county' | 'park' | 'department', string][] = [
      ['渝中区', 'county', YZ],
      ['两江新区', 'park', LJ],
      ['市发展改革委', 'department', FGW],
      ['市财政局', 'department', CZ],
    ];
    for (const [name, type, openId] of cast) {
      const unit = await ensureUnit({ ctx, input: { name, type }, actorOpenId: null });
      units[name] = unit.id;
      await setUnitMember({ ctx, input: { unitId: unit.id, openId, role: 'liaison' }, actorOpenId: null });
    }
  });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

/** What each person received since `mark`, as card texts. */
function since(mark: Record<string, number>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(mark).map(([who, n]) => [who, t.fake.messagesTo(who).slice(n).map(messageText)]));
}
const mark = (...who: string[]) => Object.fromEntries(who.map((w) => [w, t.fake.messagesTo(w).length]));

const declaration = async (trackingNo: string) => (await t.app.database.db.select().from(submissions).where(eq(submissions.trackingNo, trackingNo)))[0]!;

async function declare(from: string, values: Record<string, unknown>): Promise<{ form: FakeMessage; toast: string | undefined }> {
  const form = await send(from, '/激励申报');
  const res = await click(from, form.message_id, buttonValue(form.card, 'submit'), values);
  return { form, toast: res.toast?.content };
}

describe('declare → lead department recommends → office confirms', () => {
  it('walks the whole path, each step notifying the next party by card', async () => {
    const form = await send(YZ, '/激励申报');
    expect(messageText(form)).toContain('督查激励申报');
    const measureSelect = JSON.stringify(form.card).match(/"name":"measure"[^\]]*\]/)?.[0] ?? '';
    expect(measureSelect.match(/"value":"\d+"/g)).toHaveLength(30);
    expect(measureSelect).toContain('第12项 营造市场化法治化国际化营商环境');
    const submit = buttonValue(form.card, 'submit');
    expect(submit).toMatchObject({ v: 1, a: 'declare.submit', u: units['渝中区'] });

    const bad = await click(YZ, form.message_id, submit, { measure: '', selfAssessment: '成效明显', evidence: 'www.example.cn' });
    expect(bad.toast?.type).toBe('error');
    const badJson = JSON.stringify(bad.card);
    expect(badJson).toContain('请选择申报的激励措施。');
    expect(badJson).toContain('佐证材料链接“www.example.cn”无效');
    expect(badJson).toContain('"default_value":"成效明显"');
    expect(await t.app.database.db.select().from(submissions)).toHaveLength(0);

    let m = mark(YZ, FGW, CZ);
    const values = { measure: '1', selfAssessment: '全年完成市级重大项目投资120亿元，专项债券支出进度全市第一', evidence: 'https://yz.example.cn/invest' };
    const ok = await click(YZ, form.message_id, submit, values);
    expect(ok.toast).toEqual({ type: 'success', content: '申报成功，编号 CQ2022-渝中区-001' });
    expect(messageText(t.fake.findMessage(form.message_id)!)).toContain('已通知牵头单位：市发展改革委、市财政局');
    const twice = await click(YZ, form.message_id, submit, values);
    expect(twice.toast?.content).toBe('这张申报表已经提交过了。');
    await flush();
    let got = since(m);
    expect(got[YZ]).toHaveLength(0);
    for (const lead of [FGW, CZ]) {
      expect(got[lead]).toHaveLength(1);
      expect(got[lead]![0]).toContain('有新的督查激励申报待审核');
      expect(got[lead]![0]).toContain('CQ2022-渝中区-001');
    }
    const id = (await declaration('CQ2022-渝中区-001')).id;

    m = mark(YZ, FGW, CZ);
    const list = await send(FGW, '/审核');
    expect(messageText(list)).toContain('待审核 1 份');
    const recommended = await click(FGW, list.message_id, buttonValue(list.card, `recommend_${id}`));
    expect(recommended.toast).toEqual({ type: 'success', content: '已推荐 CQ2022-渝中区-001，并通知了申报单位。' });
    expect(messageText(t.fake.findMessage(list.message_id)!)).toContain('待审核 0 份，已推荐 1 份');
    // The co-lead department clicks its own (older) notice's decision too late.
    const notice = t.fake.messagesTo(CZ).at(-1)!;
    const late = await click(CZ, notice.message_id, { v: 1, a: 'declare.recommend', id });
    expect(late.toast?.content).toBe('这份申报已推荐，不能重复推荐。');
    await flush();
    got = since(m);
    expect(got[YZ]).toHaveLength(1);
    expect(got[YZ]![0]).toContain('你单位的申报已获牵头单位推荐');
    expect(got[CZ]).toHaveLength(0);

    m = mark(YZ);
    const confirmList = await send(ADMIN, '/审核 确认');
    expect(messageText(confirmList)).toContain('CQ2022-渝中区-001');
    const confirmed = await click(ADMIN, confirmList.message_id, buttonValue(confirmList.card, `confirm_${id}`));
    expect(confirmed.toast?.type).toBe('success');
    await flush();
    got = since(m);
    expect(got[YZ]).toHaveLength(1);
    expect(got[YZ]![0]).toContain('你单位的申报已确认');
    expect((await declaration('CQ2022-渝中区-001')).status).toBe('confirmed');
    // Everyone in the path: the district has its form plus two decisions; each lead one notice and one list.
    expect(t.fake.messagesTo(YZ)).toHaveLength(3);
    expect(t.fake.messagesTo(FGW)).toHaveLength(2);
  });

  it('a return needs a reason, tells the unit why, and a returned declaration cannot be confirmed', async () => {
    const { toast } = await declare(LJ, { measure: '12', selfAssessment: '开办企业压缩至1个工作日', evidence: '' });
    expect(toast).toBe('申报成功，编号 CQ2022-两江新区-001');
    const id = (await declaration('CQ2022-两江新区-001')).id;
    const list = await send(FGW, '/审核');
    const reasonForm = await click(FGW, list.message_id, buttonValue(list.card, `return_${id}`));
    const empty = await click(FGW, list.message_id, buttonValue(reasonForm.card, 'submit'), { reason: '' });
    expect(empty.toast?.content).toBe('请填写退回理由，说明需要补充或改进的地方。');
    expect(JSON.stringify(empty.card)).toContain("<font color='red'>请填写退回理由");
    expect((await declaration('CQ2022-两江新区-001')).status).toBe('submitted');

    const m = mark(LJ);
    const returned = await click(FGW, list.message_id, buttonValue(reasonForm.card, 'submit'), { reason: '请补充企业开办时长的统计口径' });
    expect(returned.toast?.type).toBe('success');
    await flush();
    const got = since(m);
    expect(got[LJ]).toHaveLength(1);
    expect(got[LJ]![0]).toContain('你单位的申报被牵头单位退回');
    expect(got[LJ]![0]).toContain('请补充企业开办时长的统计口径');

    const confirmList = await send(ADMIN, '/审核 确认');
    const refused = await click(ADMIN, confirmList.message_id, { v: 1, a: 'declare.confirm', id });
    expect(refused.toast?.content).toBe('这份申报已被牵头单位退回，不能确认。如需重新申报，请申报单位重新提交。');
    expect((await declaration('CQ2022-两江新区-001')).status).toBe('returned');
  });

  it('全部确认 confirms exactly the declarations shown and tells each unit once', async () => {
    await declare(YZ, { measure: '6', selfAssessment: '新兴产业集群产值增长20%', evidence: '' });
    await declare(LJ, { measure: '6', selfAssessment: '集群项目落地18个', evidence: '' });
    const list = await send(FGW, '/审核');
    for (const no of ['CQ2022-渝中区-002', 'CQ2022-两江新区-002']) {
      const d = await declaration(no);
      await click(FGW, list.message_id, buttonValue(t.fake.findMessage(list.message_id)!.card, `recommend_${d.id}`));
    }
    const confirmList = await send(ADMIN, '/审核 确认');
    const m = mark(YZ, LJ);
    const confirmAll = buttonValue(confirmList.card, 'confirm_all');
    expect(confirmAll.ids).toHaveLength(2);
    const all = await click(ADMIN, confirmList.message_id, confirmAll);
    expect(all.toast).toEqual({ type: 'success', content: '已确认 2 份，并通知了申报单位。' });
    await flush();
    const got = since(m);
    expect(got[YZ]!.filter((x) => x.includes('你单位的申报已确认'))).toHaveLength(1);
    expect(got[LJ]!.filter((x) => x.includes('你单位的申报已确认'))).toHaveLength(1);
    // The same button on an older copy of the list: nothing is confirmed twice.
    const again = await click(ADMIN, confirmList.message_id, confirmAll);
    expect(again.toast?.type).toBe('warning');
    expect(again.toast?.content).toContain('已确认 0 份；2 份未确认：这份申报已确认，不能重复确认。');
  });
});

describe('wrong units, outsiders and forged payloads', () => {
  it('a lead department that is not set up is named on the receipt and to the office; other departments cannot decide', async () => {
    const { form } = await declare(YZ, { measure: '2', selfAssessment: '社会消费品零售总额增长9%', evidence: '' });
    expect(messageText(t.fake.findMessage(form.message_id)!)).toContain('以下牵头单位尚未在系统中设置或没有联络人，暂时收不到这份申报：市商务委');
    const d = await declaration('CQ2022-渝中区-003');
    const list = await send(FGW, '/审核');
    const forged = await click(FGW, list.message_id, { v: 1, a: 'declare.recommend', id: d.id });
    expect(forged.toast?.content).toBe('只有第2项 促进消费提质扩容的牵头单位（市商务委）的联络人可以推荐或退回这份申报。');
    const forgedReturn = await click(FGW, list.message_id, { v: 1, a: 'declare.return', id: d.id }, { reason: '不符合' });
    expect(forgedReturn.toast?.content).toBe(forged.toast?.content);
    expect((await declaration('CQ2022-渝中区-003')).status).toBe('submitted');
    expect(messageText(await send(ADMIN, '/审核 确认'))).toContain('以下牵头单位尚未设置或没有联络人，相关申报无人审核：市商务委');
  });

  it('refuses reviewers and declarers of the wrong kind, and people without the role', async () => {
    expect(messageText(await send(YZ, '/审核'))).toBe('你所在的单位（渝中区）不是本次督查激励任何一项措施的牵头单位，没有需要你审核的申报。');
    expect(messageText(await send(FGW, '/激励申报'))).toBe('只有县区、园区的联络人可以申报督查激励。你目前不是这类单位的联络人；如有误，请联系办公室管理员。');
    expect(messageText(await send('ou_stranger', '/审核'))).toContain('你没有权限执行“审核”');
    expect(messageText(await send(FGW, '/审核 确认'))).toContain('你没有权限执行“审核 确认”');

    const d = await declaration('CQ2022-渝中区-003');
    const card = t.fake.messagesTo(FGW).at(-1)!;
    expect((await click('ou_stranger', card.message_id, { v: 1, a: 'declare.recommend', id: d.id })).toast?.content).toBe('你不能操作这张卡片。');
    expect((await click(FGW, card.message_id, { v: 1, a: 'declare.confirm', id: d.id })).toast?.content).toBe('你不能操作这张卡片。');
    expect((await click(ADMIN, card.message_id, { v: 1, a: 'declare.confirm', id: 'x' })).toast?.content).toBe('这张卡片已过期或无法识别，请重新发送命令获取新卡片。');
    expect((await declaration('CQ2022-渝中区-003')).status).toBe('submitted');
  });

  it('a declaration for someone else’s unit, or with a forged campaign, is refused and nothing is stored', async () => {
    const before = (await t.app.database.db.select().from(submissions)).length;
    const form = await send(LJ, '/激励申报');
    const submit = buttonValue(form.card, 'submit');
    const values = { measure: '1', selfAssessment: '冒名申报', evidence: '' };
    const other = await click(LJ, form.message_id, { ...submit, u: units['渝中区'] }, values);
    expect(other.toast?.content).toBe('你不是“渝中区”的联络人，不能以该单位名义申报。');
    const campaign = await click(LJ, form.message_id, { ...submit, c: 999 }, values);
    expect(campaign.toast?.content).toBe('这张卡片已过期或无法识别，请重新发送命令获取新卡片。');
    const parkMeasure = await click(LJ, form.message_id, submit, { ...values, measure: '2' });
    expect(JSON.stringify(parkMeasure.card)).toContain('第2项 促进消费提质扩容不激励国家级开发开放平台（园区）');
    expect((await t.app.database.db.select().from(submissions)).length).toBe(before);
  });

  it('a liaison of two districts chooses the unit on the form', async () => {
    await t.app.database.db.transaction(async (tx) => {
      const ctx = { db: tx, clock: t.clock };
      for (const name of ['江北区', '万州区']) {
        const unit = await ensureUnit({ ctx, input: { name, type: 'county' }, actorOpenId: null });
        await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_two', role: 'liaison' }, actorOpenId: null });
        units[name] = unit.id;
      }
    });
    const form = await send('ou_two', '/激励申报');
    const submit = buttonValue(form.card, 'submit');
    expect(submit.u).toBeUndefined();
    const values = { measure: '21', selfAssessment: '长江干流水质稳定保持II类', evidence: '' };
    const noUnit = await click('ou_two', form.message_id, submit, values);
    expect(noUnit.toast?.type).toBe('error');
    expect(JSON.stringify(noUnit.card)).toContain('请选择申报单位。');
    expect(JSON.stringify(noUnit.card)).toContain('"initial_option":"21"');
    const ok = await click('ou_two', form.message_id, submit, { ...values, unit: String(units['万州区']) });
    expect(ok.toast?.content).toBe('申报成功，编号 CQ2022-万州区-001');
  });

  it('after the deadline the form is not offered', async () => {
    t.clock.jumpTo(new Date('2023-02-02T09:00:00+08:00'));
    try {
      expect(messageText(await send(YZ, '/激励申报'))).toBe('成果申报已于2023年2月1日 23:59截止，不能再提交。如有特殊情况，请联系办公室。');
    } finally {
      t.clock.jumpTo(DECLARING);
    }
  });
});

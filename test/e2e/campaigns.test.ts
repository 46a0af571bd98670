// Campaign administration end to end: signed messages and card clicks in through the real webhook,
// replies and group notices out through the real SDK to the fake Lark, the clock under test control.
import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, campaigns, submissions } from '../../db/schema/index.js';
import type { Card } from '../../cards/types.js';
import { ensureUnit, setUnitMember } from '../../src/services/units.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
const LIAISON = 'ou_liaison_ps';
const STRANGER = 'ou_stranger';
const GROUP = 'oc_reform_group';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({ now: at('2022-09-10T10:00:00') });
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

// Signs with the bot's (controlled) clock, as Lark's timestamps would match real time.
const { signed, repliesTo, flush } = chatWith(() => t);

/** Sends a p2p message and returns the bot's one reply to it. */
async function say(from: string, text: string): Promise<FakeMessage> {
  const before = repliesTo(from).length;
  await t.fake.sendText(t.app.webhookUrl, { from, text }, signed());
  await flush();
  const replies = repliesTo(from);
  expect(replies).toHaveLength(before + 1);
  return replies.at(-1)!;
}
const sayText = async (from: string, text: string) => messageText(await say(from, text));

async function ln2022() {
  const [row] = await t.app.database.db.select().from(campaigns).where(eq(campaigns.code, 'LN2022'));
  return row!;
}
const phaseOf = (instant: string): number => new Date(instant).getTime();
const topicClosesAt = async () => (await ln2022()).definition.phases.find((p) => p.key === 'topic_submission')!.closesAt;

function buttonValue(card: Card, label: string): Record<string, unknown> {
  const found = card.body.elements.find((e) => e.tag === 'button' && e.text.content === label);
  if (!found || found.tag !== 'button' || !found.behaviors?.[0]) throw new Error(`no button ${label}`);
  return found.behaviors[0].value;
}

describe('campaign administration', () => {
  it('lets only the office run campaign commands', async () => {
    expect(await sayText(STRANGER, '/活动 新建 liaoning-2022')).toBe('你没有权限执行“活动 新建”。需要以下角色之一：办公室管理员。');
    expect(await sayText(STRANGER, '/campaign deadline 选题申报 2022-10-20 延期')).toContain('你没有权限执行“活动 截止”');
    expect(await sayText(STRANGER, '/配额')).toContain('你没有权限执行“配额”');
    expect(await t.app.database.db.select().from(campaigns)).toHaveLength(0);
  });

  it('creates LN2022 from a template and refuses unknown templates and taken codes', async () => {
    expect(await sayText(ADMIN, '/活动 新建 shanghai-2023')).toBe('没有模板“shanghai-2023”。可用的模板：liaoning-2022、chongqing-2022。');
    const created = await say(ADMIN, '/campaign new liaoning-2022');
    expect(created.card?.header?.title.content).toBe('辽宁省2022年制度性创新成果评价奖励（本溪市）');
    expect(await sayText(ADMIN, '/活动 新建 liaoning-2022')).toContain('活动代码“LN2022”已被使用，请换一个代码，例如“/活动 新建 liaoning-2022 LN2022B”');
    expect(await sayText(ADMIN, '/活动 新建')).toContain('请写模板名');
    expect(await t.app.database.db.select().from(campaigns)).toHaveLength(1);
  });

  it('shows the campaign with phase states computed from the current time', async () => {
    const text = messageText(await say(ADMIN, '/活动 详情'));
    expect(text).toContain('**当前阶段**：选题申报（进行中，2022年10月15日 23:59 截止）');
    expect(text).toContain('突出创新驱动发展');
    expect(messageText(await say(ADMIN, '/活动 列表'))).toContain('LN2022');
  });

  it('moves a deadline with a reason and records who, when, before, after and why', async () => {
    expect(await sayText(ADMIN, '/活动 截止 选题申报 2022-10-12 18:00 提前汇总材料 LN2022')).toBe(
      '【LN2022】“选题申报”截止时间由 2022年10月15日 23:59 调整为 2022年10月12日 18:00（北京时间）。理由：提前汇总材料',
    );
    const rows = await t.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'campaign.deadline.move')).orderBy(asc(auditLog.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorOpenId: ADMIN,
      entityId: 'LN2022',
      reason: '提前汇总材料',
      before: { phases: [{ key: 'topic_submission', closesAt: '2022-10-15T23:59:59+08:00' }] },
      after: { phases: [{ key: 'topic_submission', closesAt: '2022-10-12T18:00:00+08:00' }] },
    });
    expect(Math.abs(rows[0]!.at.getTime() - at('2022-09-10T10:00:00').getTime())).toBeLessThan(60_000);
  });

  it.each([
    ['/活动 截止 选题申报 明天 延期', '无法识别日期“明天”'],
    ['/活动 截止 选题申报 2022-10-20', '调整截止时间必须写明理由'],
    ['/活动 截止 答辩 2022-10-20 延期', '没有找到阶段“答辩”'],
    ['/活动 截止 选题申报 2022-09-01 延期', '不晚于当前时间'],
    ['/活动 截止 选题申报 10月20日 延期', '晚于下一阶段“办公室遴选”的开始时间2022年10月16日 00:00'],
    ['/活动 截止 选题申报', '“活动 截止”的参数不对：请写明阶段和新的截止日期'],
    ['/活动 阶段 暂停 选题申报', '不认识的操作“暂停”，请写 开启、关闭 或 重开'],
    ['/活动 阶段 开启 选题申报 2022-10-01', '“开启”不需要截止日期'],
    ['/活动 阶段 重开 选题申报', '重新开放阶段必须写明新的截止日期'],
    ['/活动 详情 XX2099', '没有找到活动“XX2099”'],
  ])('answers %s with a Chinese explanation and changes nothing', async (command, expected) => {
    const before = await ln2022();
    expect(await sayText(ADMIN, command)).toContain(expected);
    expect(await ln2022()).toEqual(before);
  });

  it('binds the notice group only from inside a group, then announces phase changes there', async () => {
    expect(await sayText(ADMIN, '/活动 绑定群')).toBe('请在要接收通知的群里 @我 发送“/活动 绑定群”；在私聊里无法绑定群。');
    t.fake.addGroup(GROUP, '本溪市制度创新工作群', [ADMIN]);
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, chatType: 'group', chatId: GROUP, text: '/活动 绑定群', mentionBot: true }, signed());
    await flush();
    expect(messageText(t.fake.messagesTo(GROUP).at(-1)!)).toContain('已将本群设为活动“辽宁省2022年制度性创新成果评价奖励（本溪市）”（LN2022）的通知群');
    expect((await ln2022()).noticeChatId).toBe(GROUP);

    t.clock.jumpTo(at('2022-09-20T09:00:00'));
    expect(await sayText(ADMIN, '/活动 阶段 关闭 选题申报 名额已满')).toBe('【LN2022】“选题申报”已提前截止（2022年9月20日 09:00）。理由：名额已满\n已同步通知活动通知群。');
    expect(messageText(t.fake.messagesTo(GROUP).at(-1)!)).toBe('【LN2022】“选题申报”已提前截止（2022年9月20日 09:00）。理由：名额已满');

    expect(await sayText(ADMIN, '/活动 阶段 重开 选题申报 10月1日 个别单位材料未齐')).toContain('“选题申报”重新开放，新的截止时间：2022年10月1日 23:59（北京时间）。理由：个别单位材料未齐');
    expect(messageText(t.fake.messagesTo(GROUP).at(-1)!)).toContain('重新开放');
    expect(await topicClosesAt()).toBe('2022-10-01T23:59:59+08:00');
  });

  it('closes a phase from the detail card, and refuses the click to anyone but the office', async () => {
    const detail = await say(ADMIN, '/活动 详情 LN2022');
    const value = buttonValue(detail.card!, '提前关闭“选题申报”');
    const denied = await t.fake.clickCard(t.app.webhookUrl, { operator: STRANGER, messageId: detail.message_id, value }, signed());
    expect(denied.toast).toEqual({ type: 'error', content: '你不能操作这张卡片。' });
    expect(await topicClosesAt()).toBe('2022-10-01T23:59:59+08:00');

    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: ADMIN, messageId: detail.message_id, value }, signed());
    expect(click.toast?.type).toBe('success');
    expect(click.toast?.content).toContain('“选题申报”已提前截止');
    expect(JSON.stringify(click.card)).toContain('已截止');
    expect(phaseOf(await topicClosesAt())).toBeLessThanOrEqual(t.clock.now().getTime());
  });

  it('rebuilds the deadline form with what was typed and red lines when it is wrong, and saves when it is right', async () => {
    const detail = await say(ADMIN, '/活动 详情');
    const submit = { v: 1, a: 'campaign.deadline', code: 'LN2022' };
    const before = await ln2022();
    const bad = await t.fake.clickCard(
      t.app.webhookUrl,
      { operator: ADMIN, messageId: detail.message_id, value: submit, formValue: { phase: 'topic_submission', closes_at: '2022-13-01', reason: '' } },
      signed(),
    );
    expect(bad.toast).toEqual({ type: 'error', content: '有内容需要修改，请按卡片上的红字提示修改后再保存。' });
    const form = JSON.stringify(bad.card);
    expect(form).toContain('"default_value":"2022-13-01"');
    expect(form).toContain('"initial_option":"topic_submission"');
    expect(form).toContain("<font color='red'>无法识别日期“2022-13-01”");
    expect(form).toContain("<font color='red'>请填写理由");
    expect(await ln2022()).toEqual(before);

    const late = await t.fake.clickCard(
      t.app.webhookUrl,
      { operator: ADMIN, messageId: detail.message_id, value: submit, formValue: { phase: 'topic_submission', closes_at: '2022-10-30', reason: '补录' } },
      signed(),
    );
    expect(late.toast?.type).toBe('error');
    expect(JSON.stringify(late.card)).toContain('晚于下一阶段“办公室遴选”的开始时间');
    expect(JSON.stringify(late.card)).toContain('"default_value":"补录"');
    expect(await ln2022()).toEqual(before);

    const good = await t.fake.clickCard(
      t.app.webhookUrl,
      { operator: ADMIN, messageId: detail.message_id, value: submit, formValue: { phase: 'topic_submission', closes_at: '2022-10-08 17:00', reason: '补录两个单位' } },
      signed(),
    );
    expect(good.toast).toEqual({ type: 'success', content: '【LN2022】“选题申报”重新开放，新的截止时间：2022年10月8日 17:00（北京时间）。理由：补录两个单位' });
    expect(await topicClosesAt()).toBe('2022-10-08T17:00:00+08:00');
    await flush();
    expect(messageText(t.fake.messagesTo(GROUP).at(-1)!)).toContain('补录两个单位');
  });
});


describe('quotas', () => {
  beforeAll(async () => {
    const ctx = { db: t.app.database.db, clock: t.clock };
    const campaign = await ln2022();
    const made: Record<string, number> = {};
    for (const [name, type] of [['平山区', 'county'], ['溪湖区', 'county'], ['市司法局', 'department']] as const) {
      made[name] = (await ensureUnit({ ctx, input: { name, type }, actorOpenId: ADMIN })).id;
    }
    await setUnitMember({ ctx, input: { unitId: made['平山区']!, openId: LIAISON, name: '赵芳', role: 'liaison' }, actorOpenId: ADMIN });
    const rows = [['溪湖区', 'submitted'], ['溪湖区', 'submitted'], ['平山区', 'submitted'], ['平山区', 'withdrawn']] as const;
    await t.app.database.db.insert(submissions).values(
      rows.map(([unit, status], i) => ({
        campaignId: campaign.id, unitId: made[unit]!, seq: i + 1, trackingNo: `E2E-${i}`, kind: 'topic' as const, title: `选题${i}`,
        fields: {}, mainCreators: [], status, formKey: `e2e${i}`, submittedBy: LIAISON, createdAt: t.clock.now(), updatedAt: t.clock.now(),
      })),
    );
  });

  it('shows the office every unit, below quota first, with a summary line', async () => {
    const reply = await say(ADMIN, '/quota');
    const table = reply.card?.body.elements.find((e) => e.tag === 'table');
    expect(table?.tag === 'table' && table.rows.map((r) => [r.unit, r.count, r.minimum])).toEqual([
      ['平山区', 1, 2],
      ['市司法局', 0, 1],
      ['溪湖区', 2, 2],
    ]);
    expect(messageText(reply)).toContain('共 **3** 个参加单位，<font color=\'red\'>**2 个单位未达到最低申报数量**</font>，合计还差 2 项。');
  });

  it('shows a liaison only their own unit, also after a refresh click', async () => {
    const reply = await say(LIAISON, '/配额');
    const text = messageText(reply);
    expect(text).toContain('你负责的 **1** 个单位中');
    const rowsOf = (card: Card | undefined) => card?.body.elements.flatMap((e) => (e.tag === 'table' ? e.rows.map((r) => r.unit) : []));
    expect(rowsOf(reply.card)).toEqual(['平山区']);
    const refresh = await t.fake.clickCard(t.app.webhookUrl, { operator: LIAISON, messageId: reply.message_id, value: { v: 1, a: 'campaign.quota', code: 'LN2022' } }, signed());
    expect(rowsOf(refresh.card)).toEqual(['平山区']);
  });
});

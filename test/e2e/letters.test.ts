// Letters end to end: the real app and SDK against the fake Lark, the clock moved as the minute tick would see it.
// An overdue weekly report produces a 提醒函 to the owner and the lead unit's liaison, and a week later a 督办函
// copied to the responsible leader; 已收到 is recorded once however often it is clicked; the rectification plan
// form refuses bad input with red lines and then files the plan; /督办 列表 shows each person their letters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, letters, milestones } from '../../db/schema/index.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { addLedger, addPerson, addTask, addUnit, bj } from '../helpers/ledger-rows.js';
import { chatWith } from './chat.js';
import { startTestBot, type TestBot } from './harness.js';

const OWNER = { openId: 'ou_e2e_owner', name: '赵专员' };
const LIAISON = { openId: 'ou_e2e_liaison', name: '钱联络' };
const LEADER = { openId: 'ou_e2e_leader', name: '孙副市长' };
const GROUP = 'oc_e2e_ledger_group';

let t: TestBot;
const { signed: signing, send: say } = chatWith(() => t);
/** The bot's own pushes to someone (replies to their commands have a parent). */
const pushes = (to: string): FakeMessage[] => t.fake.messagesTo(to).filter((m) => m.parent_id === undefined);
/** The callback value of the button for `action` on a card (found by walking it: stored cards come back with keys reordered). */
function value(m: FakeMessage, action: string): Record<string, unknown> {
  const stack: unknown[] = [m.card];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      const v = (node as { value?: { a?: unknown } }).value;
      if (v && v.a === action) return v as Record<string, unknown>;
      stack.push(...Object.values(node));
    }
  }
  throw new Error(`no ${action} button on the card`);
}
const click = (operator: string, m: FakeMessage, v: unknown, formValue?: Record<string, unknown>) =>
  t.fake.clickCard(t.app.webhookUrl, { operator, messageId: m.message_id, value: v, ...(formValue ? { formValue } : {}) }, signing());

async function tick(at: Date): Promise<void> {
  t.clock.jumpTo(at);
  await t.app.ledgerEscalation.run();
  await t.app.ledgerDigests.run();
  await t.app.sender.kick();
}

beforeAll(async () => {
  t = await startTestBot({ now: bj('2026-03-10', '20:00') });
  const db = t.app.database.db;
  t.fake.addGroup(GROUP, '深改台账工作群', [OWNER.openId, LIAISON.openId]);
  await addPerson(db, OWNER.openId, OWNER.name);
  await addPerson(db, LEADER.openId, LEADER.name);
  const unitId = await addUnit(db, '市发展改革委', LIAISON);
  const ledger = await addLedger(db, { title: '2026年全面深化改革任务', year: 2026, at: bj('2026-03-01'), noticeChatId: GROUP });
  await addTask(db, { ledgerId: ledger.id, code: 'RW2026-001', title: '深化“放管服”改革', ownerOpenId: OWNER.openId, leaderOpenId: LEADER.openId, cadences: ['weekly'], leadUnitId: unitId, at: bj('2026-03-02') });
});
afterAll(async () => {
  t.fake.assertNoUnmodeled();
  await t.stop();
});

describe('supervision letters end to end', () => {
  it('on the 3rd working day overdue, sends a 提醒函 to the owner and the lead unit liaison, once', async () => {
    await tick(bj('2026-03-11', '09:30'));
    for (const who of [OWNER, LIAISON]) {
      const cards = pushes(who.openId);
      expect(cards).toHaveLength(1);
      const text = messageText(cards[0]!);
      expect(text).toContain('提醒函 提醒〔2026〕第1号');
      expect(text).toContain('2026年第10周进展汇报（应于2026年3月6日 18:00前完成）已逾期3个工作日');
      expect(text).toContain('2026年3月17日 18:00 前');
    }
    expect(pushes(LEADER.openId)).toHaveLength(0);
    // The work group's daily digest lists it as overdue.
    const digest = pushes(GROUP);
    expect(digest).toHaveLength(1);
    expect(messageText(digest[0]!)).toContain('逾期未办（1）');
    await tick(bj('2026-03-11', '09:45'));
    expect(pushes(OWNER.openId)).toHaveLength(1);
    expect(pushes(GROUP)).toHaveLength(1);
  });

  it('records 已收到 once however often it is clicked, and refuses anyone else', async () => {
    const card = pushes(OWNER.openId)[0]!;
    const ack = value(card, 'letter.ack');
    const stranger = await click('ou_e2e_stranger', card, ack);
    expect(stranger.toast).toEqual({ type: 'error', content: '只有这份函件的收函人（任务负责人或牵头单位联络人）可以签收或提交整改方案。' });
    const clicks = [];
    for (let i = 0; i < 3; i++) clicks.push(await click(OWNER.openId, card, ack));
    expect(clicks.map((c) => c.toast?.type)).toEqual(['success', 'info', 'info']);
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain(`由 ${OWNER.name} 签收`);
    const letterId = Number(ack.l);
    const audits = await t.app.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'letter.acknowledge'), eq(auditLog.entityId, String(letterId))));
    expect(audits).toHaveLength(1);
    const forged = await click(OWNER.openId, card, { v: 1, a: 'letter.ack', l: 999_999 });
    expect(forged.toast?.content).toContain('找不到这份函件');
  });

  it('still overdue after the grace period: a 督办函 to the lead unit, copied to the responsible leader', async () => {
    await tick(bj('2026-03-18', '09:30'));
    const leader = pushes(LEADER.openId);
    expect(leader).toHaveLength(1);
    const copy = messageText(leader[0]!);
    expect(copy).toContain('督办函 督办〔2026〕第1号（抄送）');
    expect(copy).toContain('提醒函提醒〔2026〕第1号发出后仍未整改');
    expect(JSON.stringify(leader[0]!.card)).not.toContain('letter.ack');
    const liaison = pushes(LIAISON.openId).map(messageText);
    expect(liaison.some((x) => x.includes('督办函 督办〔2026〕第1号') && x.includes('提交整改方案'))).toBe(true);
    // The next week's report is late too: its own 提醒函, numbered on.
    expect(liaison.some((x) => x.includes('提醒〔2026〕第2号'))).toBe(true);
  });

  it('takes a rectification plan: bad input comes back with red lines and what was typed, then the date is tracked', async () => {
    const card = pushes(LIAISON.openId).find((m) => messageText(m).includes('督办〔2026〕第1号'))!;
    // Read before clicking: the click replaces the card in place.
    const planAction = { v: 1, a: 'letter.plan', l: Number(value(card, 'letter.plan_form').l) };
    const form = await click(LIAISON.openId, card, value(card, 'letter.plan_form'));
    expect(form.toast).toBeUndefined();
    expect(JSON.stringify(form.card)).toContain('"form_action_type":"submit"');
    const bad = await click(LIAISON.openId, card, planAction, { measures: '   ', dueOn: '2026-03-01 +0800' });
    expect(bad.toast).toEqual({ type: 'error', content: '整改方案有2处需要修改，请按卡片上的红字提示修改后重新提交。' });
    const badCard = JSON.stringify(bad.card);
    expect(badCard).toContain('请填写整改措施');
    expect(badCard).toContain('整改完成日期须晚于今天');
    expect(badCard).toContain('"initial_date":"2026-03-01"');
    expect(await t.app.database.db.$count(milestones)).toBe(0);

    const ok = await click(LIAISON.openId, card, planAction, { measures: '补报第10、11周进展；建立每周五汇报提醒', dueOn: '2026-03-27 +0800' });
    expect(ok.toast?.type).toBe('success');
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain('补报第10、11周进展');
    const [m] = await t.app.database.db.select().from(milestones);
    expect(m).toMatchObject({ source: 'rectification', letterId: planAction.l, dueAt: bj('2026-03-27', '18:00') });
    await t.app.sender.kick();
    expect(messageText(t.fake.lastMessageTo(LEADER.openId)!)).toContain('已就督办函 督办〔2026〕第1号 提交整改方案');
  });

  it('/督办 列表 shows each person the letters that concern them, with number, date, recipients and acknowledgement', async () => {
    const list = messageText(await say(LEADER.openId, '/督办 列表'));
    expect(list).toContain('共 **3** 份函件');
    expect(list).toContain('督办函 督办〔2026〕第1号');
    expect(list).toContain(`主送：${LIAISON.name}、${OWNER.name}；抄送：${LEADER.name}`);
    expect(list).toContain('已签收（2026年3月11日');
    expect(messageText(await say('ou_e2e_stranger', '/督办 列表'))).toContain('目前没有与你有关的提醒函或督办函');
    expect(messageText(await say(OWNER.openId, '/督办 查看 督办〔2026〕第1号'))).toContain('**整改方案**：补报第10、11周进展');
    expect(messageText(await say(OWNER.openId, '/督办 查看 督办2026'))).toContain('文号“督办2026”格式不对');
    const rows = await t.app.database.db.select().from(letters);
    expect(rows.map((r) => `${r.kind}:${r.number}`).sort()).toEqual(['reminder:1', 'reminder:2', 'supervision:1']);
  });
});

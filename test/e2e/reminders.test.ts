// Deadline reminders end to end: the real app, the real SDK, the fake Lark. A campaign with a
// deadline, the clock moved to the reminder moment, the planner job and the sender run as the minute
// tick would: the right cards reach the right liaisons, the card's button opens the /申报 form,
// muting works, and the office can ask whether someone got a reminder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { addSubmissions, addUnit, createTestCampaign } from '../helpers/reminder-fixtures.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const bj = (s: string) => new Date(`${s}+08:00`);
const A = { openId: 'ou_e2e_a', name: '张联络' };
const B = { openId: 'ou_e2e_b', name: '李联络' };
const C = { openId: 'ou_e2e_c', name: '王联络' };

let t: TestBot;
/** Signed with the app's (moved) clock, as Lark's timestamp would be. */
const signing = () => ({ ...t.signing, timestamp: String(Math.floor(t.clock.now().getTime() / 1000)) });
/** The bot's own pushes to a person (replies to their commands have a parent). */
const reminderCards = (openId: string): FakeMessage[] => t.fake.messagesTo(openId).filter((m) => m.parent_id === undefined);

async function say(from: string, text: string, mentions?: { openId: string; name: string }[]): Promise<string> {
  await t.fake.sendText(t.app.webhookUrl, { from, text, ...(mentions ? { mentions } : {}) }, signing());
  await t.app.pipeline.drain();
  return messageText(t.fake.lastMessageTo(from)!);
}

async function tick(at: string): Promise<void> {
  t.clock.jumpTo(bj(at));
  await t.app.planner.run();
  await t.app.sender.kick();
}

beforeAll(async () => {
  t = await startTestBot({ now: bj('2026-11-16T10:00:00') });
  const db = t.app.database.db;
  const campaign = await createTestCampaign(db, t.clock, 'LN2026', { opensAt: '2026-11-01T00:00:00+08:00', closesAt: '2026-11-20T23:59:59+08:00' });
  await addUnit(db, '本溪高新区', 'county', A);
  await addUnit(db, '明山区', 'county', A);
  const keji = await addUnit(db, '市科技局', 'department', B);
  await addUnit(db, '市妇联', 'organisation', C);
  await addSubmissions(db, campaign, keji, 1, t.clock.now());
});
afterAll(async () => {
  t.fake.assertNoUnmodeled();
  await t.stop();
});

describe('deadline reminders end to end', () => {
  it('lets the office set the schedule, and refuses bad settings with what to fix', async () => {
    expect(await say(ADMIN, '/提醒 设置 LN2026 提前 7,99')).toContain('0 到 60');
    expect(await say(ADMIN, '/提醒 设置 LN2026 时间 23:00')).toContain('08:00 到 21:00');
    const ok = await say(ADMIN, '/提醒 设置 LN2026 提前 3,1,0 时间 09:00');
    expect(ok).toContain('提前3天、提前1天和截止当天');
    expect(await say(B.openId, '/提醒 设置 LN2026 提前 1')).toContain('你没有权限');
  });

  it('shows a liaison their upcoming reminders', async () => {
    const text = await say(A.openId, '/提醒');
    expect(text).toContain('本溪高新区（县区）：已报 0 项');
    expect(text).toContain('下次提醒 2026年11月17日 09:00');
  });

  it('at the reminder moment, the liaisons with work get one card each; the one at quota gets none; the office a digest', async () => {
    await tick('2026-11-17T09:00:05');
    const toA = reminderCards(A.openId);
    expect(toA).toHaveLength(1);
    expect(messageText(toA[0]!)).toContain('截止提醒');
    expect(messageText(toA[0]!)).toContain('本溪高新区');
    expect(messageText(toA[0]!)).toContain('明山区');
    expect(reminderCards(C.openId)).toHaveLength(1);
    expect(reminderCards(B.openId)).toHaveLength(0);
    expect(messageText(t.fake.lastMessageTo(ADMIN)!)).toContain('办公室汇总');
    // Running the tick again sends nothing twice.
    await tick('2026-11-17T09:01:00');
    expect(reminderCards(A.openId)).toHaveLength(1);
  });

  it("opens the /申报 form from the reminder card's button", async () => {
    const card = reminderCards(A.openId)[0]!;
    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: A.openId, messageId: card.message_id, value: { v: 1, a: 'reminder.open_submit', c: 'LN2026' } }, signing());
    expect(click.status).toBe(200);
    const form = JSON.stringify(click.card);
    expect(form).toContain('"tag":"form"');
    expect(form).toContain('"form_action_type":"submit"');
    expect(form).toContain('submission.create');
  });

  it('answers a stale reminder button politely', async () => {
    const card = reminderCards(A.openId)[0]!;
    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: A.openId, messageId: card.message_id, value: { v: 1, a: 'reminder.open_submit', c: 'GONE2020' } }, signing());
    expect(click.toast?.content).toContain('GONE2020');
    expect(click.toast?.type).toBe('error');
  });

  it('a muted liaison gets nothing at the next moment, and the office can see why', async () => {
    await say(C.openId, '/提醒');
    const card = t.fake.lastMessageTo(C.openId)!;
    const campaignId = JSON.stringify(card.card).match(/"a":"reminder.mute","c":(\d+),"on":true/)?.[1];
    expect(campaignId).toBeDefined();
    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: C.openId, messageId: card.message_id, value: { v: 1, a: 'reminder.mute', c: Number(campaignId), on: true } }, signing());
    expect(click.toast?.content).toContain('已关闭');

    await tick('2026-11-19T09:00:05');
    expect(reminderCards(C.openId)).toHaveLength(1);
    expect(reminderCards(A.openId)).toHaveLength(2);

    const log = await say(ADMIN, '/提醒 记录 @王联络 LN2026', [{ openId: C.openId, name: '王联络' }]);
    expect(log).toContain('已送达');
    expect(log).toContain('未发送（已关闭提醒）');
  });
});

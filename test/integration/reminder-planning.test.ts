// Reminder planning and sending on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL) against
// the fake Lark: who gets planned, what the card says at send time, merging, skips with reasons,
// deadlines that move, settings that change, phases that close, decent hours, the digest and progress.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { campaigns, outbox, reminderMutes, submissions, unitMembers, units, userRoles } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { OutboxSender } from '../../src/jobs/outbox-sender.js';
import { reminderRenderers } from '../../src/jobs/renderers/index.js';
import { createLarkClient } from '../../src/lark/client.js';
import { SdkMessenger } from '../../src/lark/sdk-messenger.js';
import { changePhaseState, moveCampaignDeadline, type CampaignRow } from '../../src/services/campaigns.js';
import { setMandatory, setMuted, setReminderSchedule } from '../../src/services/reminder-prefs.js';
import { myReminders, reminderLog } from '../../src/services/reminder-views.js';
import { planReminders } from '../../src/services/reminders.js';
import { messageText, startFakeLark, type RunningFakeLark } from '../fakes/index.js';
import { createTestDatabase, dbKind, silentLog, type TestDatabase } from '../helpers/db.js';
import { addSubmissions, addUnit, archiveCampaign, createTestCampaign } from '../helpers/reminder-fixtures.js';

const bj = (s: string) => new Date(`${s}+08:00`);
const ADMIN = 'ou_admin_r';
const A = { openId: 'ou_liaison_a', name: '张联络' };
const B = { openId: 'ou_liaison_b', name: '李联络' };
const C = { openId: 'ou_liaison_c', name: '王联络' };
const TOPIC = 'deadline:LN2026:topic_submission';

let t: TestDatabase;
let fake: RunningFakeLark;
const clock = new ManualClock(bj('2026-11-17T08:30:00')); // a Tuesday
let campaign: CampaignRow;

const ctx = () => ({ db: t.database.db, clock });
const plan = () => planReminders(ctx(), { now: clock.now(), adminOpenIds: [ADMIN] });
const rows = () => t.database.db.select().from(outbox).orderBy(outbox.id);
const rowOf = async (key: string) => (await t.database.db.select().from(outbox).where(eq(outbox.key, key)))[0];
const key = (kind: string, offset: number, who: string) => `${kind}:LN2026:topic_submission:d${offset}:${who}`;

function sender(): OutboxSender {
  const messenger = new SdkMessenger(createLarkClient({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's', domain: fake.url }), silentLog, { sleep: () => Promise.resolve() });
  return new OutboxSender({ db: t.database.db, messenger, clock, log: silentLog, ...reminderRenderers() });
}

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeLark({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's' });
});
afterAll(async () => {
  await fake.close();
  await t.cleanup();
});

let units4: { gaoxin: number; mingshan: number; keji: number; fulian: number };
beforeEach(async () => {
  clock.set(bj('2026-11-17T08:30:00'));
  campaign = await createTestCampaign(t.database.db, clock, 'LN2026', { opensAt: '2026-11-01T00:00:00+08:00', closesAt: '2026-11-20T23:59:59+08:00' });
  units4 = {
    gaoxin: await addUnit(t.database.db, '本溪高新区', 'county', A),
    mingshan: await addUnit(t.database.db, '明山区', 'county', A),
    keji: await addUnit(t.database.db, '市科技局', 'department', B),
    fulian: await addUnit(t.database.db, '市妇联', 'organisation', C),
  };
  await addUnit(t.database.db, '平山区', 'county');
  await addSubmissions(t.database.db, campaign, units4.mingshan, 1, clock.now());
  await addSubmissions(t.database.db, campaign, units4.keji, 1, clock.now());
});
afterEach(async () => {
  fake.assertNoUnmodeled();
  fake.reset();
  const db = t.database.db;
  await db.delete(outbox);
  await db.delete(reminderMutes);
  await db.delete(submissions);
  await db.delete(unitMembers);
  await db.delete(units);
  await db.delete(campaigns);
  await db.delete(userRoles);
});

describe(`reminder planning (${dbKind})`, () => {
  it('plans one row per liaison below quota and per admin, keyed by what, whom, deadline and offset; idempotent', async () => {
    expect((await plan()).planned).toBe(3);
    const planned = await rows();
    expect(planned.map((r) => r.key).sort()).toEqual([key('digest', 3, ADMIN), key('reminder', 3, A.openId), key('reminder', 3, C.openId)].sort());
    expect(planned.every((r) => r.topic === TOPIC && r.status === 'planned' && r.dueAt.getTime() === bj('2026-11-17T09:00:00').getTime())).toBe(true);
    expect((await plan()).planned).toBe(0);
    expect(await rows()).toHaveLength(3);
  });

  it('sends one merged card per liaison at send time, with the submit button, and the admin a digest', async () => {
    await plan();
    clock.set(bj('2026-11-17T09:00:00'));
    expect(await sender().drain()).toBe(3);
    const toA = fake.messagesTo(A.openId);
    expect(toA).toHaveLength(1);
    const textA = messageText(toA[0]!);
    expect(textA).toContain('本溪高新区（县区）：已报 0 项，至少 2 项，还差 2 项');
    expect(textA).toContain('明山区（县区）：已报 1 项，至少 2 项，还差 1 项');
    expect(textA).toContain('2026年11月20日 23:59');
    expect(JSON.stringify(toA[0]!.card)).toContain('"a":"reminder.open_submit","c":"LN2026"');
    expect(fake.messagesTo(B.openId)).toHaveLength(0);
    const digest = messageText(fake.messagesTo(ADMIN)[0]!);
    expect(digest).toContain('平山区');
    expect(digest).toContain('未设置');
    expect(digest).toContain('市妇联');
    expect(digest).not.toContain('市科技局');
  });

  it('sends nothing to someone who finished before the send (skipped_done, with the reason)', async () => {
    await plan();
    await addSubmissions(t.database.db, campaign, units4.fulian, 1, clock.now());
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    expect(fake.messagesTo(C.openId)).toHaveLength(0);
    const row = await rowOf(key('reminder', 3, C.openId));
    expect(row?.status).toBe('skipped_done');
    expect(row?.lastError).toContain('已完成');
  });

  it('skips a muted campaign (skipped_muted), unless the deadline is mandatory', async () => {
    await setMuted({ ctx: ctx(), actorOpenId: A.openId, input: { campaignId: campaign.id, muted: true } });
    await plan();
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    expect((await rowOf(key('reminder', 3, A.openId)))?.status).toBe('skipped_muted');
    expect(fake.messagesTo(A.openId)).toHaveLength(0);

    await setMandatory({ ctx: ctx(), actorOpenId: ADMIN, input: { code: 'LN2026', phase: '选题申报', mandatory: true } });
    clock.set(bj('2026-11-19T08:30:00'));
    await plan();
    clock.set(bj('2026-11-19T09:00:00'));
    await sender().drain();
    expect(fake.messagesTo(A.openId)).toHaveLength(1);
    expect(messageText(fake.messagesTo(A.openId)[0]!)).toContain('必需提醒');
  });

  it('records a recipient who left the unit after planning as skipped_done', async () => {
    await plan();
    await t.database.db.delete(unitMembers).where(eq(unitMembers.userOpenId, C.openId));
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    expect((await rowOf(key('reminder', 3, C.openId)))?.status).toBe('skipped_done');
    expect(fake.messagesTo(C.openId)).toHaveLength(0);
  });

  it('moves planned rows with a later deadline, and drops those the new deadline no longer needs', async () => {
    await plan();
    await moveCampaignDeadline({ ctx: ctx(), campaignId: campaign.id, actorOpenId: ADMIN, input: { phase: '选题申报', closesAt: '2026-11-27 23:59', reason: '延期' } });
    const moved = await rowOf(key('reminder', 3, A.openId));
    expect(moved?.status).toBe('planned');
    expect(moved?.dueAt.getTime()).toBe(bj('2026-11-24T09:00:00').getTime());

    await moveCampaignDeadline({ ctx: ctx(), campaignId: campaign.id, actorOpenId: ADMIN, input: { phase: '选题申报', closesAt: '2026-11-18 23:59', reason: '提前' } });
    const dropped = await rowOf(key('reminder', 3, A.openId));
    expect(dropped?.status).toBe('skipped_done');
    expect(dropped?.lastError).toContain('截止时间或提醒设置已调整');
    // The new deadline's "1 day before" is this morning: planned at once.
    expect((await rowOf(key('reminder', 1, A.openId)))?.dueAt.getTime()).toBe(bj('2026-11-17T09:00:00').getTime());
  });

  it('follows changed offsets and send time', async () => {
    await plan();
    await setReminderSchedule({ ctx: ctx(), actorOpenId: ADMIN, input: { code: 'LN2026', offsets: [3, 0], time: '10:30' } });
    expect((await rowOf(key('reminder', 3, A.openId)))?.dueAt.getTime()).toBe(bj('2026-11-17T10:30:00').getTime());
    await setReminderSchedule({ ctx: ctx(), actorOpenId: ADMIN, input: { code: 'LN2026', offsets: [1, 0] } });
    expect((await rowOf(key('reminder', 3, A.openId)))?.status).toBe('skipped_done');
  });

  it('drops planned rows when the phase closes early', async () => {
    await plan();
    await changePhaseState({ ctx: ctx(), campaignId: campaign.id, actorOpenId: ADMIN, input: { op: 'close', phase: '选题申报' } });
    const closed = await rows();
    expect(closed.every((r) => r.status === 'skipped_done' && r.lastError === '阶段已截止，不再提醒')).toBe(true);
    expect(closed).toHaveLength(3);
  });

  it('drops planned rows of an archived campaign with the reason', async () => {
    await plan();
    await archiveCampaign(t.database.db, campaign.id);
    expect((await plan()).dropped).toBe(3);
    expect((await rows()).every((r) => r.lastError === '活动已归档，不再提醒')).toBe(true);
  });

  it('defers a reminder claimed at night to the next working morning', async () => {
    await plan();
    clock.set(bj('2026-11-17T21:30:00'));
    expect(await sender().drain()).toBe(0);
    const row = await rowOf(key('reminder', 3, A.openId));
    expect(row?.status).toBe('planned');
    expect(row?.dueAt.getTime()).toBe(bj('2026-11-18T09:00:00').getTime());
    clock.set(bj('2026-11-18T09:00:00'));
    expect(await sender().drain()).toBe(3);
    expect(fake.messagesTo(A.openId)).toHaveLength(1);
  });

  it('shows failed sends with the reason in the admin digest, and in /提醒 记录', async () => {
    fake.setOutOfScope(C.openId);
    await plan();
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    const failed = await rowOf(key('reminder', 3, C.openId));
    expect(failed?.status).toBe('failed');
    expect(failed?.lastError).toContain('230013');
    const digest = messageText(fake.messagesTo(ADMIN)[0]!);
    expect(digest).toContain('发送失败');
    expect(digest).toContain('王联络');
    expect(digest).toContain('不在应用的可用范围内');
    const log = await reminderLog(ctx(), C.openId, 'LN2026');
    expect(log.name).toBe('王联络');
    expect(log.entries.map((e) => [e.what, e.status])).toEqual([['LN2026 · 选题申报', 'failed']]);
  });

  it('posts the daily progress card to the bound group on working days while the phase is open', async () => {
    fake.addGroup('oc_work', '工作群', []);
    await t.database.db.update(campaigns).set({ noticeChatId: 'oc_work' }).where(eq(campaigns.id, campaign.id));
    await plan();
    expect((await rowOf('progress:LN2026:topic_submission:2026-11-17'))?.dueAt.getTime()).toBe(bj('2026-11-17T09:00:00').getTime());
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    const text = messageText(fake.messagesTo('oc_work')[0]!);
    expect(text).toContain('已达到配额：**1/5**');
    expect(text).toContain('平山区（0/2）');
  });

  it('lists my upcoming reminders per campaign with what is left', async () => {
    const mine = await myReminders(ctx(), A.openId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.canMute).toBe(true);
    expect(mine[0]?.deadlines[0]?.pending).toHaveLength(2);
    expect(mine[0]?.deadlines[0]?.next?.getTime()).toBe(bj('2026-11-17T09:00:00').getTime());
    expect(await myReminders(ctx(), B.openId)).toEqual([]);
  });
});

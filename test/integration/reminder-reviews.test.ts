// The review deadline sources on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL) against the fake
// Lark: reviewers with unfinished reviews in an open round with a deadline are planned; what the card says at
// send time; a reviewer who finished in the meantime is skipped; leaders holding a sent shortlist likewise.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { auditLog, campaigns, leaderDecisions, outbox, reviewAssignments, reviewRounds, reviews, roundItems, submissions, unitMembers, units, userRoles } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { OutboxSender } from '../../src/jobs/outbox-sender.js';
import { reminderRenderers } from '../../src/jobs/renderers/index.js';
import { createLarkClient } from '../../src/lark/client.js';
import { SdkMessenger } from '../../src/lark/sdk-messenger.js';
import type { CampaignRow } from '../../src/services/campaigns.js';
import { deadlineSources, deadlinesOf } from '../../src/services/reminder-sources.js';
import { leaderDecisionSource, reviewDeadlineSource } from '../../src/services/reminder-source-reviews.js';
import { planReminders } from '../../src/services/reminders.js';
import { messageText, startFakeLark, type RunningFakeLark } from '../fakes/index.js';
import { createTestDatabase, dbKind, silentLog, type TestDatabase } from '../helpers/db.js';
import { addPerson, addSubmissions, addUnit, createTestCampaign } from '../helpers/reminder-fixtures.js';

const bj = (s: string) => new Date(`${s}+08:00`);
const ADMIN = 'ou_admin_rr';
const R1 = { openId: 'ou_reviewer_1', name: '赵专家' };
const R2 = { openId: 'ou_reviewer_2', name: '钱专家' };
const R3 = { openId: 'ou_reviewer_3', name: '孙专家' };
const LEADER = { openId: 'ou_leader_1', name: '周领导' };
const ROUND_DEADLINE = bj('2026-11-20T23:59:59');

let t: TestDatabase;
let fake: RunningFakeLark;
const clock = new ManualClock(bj('2026-11-17T08:30:00')); // a Tuesday
let campaign: CampaignRow;
let roundId: number;
let items: number[];
let trackingNos: string[];

const db = () => t.database.db;
const plan = () => planReminders({ db: db(), clock }, { now: clock.now(), adminOpenIds: [ADMIN] });
const key = (phase: string, offset: number, who: string) => `reminder:LN2026:${phase}:d${offset}:${who}`;
const rowOf = async (k: string) => (await db().select().from(outbox).where(eq(outbox.key, k)))[0];
const reminderKeys = async () => (await db().select({ key: outbox.key }).from(outbox).where(like(outbox.key, 'reminder:%'))).map((r) => r.key).sort();

function sender(): OutboxSender {
  const messenger = new SdkMessenger(createLarkClient({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's', domain: fake.url }), silentLog, { sleep: () => Promise.resolve() });
  return new OutboxSender({ db: db(), messenger, clock, log: silentLog, ...reminderRenderers() });
}

async function review(reviewer: string, submissionId: number, round = roundId): Promise<void> {
  await db().insert(reviews).values({ roundId: round, submissionId, reviewerOpenId: reviewer, scores: {}, vote: 'recommend', submittedAt: clock.now(), updatedAt: clock.now() });
}

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeLark({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's' });
});
afterAll(async () => {
  await fake.close();
  await t.cleanup();
});

beforeEach(async () => {
  clock.set(bj('2026-11-17T08:30:00'));
  // Topic submission closes 10-15, so 办公室遴选 runs 11-14 to 11-20 23:59:59 and 领导确定 11-21 to 11-27.
  campaign = await createTestCampaign(db(), clock, 'LN2026', { opensAt: '2026-09-01T00:00:00+08:00', closesAt: '2026-10-15T00:00:00+08:00' });
  const unitId = await addUnit(db(), '本溪高新区', 'county');
  await addSubmissions(db(), campaign, unitId, 3, clock.now());
  const subs = await db().select().from(submissions).where(eq(submissions.campaignId, campaign.id)).orderBy(submissions.id);
  items = subs.map((s) => s.id);
  trackingNos = subs.map((s) => s.trackingNo);
  for (const p of [R1, R2, R3]) await addPerson(db(), p.openId, p.name);
  const [round] = await db()
    .insert(reviewRounds)
    .values({ campaignId: campaign.id, key: 'office_selection', label: '办公室遴选', k: 2, quorum: 2, closesAt: ROUND_DEADLINE, openedAt: clock.now() })
    .returning();
  if (!round) throw new Error('round not created');
  roundId = round.id;
  await db().insert(roundItems).values(items.map((submissionId) => ({ roundId, submissionId })));
  const assign = (reviewerOpenId: string, submissionId: number, status: 'assigned' | 'recused' = 'assigned') =>
    db().insert(reviewAssignments).values({ roundId, submissionId, reviewerOpenId, status, assignedAt: clock.now() });
  await assign(R1.openId, items[0]!);
  await assign(R1.openId, items[1]!);
  await assign(R2.openId, items[0]!);
  await assign(R3.openId, items[2]!, 'recused');
  await review(R2.openId, items[0]!);
});

afterEach(async () => {
  fake.assertNoUnmodeled();
  fake.reset();
  await db().delete(outbox);
  await db().delete(reviews);
  await db().delete(reviewAssignments);
  await db().delete(roundItems);
  await db().delete(leaderDecisions);
  await db().delete(reviewRounds);
  await db().delete(submissions);
  await db().delete(unitMembers);
  await db().delete(units);
  await db().delete(campaigns);
  await db().delete(userRoles);
});

describe(`review deadline source (${dbKind})`, () => {
  it('is registered and covers the review phases, not the submission or leader phases', () => {
    expect(deadlineSources).toContain(reviewDeadlineSource);
    expect(deadlineSources).toContain(leaderDecisionSource);
    const covered = deadlinesOf(campaign).filter((d) => reviewDeadlineSource.covers(d.campaign, d.phase)).map((d) => d.phase.key);
    expect(covered).toEqual(['office_selection', 'evaluation']);
    expect(deadlinesOf(campaign).filter((d) => leaderDecisionSource.covers(d.campaign, d.phase)).map((d) => d.phase.key)).toEqual(['leader_decision']);
  });

  it('plans a reminder only for reviewers with unfinished assignments (not the one who finished, not a recused one)', async () => {
    await plan();
    expect(await reminderKeys()).toEqual([key('office_selection', 3, R1.openId)]);
    const row = await rowOf(key('office_selection', 3, R1.openId));
    expect(row?.dueAt.getTime()).toBe(bj('2026-11-17T09:00:00').getTime());
    expect((await plan()).planned).toBe(0);
  });

  it('plans nothing for a round without a deadline, or one that is closed', async () => {
    await db().update(reviewRounds).set({ closesAt: null }).where(eq(reviewRounds.id, roundId));
    await plan();
    expect(await reminderKeys()).toEqual([]);
    await db().update(reviewRounds).set({ closesAt: ROUND_DEADLINE, state: 'closed' }).where(eq(reviewRounds.id, roundId));
    await plan();
    expect(await reminderKeys()).toEqual([]);
  });

  it('sends the reviewer what is still unreviewed at send time, and the office a digest naming the reviewer', async () => {
    await plan();
    await review(R1.openId, items[0]!);
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    const toR1 = fake.messagesTo(R1.openId);
    expect(toR1).toHaveLength(1);
    const text = messageText(toR1[0]!);
    expect(text).toContain(`办公室遴选：还有 1/2 项未评审（${trackingNos[1]}）`);
    expect(text).not.toContain(trackingNos[0]!);
    expect(text).toContain('/评审');
    expect(text).toContain('2026年11月20日 23:59');
    expect(fake.messagesTo(R2.openId)).toHaveLength(0);
    const digest = messageText(fake.messagesTo(ADMIN)[0]!);
    expect(digest).toContain('赵专家');
    expect(digest).toContain('未评审 1/2 项');
    expect(digest).not.toContain('钱专家');
  });

  it('skips the reminder (skipped_done) when the reviewer finished every item before the send', async () => {
    await plan();
    await review(R1.openId, items[0]!);
    await review(R1.openId, items[1]!);
    clock.set(bj('2026-11-17T09:00:00'));
    await sender().drain();
    expect(fake.messagesTo(R1.openId)).toHaveLength(0);
    const row = await rowOf(key('office_selection', 3, R1.openId));
    expect(row?.status).toBe('skipped_done');
    expect(row?.lastError).toContain('已完成');
  });
});

describe(`leader decision source (${dbKind})`, () => {
  async function sendToLeaders(): Promise<void> {
    await addPerson(db(), LEADER.openId, LEADER.name);
    await db().insert(userRoles).values({ userOpenId: LEADER.openId, role: 'leader' });
    await db().update(reviewRounds).set({ state: 'closed', closedAt: clock.now() }).where(eq(reviewRounds.id, roundId));
    await db().insert(auditLog).values({ at: clock.now(), actorOpenId: ADMIN, action: 'review.shortlist.submit', entityType: 'review_round', entityId: String(roundId), after: { digest: 'x', kept: items, leaders: [LEADER.openId] } });
  }

  beforeEach(() => clock.set(bj('2026-11-24T08:30:00'))); // 领导确定 closes Friday 11-27

  it('plans and sends a reminder to a leader holding a sent shortlist', async () => {
    await sendToLeaders();
    await plan();
    expect(await reminderKeys()).toEqual([key('leader_decision', 3, LEADER.openId)]);
    clock.set(bj('2026-11-24T09:00:00'));
    await sender().drain();
    const toLeader = fake.messagesTo(LEADER.openId);
    expect(toLeader).toHaveLength(1);
    expect(messageText(toLeader[0]!)).toContain('办公室遴选名单待您确认');
  });

  it('skips the leader (skipped_done) once a leader decided after the sending; nothing planned before a sending', async () => {
    await plan();
    expect(await reminderKeys()).toEqual([]);
    await sendToLeaders();
    await plan();
    await db().insert(leaderDecisions).values({ roundId, leaderOpenId: LEADER.openId, decision: 'approved', decidedAt: clock.now() });
    clock.set(bj('2026-11-24T09:00:00'));
    await sender().drain();
    expect(fake.messagesTo(LEADER.openId)).toHaveLength(0);
    expect((await rowOf(key('leader_decision', 3, LEADER.openId)))?.status).toBe('skipped_done');
  });
});

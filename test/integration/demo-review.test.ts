// The emulator demo's review step (src/emulator/demo-review.ts): 办公室遴选 of LN2022 opened once with the seeded
// topic, the five demo reviewers named, every topic given to three of them; never redone on a restart.
import { asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, reviewAssignments, reviewRounds, roundItems, roundReviewers, submissions } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { demoPeople } from '../../src/emulator/demo-people.js';
import { DEMO_REVIEWERS_PER_ITEM, seedDemoReview } from '../../src/emulator/demo-review.js';
import { seedDemo, seedDemoCampaign } from '../../src/emulator/demo-seed.js';
import { closeReviewRound } from '../../src/services/review-rounds.js';
import { myReviews } from '../../src/services/reviews.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
const reviewerIds = demoPeople.filter((p) => p.role === 'reviewer').map((p) => p.openId);

async function snapshot(db: Db) {
  return {
    rounds: await db.select().from(reviewRounds).orderBy(asc(reviewRounds.id)),
    items: await db.select().from(roundItems).orderBy(asc(roundItems.submissionId)),
    panel: (await db.select().from(roundReviewers)).map((r) => r.reviewerOpenId).sort(),
    assignments: (await db.select().from(reviewAssignments)).map((a) => `${a.submissionId}:${a.reviewerOpenId}:${a.status}`).sort(),
    audits: (await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityType, 'review_round'))).map((a) => a.action).sort(),
  };
}

describe(`demo review seed (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  const clock = new ManualClock(at('2026-11-25T15:30:00'));

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.database.db;
  });
  afterEach(async () => {
    await test.cleanup();
  });

  it('opens 办公室遴选 with the seeded topic, names the five reviewers and gives it to three of them', async () => {
    await seedDemo(db, clock);
    const s = await snapshot(db);
    expect(s.rounds).toHaveLength(1);
    expect(s.rounds[0]).toMatchObject({ key: 'office_selection', label: '办公室遴选', state: 'open', k: DEMO_REVIEWERS_PER_ITEM, quorum: DEMO_REVIEWERS_PER_ITEM, closesAt: null });
    const topics = await db.select({ id: submissions.id, kind: submissions.kind, formKey: submissions.formKey }).from(submissions);
    expect(topics).toEqual([expect.objectContaining({ kind: 'topic', formKey: 'demo-fgw-topic-1' })]);
    expect(s.items.map((i) => i.submissionId)).toEqual(topics.map((t) => t.id));
    expect(s.panel).toEqual([...reviewerIds].sort());
    expect(s.assignments).toHaveLength(DEMO_REVIEWERS_PER_ITEM);
    expect(s.assignments.every((a) => a.endsWith(':assigned'))).toBe(true);
    // 张教授, whom the README and the browser test play, is one of the three.
    expect(s.assignments).toContain(`${topics[0]?.id}:ou_demo_reviewer_1:assigned`);
    expect(s.audits).toEqual(['review.assign', 'review.reviewers.add', 'review.round.open']);
    const mine = await myReviews({ ctx: { db, clock }, actorOpenId: 'ou_demo_reviewer_1' });
    expect(mine.pending.map((p) => [p.trackingNo, p.roundLabel])).toEqual([['LN2022-市发展改革委-001', '办公室遴选']]);
  });

  it('changes nothing on a restart, even days later', async () => {
    await seedDemo(db, clock);
    const first = await snapshot(db);
    clock.set(at('2026-11-28T09:00:00'));
    await seedDemo(db, clock);
    expect(await snapshot(db)).toEqual(first);
  });

  it('leaves a round the office has closed alone: no second round is opened', async () => {
    await seedDemo(db, clock);
    await db.transaction((tx) => closeReviewRound({ ctx: { db: tx, clock }, actorOpenId: 'ou_demo_admin', input: { campaignCode: 'LN2022', reason: '演示：提前关闭' } }));
    const closed = await snapshot(db);
    expect(closed.rounds.map((r) => r.state)).toEqual(['closed']);
    await seedDemo(db, clock);
    expect(await snapshot(db)).toEqual(closed);
  });

  it('opens nothing while the demo campaign has no topics', async () => {
    const ctx = { db, clock };
    await seedDemoReview(ctx); // no campaign at all
    await seedDemoCampaign(ctx);
    await seedDemoReview(ctx); // a campaign, but nothing handed in
    expect(await snapshot(db)).toEqual({ rounds: [], items: [], panel: [], assignments: [], audits: [] });
  });
});

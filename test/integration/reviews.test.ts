// Review rounds and reviews on real SQL (PGlite, or PostgreSQL with TEST_DATABASE_URL): assignment, sealed
// reviews, refused input, forged payloads, 500 concurrent clicks, recusal, and votes racing the close.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, reviewAssignments, reviewRounds, reviews, roundReviewers, userRoles } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import type { ScoreSheetInput } from '../../src/domain/review/scores.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { rankingView } from '../../src/services/ranking.js';
import { addRoundReviewers, assignRound, closeReviewRound, openReviewTrack, roundProgress } from '../../src/services/review-rounds.js';
import { myReviews, pendingReviewsFor, recuseReview, reviewCard, submitReview, type ReviewRef } from '../../src/services/reviews.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';
import { OFFICE, REVIEWERS, reviewWorld, type ReviewWorld } from '../helpers/review-fixtures.js';

const NOW = new Date('2023-03-05T10:00:00+08:00');
const DEADLINE = new Date('2023-03-20T18:00:00+08:00');

const sheet = (base: number, comment = '', vote = 'recommend'): ScoreSheetInput => ({
  scores: { solves_real_problems: base, withstands_practice: base, public_gain: Math.max(0, base - 1), replicable: String(base) },
  vote,
  comment,
});

describe(`review rounds and reviews (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  let world: ReviewWorld;
  let roundId: number;
  const clock = new ManualClock(NOW);
  const inTx = <T>(fn: (ctx: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((tx) => fn({ db: tx, clock }));
  const assigned = async () => db.select().from(reviewAssignments).where(and(eq(reviewAssignments.roundId, roundId), eq(reviewAssignments.status, 'assigned')));
  const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));
  const refOf = (a: { submissionId: number; reviewerOpenId: string }): ReviewRef => ({ roundId, submissionId: a.submissionId, reviewer: a.reviewerOpenId });

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    world = await reviewWorld(db, clock);
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('opens the first round with every achievement, once; a second round cannot open beside it', async () => {
    const opened = await inTx((ctx) => openReviewTrack({ ctx, actorOpenId: OFFICE, input: { stage: 'achievement', deadline: DEADLINE } }));
    roundId = opened.round.id;
    expect(opened).toMatchObject({ items: 8, round: { key: 'initial_review', label: '初评', state: 'open', k: 5, quorum: 5 } });
    await expect(inTx((ctx) => openReviewTrack({ ctx, actorOpenId: OFFICE, input: { stage: 'topic' } }))).rejects.toMatchObject({ code: 'review.roundAlreadyOpen' });
    expect(await db.select().from(reviewRounds)).toHaveLength(1);
  });

  it('names reviewers for the open round and gives them the reviewer role', async () => {
    const r = await inTx((ctx) => addRoundReviewers({ ctx, actorOpenId: OFFICE, input: { people: REVIEWERS.map((openId) => ({ openId, name: undefined })) } }));
    expect(r.added).toHaveLength(5);
    const again = await inTx((ctx) => addRoundReviewers({ ctx, actorOpenId: OFFICE, input: { people: [{ openId: 'ou_rev_a', name: undefined }] } }));
    expect(again).toMatchObject({ added: [], already: [{ openId: 'ou_rev_a' }] });
    expect(await db.select().from(roundReviewers)).toHaveLength(5);
    expect(await db.select().from(userRoles).where(and(eq(userRoles.role, 'reviewer'), inArray(userRoles.userOpenId, [...REVIEWERS])))).toHaveLength(5);
  });

  it('says which items cannot get k reviewers without a conflict of interest', async () => {
    const r = await inTx((ctx) => assignRound({ ctx, actorOpenId: OFFICE, input: { k: 5 } }));
    // 平山区 and its park 高新区 exclude reviewer a; 市发展改革委 excludes b: those six items have only 4 eligible reviewers.
    expect(r.uncovered.map((u) => u.trackingNo).sort()).toEqual(world.achievements.filter((a) => a.unitId !== world.units.org).map((a) => a.trackingNo).sort());
    expect(r.uncovered.every((u) => u.eligible === 4 && u.needed === 5)).toBe(true);
  });

  it('assigns k reviewers per item, never across a conflict, with loads within one, the same way every time', async () => {
    const r = await inTx((ctx) => assignRound({ ctx, actorOpenId: OFFICE, input: { k: 3 } }));
    expect(r.uncovered).toEqual([]);
    expect(r.loads.max - r.loads.min).toBeLessThanOrEqual(1);
    const rows = await assigned();
    expect(rows).toHaveLength(24);
    for (const a of world.achievements) expect(rows.filter((x) => x.submissionId === a.id)).toHaveLength(3);
    const conflicted = new Set(world.achievements.filter((a) => a.unitId === world.units.district || a.unitId === world.units.park).map((a) => a.id));
    expect(rows.filter((x) => x.reviewerOpenId === 'ou_rev_a' && conflicted.has(x.submissionId))).toEqual([]);
    expect(rows.filter((x) => x.reviewerOpenId === 'ou_rev_b' && world.achievements.some((a) => a.id === x.submissionId && a.unitId === world.units.dept))).toEqual([]);
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, roundId));
    expect(round).toMatchObject({ k: 3, quorum: 3 });
    const again = await inTx((ctx) => assignRound({ ctx, actorOpenId: OFFICE, input: {} }));
    expect(again.reviewers.some((x) => x.changed)).toBe(false);
    expect((await assigned()).map((x) => `${x.submissionId}:${x.reviewerOpenId}`).sort()).toEqual(rows.map((x) => `${x.submissionId}:${x.reviewerOpenId}`).sort());
    expect((await audits('review.assign')).at(-1)?.after).toMatchObject({ k: 3, added: 0, removed: 0 });
  });

  it('keeps everything sealed while open: progress shows completion only, ranking is refused', async () => {
    const [first] = await assigned();
    await inTx((ctx) => submitReview({ ctx, actorOpenId: first!.reviewerOpenId, input: { ...refOf(first!), sheet: sheet(9, '很好') } }));
    const progress = await inTx((ctx) => roundProgress({ ctx, input: {} }));
    expect(JSON.stringify(progress)).not.toContain('很好');
    expect(progress.reviewers.find((r) => r.openId === first!.reviewerOpenId)).toMatchObject({ done: 1 });
    await expect(inTx((ctx) => rankingView({ ctx, input: {} }))).rejects.toMatchObject({ code: 'review.roundStillOpen' });
    // Another reviewer of the same item sees only their own (empty) sheet.
    const other = (await assigned()).find((a) => a.submissionId === first!.submissionId && a.reviewerOpenId !== first!.reviewerOpenId)!;
    const card = await inTx((ctx) => reviewCard({ ctx, actorOpenId: other.reviewerOpenId, input: refOf(other) }));
    expect(card.mine).toBeNull();
    expect(JSON.stringify(card)).not.toContain('很好');
  });

  it('refuses a bad sheet with every problem named, and writes nothing', async () => {
    const a = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_c')!;
    const before = (await db.select().from(reviews)).length;
    const bad = await inTx((ctx) =>
      submitReview({ ctx, actorOpenId: 'ou_rev_c', input: { ...refOf(a), sheet: { scores: { solves_real_problems: 11, withstands_practice: 'abc', public_gain: 5, forged: 3 }, vote: '赞成', comment: '长'.repeat(501) } } }),
    );
    expect(bad.kind).toBe('invalid');
    const fields = bad.kind === 'invalid' ? bad.problems.map((p) => p.field).sort() : [];
    expect(fields).toEqual(['comment', 'forged', 'replicable', 'solves_real_problems', 'vote', 'withstands_practice']);
    expect(bad.kind === 'invalid' && bad.problems.find((p) => p.field === 'solves_real_problems')?.message).toBe('“真正解决实际问题”的评分应在0到10分之间，现在是11分。');
    expect(await db.select().from(reviews)).toHaveLength(before);
    expect((await audits('review.submit')).length).toBe(1);
  });

  it('refuses forged payloads: another reviewer’s card, an item not assigned, another round', async () => {
    const a = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_c')!;
    const all = await assigned();
    const notMine = all.find((x) => !all.some((y) => y.submissionId === x.submissionId && y.reviewerOpenId === 'ou_rev_c'))!;
    const tries = [
      { actor: 'ou_rev_d', ref: refOf(a), code: 'review.notYourCard' },
      { actor: 'ou_rev_c', ref: { ...refOf(notMine), reviewer: 'ou_rev_c' }, code: 'review.notAssigned' },
      { actor: 'ou_rev_c', ref: { ...refOf(a), roundId: roundId + 100 }, code: 'review.roundGone' },
      { actor: 'ou_outsider', ref: { ...refOf(a), reviewer: 'ou_outsider' }, code: 'review.notAssigned' },
    ];
    const before = await db.select().from(reviews);
    for (const t of tries) {
      await expect(inTx((ctx) => submitReview({ ctx, actorOpenId: t.actor, input: { ...t.ref, sheet: sheet(5) } }))).rejects.toMatchObject({ code: t.code });
      await expect(inTx((ctx) => recuseReview({ ctx, actorOpenId: t.actor, input: { ...t.ref, reason: '' } }))).rejects.toMatchObject({ code: t.code });
    }
    expect(await db.select().from(reviews)).toEqual(before);
  });

  it('500 concurrent clicks on the same vote leave one row, and the last change wins', async () => {
    const a = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_d')!;
    const ref = refOf(a);
    const outcomes = await Promise.all(Array.from({ length: 500 }, (_, i) => inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_d', input: { ...ref, sheet: sheet(i % 11, `第${i}次`) } }))));
    expect(outcomes.every((o) => o.kind === 'saved')).toBe(true);
    const rows = await db.select().from(reviews).where(and(eq(reviews.roundId, roundId), eq(reviews.submissionId, a.submissionId), eq(reviews.reviewerOpenId, 'ou_rev_d')));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.version).toBe(500);
    const trail = (await db.select().from(auditLog).where(eq(auditLog.entityId, `${roundId}:${a.submissionId}:ou_rev_d`))).map((r) => r.after as { version: number; comment: string });
    expect(trail).toHaveLength(500);
    expect(new Set(trail.map((t) => t.version)).size).toBe(500);
    expect(rows[0]?.comment).toBe(trail.find((t) => t.version === 500)?.comment);
    // The same sheet again is no change: no new version, no audit row.
    const same = await inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_d', input: { ...ref, sheet: { ...sheet(0), comment: rows[0]!.comment, scores: rows[0]!.scores, vote: rows[0]!.vote === 'reject' ? 'not_recommend' : rows[0]!.vote } } }));
    expect(same).toMatchObject({ kind: 'saved', change: 'unchanged', card: { mine: { version: 500 } } });
  });

  it('a declared conflict moves the item to the least-loaded eligible reviewer and tells the office', async () => {
    const a = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_e')!;
    await inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_e', input: { ...refOf(a), sheet: sheet(4) } }));
    const tooLong = await inTx((ctx) => recuseReview({ ctx, actorOpenId: 'ou_rev_e', input: { ...refOf(a), reason: '长'.repeat(201) } }));
    expect(tooLong).toMatchObject({ kind: 'invalid', message: '回避理由最多200字，现在有201字，请精简。' });
    const r = await inTx((ctx) => recuseReview({ ctx, actorOpenId: 'ou_rev_e', input: { ...refOf(a), reason: '曾参与起草' } }));
    expect(r.kind).toBe('done');
    if (r.kind !== 'done') return;
    expect(r.office).toContain(OFFICE);
    expect(r.card.status).toBe('recused');
    const now = (await assigned()).filter((x) => x.submissionId === a.submissionId).map((x) => x.reviewerOpenId);
    expect(now).toHaveLength(3);
    expect(now).not.toContain('ou_rev_e');
    expect(now).toContain(r.replacement?.openId);
    expect(await db.select().from(reviews).where(and(eq(reviews.submissionId, a.submissionId), eq(reviews.reviewerOpenId, 'ou_rev_e')))).toEqual([]);
    const [trail] = await audits('review.recuse');
    expect(trail).toMatchObject({ reason: '曾参与起草', after: { replacement: r.replacement?.openId }, before: { vote: 'recommend' } });
    await expect(inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_e', input: { ...refOf(a), sheet: sheet(4) } }))).rejects.toMatchObject({ code: 'review.recused' });
  });

  it('lists a reviewer’s pending and finished reviews, and tells reminders what is still to do', async () => {
    const mine = await inTx((ctx) => myReviews({ ctx, actorOpenId: 'ou_rev_d' }));
    const count = (await assigned()).filter((x) => x.reviewerOpenId === 'ou_rev_d').length;
    expect(mine.pending.length + mine.done.length).toBe(count);
    expect(mine.done).toHaveLength(1);
    const pending = await pendingReviewsFor(db, 'ou_rev_d', clock.now());
    expect(pending.map((p) => p.submissionId).sort()).toEqual(mine.pending.map((p) => p.ref.submissionId).sort());
    expect(pending[0]).toMatchObject({ campaignCode: 'LN2022', roundLabel: '初评', deadline: DEADLINE });
    expect(await pendingReviewsFor(db, 'ou_rev_d', new Date(DEADLINE.getTime() + 1))).toEqual([]);
  });

  it('refuses to close short of quorum, or with a too-short reason, and changes nothing', async () => {
    const refused = inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: {} }));
    await expect(refused).rejects.toMatchObject({ code: 'review.rule' });
    await expect(refused).rejects.toSatisfy((e: { userMessage(): string }) => /^“初评”还有\d+项未达到每项3份评审的要求：LN2022-/.test(e.userMessage()));
    await expect(inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: { reason: '急' } }))).rejects.toMatchObject({ code: 'review.rule' });
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, roundId));
    expect(round?.state).toBe('open');
  });

  it('a vote racing the close waits for it and is refused inside its own transaction; the override is recorded', async () => {
    const given = await db.select().from(reviews);
    const a = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_c' && !given.some((g) => g.submissionId === x.submissionId && g.reviewerOpenId === 'ou_rev_c'))!;
    let vote: Promise<Awaited<ReturnType<typeof submitReview>>> | undefined;
    const closed = await db.transaction(async (tx) => {
      const r = await closeReviewRound({ ctx: { db: tx, clock }, actorOpenId: OFFICE, input: { reason: '两位专家因公出差，办公室决定按现有评审结果关闭' } });
      // The vote starts while the close holds the round row lock and has not committed.
      vote = inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_c', input: { ...refOf(a), sheet: sheet(7) } }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      return r;
    });
    expect(closed.short).toBeGreaterThan(0);
    const outcome = await vote!;
    expect(outcome.kind).toBe('locked');
    expect(outcome.kind === 'locked' && outcome.message).toMatch(/^“初评”已于.+关闭，评分和投票不能再修改。$/);
    expect(await db.select().from(reviews).where(and(eq(reviews.submissionId, a.submissionId), eq(reviews.reviewerOpenId, 'ou_rev_c')))).toEqual([]);
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, roundId));
    expect(round).toMatchObject({ state: 'closed', closedBy: OFFICE, overrideReason: '两位专家因公出差，办公室决定按现有评审结果关闭' });
    expect(await audits('review.round.close')).toHaveLength(1);
    expect(await audits('review.round.override')).toMatchObject([{ reason: '两位专家因公出差，办公室决定按现有评审结果关闭' }]);
  });

  it('after close every card is read-only and changes are refused', async () => {
    const d = (await assigned()).find((x) => x.reviewerOpenId === 'ou_rev_d')!;
    const card = await inTx((ctx) => reviewCard({ ctx, actorOpenId: 'ou_rev_d', input: refOf(d) }));
    expect(card.locked).toMatch(/已于.+关闭/);
    const changes = (await audits('review.change')).length;
    expect((await inTx((ctx) => submitReview({ ctx, actorOpenId: 'ou_rev_d', input: { ...refOf(d), sheet: sheet(1) } }))).kind).toBe('locked');
    expect((await inTx((ctx) => recuseReview({ ctx, actorOpenId: 'ou_rev_d', input: { ...refOf(d), reason: '' } }))).kind).toBe('locked');
    expect((await audits('review.change')).length).toBe(changes);
    await expect(inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: {} }))).rejects.toMatchObject({ code: 'review.noOpenRound' });
  });
});

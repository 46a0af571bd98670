// After a round closes, on real SQL: ranking, cutting within caps into the next round or a final list, the
// leaders' approval, publication, the XLSX export (and its signed download route) and awards.
import ExcelJS from 'exceljs';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, awards, reviewAssignments, reviewRounds, roundItems, roundReviewers, submissions, userRoles } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { createDownloadLinks, downloadKey, signDownloadToken } from '../../src/http/download-links.js';
import { downloadRoute } from '../../src/http/downloads.js';
import { awardForm, saveAward } from '../../src/services/awards.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { rankingView } from '../../src/services/ranking.js';
import { exportRound } from '../../src/services/review-export.js';
import { addRoundReviewers, assignRound, closeReviewRound, openReviewTrack } from '../../src/services/review-rounds.js';
import { cutRound, decideShortlist, publishRound, sendShortlistToLeaders } from '../../src/services/review-shortlist.js';
import { submitReview } from '../../src/services/reviews.js';
import { createTestDatabase, dbKind, silentLog, type TestDatabase } from '../helpers/db.js';
import { bindNoticeChat, OFFICE, person, REVIEWERS, reviewWorld, type ReviewWorld } from '../helpers/review-fixtures.js';

const NOW = new Date('2023-03-05T10:00:00+08:00');
/** Item quality by position: the first achievement is best. Reviewer e is harsh (−3), a lenient (+1). */
const quality = [9, 8.5, 8, 7, 6, 5, 4, 3];
const bias: Record<string, number> = { ou_rev_a: 1, ou_rev_e: -3 };

describe(`review results (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  let world: ReviewWorld;
  let firstRound: number;
  const clock = new ManualClock(NOW);
  const inTx = <T>(fn: (ctx: ServiceCtx) => Promise<T>): Promise<T> => db.transaction((tx) => fn({ db: tx, clock }));
  const audits = (action: string) => db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.id));
  const statusOf = async (id: number) => (await db.select({ s: submissions.status }).from(submissions).where(eq(submissions.id, id)))[0]?.s;

  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
    world = await reviewWorld(db, clock);
    const opened = await inTx((ctx) => openReviewTrack({ ctx, actorOpenId: OFFICE, input: { stage: 'achievement' } }));
    firstRound = opened.round.id;
    await inTx((ctx) => addRoundReviewers({ ctx, actorOpenId: OFFICE, input: { people: REVIEWERS.map((openId) => ({ openId, name: undefined })) } }));
    await inTx((ctx) => assignRound({ ctx, actorOpenId: OFFICE, input: { k: 3 } }));
    const pairs = await db.select().from(reviewAssignments).where(eq(reviewAssignments.roundId, firstRound));
    for (const p of pairs) {
      const at = world.achievements.findIndex((a) => a.id === p.submissionId);
      const s = Math.min(10, Math.max(0, (quality[at] ?? 5) + (bias[p.reviewerOpenId] ?? 0)));
      // Item 4 gets a split vote: its first reviewer says no.
      const vote = at === 3 && p.reviewerOpenId === pairs.filter((x) => x.submissionId === p.submissionId).map((x) => x.reviewerOpenId).sort()[0] ? 'not_recommend' : 'recommend';
      const sheet = { scores: { solves_real_problems: s, withstands_practice: s, public_gain: s, replicable: s }, vote, comment: `评语${p.submissionId}-${p.reviewerOpenId}` };
      await inTx((ctx) => submitReview({ ctx, actorOpenId: p.reviewerOpenId, input: { roundId: firstRound, submissionId: p.submissionId, reviewer: p.reviewerOpenId, sheet } }));
    }
    await inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: {} }));
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('closes with quorum without an override, and ranks by normalized score so a harsh reviewer does not decide the order', async () => {
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, firstRound));
    expect(round).toMatchObject({ state: 'closed', overrideReason: null });
    expect(await audits('review.round.override')).toEqual([]);
    const v = await inTx((ctx) => rankingView({ ctx, input: {} }));
    expect(v.items.map((i) => i.id)).toEqual(world.achievements.map((a) => a.id));
    // The best item drew the harsh reviewer: its raw mean is below the second's, its normalized score is not.
    expect(v.items[0]!.weightedMean!).toBeLessThan(v.items[1]!.weightedMean!);
    expect(v.items[0]!.normalized!).toBeGreaterThan(v.items[1]!.normalized!);
    expect(v.items.every((i) => i.quorumMet && i.reviews === 3)).toBe(true);
    // One "no" of three reaches a third of the votes: the item is flagged as split, and no other is.
    expect(v.items[3]?.votes).toEqual({ recommend: 2, not_recommend: 1, abstain: 0 });
    expect(v.items.map((i) => i.disagreement.voteSplit)).toEqual([false, false, false, true, false, false, false, false]);
    expect(v).toMatchObject({ shortlist: { kind: 'none' }, next: { label: '复评' }, cap: null });
  });

  it('cuts within a per-unit cap, says why each was left out, and opens the next round with the survivors and the same panel', async () => {
    const cut = await inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '3', perUnitCap: '1' } }));
    const best = [world.achievements[0], world.achievements[2], world.achievements[4]].map((a) => a!.id);
    expect(cut.kept.map((i) => i.id)).toEqual(best);
    expect(cut.cut.find((c) => c.item.id === world.achievements[1]!.id)).toMatchObject({ position: 2, rule: '超过每个单位的入围上限' });
    expect(cut.next).toMatchObject({ key: 're_review', label: '复评', state: 'open', previousRoundId: firstRound, quorum: 3 });
    const next = cut.next!.id;
    expect((await db.select().from(roundItems).where(eq(roundItems.roundId, next))).map((r) => r.submissionId).sort((a, b) => a - b)).toEqual(best);
    expect(await db.select().from(roundReviewers).where(eq(roundReviewers.roundId, next))).toHaveLength(5);
    expect(await audits('review.cut')).toMatchObject([{ entityId: String(firstRound), after: { kept: best, n: 3, perUnitCap: 1 } }]);
    await expect(inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '2' } }))).rejects.toMatchObject({ code: 'review.alreadyCut' });
    const v = await inTx((ctx) => rankingView({ ctx, input: {} }));
    expect(v.round.id).toBe(firstRound);
    expect(v.shortlist).toMatchObject({ kind: 'advanced', kept: best, nextRound: { label: '复评' } });
  });

  it('publishes to the notice group and tells every unit its outcome, once a group is bound', async () => {
    await expect(inTx((ctx) => publishRound({ ctx, actorOpenId: OFFICE, input: {} }))).rejects.toMatchObject({ code: 'review.noNoticeChat' });
    await bindNoticeChat(db, world.campaign.id, 'oc_notice');
    const r = await inTx((ctx) => publishRound({ ctx, actorOpenId: OFFICE, input: {} }));
    expect(r).toMatchObject({ chatId: 'oc_notice', again: false, total: 8 });
    expect(r.outcomes.filter((o) => o.kept)).toHaveLength(3);
    expect(r.outcomes.every((o) => o.liaisons.length === 1)).toBe(true);
    expect((await inTx((ctx) => publishRound({ ctx, actorOpenId: OFFICE, input: {} }))).again).toBe(true);
    expect(await audits('review.publish')).toHaveLength(2);
  });

  it('sends the shortlist to the leaders, who return it with a reason or approve it; stale and repeated decisions are refused', async () => {
    await expect(inTx((ctx) => sendShortlistToLeaders({ ctx, actorOpenId: OFFICE, input: {} }))).rejects.toMatchObject({ code: 'review.noLeaders' });
    await person(db, 'ou_leader', '刘书记');
    await db.insert(userRoles).values({ userOpenId: 'ou_leader', role: 'leader', grantedAt: NOW });
    const sent = await inTx((ctx) => sendShortlistToLeaders({ ctx, actorOpenId: OFFICE, input: {} }));
    expect(sent.leaders).toEqual(['ou_leader']);
    const ref = { roundId: firstRound, digest: sent.view.shortlist.digest };
    await expect(inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { ...ref, digest: '0000000000000000', decision: 'approved' } }))).rejects.toMatchObject({ code: 'review.shortlistChanged' });
    expect(await inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { ...ref, decision: 'returned', reason: ' ' } }))).toMatchObject({ kind: 'invalid', message: '请填写退回理由，说明名单需要怎样调整。' });
    clock.advance(60_000);
    const returned = await inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { ...ref, decision: 'returned', reason: '请补充实地考察情况' } }));
    expect(returned).toMatchObject({ kind: 'done', office: [OFFICE], view: { shortlist: { decision: { decision: 'returned', reason: '请补充实地考察情况', leaderName: '刘书记' } } } });
    await expect(inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { ...ref, decision: 'approved' } }))).rejects.toMatchObject({ code: 'review.alreadyDecided' });
    await expect(inTx((ctx) => publishRound({ ctx, actorOpenId: OFFICE, input: {} }))).rejects.toMatchObject({ code: 'review.returnedBlocksPublish' });
    clock.advance(60_000);
    await inTx((ctx) => sendShortlistToLeaders({ ctx, actorOpenId: OFFICE, input: {} }));
    clock.advance(60_000);
    expect(await inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { ...ref, decision: 'approved' } }))).toMatchObject({ kind: 'done' });
    await expect(inTx((ctx) => sendShortlistToLeaders({ ctx, actorOpenId: OFFICE, input: {} }))).rejects.toMatchObject({ code: 'review.alreadyApproved' });
    expect((await audits('review.leader.return')).map((a) => a.reason)).toEqual(['请补充实地考察情况']);
    expect(await audits('review.leader.approve')).toHaveLength(1);
  });

  it('exports every score, vote and comment of the closed round, and serves it only behind a valid, unexpired link', async () => {
    const [round] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, firstRound));
    const { bytes, fileName } = await inTx((ctx) => exportRound({ ctx, input: { campaign: world.campaign, round: round! }, actorOpenId: OFFICE }));
    expect(fileName).toBe('LN2022-初评-评分明细.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const detail = wb.getWorksheet('评分明细')!;
    expect(detail.rowCount).toBe(1 + 24);
    expect(detail.getRow(1).values).toEqual(expect.arrayContaining(['申报编号', '评审专家', '真正解决实际问题（0–10）', '投票', '评语']));
    const comments = detail.getColumn(13).values.slice(2);
    expect(comments).toHaveLength(24);
    expect(comments.every((c) => typeof c === 'string' && c.startsWith('评语'))).toBe(true);
    expect(detail.getColumn(12).values.slice(2).filter((v) => v === '不推荐')).toHaveLength(1);
    const summary = wb.getWorksheet('汇总排名')!;
    expect(summary.getColumn(2).values.slice(2)).toEqual(world.achievements.map((a) => a.trackingNo));
    expect(summary.getColumn(15).values.slice(2).filter((v) => v === '是')).toHaveLength(3);

    const key = downloadKey({ appSecret: 'app-secret', encryptKey: undefined });
    const route = downloadRoute({ db, clock, key, log: silentLog });
    const path = (url: string) => new URL(url).pathname;
    const link = createDownloadLinks('http://desk.test', key).link({ kind: 'round', campaignCode: 'LN2022', roundId: firstRound }, OFFICE, clock.now());
    const ok = await route.request(path(link.url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('spreadsheetml');
    expect((await ok.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const token = (roundId: number, exp: number, campaignCode = 'LN2022') => signDownloadToken(key, { download: { kind: 'round', campaignCode, roundId }, openId: OFFICE, exp });
    const foreign = signDownloadToken(downloadKey({ appSecret: 'other', encryptKey: undefined }), { download: { kind: 'round', campaignCode: 'LN2022', roundId: firstRound }, openId: OFFICE, exp: clock.now().getTime() + 60_000 });
    expect((await route.request(`/downloads/${foreign}`)).status).toBe(403);
    const expired = await route.request(`/downloads/${token(firstRound, clock.now().getTime() - 1000)}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('/导出');
    expect((await route.request(`/downloads/${token(firstRound, clock.now().getTime() + 60_000, 'CQ2022')}`)).status).toBe(404);
    const openRound = (await db.select().from(reviewRounds).where(and(eq(reviewRounds.campaignId, world.campaign.id), eq(reviewRounds.state, 'open'))))[0]!;
    const sealed = await route.request(`/downloads/${token(openRound.id, clock.now().getTime() + 60_000)}`);
    expect(sealed.status).toBe(409);
    expect(await sealed.text()).toContain('保密');
  });

  it('caps the topic track (≤ 20, then ≤ 10), marks the final list 已推荐 and, once approved, 已确定', async () => {
    await inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: { reason: '复评不在本测试中进行' } }));
    await inTx((ctx) => openReviewTrack({ ctx, actorOpenId: OFFICE, input: { stage: 'topic' } }));
    await inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: { reason: '选题由办公室集体研究' } }));
    await expect(inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '25' } }))).rejects.toSatisfy((e: { userMessage(): string }) =>
      e.userMessage() === '“办公室遴选”最多入围20项，不能入围25项。请把入围数量改为20以内。',
    );
    const office = await inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '3' } }));
    expect(office.next?.label).toBe('领导确定');
    await inTx((ctx) => closeReviewRound({ ctx, actorOpenId: OFFICE, input: { reason: '领导集体研究确定' } }));
    await expect(inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '11' } }))).rejects.toMatchObject({ code: 'review.rule' });
    const final = await inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '2' } }));
    expect(final.next).toBeNull();
    for (const i of final.kept) expect(await statusOf(i.id)).toBe('recommended');
    await expect(inTx((ctx) => cutRound({ ctx, actorOpenId: OFFICE, input: { n: '1' } }))).rejects.toMatchObject({ code: 'review.alreadyCut' });
    const sent = await inTx((ctx) => sendShortlistToLeaders({ ctx, actorOpenId: OFFICE, input: {} }));
    expect(sent.view.shortlist.kind).toBe('final');
    await inTx((ctx) => decideShortlist({ ctx, actorOpenId: 'ou_leader', input: { roundId: sent.view.round.id, digest: sent.view.shortlist.digest, decision: 'approved' } }));
    for (const i of final.kept) expect(await statusOf(i.id)).toBe('confirmed');
    expect((await audits('submission.status')).map((a) => (a.after as { status: string }).status)).toEqual(['recommended', 'recommended', 'confirmed', 'confirmed']);
  });

  it('records a prize split only when it keeps the rules, saying exactly which rule failed', async () => {
    const topic = world.topics[0]!.trackingNo;
    const achievement = world.achievements[0]!;
    await expect(inTx((ctx) => awardForm({ ctx, input: { trackingNo: topic, tier: '一等奖' } }))).rejects.toMatchObject({ code: 'award.notAchievement' });
    await expect(inTx((ctx) => awardForm({ ctx, input: { trackingNo: achievement.trackingNo, tier: '特等奖' } }))).rejects.toSatisfy((e: { userMessage(): string }) => e.userMessage() === '没有奖项“特等奖”。可选的奖项：一等奖、二等奖。');
    const form = await inTx((ctx) => awardForm({ ctx, input: { trackingNo: achievement.trackingNo, tier: '一等奖' } }));
    expect(form.tier).toEqual({ key: 'first', label: '一等奖', amountYuan: 200_000 });
    const team = (n: number, cadre = false) => ({ name: `成员${n}`, role: 'team_member' as const, countyLevelCadre: cadre, amount: '26000' });
    const low = await inTx((ctx) =>
      saveAward({ ctx, actorOpenId: OFFICE, input: { submissionId: achievement.id, tierKey: 'first', unit: 'yuan', awardees: [{ name: '李明', role: 'main_creator', countyLevelCadre: true, amount: '70000' }, team(1, true), team(2), team(3), team(4), { ...team(5), amount: '26000' }] } }),
    );
    expect(low.kind === 'invalid' && low.problems.map((p) => p.message)).toEqual([
      '县处级干部比例应控制在20%以内：获奖人员6人中县处级干部2人，占33.33%，最多只能有1人。',
      '主创人奖金比例不低于总奖金的40%：主创人（李明）合计70,000元，占35%，至少应为80,000元。',
    ]);
    expect(await db.select().from(awards)).toEqual([]);
    const ok = await inTx((ctx) =>
      saveAward({ ctx, actorOpenId: OFFICE, input: { submissionId: achievement.id, tierKey: 'first', unit: 'percent', awardees: [{ name: '李明', role: 'main_creator', countyLevelCadre: false, amount: '40%' }, { ...team(1), amount: '60' }] } }),
    );
    expect(ok.kind).toBe('saved');
    const [row] = await db.select().from(awards);
    expect(row).toMatchObject({ tier: 'first', amountYuan: 200_000, split: [{ name: '李明', shareYuan: 80_000, mainCreator: true }, { name: '成员1', shareYuan: 120_000, mainCreator: false }] });
    expect(await audits('award.set')).toMatchObject([{ entityId: String(achievement.id), before: null }]);
  });
});

// Ranking a closed round (issue 5): the sealed reviews of its assigned reviewers, aggregated per item (weighted
// mean, median, reviewer-normalized z-score, votes, disagreement flags) and ordered by the stated tie-break
// rule. Nothing here is readable while the round is open: only closed rounds are ranked.
import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { leaderDecisions, reviewAssignments, reviews } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { aggregateReviews, type Aggregation, type ItemAggregate, type ReviewerStats } from '../domain/review/aggregate.js';
import { nextRoundKind, roundExitCap, roundKindLabels, scoresVisible } from '../domain/review/rounds.js';
import type { ScoreCriterion } from '../domain/review/scores.js';
import { DomainError } from '../errors.js';
import type { CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { itemsOf, kindOf, latestClosedRoundOf, namesOf, nextRoundOf, trackOf, type RoundItem, type RoundRow } from './review-rounds.js';
import { criteriaOf, voteOf } from './reviews.js';

export type RankedItem = ItemAggregate<number> & Pick<RoundItem, 'title' | 'unitId' | 'unitName' | 'status'>;

export interface RoundRanking {
  campaign: CampaignRow;
  round: RoundRow;
  criteria: ScoreCriterion[];
  /** In rank order. */
  items: RankedItem[];
  reviewers: (ReviewerStats & { name: string })[];
  /** Every sheet of the round, for the export. */
  sheets: { submissionId: number; reviewerOpenId: string; scores: Record<string, number>; vote: ReturnType<typeof voteOf>; comment: string; updatedAt: Date }[];
}

/** Ranks a closed round. Refuses an open one: scores stay sealed until the round closes. */
export async function rankRound(db: Db, campaign: CampaignRow, round: RoundRow): Promise<RoundRanking> {
  if (!scoresVisible({ status: round.state })) throw new DomainError('review.roundStillOpen', { label: round.label });
  const items = await itemsOf(db, round.id);
  const rows = await db
    .select({ r: reviews })
    .from(reviews)
    .innerJoin(reviewAssignments, and(eq(reviewAssignments.roundId, reviews.roundId), eq(reviewAssignments.submissionId, reviews.submissionId), eq(reviewAssignments.reviewerOpenId, reviews.reviewerOpenId)))
    .where(and(eq(reviews.roundId, round.id), eq(reviewAssignments.status, 'assigned')));
  const criteria = criteriaOf(campaign, round);
  const sheets = rows.map(({ r }) => ({ submissionId: r.submissionId, reviewerOpenId: r.reviewerOpenId, scores: r.scores, vote: voteOf(r.vote), comment: r.comment, updatedAt: r.updatedAt }));
  const aggregation: Aggregation<number> = aggregateReviews<number>({
    criteria,
    items: items.map((i) => ({ id: i.id, trackingNo: i.trackingNo, submittedAt: i.createdAt })),
    reviews: sheets.map((s) => ({ itemId: s.submissionId, reviewerOpenId: s.reviewerOpenId, scores: s.scores, vote: s.vote })),
    quorum: round.quorum,
  });
  const byId = new Map(items.map((i) => [i.id, i]));
  const names = await namesOf(db, aggregation.reviewers.map((r) => r.openId));
  return {
    campaign,
    round,
    criteria,
    items: aggregation.items.map((a) => {
      const i = byId.get(a.id);
      if (!i) throw new Error(`ranked item ${a.id} is not in the round`);
      return { ...a, title: i.title, unitId: i.unitId, unitName: i.unitName, status: i.status };
    }),
    reviewers: aggregation.reviewers.map((r) => ({ ...r, name: names.get(r.openId) ?? r.openId })),
    sheets,
  };
}

export interface LeaderDecision {
  decision: 'approved' | 'returned';
  reason: string | null;
  leaderOpenId: string;
  leaderName: string;
  decidedAt: Date;
}

/**
 * What was cut from a closed round: the items of the next round it opened ('advanced'), or, for the last round
 * of a track, the items marked 推荐 (then 确定 once a leader approved) by the final cut ('final'). The digest
 * names the list, so an approval card for an older list is refused.
 */
export type Shortlist =
  | { kind: 'none'; decision: LeaderDecision | null }
  | { kind: 'advanced' | 'final'; kept: number[]; digest: string; nextRound: RoundRow | null; decision: LeaderDecision | null };

export const shortlistDigest = (roundId: number, kept: readonly number[]): string =>
  createHash('sha256').update(`${roundId}:${[...kept].sort((a, b) => a - b).join(',')}`).digest('hex').slice(0, 16);

export async function latestDecision(db: Db, roundId: number): Promise<LeaderDecision | null> {
  const [row] = await db.select().from(leaderDecisions).where(eq(leaderDecisions.roundId, roundId)).orderBy(desc(leaderDecisions.id)).limit(1);
  if (!row) return null;
  const names = await namesOf(db, [row.leaderOpenId]);
  return { decision: row.decision, reason: row.reason, leaderOpenId: row.leaderOpenId, leaderName: names.get(row.leaderOpenId) ?? row.leaderOpenId, decidedAt: row.decidedAt };
}

/** The shortlist of a closed round, in this round's rank order. */
export async function shortlistOf(db: Db, round: RoundRow, ranked: readonly Pick<RankedItem, 'id' | 'status'>[]): Promise<Shortlist> {
  const decision = await latestDecision(db, round.id);
  const nextRound = await nextRoundOf(db, round.id);
  let kept: number[];
  if (nextRound) {
    const next = new Set((await itemsOf(db, nextRound.id)).map((i) => i.id));
    kept = ranked.filter((i) => next.has(i.id)).map((i) => i.id);
  } else {
    kept = ranked.filter((i) => i.status === 'recommended' || i.status === 'confirmed').map((i) => i.id);
    if (kept.length === 0) return { kind: 'none', decision };
  }
  return { kind: nextRound ? 'advanced' : 'final', kept, digest: shortlistDigest(round.id, kept), nextRound: nextRound ?? null, decision };
}

export interface RankingView extends RoundRanking {
  shortlist: Shortlist;
  /** The next round of the track, if any, and the cap on how many may go on. */
  next: { label: string } | null;
  cap: { rule: 'at_most' | 'top'; max: number; phaseLabel: string } | null;
}

/** /排名: the newest closed round of the campaign, ranked, with its shortlist if one was cut. */
export async function rankingView({ ctx, input }: { ctx: ServiceCtx; input: { campaignCode?: string | undefined } }): Promise<RankingView> {
  const { campaign, round } = await latestClosedRoundOf(ctx, input.campaignCode);
  const ranking = await rankRound(ctx.db, campaign, round);
  const kind = kindOf(round);
  const nextKind = nextRoundKind(trackOf(kind), kind);
  const cap = roundExitCap(campaign.definition, kind);
  return {
    ...ranking,
    shortlist: await shortlistOf(ctx.db, round, ranking.items),
    next: nextKind ? { label: roundKindLabels[nextKind] } : null,
    cap: cap ? { ...cap.cap, phaseLabel: cap.phaseLabel } : null,
  };
}

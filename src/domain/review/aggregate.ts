// Aggregation and ranking of one round's sealed reviews.
//
// Per item:
// - weightedMean: the mean of its reviewers' weighted scores (scores.ts: Σ weight × score / Σ weight);
// - median of those weighted scores (the mean of the middle two for an even count);
// - normalized: each reviewer's weighted scores become z-scores over the items that reviewer scored in the round,
//   z = (score − reviewer's mean) / reviewer's population standard deviation, so a harsh or lenient reviewer does
//   not decide the order; the item's normalized score is the mean of its reviewers' z-scores. A reviewer who scored
//   one item only, or gave every item the same score, has no spread to measure: their z is 0 and they are flagged;
// - votes per kind, quorum (at least `quorum` reviews) met or not;
// - disagreement (thresholds are parameters, defaults below):
//   scoreSpread when max − min of the weighted scores > spreadShareOfRange × the width of the scale (30%: 3 points
//   on 0–10); voteSplit when recommend and not-recommend votes are each ≥ voteSplitShare of all votes, abstentions
//   included (1/3: 2 of 5 each, or 1 of 3 each).
// Ranking (rank 1 is best), a total order: normalized desc, then weightedMean desc, then recommend votes desc, then
// the earlier submission, then the tracking number (natural order), then the id. Scores equal to 9 decimals are
// ties; unscored items (no reviews) come after scored ones.
import { compareIds, compareNatural, compareScoresDesc, compareText, SCORE_EPSILON, type ItemId } from './order.js';
import { weightedScore, weightedScoreRange, type ScoreCriterion, type Vote } from './scores.js';

export interface DisagreementThresholds {
  /** Share of the scale's width the spread of weighted scores must exceed. */
  spreadShareOfRange: number;
  /** Share of all votes that recommend and not-recommend must each reach. */
  voteSplitShare: number;
}

export const defaultDisagreementThresholds: DisagreementThresholds = { spreadShareOfRange: 0.3, voteSplitShare: 1 / 3 };

export interface RankingItem<Id extends ItemId> {
  id: Id;
  trackingNo: string;
  submittedAt: Date;
}

export interface ReviewInput<Id extends ItemId> {
  itemId: Id;
  reviewerOpenId: string;
  /** Validated (scores.ts): one number per criterion. */
  scores: Readonly<Record<string, number>>;
  vote: Vote;
}

export interface AggregateInput<Id extends ItemId> {
  criteria: readonly ScoreCriterion[];
  items: readonly RankingItem<Id>[];
  reviews: readonly ReviewInput<Id>[];
  /** Reviews each item needs. */
  quorum: number;
  thresholds?: DisagreementThresholds;
}

export type ReviewerFlag = 'single_item' | 'zero_variance';

export interface ReviewerStats {
  openId: string;
  items: number;
  /** Over the reviewer's weighted scores; null in a round without criteria. */
  mean: number | null;
  stdDev: number | null;
  /** Why this reviewer's z-scores are all 0. */
  flag: ReviewerFlag | null;
}

export interface ItemAggregate<Id extends ItemId> {
  id: Id;
  trackingNo: string;
  submittedAt: Date;
  rank: number;
  reviews: number;
  quorumMet: boolean;
  weightedMean: number | null;
  median: number | null;
  normalized: number | null;
  /** max − min of the weighted scores (0 for one review). */
  spread: number | null;
  criterionMeans: Record<string, number>;
  votes: Record<Vote, number>;
  disagreement: { scoreSpread: boolean; voteSplit: boolean; any: boolean };
  /** Reviewers of this item whose z-score was set to 0 (see ReviewerStats.flag). */
  flaggedReviewers: string[];
}

export interface Aggregation<Id extends ItemId> {
  /** In rank order. */
  items: ItemAggregate<Id>[];
  /** In open id order. */
  reviewers: ReviewerStats[];
  thresholds: DisagreementThresholds;
}

interface Scored<Id extends ItemId> {
  review: ReviewInput<Id>;
  total: number | null;
}

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function checkInput<Id extends ItemId>(input: AggregateInput<Id>, thresholds: DisagreementThresholds): void {
  if (!Number.isSafeInteger(input.quorum) || input.quorum < 1) throw new RangeError(`quorum must be a positive integer: ${input.quorum}`);
  for (const [name, share] of Object.entries(thresholds)) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`threshold ${name} must be in (0, 1]: ${share}`);
  }
}

export function aggregateReviews<Id extends ItemId>(input: AggregateInput<Id>): Aggregation<Id> {
  const thresholds = input.thresholds ?? defaultDisagreementThresholds;
  checkInput(input, thresholds);
  const { criteria } = input;
  const items = [...input.items].sort((a, b) => compareIds(a.id, b.id));
  const byItem = new Map<Id, Scored<Id>[]>();
  for (const item of items) {
    if (byItem.has(item.id)) throw new RangeError(`duplicate item id: ${String(item.id)}`);
    byItem.set(item.id, []);
  }
  for (const review of input.reviews) {
    const list = byItem.get(review.itemId);
    if (!list) throw new RangeError(`review for an unknown item: ${String(review.itemId)}`);
    if (list.some((s) => s.review.reviewerOpenId === review.reviewerOpenId)) {
      throw new RangeError(`two reviews by ${review.reviewerOpenId} of item ${String(review.itemId)}`);
    }
    list.push({ review, total: weightedScore(criteria, review.scores) });
  }
  // Items in id order and reviews within an item in open id order: every sum below runs in the same order
  // whatever order the input came in, so floating-point results are identical too.
  for (const list of byItem.values()) list.sort((a, b) => compareText(a.review.reviewerOpenId, b.review.reviewerOpenId));

  const reviewers = reviewerStats(byItem);
  const range = weightedScoreRange(criteria);
  const width = range ? range.max - range.min : 0;

  const aggregates = items.map((item) => itemAggregate(item, byItem.get(item.id) ?? [], reviewers, criteria, width, input.quorum, thresholds));
  aggregates.sort(compareRanked);
  aggregates.forEach((a, i) => (a.rank = i + 1));
  return { items: aggregates, reviewers: [...reviewers.values()], thresholds };
}

/** One item's numbers; plain loops, since this runs for every submission of a campaign (10,000 in the benchmark). */
function itemAggregate<Id extends ItemId>(
  item: RankingItem<Id>,
  list: readonly Scored<Id>[],
  reviewers: ReadonlyMap<string, ReviewerStats>,
  criteria: readonly ScoreCriterion[],
  width: number,
  quorum: number,
  thresholds: DisagreementThresholds,
): ItemAggregate<Id> {
  const votes: Record<Vote, number> = { recommend: 0, not_recommend: 0, abstain: 0 };
  const totals: number[] = [];
  const flaggedReviewers: string[] = [];
  let zSum = 0;
  for (const s of list) {
    votes[s.review.vote] += 1;
    const stats = reviewers.get(s.review.reviewerOpenId);
    if (stats && stats.flag !== null) flaggedReviewers.push(s.review.reviewerOpenId);
    if (s.total !== null) {
      totals.push(s.total);
      zSum += reviewerZScore(s.total, stats);
    }
  }
  const scored = totals.length > 0;
  const spread = scored ? Math.max(...totals) - Math.min(...totals) : null;
  const scoreSpread = spread !== null && spread - thresholds.spreadShareOfRange * width > SCORE_EPSILON;
  const reaches = (count: number): boolean => count > 0 && count >= thresholds.voteSplitShare * list.length - SCORE_EPSILON;
  const voteSplit = reaches(votes.recommend) && reaches(votes.not_recommend);
  const criterionMeans: Record<string, number> = {};
  if (list.length > 0) {
    for (const c of criteria) {
      let sum = 0;
      for (const s of list) sum += s.review.scores[c.key] as number;
      criterionMeans[c.key] = sum / list.length;
    }
  }
  return {
    id: item.id,
    trackingNo: item.trackingNo,
    submittedAt: item.submittedAt,
    rank: 0,
    reviews: list.length,
    quorumMet: list.length >= quorum,
    weightedMean: scored ? mean(totals) : null,
    median: scored ? median(totals) : null,
    normalized: scored ? zSum / totals.length : null,
    spread,
    criterionMeans,
    votes,
    disagreement: { scoreSpread, voteSplit, any: scoreSpread || voteSplit },
    flaggedReviewers,
  };
}

function reviewerStats<Id extends ItemId>(byItem: ReadonlyMap<Id, readonly Scored<Id>[]>): Map<string, ReviewerStats> {
  const totals = new Map<string, (number | null)[]>();
  for (const list of byItem.values()) {
    for (const s of list) {
      const mine = totals.get(s.review.reviewerOpenId);
      if (mine) mine.push(s.total);
      else totals.set(s.review.reviewerOpenId, [s.total]);
    }
  }
  const stats = new Map<string, ReviewerStats>();
  for (const openId of [...totals.keys()].sort(compareText)) {
    const all = totals.get(openId) ?? [];
    const xs: number[] = [];
    for (const t of all) if (t !== null) xs.push(t);
    if (xs.length === 0) {
      stats.set(openId, { openId, items: all.length, mean: null, stdDev: null, flag: null });
      continue;
    }
    const m = mean(xs);
    let squares = 0;
    for (const x of xs) squares += (x - m) ** 2;
    const sd = Math.sqrt(squares / xs.length);
    const flag: ReviewerFlag | null = xs.length === 1 ? 'single_item' : sd <= SCORE_EPSILON ? 'zero_variance' : null;
    stats.set(openId, { openId, items: all.length, mean: m, stdDev: sd, flag });
  }
  return stats;
}

/** One sheet's z-score from its reviewer's stats (0 for a flagged reviewer), e.g. for the export after close. */
export function reviewerZScore(total: number, stats: ReviewerStats | undefined): number {
  if (!stats || stats.flag !== null || stats.mean === null || stats.stdDev === null) return 0;
  return (total - stats.mean) / stats.stdDev;
}

/** The ranking order described at the top of this file; usable on its own (e.g. to re-sort a filtered list). */
export function compareRanked<Id extends ItemId>(
  a: Pick<ItemAggregate<Id>, 'id' | 'normalized' | 'weightedMean' | 'votes' | 'submittedAt' | 'trackingNo'>,
  b: Pick<ItemAggregate<Id>, 'id' | 'normalized' | 'weightedMean' | 'votes' | 'submittedAt' | 'trackingNo'>,
): number {
  return (
    compareScoresDesc(a.normalized, b.normalized) ||
    compareScoresDesc(a.weightedMean, b.weightedMean) ||
    b.votes.recommend - a.votes.recommend ||
    a.submittedAt.getTime() - b.submittedAt.getTime() ||
    compareNatural(a.trackingNo, b.trackingNo) ||
    compareIds(a.id, b.id)
  );
}

/** The tie-break rule in words, for the ranking card's footnote. */
export const rankingRuleText =
  '排序规则：先按标准化得分（消除评审宽严差异）从高到低；相同时按加权平均分从高到低；再相同时按推荐票数从多到少；再相同时按提交时间先后；最后按申报编号。';

import { describe, expect, it } from 'vitest';
import { aggregateReviews, compareRanked, reviewerZScore, type ReviewInput } from '../../src/domain/review/aggregate.js';
import type { ScoreCriterion, Vote } from '../../src/domain/review/scores.js';

// Four criteria on 0–10, weights 2, 1, 1, 1: a sheet's weighted score is (2p + q + r + s) / 5.
const criteria: ScoreCriterion[] = [
  { key: 'p', label: '真正解决实际问题', weight: 2, scale: { min: 0, max: 10 } },
  { key: 'q', label: '经得起实践检验', weight: 1, scale: { min: 0, max: 10 } },
  { key: 'r', label: '群众获得感明显提高', weight: 1, scale: { min: 0, max: 10 } },
  { key: 's', label: '可复制可推广', weight: 1, scale: { min: 0, max: 10 } },
];
const sheet = (itemId: string, reviewerOpenId: string, [p, q, r, s]: number[], vote: Vote): ReviewInput<string> => ({
  itemId,
  reviewerOpenId,
  scores: { p: p as number, q: q as number, r: r as number, s: s as number },
  vote,
});
const at = (day: number): Date => new Date(Date.UTC(2023, 2, day));
const item = (id: string, day = 1, trackingNo = `LN2022-某单位-${id}`) => ({ id, trackingNo, submittedAt: at(day) });

// The 3-item × 3-reviewer case. Weighted scores:
//   R1: A (2·10+9+8+8)/5 = 45/5 = 9   B (2·1+1+1+1)/5 = 5/5 = 1   C (2·5+6+4+5)/5 = 25/5 = 5
//   R2: A (2·4+6+5+6)/5 = 25/5 = 5    B (2·8+6+7+6)/5 = 35/5 = 7  C (2·6+6+6+6)/5 = 30/5 = 6
//   R3: A (2·6+5+7+6)/5 = 30/5 = 6    B (2·9+7+8+7)/5 = 40/5 = 8  C (2·7+7+7+7)/5 = 35/5 = 7
// R1 spreads widely and prefers A; R2 and R3 agree on B > C > A by small margins.
const reviews: ReviewInput<string>[] = [
  sheet('A', 'R1', [10, 9, 8, 8], 'recommend'),
  sheet('B', 'R1', [1, 1, 1, 1], 'abstain'),
  sheet('C', 'R1', [5, 6, 4, 5], 'recommend'),
  sheet('A', 'R2', [4, 6, 5, 6], 'not_recommend'),
  sheet('B', 'R2', [8, 6, 7, 6], 'recommend'),
  sheet('C', 'R2', [6, 6, 6, 6], 'recommend'),
  sheet('A', 'R3', [6, 5, 7, 6], 'abstain'),
  sheet('B', 'R3', [9, 7, 8, 7], 'recommend'),
  sheet('C', 'R3', [7, 7, 7, 7], 'recommend'),
];
const items = [item('A', 1), item('B', 2), item('C', 3)];
const root15 = Math.sqrt(1.5);

describe('aggregateReviews: 3 items × 3 reviewers by hand', () => {
  const out = aggregateReviews({ criteria, items, reviews, quorum: 3 });
  const get = (id: string) => out.items.find((i) => i.id === id);

  it('reviewer means and population standard deviations', () => {
    // R1: mean (9+1+5)/3 = 5, deviations 4, −4, 0, variance 32/3, sd √(32/3) ≈ 3.266
    // R2: mean (5+7+6)/3 = 6, deviations −1, 1, 0, variance 2/3, sd √(2/3) ≈ 0.816; R3 likewise around 7.
    expect(out.reviewers.map((r) => [r.openId, r.items, r.mean, r.flag])).toEqual([
      ['R1', 3, 5, null],
      ['R2', 3, 6, null],
      ['R3', 3, 7, null],
    ]);
    expect(out.reviewers[0]?.stdDev).toBeCloseTo(Math.sqrt(32 / 3), 12);
    expect(out.reviewers[1]?.stdDev).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('weighted mean, median, spread and per-criterion means', () => {
    // A (9+5+6)/3 = 20/3, median 6, spread 9−5 = 4; B (1+7+8)/3 = 16/3, median 7, spread 7; C (5+6+7)/3 = 6, median 6, spread 2.
    expect(get('A')).toMatchObject({ median: 6, spread: 4 });
    expect(get('A')?.weightedMean).toBeCloseTo(20 / 3, 12);
    expect(get('B')).toMatchObject({ median: 7, spread: 7 });
    expect(get('B')?.weightedMean).toBeCloseTo(16 / 3, 12);
    expect(get('C')).toMatchObject({ weightedMean: 6, median: 6, spread: 2 });
    // B per criterion: p (1+8+9)/3 = 6, q (1+6+7)/3 = 14/3, r (1+7+8)/3 = 16/3, s (1+6+7)/3 = 14/3;
    // and (2·6 + 14/3 + 16/3 + 14/3)/5 = 16/3, the weighted mean again.
    const b = get('B')?.criterionMeans ?? {};
    expect([b.p, b.q, b.r, b.s].map((x) => Number(x?.toFixed(9)))).toEqual([6, 4.666666667, 5.333333333, 4.666666667]);
  });

  it('z-scores undo the harsh/lenient reviewer: B ranks first although A has the highest raw mean', () => {
    // z = deviation / sd: R1 gives A +4/√(32/3) = +√1.5, B −√1.5, C 0; R2 and R3 give A −√1.5, B +√1.5, C 0.
    // A: (√1.5 − √1.5 − √1.5)/3 = −√1.5/3 ≈ −0.408; B: +√1.5/3 ≈ +0.408; C: 0.
    expect(get('A')?.normalized).toBeCloseTo(-root15 / 3, 12);
    expect(get('B')?.normalized).toBeCloseTo(root15 / 3, 12);
    expect(get('C')?.normalized).toBeCloseTo(0, 12);
    expect(reviewerZScore(9, out.reviewers[0])).toBeCloseTo(root15, 12); // R1 on A: (9 − 5)/√(32/3) = √1.5
    expect(out.items.map((i) => [i.rank, i.id])).toEqual([
      [1, 'B'],
      [2, 'C'],
      [3, 'A'],
    ]);
  });

  it('votes, disagreement (spread > 30% of 0–10 = 3 points; recommend and not-recommend each ≥ 1/3) and quorum', () => {
    expect(get('A')).toMatchObject({
      votes: { recommend: 1, not_recommend: 1, abstain: 1 },
      // spread 4 > 3; 1/3 recommend and 1/3 not-recommend
      disagreement: { scoreSpread: true, voteSplit: true, any: true },
      reviews: 3,
      quorumMet: true,
    });
    // spread 7 > 3; no not-recommend vote
    expect(get('B')).toMatchObject({ votes: { recommend: 2, not_recommend: 0, abstain: 1 }, disagreement: { scoreSpread: true, voteSplit: false, any: true } });
    // spread 2 ≤ 3; unanimous
    expect(get('C')).toMatchObject({ votes: { recommend: 3, not_recommend: 0, abstain: 0 }, disagreement: { scoreSpread: false, voteSplit: false, any: false } });
    expect(aggregateReviews({ criteria, items, reviews, quorum: 4 }).items.every((i) => !i.quorumMet)).toBe(true);
  });

  it('the same result whatever order items and reviews come in', () => {
    const again = aggregateReviews({ criteria, items: [...items].reverse(), reviews: [...reviews].reverse(), quorum: 3 });
    expect(again).toEqual(out);
  });
});

describe('reviewers without a spread get z = 0 and are flagged', () => {
  // R4 scored D only; R5 gave D and E the same 6; R6 gave D 4 and E 8 (mean 6, sd 2: z −1 and +1).
  const flat = (v: number): number[] => [v, v, v, v];
  const out = aggregateReviews({
    criteria,
    items: [item('D'), item('E')],
    reviews: [
      sheet('D', 'R4', flat(8), 'recommend'),
      sheet('D', 'R5', flat(6), 'recommend'),
      sheet('E', 'R5', flat(6), 'recommend'),
      sheet('D', 'R6', flat(4), 'not_recommend'),
      sheet('E', 'R6', flat(8), 'recommend'),
    ],
    quorum: 2,
  });

  it('flags single_item and zero_variance', () => {
    expect(out.reviewers.map((r) => [r.openId, r.items, r.mean, r.stdDev, r.flag])).toEqual([
      ['R4', 1, 8, 0, 'single_item'],
      ['R5', 2, 6, 0, 'zero_variance'],
      ['R6', 2, 6, 2, null],
    ]);
  });

  it('the item score is the mean of its reviewers’ z-scores, the flagged ones counting as 0', () => {
    // D: (0 + 0 − 1)/3 = −1/3; E: (0 + 1)/2 = 1/2.
    const [first, second] = out.items;
    expect(first).toMatchObject({ id: 'E', rank: 1, normalized: 0.5, flaggedReviewers: ['R5'] });
    expect(second?.id).toBe('D');
    expect(second?.normalized).toBeCloseTo(-1 / 3, 12);
    expect(second?.flaggedReviewers).toEqual(['R4', 'R5']);
  });
});

describe('ranking tie-breaks, in the stated order', () => {
  // Each item has one reviewer who scored nothing else, so every normalized score is 0 (single_item).
  const solo = (id: string, score: number, vote: Vote) => sheet(id, `only_${id}`, [score, score, score, score], vote);
  const rank = (list: ReturnType<typeof item>[], sheets: ReviewInput<string>[]) =>
    aggregateReviews({ criteria, items: list, reviews: sheets, quorum: 1 }).items.map((i) => i.id);

  it('normalized equal (0 = 0): the higher weighted mean first (8 > 7)', () => {
    expect(rank([item('P'), item('Q')], [solo('P', 7, 'recommend'), solo('Q', 8, 'recommend')])).toEqual(['Q', 'P']);
  });
  it('then more recommend votes', () => {
    expect(rank([item('P'), item('Q')], [solo('P', 7, 'not_recommend'), solo('Q', 7, 'recommend')])).toEqual(['Q', 'P']);
  });
  it('then the earlier submission', () => {
    expect(rank([item('P', 5), item('Q', 4)], [solo('P', 7, 'recommend'), solo('Q', 7, 'recommend')])).toEqual(['Q', 'P']);
  });
  it('then the tracking number in natural order (…-999 before …-1000)', () => {
    const list = [item('P', 1, 'LN2022-某单位-1000'), item('Q', 1, 'LN2022-某单位-999')];
    expect(rank(list, [solo('P', 7, 'recommend'), solo('Q', 7, 'recommend')])).toEqual(['Q', 'P']);
  });
  it('unscored items come last, after negative scores', () => {
    const list = [item('U'), item('V'), item('W')];
    // V and W share reviewer X: V 4, W 6 (z −1, +1); U has no review.
    const sheets = [sheet('V', 'X', [4, 4, 4, 4], 'recommend'), sheet('W', 'X', [6, 6, 6, 6], 'recommend')];
    const out = aggregateReviews({ criteria, items: list, reviews: sheets, quorum: 1 }).items;
    expect(out.map((i) => [i.id, i.normalized, i.quorumMet])).toEqual([
      ['W', 1, true],
      ['V', -1, true],
      ['U', null, false],
    ]);
    expect(out[2]).toMatchObject({ weightedMean: null, median: null, spread: null, criterionMeans: {}, reviews: 0 });
  });
  it('scores equal to 9 decimals are ties (0.1 + 0.2 vs 0.3), so the next rule decides', () => {
    const base = { votes: { recommend: 0, not_recommend: 0, abstain: 0 }, submittedAt: at(1), trackingNo: 'x', weightedMean: 5 };
    expect(compareRanked({ ...base, id: 'a', normalized: 0.1 + 0.2 }, { ...base, id: 'b', normalized: 0.3, weightedMean: 6 })).toBeGreaterThan(0);
  });
});

describe('disagreement thresholds are parameters', () => {
  const five = (votes: Vote[], scores: number[]) =>
    aggregateReviews({
      criteria,
      items: [item('A')],
      reviews: votes.map((v, i) => sheet('A', `R${i}`, [scores[i] ?? 5, scores[i] ?? 5, scores[i] ?? 5, scores[i] ?? 5], v)),
      quorum: 5,
    }).items[0]?.disagreement;

  it('2 recommend, 2 not, 1 abstain of 5 is a split (0.4 ≥ 1/3); 2, 1, 2 is not (0.2 < 1/3)', () => {
    expect(five(['recommend', 'recommend', 'not_recommend', 'not_recommend', 'abstain'], [])?.voteSplit).toBe(true);
    expect(five(['recommend', 'recommend', 'not_recommend', 'abstain', 'abstain'], [])?.voteSplit).toBe(false);
  });
  it('a spread of exactly 3 points is not > 30% of 10; 3.5 is', () => {
    expect(five(['recommend', 'recommend', 'recommend', 'recommend', 'recommend'], [5, 8, 6, 6, 6])?.scoreSpread).toBe(false);
    expect(five(['recommend', 'recommend', 'recommend', 'recommend', 'recommend'], [5, 8.5, 6, 6, 6])?.scoreSpread).toBe(true);
  });
  it('custom thresholds: 1 not-recommend of 5 splits at 20%; a 3-point spread counts at 25%', () => {
    const out = aggregateReviews({
      criteria,
      items: [item('A')],
      reviews: [sheet('A', 'R1', [5, 5, 5, 5], 'recommend'), sheet('A', 'R2', [8, 8, 8, 8], 'not_recommend'), ...['R3', 'R4', 'R5'].map((r) => sheet('A', r, [6, 6, 6, 6], 'recommend'))],
      quorum: 1,
      thresholds: { spreadShareOfRange: 0.25, voteSplitShare: 0.2 },
    });
    expect(out.items[0]?.disagreement).toEqual({ scoreSpread: true, voteSplit: true, any: true });
    expect(() => aggregateReviews({ criteria, items: [], reviews: [], quorum: 1, thresholds: { spreadShareOfRange: 0, voteSplitShare: 0.3 } })).toThrow(RangeError);
  });
});

describe('bad input is a programming error, not a silent result', () => {
  it.each([
    ['a review of an unknown item', [sheet('Z', 'R1', [1, 1, 1, 1], 'recommend')]],
    ['two reviews by one reviewer of one item', [sheet('A', 'R1', [1, 1, 1, 1], 'recommend'), sheet('A', 'R1', [2, 2, 2, 2], 'recommend')]],
  ])('%s throws', (_what, bad) => {
    expect(() => aggregateReviews({ criteria, items, reviews: bad, quorum: 1 })).toThrow(RangeError);
  });
});

describe('scale', () => {
  it('ranks 10,000 submissions × 5 reviewers completely and in order (timing lives in bench/)', () => {
    const n = 10_000;
    const list = Array.from({ length: n }, (_, i) => item(`S${i}`, 1 + (i % 28)));
    const sheets: ReviewInput<string>[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 5; j++) {
        const v = (i * 7 + j * 13) % 11;
        sheets.push(sheet(`S${i}`, `R${(i + j * 37) % 200}`, [v, (v + 3) % 11, (v + 5) % 11, 10 - v], j % 3 === 0 ? 'recommend' : 'abstain'));
      }
    }
    const out = aggregateReviews({ criteria, items: list, reviews: sheets, quorum: 5 });
    expect(out.items).toHaveLength(n);
    expect(out.items.map((i) => i.rank)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });
});

// Who reviews what (/评审 分配): every submission gets k distinct reviewers, never one with a conflict of
// interest (see conflicts.ts), with reviewer loads as even as eligibility allows, and the same output for the
// same input whatever order it comes in.
//
// Algorithm.
// 1. Normalise: items sorted by id, reviewers by open id (duplicates merged), so input order cannot matter.
//    Each item's eligible reviewers: no conflict and not excluded (an earlier 回避). Fixed pairs (reviews
//    already under way) are kept, count towards k and towards load, and are never moved.
// 2. Greedy: items in order of fewest eligible reviewers first (the most constrained take their pick before the
//    flexible ones), then by id; each takes the reviewers it still needs among its eligible ones by lowest current
//    load, then by a stable hash of (item, reviewer), then by open id. The hash spreads reviewer pairs across items
//    instead of always seating the same alphabetical group together.
// 3. Repair: the greedy result can still be uneven when eligibility is lopsided. This is a flow with a convex cost
//    per reviewer (Σ load²); it is optimal exactly when no chain of moves "reviewer A gives item i to C, C gives
//    item j to D, ..., ends at B" exists from a reviewer with load l to one with load ≤ l − 2 (Harvey et al.,
//    semi-matchings for load balancing). We search such chains breadth-first, from the highest load down, and
//    shift along each one found; every shift lowers Σ load² by at least 2, so it terminates. At the end max − min
//    is the smallest any valid assignment can reach: ≤ 1 whenever eligibility allows it.
// Items with fewer than k eligible reviewers get all of them and are reported in `uncovered`.
import { fail, ok, type Result } from '../campaign/result.js';
import { rebalance } from './balance.js';
import type { ReviewerUnits, UnitRelation } from './conflicts.js';
import { compareIds, compareText, itemHash, mixHash, stableHash, type ItemId } from './order.js';
import { buildPool, type AssignmentItem, type ReviewerPair } from './pool.js';

export type { ReviewerUnits, UnitRelation } from './conflicts.js';
export type { AssignmentItem, ReviewerPair } from './pool.js';
export { reassign, type ReassignFailureCode, type ReassignInput, type Reassignment } from './reassign.js';

export interface AssignInput<Id extends ItemId> {
  items: readonly AssignmentItem<Id>[];
  reviewers: readonly ReviewerUnits[];
  unitRelations: readonly UnitRelation[];
  /** Reviewers per item. */
  k: number;
  /** Pairs never to make: conflicts a reviewer declared (回避). */
  excluded?: readonly ReviewerPair<Id>[];
  /** Pairs to keep as they are (reviews already under way); never moved. */
  fixed?: readonly ReviewerPair<Id>[];
}

export interface Uncovered<Id extends ItemId> {
  itemId: Id;
  /** How many reviewers may review it (all of them are assigned). */
  eligible: number;
  needed: number;
}

export type DroppedReason = 'unknown_item' | 'unknown_reviewer' | 'not_eligible';

export interface ReviewerAssignment<Id extends ItemId> {
  /** Item id -> reviewer open ids (sorted), items in id order. */
  assignments: Map<Id, string[]>;
  uncovered: Uncovered<Id>[];
  /** Reviewer open id -> number of items, every reviewer listed (0 included), in open id order. */
  loads: Map<string, number>;
  /** Fixed pairs that could not be kept, with why. */
  dropped: (ReviewerPair<Id> & { reason: DroppedReason })[];
}

export const DEFAULT_REVIEWERS_PER_ITEM = 5;

/** Reads the k an admin typed (e.g. `/评审 分配 3`). */
export function checkReviewersPerItem(input: string | number): Result<number, 'invalid_reviewers_per_item'> {
  const text = String(input).trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const k = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(k) || k < 1) {
    return fail('invalid_reviewers_per_item', `每项成果的评审专家人数应为正整数（例如 ${DEFAULT_REVIEWERS_PER_ITEM}），现在是“${String(input).trim()}”。`);
  }
  return ok(k);
}

/** Assigns every item k reviewers as described at the top of this file. Throws RangeError for a bad k or duplicate item ids. */
export function assignReviewers<Id extends ItemId>(input: AssignInput<Id>): ReviewerAssignment<Id> {
  const { k } = input;
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`k must be a positive integer: ${k}`);
  const pool = buildPool(input.items, input.reviewers, input.unitRelations, input.excluded ?? []);
  const n = pool.items.length;
  const m = pool.openIds.length;
  const on = pool.items.map(() => new Set<number>());
  const fixedOn = pool.items.map(() => new Set<number>());
  const held = pool.openIds.map(() => new Set<number>());
  const load = pool.openIds.map(() => 0);
  const dropped: ReviewerAssignment<Id>['dropped'] = [];

  const place = (i: number, r: number): void => {
    (on[i] as Set<number>).add(r);
    (held[r] as Set<number>).add(i);
    load[r] = (load[r] as number) + 1;
  };

  const fixedSorted = [...(input.fixed ?? [])].sort((a, b) => compareIds(a.itemId, b.itemId) || compareText(a.openId, b.openId));
  for (const pair of fixedSorted) {
    const i = pool.itemIndex.get(pair.itemId);
    const r = pool.reviewerIndex.get(pair.openId);
    if (i === undefined) dropped.push({ ...pair, reason: 'unknown_item' });
    else if (r === undefined) dropped.push({ ...pair, reason: 'unknown_reviewer' });
    else if (!(pool.eligible[i] as number[]).includes(r)) dropped.push({ ...pair, reason: 'not_eligible' });
    else if (!(on[i] as Set<number>).has(r)) {
      place(i, r);
      (fixedOn[i] as Set<number>).add(r);
    }
  }

  // Greedy, most constrained items first.
  const reviewerHashes = pool.openIds.map(stableHash);
  const order = pool.items.map((_, i) => i).sort((a, b) => (pool.eligible[a] as number[]).length - (pool.eligible[b] as number[]).length || a - b);
  for (const i of order) {
    const item = pool.items[i] as AssignmentItem<Id>;
    const need = k - (on[i] as Set<number>).size;
    if (need <= 0) continue;
    const ih = itemHash(item.id);
    const taken = on[i] as Set<number>;
    // Pick `need` times the best remaining candidate: lowest load, then pair hash, then open id order.
    for (let pick = 0; pick < need; pick++) {
      let best = -1;
      let bestLoad = 0;
      let bestHash = 0;
      for (const r of pool.eligible[i] as number[]) {
        if (taken.has(r)) continue;
        const l = load[r] as number;
        if (best >= 0 && l > bestLoad) continue;
        const h = mixHash(ih, reviewerHashes[r] as number);
        if (best < 0 || l < bestLoad || h < bestHash || (h === bestHash && r < best)) {
          best = r;
          bestLoad = l;
          bestHash = h;
        }
      }
      if (best < 0) break;
      place(i, best);
    }
  }

  rebalance({ on, fixedOn, held, load, eligible: pool.eligible });

  const assignments = new Map<Id, string[]>();
  const uncovered: Uncovered<Id>[] = [];
  for (let i = 0; i < n; i++) {
    const item = pool.items[i] as AssignmentItem<Id>;
    assignments.set(item.id, [...(on[i] as Set<number>)].sort((a, b) => a - b).map((r) => pool.openIds[r] as string));
    const eligible = (pool.eligible[i] as number[]).length;
    if (eligible < k) uncovered.push({ itemId: item.id, eligible, needed: k });
  }
  const loads = new Map<string, number>();
  for (let r = 0; r < m; r++) loads.set(pool.openIds[r] as string, load[r] as number);
  return { assignments, uncovered, loads, dropped };
}

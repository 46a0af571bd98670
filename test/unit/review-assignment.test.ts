import { describe, expect, it } from 'vitest';
import {
  assignReviewers,
  checkReviewersPerItem,
  type AssignInput,
  type AssignmentItem,
  type ReviewerAssignment,
  type ReviewerUnits,
  type UnitRelation,
} from '../../src/domain/review/assignment.js';

/** mulberry32: a small seeded PRNG so every "random" case is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Independent conflict check for the tests: walk each unit's parent chain. */
function chain(unit: number, relations: readonly UnitRelation[]): number[] {
  const parent = new Map(relations.map((r) => [r.unitId, r.parentId]));
  const out = [unit];
  for (let p = parent.get(unit) ?? null; p !== null && !out.includes(p); p = parent.get(p) ?? null) out.push(p);
  return out;
}
function conflicted(reviewer: ReviewerUnits, itemUnit: number, relations: readonly UnitRelation[]): boolean {
  return reviewer.unitIds.some((u) => chain(itemUnit, relations).includes(u) || chain(u, relations).includes(itemUnit));
}
const eligibleCache = new WeakMap<AssignInput<number>, Map<number, string[]>>();
function eligibleFor(input: AssignInput<number>, item: AssignmentItem<number>): string[] {
  const byUnit = eligibleCache.get(input) ?? new Map<number, string[]>();
  eligibleCache.set(input, byUnit);
  let found = byUnit.get(item.unitId);
  if (!found) {
    found = input.reviewers.filter((r) => !conflicted(r, item.unitId, input.unitRelations)).map((r) => r.openId);
    byUnit.set(item.unitId, found);
  }
  return found;
}

function randomCase(seed: number, size: { units: number; items: number; reviewers: number; k: number }): AssignInput<number> {
  const rand = prng(seed);
  const units = int(rand, 1, size.units);
  const unitRelations: UnitRelation[] = Array.from({ length: units }, (_, u) => ({
    unitId: u + 1,
    parentId: u > 0 && rand() < 0.4 ? int(rand, 1, u) : null,
  }));
  const items = Array.from({ length: int(rand, 0, size.items) }, (_, i) => ({ id: i + 1, unitId: int(rand, 1, units) }));
  const reviewers = Array.from({ length: int(rand, 0, size.reviewers) }, (_, r) => ({
    openId: `ou_r${String(r).padStart(2, '0')}`,
    unitIds: rand() < 0.4 ? [] : Array.from({ length: int(rand, 1, 2) }, () => int(rand, 1, units)),
  }));
  return { items, reviewers, unitRelations, k: int(rand, 1, size.k) };
}

const spread = (loads: ReadonlyMap<string, number>): number =>
  loads.size === 0 ? 0 : Math.max(...loads.values()) - Math.min(...loads.values());
const sumSquares = (loads: Iterable<number>): number => [...loads].reduce((s, l) => s + l * l, 0);
const plain = (a: ReviewerAssignment<number>) => ({ ...a, assignments: [...a.assignments], loads: [...a.loads] });

function checkInvariants(input: AssignInput<number>, out: ReviewerAssignment<number>): void {
  let total = 0;
  for (const item of input.items) {
    const got = out.assignments.get(item.id) ?? [];
    const eligible = eligibleFor(input, item);
    expect(new Set(got).size).toBe(got.length); // distinct
    expect(got.length).toBe(Math.min(input.k, eligible.length)); // k, or every eligible reviewer
    for (const r of got) expect(eligible).toContain(r); // never a conflict
    total += got.length;
  }
  expect(out.uncovered).toEqual(
    input.items
      .map((item) => ({ itemId: item.id, eligible: eligibleFor(input, item).length, needed: input.k }))
      .filter((u) => u.eligible < input.k)
      .sort((a, b) => a.itemId - b.itemId),
  );
  expect([...out.loads.values()].reduce((s, l) => s + l, 0)).toBe(total);
}

/** Every valid assignment of a tiny case: the best max − min and Σ load² any of them reaches. */
function bruteForceBest(input: AssignInput<number>): { spread: number; sumSquares: number } {
  const choices = input.items.map((item) => combinations(eligibleFor(input, item), Math.min(input.k, eligibleFor(input, item).length)));
  let best = { spread: Infinity, sumSquares: Infinity };
  const loads = new Map(input.reviewers.map((r) => [r.openId, 0]));
  const walk = (i: number): void => {
    if (i === choices.length) {
      best = { spread: Math.min(best.spread, spread(loads)), sumSquares: Math.min(best.sumSquares, sumSquares(loads.values())) };
      return;
    }
    for (const pick of choices[i] as string[][]) {
      for (const r of pick) loads.set(r, (loads.get(r) ?? 0) + 1);
      walk(i + 1);
      for (const r of pick) loads.set(r, (loads.get(r) ?? 0) - 1);
    }
  };
  walk(0);
  return best;
}
function combinations<T>(xs: readonly T[], n: number): T[][] {
  if (n === 0) return [[]];
  return xs.flatMap((x, i) => combinations(xs.slice(i + 1), n - 1).map((rest) => [x, ...rest]));
}

describe('assignReviewers on hand-built cases', () => {
  // Units: 1 A区 with 2 A区园区 below it; 3 B区; 4 市司法局. Reviewers: ra (A区), rb (B区), rc, rd (no unit), re (市司法局).
  const unitRelations: UnitRelation[] = [
    { unitId: 1, parentId: null },
    { unitId: 2, parentId: 1 },
    { unitId: 3, parentId: null },
    { unitId: 4, parentId: null },
  ];
  const reviewers: ReviewerUnits[] = [
    { openId: 'ra', unitIds: [1] },
    { openId: 'rb', unitIds: [3] },
    { openId: 'rc', unitIds: [] },
    { openId: 'rd', unitIds: [] },
    { openId: 're', unitIds: [4] },
  ];
  // Items 1–3 from A区/园区 (ra excluded), 4–5 from B区 (rb excluded), 6 from 市司法局 (re excluded).
  const items = [
    { id: 1, unitId: 1 },
    { id: 2, unitId: 2 },
    { id: 3, unitId: 2 },
    { id: 4, unitId: 3 },
    { id: 5, unitId: 3 },
    { id: 6, unitId: 4 },
  ];

  it('k = 2: 12 seats over 5 reviewers, loads 2 or 3, nobody on their own or a related unit', () => {
    const out = assignReviewers({ items, reviewers, unitRelations, k: 2 });
    checkInvariants({ items, reviewers, unitRelations, k: 2 }, out);
    // 6 items × 2 = 12 seats; 12 / 5 = 2.4, so the best is loads {3, 3, 2, 2, 2}: max − min = 1.
    expect([...out.loads.values()].sort()).toEqual([2, 2, 2, 3, 3]);
    for (const id of [1, 2, 3]) expect(out.assignments.get(id)).not.toContain('ra');
    for (const id of [4, 5]) expect(out.assignments.get(id)).not.toContain('rb');
    expect(out.uncovered).toEqual([]);
  });

  it('lopsided eligibility: ra may only take item 7; the other four share the rest evenly', () => {
    // ra belongs to A区, B区 and 市司法局 here, so only item 7 (unit 5, outside every chain) is open to ra.
    const busy: ReviewerUnits[] = [{ openId: 'ra', unitIds: [1, 3, 4] }, ...reviewers.slice(1)];
    const withOne = [...items, { id: 7, unitId: 5 }];
    const input = { items: withOne, reviewers: busy, unitRelations, k: 3 };
    const out = assignReviewers(input);
    checkInvariants(input, out);
    // 7 items × 3 = 21 seats; ra can hold at most 1, so the other four share ≥ 20: five each, ra one.
    expect(out.loads.get('ra')).toBe(1);
    expect([...out.loads.entries()].filter(([id]) => id !== 'ra').map(([, l]) => l)).toEqual([5, 5, 5, 5]);
    expect(bruteForceBest(input).sumSquares).toBe(sumSquares(out.loads.values()));
  });

  it('reports items that cannot get k reviewers, and gives them every eligible one', () => {
    const input = { items, reviewers, unitRelations, k: 5 };
    const out = assignReviewers(input);
    // Every item has exactly one conflicted reviewer, so 4 of the 5 are eligible.
    expect(out.uncovered).toEqual(items.map((i) => ({ itemId: i.id, eligible: 4, needed: 5 })));
    expect(out.assignments.get(1)).toEqual(['rb', 'rc', 'rd', 're']);
    expect(out.assignments.get(6)).toEqual(['ra', 'rb', 'rc', 'rd']);
  });

  it('with no reviewers every item is uncovered; with no items nobody is loaded', () => {
    expect(assignReviewers({ items, reviewers: [], unitRelations, k: 2 }).uncovered).toHaveLength(6);
    const none = assignReviewers({ items: [], reviewers, unitRelations, k: 2 });
    expect([...none.assignments]).toEqual([]);
    expect([...none.loads.values()]).toEqual([0, 0, 0, 0, 0]);
  });

  it('never re-makes an excluded pair (an earlier 回避)', () => {
    const input = { items, reviewers, unitRelations, k: 4, excluded: [{ itemId: 6, openId: 'rc' }] };
    const out = assignReviewers(input);
    // Item 6 (市司法局): re conflicts, rc declined, so only ra, rb, rd remain.
    expect(out.assignments.get(6)).toEqual(['ra', 'rb', 'rd']);
    expect(out.uncovered).toContainEqual({ itemId: 6, eligible: 3, needed: 4 });
  });

  it('keeps fixed pairs, counts them, and drops the ones that are no longer valid', () => {
    const fixed = [
      { itemId: 4, openId: 'ra' },
      { itemId: 4, openId: 'rb' }, // rb is in B区, the item's own unit
      { itemId: 9, openId: 'rc' }, // no such item
      { itemId: 5, openId: 'zz' }, // no such reviewer
    ];
    const out = assignReviewers({ items, reviewers, unitRelations, k: 2, fixed });
    expect(out.assignments.get(4)).toContain('ra');
    expect(out.assignments.get(4)).toHaveLength(2);
    expect(out.dropped).toEqual([
      { itemId: 4, openId: 'rb', reason: 'not_eligible' },
      { itemId: 5, openId: 'zz', reason: 'unknown_reviewer' },
      { itemId: 9, openId: 'rc', reason: 'unknown_item' },
    ]);
    expect(spread(out.loads)).toBeLessThanOrEqual(1);
  });

  it('refuses a k that is not a positive integer', () => {
    expect(() => assignReviewers({ items, reviewers, unitRelations, k: 0 })).toThrow(RangeError);
    expect(() => assignReviewers({ items: [items[0] as AssignmentItem<number>, items[0] as AssignmentItem<number>], reviewers, unitRelations, k: 1 })).toThrow(
      /duplicate item/,
    );
  });
});

describe('checkReviewersPerItem reads what the admin typed', () => {
  it.each([
    ['5', 5],
    [' 3 ', 3],
    ['５', 5],
    [7, 7],
  ])('%j -> %i', (typed, k) => {
    expect(checkReviewersPerItem(typed)).toEqual({ ok: true, value: k });
  });
  it.each(['0', '-1', '2.5', '五', ''])('%j is refused with a Chinese message', (typed) => {
    const result = checkReviewersPerItem(typed);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^每项成果的评审专家人数应为正整数（例如 5），现在是/);
  });
});

describe('assignReviewers over seeded random inputs', () => {
  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);

  it.each(seeds)('seed %i: k distinct, no conflict, uncovered exact, balance optimal, same output for shuffled input', (seed) => {
    const input = randomCase(seed, { units: 8, items: 30, reviewers: 12, k: 6 });
    const out = assignReviewers(input);
    checkInvariants(input, out);

    // Local optimality, checked independently: no single move from a reviewer with load l to one with load ≤ l − 2.
    for (const item of input.items) {
      const on = out.assignments.get(item.id) ?? [];
      for (const a of on) {
        for (const b of eligibleFor(input, item)) {
          if (!on.includes(b)) expect((out.loads.get(b) ?? 0) >= (out.loads.get(a) ?? 0) - 1).toBe(true);
        }
      }
    }
    // When nobody conflicts with anything, max − min ≤ 1 always.
    if (input.items.every((item) => eligibleFor(input, item).length === input.reviewers.length)) {
      expect(spread(out.loads)).toBeLessThanOrEqual(1);
    }

    const rand = prng(seed * 7919);
    const shuffled: AssignInput<number> = {
      k: input.k,
      items: shuffle(input.items, rand),
      reviewers: shuffle(input.reviewers, rand).map((r) => ({ ...r, unitIds: shuffle(r.unitIds, rand) })),
      unitRelations: shuffle(input.unitRelations, rand),
    };
    expect(plain(assignReviewers(shuffled))).toEqual(plain(out));
  });

  it.each(seeds.slice(0, 120))('seed %i (tiny): max − min and Σ load² equal the best of every possible assignment', (seed) => {
    const input = randomCase(seed + 10_000, { units: 4, items: 4, reviewers: 5, k: 3 });
    const out = assignReviewers(input);
    checkInvariants(input, out);
    const best = bruteForceBest(input);
    expect(spread(out.loads)).toBe(best.spread);
    expect(sumSquares(out.loads.values())).toBe(best.sumSquares);
  });

  it('balances without conflicts: 37 items × 5 reviewers over 12 reviewers, loads 15 or 16', () => {
    const reviewers = Array.from({ length: 12 }, (_, r) => ({ openId: `ou_${r}`, unitIds: [] }));
    const items = Array.from({ length: 37 }, (_, i) => ({ id: i + 1, unitId: 1 }));
    const out = assignReviewers({ items, reviewers, unitRelations: [], k: 5 });
    // 37 × 5 = 185 seats = 12 × 15 + 5: five reviewers hold 16, seven hold 15.
    expect([...out.loads.values()].sort((a, b) => a - b)).toEqual([15, 15, 15, 15, 15, 15, 15, 16, 16, 16, 16, 16]);
  });

  it('a larger case stays balanced: 1,000 items × 5 over 60 reviewers in 20 units', () => {
    const rand = prng(42);
    const unitRelations = Array.from({ length: 20 }, (_, u) => ({ unitId: u + 1, parentId: u >= 10 ? u - 9 : null }));
    const reviewers = Array.from({ length: 60 }, (_, r) => ({ openId: `ou_${String(r).padStart(2, '0')}`, unitIds: r % 3 === 0 ? [] : [int(rand, 1, 20)] }));
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, unitId: int(rand, 1, 20) }));
    const out = assignReviewers({ items, reviewers, unitRelations, k: 5 });
    checkInvariants({ items, reviewers, unitRelations, k: 5 }, out);
    // 5,000 seats / 60 reviewers = 83.3: loads 83 or 84.
    expect(spread(out.loads)).toBe(1);
  });
});

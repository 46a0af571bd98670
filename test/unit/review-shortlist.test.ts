import { describe, expect, it } from 'vitest';
import { templates } from '../../src/domain/campaign/templates/index.js';
import { roundExitCap } from '../../src/domain/review/rounds.js';
import { cutShortlist, type ShortlistCandidate } from '../../src/domain/review/shortlist.js';

const ln = templates['liaoning-2022'];
const officeCap = roundExitCap(ln, 'office_selection'); // at most 20
const provinceCap = roundExitCap(ln, 're_review'); // top 50

// A ranking of 8 items from 3 units, best first: units 1, 1, 2, 1, 3, 2, 1, 3.
const ranked: ShortlistCandidate<string>[] = [
  { id: 'a', unitId: 1 },
  { id: 'b', unitId: 1 },
  { id: 'c', unitId: 2 },
  { id: 'd', unitId: 1 },
  { id: 'e', unitId: 3 },
  { id: 'f', unitId: 2 },
  { id: 'g', unitId: 1 },
  { id: 'h', unitId: 3 },
];
const many = (n: number): ShortlistCandidate<number>[] => Array.from({ length: n }, (_, i) => ({ id: i + 1, unitId: (i % 7) + 1 }));

describe('the caps come from the template', () => {
  it('office ≤ 20, leadership ≤ 10, province top 50; no cap after 初评', () => {
    expect(officeCap).toEqual({ cap: { rule: 'at_most', max: 20 }, phaseLabel: '办公室遴选' });
    expect(roundExitCap(ln, 'leader_confirmation')).toEqual({ cap: { rule: 'at_most', max: 10 }, phaseLabel: '领导确定' });
    expect(provinceCap).toEqual({ cap: { rule: 'top', max: 50 }, phaseLabel: '评价' });
    expect(roundExitCap(ln, 'initial_review')).toBeUndefined();
    expect(roundExitCap(templates['chongqing-2022'], 'office_selection')).toBeUndefined();
  });
});

describe('cutShortlist', () => {
  it('keeps the top N and says everyone else was beyond N', () => {
    expect(cutShortlist({ ranked, n: 3 })).toEqual({
      ok: true,
      value: {
        n: 3,
        perUnitCap: null,
        kept: ['a', 'b', 'c'],
        cut: ['d', 'e', 'f', 'g', 'h'].map((id, i) => ({ id, position: i + 4, rule: 'beyond_n' })),
      },
    });
  });

  it('a per-unit cap of 1 skips b, d, g (unit 1) and f (unit 2); the list fills from further down', () => {
    // Walk: a keep (u1), b u1 full, c keep (u2), d u1 full, e keep (u3) -> 3 kept, so f, g, h are beyond N.
    const result = cutShortlist({ ranked, n: 3, perUnitCap: 1, cap: officeCap?.cap, capLabel: officeCap?.phaseLabel });
    expect(result).toMatchObject({ ok: true, value: { kept: ['a', 'c', 'e'], perUnitCap: 1 } });
    if (result.ok) {
      expect(result.value.cut).toEqual([
        { id: 'b', position: 2, rule: 'per_unit_cap' },
        { id: 'd', position: 4, rule: 'per_unit_cap' },
        { id: 'f', position: 6, rule: 'beyond_n' },
        { id: 'g', position: 7, rule: 'beyond_n' },
        { id: 'h', position: 8, rule: 'beyond_n' },
      ]);
    }
  });

  it('a per-unit cap can leave the list shorter than N when the units run out', () => {
    // Three units, at most 2 each -> a, b, c, e, f, h; asking for 7 keeps 6.
    const result = cutShortlist({ ranked, n: 7, perUnitCap: 2 });
    expect(result).toMatchObject({ ok: true, value: { kept: ['a', 'b', 'c', 'e', 'f', 'h'] } });
  });

  it('without N takes the cap (20 of 25), or everyone when there is no cap', () => {
    const twenty = cutShortlist({ ranked: many(25), cap: officeCap?.cap });
    expect(twenty.ok && twenty.value.kept).toEqual(many(20).map((c) => c.id));
    expect(twenty.ok && twenty.value.cut.map((c) => c.position)).toEqual([21, 22, 23, 24, 25]);
    const all = cutShortlist({ ranked });
    expect(all.ok && all.value.kept).toHaveLength(8);
  });

  it('N equal to the cap is allowed; fewer candidates than N keeps them all', () => {
    expect(cutShortlist({ ranked: many(30), n: 20, cap: officeCap?.cap }).ok).toBe(true);
    const few = cutShortlist({ ranked: many(4), n: '10', cap: { rule: 'at_most', max: 10 } });
    expect(few.ok && few.value.kept).toEqual([1, 2, 3, 4]);
  });

  it.each([
    [{ n: 25, cap: { rule: 'at_most', max: 20 } as const, capLabel: '办公室遴选' }, 'over_cap', '“办公室遴选”最多入围20项，不能入围25项。请把入围数量改为20以内。'],
    [{ n: 60, cap: { rule: 'top', max: 50 } as const, capLabel: '评价' }, 'over_cap', '“评价”取排名前50名，不能入围60项。请把入围数量改为50以内。'],
    [{ n: '二十', cap: { rule: 'at_most', max: 20 } as const }, 'invalid_n', '入围数量应为正整数，例如 /排名 入围 20，现在是“二十”。'],
    [{ n: 0 }, 'invalid_n', '入围数量应为正整数，例如 /排名 入围 20，现在是“0”。'],
    [{ n: 3, perUnitCap: '0' }, 'invalid_unit_cap', '每个单位的入围上限应为正整数，例如 2，现在是“0”。'],
    [{ n: 50, perUnitCap: 2, cap: { rule: 'top', max: 50 } as const, capLabel: '评价' }, 'unit_cap_not_allowed', '“评价”严格按排名取前50名，不能设置每个单位的入围上限。'],
  ])('refuses %j', (options, code, message) => {
    expect(cutShortlist({ ranked: many(60), ...options })).toEqual({ ok: false, code, message });
  });

  it('a ranking listing an item twice is a programming error', () => {
    expect(() => cutShortlist({ ranked: [...ranked, { id: 'a', unitId: 1 }] })).toThrow(RangeError);
  });
});

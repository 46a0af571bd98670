import { describe, expect, it } from 'vitest';
import { conflictRules, type UnitRelation } from '../../src/domain/review/conflicts.js';

describe('conflict rules: own unit, every unit above and every unit below; siblings are fine', () => {
  // 1 市委 ─┬─ 2 A区 ── 3 A区园区 ── 4 园区某中心
  //         └─ 5 B区
  const relations: UnitRelation[] = [
    { unitId: 1, parentId: null },
    { unitId: 2, parentId: 1 },
    { unitId: 3, parentId: 2 },
    { unitId: 4, parentId: 3 },
    { unitId: 5, parentId: 1 },
  ];
  const rules = conflictRules(relations);
  it.each([
    [3, 3, true, 'own unit'],
    [3, 2, true, 'parent'],
    [3, 1, true, 'grandparent'],
    [2, 4, true, 'grandchild'],
    [1, 5, true, 'child'],
    [3, 5, false, 'uncle'],
    [2, 5, false, 'sibling'],
    [4, 99, false, 'unit outside the tree'],
  ])('reviewer of unit %i, item of unit %i: %s (%s)', (reviewerUnit, itemUnit, expected) => {
    expect(rules.conflicts([reviewerUnit], itemUnit)).toBe(expected);
  });
  it('a reviewer without a unit conflicts with nothing; one with two units with either chain', () => {
    expect(rules.conflicts([], 1)).toBe(false);
    expect(rules.conflicts([5, 4], 2)).toBe(true);
  });
  it('survives a cycle in the parent links', () => {
    const looped = conflictRules([
      { unitId: 1, parentId: 2 },
      { unitId: 2, parentId: 1 },
      { unitId: 3, parentId: null },
    ]);
    expect(looped.conflicts([1], 2)).toBe(true);
    expect(looped.conflicts([1], 3)).toBe(false);
  });
});

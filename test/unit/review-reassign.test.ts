import { describe, expect, it } from 'vitest';
import { reassign, type ReviewerUnits } from '../../src/domain/review/assignment.js';

describe('reassign after a declared conflict (回避)', () => {
  const reviewers: ReviewerUnits[] = ['r1', 'r2', 'r3', 'r4', 'r5'].map((openId) => ({ openId, unitIds: [] }));
  const items = [1, 2, 3].map((id) => ({ id, unitId: 1 }));
  // Loads before: r1 3, r2 2, r3 2, r4 1, r5 0.
  const assignments = new Map<number, string[]>([
    [1, ['r1', 'r2', 'r3']],
    [2, ['r1', 'r2', 'r4']],
    [3, ['r1', 'r3']],
  ]);

  it('the least-loaded eligible reviewer not already on the item takes the place', () => {
    const result = reassign({ assignments, itemId: 1, openId: 'r2', items, reviewers, unitRelations: [] });
    expect(result).toMatchObject({ ok: true, value: { replacement: 'r5' } });
    if (result.ok) {
      expect(result.value.assignments.get(1)).toEqual(['r1', 'r3', 'r5']);
      expect(result.value.assignments.get(2)).toEqual(['r1', 'r2', 'r4']);
    }
    expect(assignments.get(1)).toEqual(['r1', 'r2', 'r3']); // input untouched
  });

  it('skips reviewers with a conflict or an earlier 回避 on the item', () => {
    const withUnits: ReviewerUnits[] = reviewers.map((r) => (r.openId === 'r5' ? { openId: 'r5', unitIds: [1] } : r));
    const result = reassign({ assignments, itemId: 3, openId: 'r3', items, reviewers: withUnits, unitRelations: [], excluded: [{ itemId: 3, openId: 'r4' }] });
    // r5 is in the item's unit, r4 declined item 3 before, r1 is already on it: r2 (load 2) is left.
    expect(result).toMatchObject({ ok: true, value: { replacement: 'r2' } });
  });

  it('the declaration stands even when nobody can replace', () => {
    const two = new Map<number, string[]>([[1, ['r1', 'r2']]]);
    const result = reassign({ assignments: two, itemId: 1, openId: 'r1', items, reviewers: reviewers.slice(0, 2), unitRelations: [] });
    expect(result).toMatchObject({ ok: true, value: { replacement: null } });
    if (result.ok) expect(result.value.assignments.get(1)).toEqual(['r2']);
  });

  it('refuses a reviewer who is not on the item, and an unknown item', () => {
    expect(reassign({ assignments, itemId: 3, openId: 'r4', items, reviewers, unitRelations: [] })).toEqual({
      ok: false,
      code: 'not_assigned',
      message: '这项成果没有分配给该评审专家，无需回避。',
    });
    expect(reassign({ assignments, itemId: 9, openId: 'r1', items, reviewers, unitRelations: [] })).toMatchObject({ ok: false, code: 'unknown_item' });
  });

  it('ties between equally loaded reviewers fall the same way every time', () => {
    // r4 and r5 both have load 0 here; the pair hash decides, and repeating gives the same answer.
    const light = new Map<number, string[]>([[1, ['r1', 'r2', 'r3']]]);
    const once = reassign({ assignments: light, itemId: 1, openId: 'r1', items, reviewers, unitRelations: [] });
    const again = reassign({ assignments: light, itemId: 1, openId: 'r1', items, reviewers: [...reviewers].reverse(), unitRelations: [] });
    expect(once.ok && once.value.replacement).toMatch(/^r[45]$/);
    expect(again).toEqual(once);
  });
});

// Replacing one reviewer on one item after a declared conflict (回避).
import { fail, ok, type Result } from '../campaign/result.js';
import type { ReviewerUnits, UnitRelation } from './conflicts.js';
import { compareText, pairHash, type ItemId } from './order.js';
import { buildPool, type AssignmentItem, type ReviewerPair } from './pool.js';

export interface ReassignInput<Id extends ItemId> {
  assignments: ReadonlyMap<Id, readonly string[]>;
  /** The item and the reviewer who declared a conflict (回避). */
  itemId: Id;
  openId: string;
  items: readonly AssignmentItem<Id>[];
  reviewers: readonly ReviewerUnits[];
  unitRelations: readonly UnitRelation[];
  /** Earlier declared conflicts; the new one is added by the function itself. */
  excluded?: readonly ReviewerPair<Id>[];
}

export interface Reassignment<Id extends ItemId> {
  assignments: Map<Id, string[]>;
  /** Who takes the place, or null when nobody eligible is left (the item is then short of one reviewer). */
  replacement: string | null;
}

export type ReassignFailureCode = 'unknown_item' | 'not_assigned';

/**
 * A reviewer declares a conflict on one item: they leave it, and the least-loaded eligible reviewer not already on
 * it takes the place (ties: stable hash of (item, reviewer), then open id). The declaration always stands, even
 * when nobody can replace them. Loads are counted over the whole assignment.
 */
export function reassign<Id extends ItemId>(input: ReassignInput<Id>): Result<Reassignment<Id>, ReassignFailureCode> {
  const { itemId, openId } = input;
  const item = input.items.find((it) => it.id === itemId);
  const current = input.assignments.get(itemId);
  if (!item || !current) return fail('unknown_item', '找不到这项成果的评审分配，可能已撤回或尚未分配，请刷新后再试。');
  if (!current.includes(openId)) return fail('not_assigned', '这项成果没有分配给该评审专家，无需回避。');

  const excluded = [...(input.excluded ?? []), { itemId, openId }];
  const pool = buildPool([item], input.reviewers, input.unitRelations, excluded);
  const loads = new Map<string, number>();
  for (const reviewers of input.assignments.values()) for (const r of reviewers) loads.set(r, (loads.get(r) ?? 0) + 1);
  loads.set(openId, (loads.get(openId) ?? 1) - 1);

  const remaining = current.filter((r) => r !== openId);
  const best = (pool.eligible[0] ?? [])
    .map((r) => pool.openIds[r] as string)
    .filter((id) => !remaining.includes(id))
    .map((id) => ({ id, load: loads.get(id) ?? 0, hash: pairHash(itemId, id) }))
    .sort((a, b) => a.load - b.load || a.hash - b.hash || compareText(a.id, b.id))[0];

  const assignments = new Map<Id, string[]>();
  for (const [id, reviewers] of input.assignments) assignments.set(id, [...reviewers]);
  assignments.set(itemId, [...remaining, ...(best ? [best.id] : [])].sort(compareText));
  return ok({ assignments, replacement: best?.id ?? null });
}


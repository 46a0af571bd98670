// The candidates of an assignment in a canonical order: items by id, reviewers by open id (duplicates merged), and
// for each item the reviewers who may review it (no conflict of interest, no earlier 回避).
import { conflictRules, type ReviewerUnits, type UnitRelation } from './conflicts.js';
import { compareIds, compareText, type ItemId } from './order.js';

export interface AssignmentItem<Id extends ItemId = ItemId> {
  id: Id;
  unitId: number;
}

export interface ReviewerPair<Id extends ItemId = ItemId> {
  itemId: Id;
  openId: string;
}

export interface Pool<Id extends ItemId> {
  items: AssignmentItem<Id>[];
  openIds: string[];
  itemIndex: Map<Id, number>;
  reviewerIndex: Map<string, number>;
  /** eligible[i]: reviewer indices in open id order. */
  eligible: number[][];
}

export function buildPool<Id extends ItemId>(
  items: readonly AssignmentItem<Id>[],
  reviewers: readonly ReviewerUnits[],
  unitRelations: readonly UnitRelation[],
  excluded: readonly ReviewerPair<Id>[],
): Pool<Id> {
  const sortedItems = [...items].sort((a, b) => compareIds(a.id, b.id));
  const itemIndex = new Map<Id, number>();
  sortedItems.forEach((item, i) => {
    if (itemIndex.has(item.id)) throw new RangeError(`duplicate item id: ${String(item.id)}`);
    itemIndex.set(item.id, i);
  });
  const unitsByReviewer = new Map<string, Set<number>>();
  for (const r of reviewers) {
    const units = unitsByReviewer.get(r.openId) ?? new Set<number>();
    for (const u of r.unitIds) units.add(u);
    unitsByReviewer.set(r.openId, units);
  }
  const openIds = [...unitsByReviewer.keys()].sort(compareText);
  const reviewerIndex = new Map(openIds.map((id, r) => [id, r] as const));
  const rules = conflictRules(unitRelations);
  const blocked = openIds.map((id) => rules.blockedUnits([...(unitsByReviewer.get(id) ?? [])]));
  const excludedByItem = new Map<Id, Set<string>>();
  for (const p of excluded) excludedByItem.set(p.itemId, (excludedByItem.get(p.itemId) ?? new Set()).add(p.openId));
  const eligible = sortedItems.map((item) => {
    const declined = excludedByItem.get(item.id);
    const list: number[] = [];
    openIds.forEach((id, r) => {
      if (!(blocked[r] as ReadonlySet<number>).has(item.unitId) && !declined?.has(id)) list.push(r);
    });
    return list;
  });
  return { items: sortedItems, openIds, itemIndex, reviewerIndex, eligible };
}

// Conflict of interest (回避) between a reviewer and a submission: a reviewer never reviews a submission of
// their own unit, of a unit above theirs (its parent, grandparent, ... up the chain) or of a unit below
// theirs (children, grandchildren, ...). Sibling units (two districts under the city) do not conflict.

export interface UnitRelation {
  unitId: number;
  parentId: number | null;
}

export interface ReviewerUnits {
  openId: string;
  /** The units the reviewer belongs to (often none: outside experts). */
  unitIds: readonly number[];
}

/** For every unit its ancestors, walking parent links; a cycle in bad data stops the walk instead of looping. */
function ancestorsOf(unitId: number, parents: ReadonlyMap<number, number | null>): number[] {
  const seen = new Set<number>([unitId]);
  const chain: number[] = [];
  let next = parents.get(unitId) ?? null;
  while (next !== null && !seen.has(next)) {
    seen.add(next);
    chain.push(next);
    next = parents.get(next) ?? null;
  }
  return chain;
}

export interface ConflictRules {
  /** The units a reviewer of these units may not review: their own, every ancestor and every descendant. */
  blockedUnits(reviewerUnitIds: readonly number[]): ReadonlySet<number>;
  /** True when a reviewer of these units may not review a submission of `itemUnitId`. */
  conflicts(reviewerUnitIds: readonly number[], itemUnitId: number): boolean;
}

export function conflictRules(unitRelations: readonly UnitRelation[]): ConflictRules {
  const parents = new Map<number, number | null>();
  const children = new Map<number, number[]>();
  for (const { unitId, parentId } of unitRelations) {
    parents.set(unitId, parentId);
    if (parentId !== null) children.set(parentId, [...(children.get(parentId) ?? []), unitId]);
  }

  const descendantsOf = (unitId: number): number[] => {
    const found = new Set<number>([unitId]);
    const queue = [unitId];
    for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
      for (const child of children.get(at) ?? []) {
        if (!found.has(child)) {
          found.add(child);
          queue.push(child);
        }
      }
    }
    found.delete(unitId);
    return [...found];
  };

  const cache = new Map<number, ReadonlySet<number>>();
  const blockedByUnit = (unitId: number): ReadonlySet<number> => {
    let blocked = cache.get(unitId);
    if (!blocked) {
      blocked = new Set([unitId, ...ancestorsOf(unitId, parents), ...descendantsOf(unitId)]);
      cache.set(unitId, blocked);
    }
    return blocked;
  };

  const blockedUnits = (reviewerUnitIds: readonly number[]): ReadonlySet<number> => {
    const all = new Set<number>();
    for (const u of reviewerUnitIds) for (const b of blockedByUnit(u)) all.add(b);
    return all;
  };

  return {
    blockedUnits,
    conflicts: (reviewerUnitIds, itemUnitId) => reviewerUnitIds.some((u) => blockedByUnit(u).has(itemUnitId)),
  };
}

// Cutting the shortlist (/排名 入围 <N>): walk the ranking from the top, keep up to N items, at most `perUnitCap`
// per unit, and say for every item left out which rule cut it. N may not exceed the phase cap (seed 000 §四:
// the office selects at most 20 topics, leadership confirms at most 10, the top 50 go to the on-site defence).
// A 'top' cap means strictly the best N by rank, so a per-unit cap (which would skip over ranked items) is refused.
import { fail, ok, type Result } from '../campaign/result.js';
import type { PhaseCap } from '../campaign/template.js';
import type { ItemId } from './order.js';

export interface ShortlistCandidate<Id extends ItemId> {
  id: Id;
  unitId: number;
}

export interface ShortlistInput<Id extends ItemId> {
  /** Candidates in rank order, best first. */
  ranked: readonly ShortlistCandidate<Id>[];
  /** How many to keep, as typed or as a number; default: the cap, or everyone when there is no cap. */
  n?: number | string;
  cap?: PhaseCap;
  /** The phase or round the cap belongs to, for messages, e.g. 办公室遴选. */
  capLabel?: string;
  perUnitCap?: number | string;
}

export type CutRule = 'per_unit_cap' | 'beyond_n';
export const cutRuleLabels: Record<CutRule, string> = { per_unit_cap: '超过每个单位的入围上限', beyond_n: '排名在入围名额之外' };

export interface ShortlistCut<Id extends ItemId> {
  id: Id;
  /** 1-based position in the ranking. */
  position: number;
  rule: CutRule;
}

export interface Shortlist<Id extends ItemId> {
  n: number;
  perUnitCap: number | null;
  /** In rank order. */
  kept: Id[];
  cut: ShortlistCut<Id>[];
}

export type ShortlistFailureCode = 'invalid_n' | 'over_cap' | 'invalid_unit_cap' | 'unit_cap_not_allowed';

function readCount(raw: number | string): number | undefined {
  const text = String(raw).trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

export function cutShortlist<Id extends ItemId>(input: ShortlistInput<Id>): Result<Shortlist<Id>, ShortlistFailureCode> {
  const { cap, ranked } = input;
  const label = input.capLabel ?? '本阶段';
  const seen = new Set<Id>();
  for (const c of ranked) {
    if (seen.has(c.id)) throw new RangeError(`item ${String(c.id)} appears twice in the ranking`);
    seen.add(c.id);
  }

  let n = cap?.max ?? ranked.length;
  if (input.n !== undefined) {
    const read = readCount(input.n);
    if (read === undefined) return fail('invalid_n', `入围数量应为正整数，例如 /排名 入围 ${cap?.max ?? 20}，现在是“${String(input.n).trim()}”。`);
    n = read;
  }
  if (cap && n > cap.max) {
    const rule = cap.rule === 'top' ? `取排名前${cap.max}名` : `最多入围${cap.max}项`;
    return fail('over_cap', `“${label}”${rule}，不能入围${n}项。请把入围数量改为${cap.max}以内。`);
  }

  let perUnitCap: number | null = null;
  if (input.perUnitCap !== undefined) {
    const read = readCount(input.perUnitCap);
    if (read === undefined) {
      return fail('invalid_unit_cap', `每个单位的入围上限应为正整数，例如 2，现在是“${String(input.perUnitCap).trim()}”。`);
    }
    if (cap?.rule === 'top') {
      return fail('unit_cap_not_allowed', `“${label}”严格按排名取前${cap.max}名，不能设置每个单位的入围上限。`);
    }
    perUnitCap = read;
  }

  const kept: Id[] = [];
  const cut: ShortlistCut<Id>[] = [];
  const perUnit = new Map<number, number>();
  ranked.forEach((c, i) => {
    const already = perUnit.get(c.unitId) ?? 0;
    if (kept.length >= n) cut.push({ id: c.id, position: i + 1, rule: 'beyond_n' });
    else if (perUnitCap !== null && already >= perUnitCap) cut.push({ id: c.id, position: i + 1, rule: 'per_unit_cap' });
    else {
      kept.push(c.id);
      perUnit.set(c.unitId, already + 1);
    }
  });
  return ok({ n, perUnitCap, kept, cut });
}

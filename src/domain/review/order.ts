// Deterministic ordering helpers shared by the review rules: id comparison, a natural order for tracking
// numbers, a stable hash for tie-breaks, and a tolerance for comparing computed scores.

/** Submissions are keyed by their database id (a number) or, in tests and imports, by a string. */
export type ItemId = string | number;

/** Numbers numerically, strings by UTF-16 code units, numbers before strings. */
export function compareIds(a: ItemId, b: ItemId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareText(a, b);
}

/** Plain code-unit order: the same on every machine, unlike locale collation. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Natural order for tracking numbers: runs of digits compare by value, so LN2022-某单位-999 comes before
 * LN2022-某单位-1000; everything else compares by code units. Equal values fall back to plain text order.
 */
export function compareNatural(a: string, b: string): number {
  const chunks = (s: string): string[] => s.match(/\d+|\D+/g) ?? [];
  const xs = chunks(a);
  const ys = chunks(b);
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i] as string;
    const y = ys[i] as string;
    const digits = /^\d/.test(x) && /^\d/.test(y);
    const c = digits ? compareDigits(x, y) : compareText(x, y);
    if (c !== 0) return c;
  }
  return xs.length - ys.length || compareText(a, b);
}

function compareDigits(x: string, y: string): number {
  const tx = x.replace(/^0+(?=\d)/, '');
  const ty = y.replace(/^0+(?=\d)/, '');
  return tx.length - ty.length || compareText(tx, ty);
}

/**
 * FNV-1a (32 bit) over the UTF-16 code units of the text. Used only to break ties between equally loaded
 * reviewers so that the same reviewers do not always end up together; never for security.
 */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function itemHash(itemId: ItemId): number {
  return stableHash(`${typeof itemId}:${String(itemId)}`);
}

/** Combines two hashes (murmur3's finaliser over a ⊕ golden-ratio·b), so a pair hash costs no string work. */
export function mixHash(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash of an (item, reviewer) pair. */
export function pairHash(itemId: ItemId, openId: string): number {
  return mixHash(itemHash(itemId), stableHash(openId));
}

/** Computed scores that agree to 9 decimal places are treated as equal (tied), so float noise never decides an order. */
export const SCORE_EPSILON = 1e-9;

/** Descending order of two scores with the tolerance above; `null` (not scored) sorts last. */
export function compareScoresDesc(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return Math.abs(a - b) <= SCORE_EPSILON ? 0 : b - a;
}

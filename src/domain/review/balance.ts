// Step 3 of the assignment algorithm (see assignment.ts): shift items along chains of reviewers until no reviewer
// with load l can pass work, directly or through others, to one with load ≤ l − 2. Works on indices in the pool's
// canonical order, so the result is deterministic.

export interface State {
  on: Set<number>[];
  fixedOn: Set<number>[];
  held: Set<number>[];
  load: number[];
  eligible: number[][];
}

/** Repeats until no chain is left; each shift lowers Σ load² by at least 2, so this ends. */
export function rebalance(s: State): void {
  if (s.load.length < 2) return;
  for (;;) {
    const max = Math.max(...s.load);
    const min = Math.min(...s.load);
    let moved = false;
    for (let level = max; level >= min + 2 && !moved; level--) moved = shiftOnce(s, level);
    if (!moved) return;
  }
}

/** Breadth-first from every reviewer with load ≥ level to the first one found with load ≤ level − 2; applies the chain. */
function shiftOnce(s: State, level: number): boolean {
  const m = s.load.length;
  const prev: ({ from: number; item: number } | undefined)[] = new Array(m).fill(undefined);
  const visited = new Array<boolean>(m).fill(false);
  const queue: number[] = [];
  for (let r = 0; r < m; r++) {
    if ((s.load[r] as number) >= level) {
      visited[r] = true;
      queue.push(r);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const a = queue[head] as number;
    for (const i of s.held[a] as Set<number>) {
      if ((s.fixedOn[i] as Set<number>).has(a)) continue;
      for (const c of s.eligible[i] as number[]) {
        if (visited[c] || (s.on[i] as Set<number>).has(c)) continue;
        visited[c] = true;
        prev[c] = { from: a, item: i };
        if ((s.load[c] as number) <= level - 2) {
          applyChain(s, c, prev);
          return true;
        }
        queue.push(c);
      }
    }
  }
  return false;
}

function applyChain(s: State, target: number, prev: ({ from: number; item: number } | undefined)[]): void {
  s.load[target] = (s.load[target] as number) + 1;
  let to = target;
  for (let step = prev[to]; step !== undefined; step = prev[to]) {
    const { from, item } = step;
    (s.on[item] as Set<number>).delete(from);
    (s.on[item] as Set<number>).add(to);
    (s.held[from] as Set<number>).delete(item);
    (s.held[to] as Set<number>).add(item);
    to = from;
  }
  s.load[to] = (s.load[to] as number) - 1;
}

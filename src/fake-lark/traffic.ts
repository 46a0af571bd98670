// What went over the wire (every call, every unmodeled request) and the faults and delays tests
// inject into it.
import type { FaultSpec, RecordedCall, RequestMatch, UnmodeledRequest } from './types.js';

interface Armed<T> {
  spec: T;
  remaining: number;
}

const matches = (m: RequestMatch, method: string, path: string): boolean =>
  (m.method === undefined || m.method.toUpperCase() === method.toUpperCase()) &&
  (m.pathIncludes === undefined || path.includes(m.pathIncludes));

export class Traffic {
  readonly calls: RecordedCall[] = [];
  readonly unmodeled: UnmodeledRequest[] = [];
  private readonly faults: Armed<FaultSpec>[] = [];
  private readonly delays: Armed<RequestMatch & { ms: number }>[] = [];

  reset(): void {
    this.calls.length = 0;
    this.unmodeled.length = 0;
    this.faults.length = 0;
    this.delays.length = 0;
  }

  injectFault(spec: FaultSpec): void {
    this.faults.push({ spec, remaining: spec.times ?? 1 });
  }

  injectDelay(ms: number, match: RequestMatch = {}): void {
    this.delays.push({ spec: { ...match, ms }, remaining: match.times ?? 1 });
  }

  /** The first armed fault matching this request, spending one of its uses. */
  takeFault(method: string, path: string): FaultSpec | undefined {
    return take(this.faults, method, path);
  }

  takeDelayMs(method: string, path: string): number {
    return take(this.delays, method, path)?.ms ?? 0;
  }

  assertNoUnmodeled(): void {
    if (this.unmodeled.length === 0) return;
    const list = this.unmodeled.map((u) => `  ${u.method} ${u.path}`).join('\n');
    throw new Error(`fake-lark received ${this.unmodeled.length} request(s) it does not model:\n${list}`);
  }
}

function take<T extends RequestMatch>(armed: Armed<T>[], method: string, path: string): T | undefined {
  const index = armed.findIndex((a) => matches(a.spec, method, path));
  const hit = armed[index];
  if (!hit) return undefined;
  hit.remaining -= 1;
  if (hit.remaining <= 0) armed.splice(index, 1);
  return hit.spec;
}

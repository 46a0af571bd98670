import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction } from '../../cards/codec.js';

describe('card payload codec', () => {
  it('round-trips every action', () => {
    const a = { v: 1, a: 'help.usage', command: '我' } as const;
    expect(decodeAction(encodeAction(a))).toEqual(a);
    expect(decodeAction(encodeAction({ v: 1, a: 'help.list' }))).toEqual({ v: 1, a: 'help.list' });
  });

  it('rejects forged, stale and unknown payloads without throwing', () => {
    for (const bad of [undefined, null, 'x', 42, {}, { a: 'help.usage' }, { v: 2, a: 'help.list' }, { v: 1, a: 'drop.tables' }, { v: 1, a: 'help.usage', command: '' }, { v: 1, a: 'help.usage', command: 'x'.repeat(41) }]) {
      expect(decodeAction(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

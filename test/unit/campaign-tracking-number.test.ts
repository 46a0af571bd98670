import { describe, expect, it } from 'vitest';
import { formatTrackingNumber, parseTrackingNumber } from '../../src/domain/campaign/tracking-number.js';

describe('tracking numbers', () => {
  it.each<[string, string, number, string]>([
    ['LN2022', '本溪高新区', 3, 'LN2022-本溪高新区-003'],
    ['CQ2022', '两江新区', 42, 'CQ2022-两江新区-042'],
    ['LN2022', '市委组织部', 1000, 'LN2022-市委组织部-1000'],
    ['LN2022', '中国-上海自贸区', 7, 'LN2022-中国-上海自贸区-007'],
  ])('%s / %s / %i -> %s and back', (code, unit, seq, text) => {
    expect(formatTrackingNumber(code, unit, seq)).toBe(text);
    expect(parseTrackingNumber(text)).toEqual({ ok: true, value: { campaignCode: code, unitName: unit, seq } });
  });

  it('reads what a user may type: spaces, a lower-case code, full-width dashes, no padding', () => {
    expect(parseTrackingNumber('  ln2022－本溪高新区－3 ')).toEqual({
      ok: true,
      value: { campaignCode: 'LN2022', unitName: '本溪高新区', seq: 3 },
    });
  });

  it.each(['', 'LN2022', 'LN2022-003', 'LN2022--003', '-本溪高新区-003', 'LN2022-本溪高新区-abc', 'LN2022-本溪高新区-000', '2022-本溪高新区-003'])(
    'rejects %j with a Chinese hint',
    (text) => {
      const result = parseTrackingNumber(text);
      expect(result).toMatchObject({ ok: false, code: 'invalid_tracking_number' });
      expect(result.ok ? '' : result.message).toContain('应类似 LN2022-本溪高新区-003');
    },
  );

  it.each<[string, string, number]>([
    ['ln2022', '本溪高新区', 1],
    ['LN2022', '  ', 1],
    ['LN2022', '本溪高新区', 0],
    ['LN2022', '本溪高新区', 1.5],
  ])('refuses to format %j / %j / %j', (code, unit, seq) => {
    expect(() => formatTrackingNumber(code, unit, seq)).toThrow(RangeError);
  });
});

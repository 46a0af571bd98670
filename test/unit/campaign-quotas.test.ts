import { describe, expect, it } from 'vitest';
import { quotaStatus, summarizeQuotas, type QuotaUnit } from '../../src/domain/campaign/quotas.js';
import { templates } from '../../src/domain/campaign/templates/index.js';

const ln = templates['liaoning-2022'];

const units: QuotaUnit<number>[] = [
  { id: 1, name: '溪湖区', type: 'county' },
  { id: 2, name: '本溪高新区', type: 'park' },
  { id: 3, name: '市司法局', type: 'department' },
  { id: 4, name: '平山区', type: 'county' },
  { id: 5, name: '市妇联', type: 'organisation' },
  { id: 6, name: '桓仁满族自治县', type: 'county' },
  { id: 7, name: '明山区', type: 'county' },
];

// 溪湖区 2/2, 本溪高新区 1/2, 市司法局 0/1, 平山区 3/2, 市妇联 1/1, 桓仁 0/2, 明山区 1/2.
const counts = new Map<number, number>([
  [1, 2],
  [2, 1],
  [4, 3],
  [5, 1],
  [7, 1],
]);

describe('quotaStatus', () => {
  const rows = quotaStatus(units, counts, ln);

  it('puts units below quota first, each group in pinyin order', () => {
    expect(rows.map((r) => [r.unitName, r.count, r.minimum, r.shortfall, r.belowQuota])).toEqual([
      ['本溪高新区', 1, 2, 1, true],
      ['桓仁满族自治县', 0, 2, 2, true],
      ['明山区', 1, 2, 1, true],
      ['市司法局', 0, 1, 1, true],
      ['平山区', 3, 2, 0, false],
      ['市妇联', 1, 1, 0, false],
      ['溪湖区', 2, 2, 0, false],
    ]);
  });

  it('labels unit types in Chinese and sums the shortfall', () => {
    expect(rows[0]?.unitTypeLabel).toBe('园区');
    expect(summarizeQuotas(rows)).toEqual({ units: 7, belowQuota: 4, totalShortfall: 5 });
  });

  it('has nobody below quota when the template sets no minimum', () => {
    const none = quotaStatus(units, new Map(), templates['chongqing-2022']);
    expect(none.every((r) => r.minimum === 0 && !r.belowQuota)).toBe(true);
    expect(none.map((r) => r.unitName)).toEqual(['本溪高新区', '桓仁满族自治县', '明山区', '平山区', '市妇联', '市司法局', '溪湖区']);
  });

  it('does not change its inputs', () => {
    expect(units.map((u) => u.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

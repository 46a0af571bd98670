import { describe, expect, it } from 'vitest';
import { parseCampaignCode, parseReviewerName, reviewerImportFormat, validateReviewerRows } from '../../src/domain/review/reviewer-import.js';
import { detectFormat, matchHeader, unitImportFormat } from '../../src/domain/unit-import.js';
import { taskImportFormat } from '../../src/domain/ledger/task-import.js';

const formats = [unitImportFormat, taskImportFormat, reviewerImportFormat];
const row = (rowNumber: number, ...cells: string[]) => ({ rowNumber, cells });
const header = ['评审专家open_id', '姓名', '所在单位', '活动代码'];
const index = () => {
  const m = matchHeader(header, reviewerImportFormat);
  if (!m.ok) throw new Error('header should match');
  return m.index;
};

describe('reviewer import format', () => {
  it('is told apart from the unit and ledger-task tables by its header, with or without optional columns', () => {
    expect(detectFormat(header, formats)).toBe(reviewerImportFormat);
    expect(detectFormat(['评审专家 open_id', '姓名'], formats)).toBe(reviewerImportFormat);
    expect(detectFormat(['单位名称', '类型'], formats)).toBe(unitImportFormat);
    expect(detectFormat(['姓名', '所在单位'], formats)).toBeUndefined();
  });

  it('reports unknown and duplicate columns', () => {
    const m = matchHeader([...header, '电话', '姓名'], reviewerImportFormat);
    expect(m).toEqual({ ok: false, missing: [], unknown: ['电话'], duplicate: ['姓名'] });
  });
});

describe('validateReviewerRows', () => {
  it('returns every row when all are right; blank lines are ignored; codes are upper-cased', () => {
    const result = validateReviewerRows([row(2, 'ou_a1', '赵芳', '市科技局', 'ln2026'), row(3, '', '', '', ''), row(4, 'ou_b2', ' 李 明 ', '', '')], index());
    expect(result).toEqual({
      problems: [],
      rows: [
        { rowNumber: 2, person: { openId: 'ou_a1', name: '赵芳' }, unitName: '市科技局', campaignCode: 'LN2026' },
        { rowNumber: 4, person: { openId: 'ou_b2', name: '李 明' }, unitName: undefined, campaignCode: undefined },
      ],
    });
  });

  it('names each bad row with every reason; only the good rows come back', () => {
    const result = validateReviewerRows(
      [row(2, 'ou_a1', '赵芳', '', ''), row(3, 'zhao', '', '', 'LN-2026'), row(4, '', '王刚', '', ''), row(5, 'ou_a1', '赵芳', '', ''), row(6, 'ou_c3', 'ou_c3', '', '')],
      index(),
    );
    expect(result.rows.map((r) => r.rowNumber)).toEqual([2]);
    expect(result.problems.map((p) => p.rowNumber)).toEqual([3, 4, 5, 6]);
    const [r3, r4, r5, r6] = result.problems;
    expect(r3?.reason).toContain('评审专家open_id“zhao”格式不对');
    expect(r3?.reason).toContain('缺少姓名');
    expect(r3?.reason).toContain('活动代码“LN-2026”格式不对');
    expect(r4?.reason).toContain('缺少评审专家open_id');
    expect(r5?.reason).toBe('评审专家“ou_a1”与第2行重复，同一活动每人只能写一行');
    expect(r6?.reason).toContain('像是 open_id');
  });

  it('allows the same person once per campaign', () => {
    const result = validateReviewerRows([row(2, 'ou_a1', '赵芳', '', 'LN2026'), row(3, 'ou_a1', '赵芳', '', 'CQ2026')], index());
    expect(result.problems).toEqual([]);
    expect(result.rows).toHaveLength(2);
  });
});

describe('field parsers', () => {
  it('checks names and campaign codes', () => {
    expect(parseReviewerName('')).toEqual({ ok: false, message: '缺少姓名' });
    expect(parseReviewerName('张'.repeat(31)).ok).toBe(false);
    expect(parseCampaignCode('')).toEqual({ ok: true, value: undefined });
    expect(parseCampaignCode(' ln2026 ')).toEqual({ ok: true, value: 'LN2026' });
    expect(parseCampaignCode('2026').ok).toBe(false);
  });
});

// Bulk naming of reviewers (issue 5) through /导入: the 评审专家 table, told apart by its header. Pure: rows
// come in as strings; every problem is a Chinese sentence that names the row and says what to fix.
import { nonBlankRows, parseOpenId, rowReader, parseUnitName, type GridRow, type ImportFormat, type Parsed, type Person, type RowProblem } from '../unit-import.js';

export const reviewerImportFormat = {
  id: 'reviewers',
  label: '评审专家名单',
  columns: [
    { key: 'openId', header: '评审专家open_id', required: true, aliases: ['专家open_id', '评审专家openid'] },
    { key: 'name', header: '姓名', required: true, aliases: ['专家姓名', '评审专家姓名'] },
    { key: 'unit', header: '所在单位', required: false, aliases: ['工作单位'] },
    { key: 'campaign', header: '活动代码', required: false },
  ],
} as const satisfies ImportFormat;

export type ReviewerColumn = (typeof reviewerImportFormat.columns)[number]['key'];

export const reviewerImportExample: string[][] = [
  ['ou_7d8a6e2f', '赵芳', '市科技局', 'LN2026'],
  ['ou_3c1b9a40', '李明', '', 'LN2026'],
];

export const MAX_REVIEWER_NAME = 30;
const CAMPAIGN_CODE = /^[A-Z][A-Z0-9]{1,15}$/;

/** A validated row: who, the unit they work in (for conflicts of interest), and the campaign (default: the active one). */
export interface ReviewerImportRow {
  rowNumber: number;
  person: Person & { name: string };
  unitName: string | undefined;
  campaignCode: string | undefined;
}

export function parseReviewerName(raw: string): Parsed<string> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') return { ok: false, message: '缺少姓名' };
  if (name.length > MAX_REVIEWER_NAME) return { ok: false, message: `姓名“${name.slice(0, 10)}…”太长（最多${MAX_REVIEWER_NAME}个字）` };
  if (/^ou_/.test(name)) return { ok: false, message: `姓名“${name}”像是 open_id，请检查各列是否错位` };
  return { ok: true, value: name };
}

export function parseCampaignCode(raw: string): Parsed<string | undefined> {
  const code = raw.trim().toUpperCase();
  if (code === '') return { ok: true, value: undefined };
  if (!CAMPAIGN_CODE.test(code)) return { ok: false, message: `活动代码“${raw.trim()}”格式不对，应为大写字母开头的字母数字组合（例如 LN2026），不清楚可留空` };
  return { ok: true, value: code };
}

function parseRow(row: GridRow, index: Partial<Record<ReviewerColumn, number>>): { row?: ReviewerImportRow; reasons: string[] } {
  const { cell, take, reasons } = rowReader<ReviewerColumn>(row, index);
  const openId = cell('openId') ? take(parseOpenId(cell('openId'), '评审专家open_id')) : (reasons.push('缺少评审专家open_id（机器人只能凭 open_id 找到人）'), undefined);
  const name = take(parseReviewerName(cell('name')));
  const unitName = cell('unit') ? take(parseUnitName(cell('unit'))) : undefined;
  const campaignCode = take(parseCampaignCode(cell('campaign')));
  if (reasons.length || openId === undefined || name === undefined) return { reasons };
  return { reasons, row: { rowNumber: row.rowNumber, person: { openId, name }, unitName, campaignCode } };
}

/**
 * Validates every data row (the header already matched): fields and people named twice for the same
 * campaign code. The good rows and the problems (in row order) both come back, so a caller can check the
 * good rows further and report every problem at once; the import is all or nothing.
 */
export function validateReviewerRows(
  dataRows: readonly GridRow[],
  index: Partial<Record<ReviewerColumn, number>>,
): { rows: ReviewerImportRow[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: ReviewerImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const raw of nonBlankRows(dataRows)) {
    const { row, reasons } = parseRow(raw, index);
    if (row) {
      const key = `${row.campaignCode ?? ''}|${row.person.openId}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) reasons.push(`评审专家“${row.person.openId}”与第${first}行重复，同一活动每人只能写一行`);
      else firstRowOf.set(key, raw.rowNumber);
    }
    if (reasons.length || !row) problems.push({ rowNumber: raw.rowNumber, reason: reasons.join('；') });
    else rows.push(row);
  }
  return { rows, problems };
}

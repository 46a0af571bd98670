// Bulk set-up of units from a table (pasted rows, CSV or XLSX): header matching and row validation.
// Pure: rows come in as strings, existing units as a plain list; every problem is a Chinese
// sentence that names the row and says what to fix. Nothing here reads files or the database.
import { unitTypeLabels, type UnitType } from './campaign/unit-types.js';

export interface Person {
  openId: string;
  name: string | undefined;
}

/** One row of a sheet as strings, numbered as the user sees it (the header is usually row 1). */
export interface GridRow {
  rowNumber: number;
  cells: string[];
}

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** The header as shown to users (and in templates). */
  header: string;
  required: boolean;
  /** Other spellings accepted for this header (compared after normalizeHeader). */
  aliases?: readonly string[];
}

/** A kind of table the bot can import; detected from the header row. Other imports add their own. */
export interface ImportFormat<K extends string = string> {
  id: string;
  label: string;
  columns: readonly ColumnSpec<K>[];
}

export const unitImportFormat = {
  id: 'units',
  label: '单位名单',
  columns: [
    { key: 'name', header: '单位名称', required: true, aliases: ['单位'] },
    { key: 'type', header: '类型', required: true, aliases: ['单位类型'] },
    { key: 'parent', header: '上级单位', required: false, aliases: ['所属县区'] },
    { key: 'vice', header: '副厅级(是/否)', required: false },
    { key: 'countyGov', header: '县级以上党委政府(是/否)', required: false },
    { key: 'liaisonOpenId', header: '联络人open_id', required: false },
    { key: 'liaisonName', header: '联络人姓名', required: false },
    { key: 'members', header: '成员(open_id:姓名;open_id:姓名)', required: false },
  ],
} as const satisfies ImportFormat;

export type UnitColumn = (typeof unitImportFormat.columns)[number]['key'];

/** Headers compare without spaces, brackets and their contents, underscores and case. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s\u3000_]/g, '')
    .toLowerCase();
}

export type HeaderMatch<K extends string> =
  | { ok: true; index: Partial<Record<K, number>> }
  | { ok: false; missing: string[]; unknown: string[]; duplicate: string[] };

/** Maps each column to its position in the header row; every header must be known, and required ones present. */
export function matchHeader<K extends string>(header: readonly string[], format: ImportFormat<K>): HeaderMatch<K> {
  const lookup = new Map<string, ColumnSpec<K>>();
  for (const c of format.columns) for (const h of [c.header, ...(c.aliases ?? [])]) lookup.set(normalizeHeader(h), c);
  const index: Partial<Record<K, number>> = {};
  const unknown: string[] = [];
  const duplicate: string[] = [];
  header.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    const column = lookup.get(normalizeHeader(text));
    if (!column) unknown.push(text);
    else if (index[column.key] !== undefined) duplicate.push(text);
    else index[column.key] = i;
  });
  const missing = format.columns.filter((c) => c.required && index[c.key] === undefined).map((c) => c.header);
  if (missing.length || unknown.length || duplicate.length) return { ok: false, missing, unknown, duplicate };
  return { ok: true, index };
}

/** The format whose required columns the header has; undefined when none fits. */
/** What is wrong with a header row that did not match, in Chinese, for the guide card. */
export function headerProblems(m: { missing: readonly string[]; unknown: readonly string[]; duplicate: readonly string[] }): string {
  return [
    m.missing.length ? `缺少必填列：${m.missing.join('、')}` : '',
    m.unknown.length ? `不认识的列：${m.unknown.join('、')}` : '',
    m.duplicate.length ? `重复的列：${m.duplicate.join('、')}` : '',
  ]
    .filter(Boolean)
    .join('；');
}

export function detectFormat<F extends ImportFormat>(header: readonly string[], formats: readonly F[]): F | undefined {
  const present = new Set(header.map((h) => normalizeHeader(h)).filter(Boolean));
  return formats.find((f) =>
    f.columns.filter((c) => c.required).every((c) => [c.header, ...(c.aliases ?? [])].some((h) => present.has(normalizeHeader(h)))),
  );
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Reads one data row of an import: `cell(column)` is the trimmed text (empty when the column is
 * absent), and `take(parsed)` keeps a parsed value or records its reason, so a row collects every
 * problem at once instead of stopping at the first.
 */
export function rowReader<K extends string>(row: GridRow, index: Partial<Record<K, number>>) {
  const reasons: string[] = [];
  const cell = (k: K): string => {
    const i = index[k];
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  const take = <T>(p: Parsed<T>): T | undefined => {
    if (p.ok) return p.value;
    reasons.push(p.message);
    return undefined;
  };
  return { cell, take, reasons };
}
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

const typeWords: Record<UnitType, readonly string[]> = {
  county: ['县区', '区县', '县(区)', '县（区）', 'county', 'district'],
  park: ['园区', '高新区', '开发区', 'park'],
  department: ['市直部门', '部门', '市直单位', 'department', 'dept'],
  organisation: ['人民团体', '群团', '团体', 'organisation', 'organization', 'org'],
};
export const unitTypeChoices = Object.values(unitTypeLabels).join('、');

export function parseUnitType(word: string): Parsed<UnitType> {
  const w = word.trim().toLowerCase();
  if (w === '') return fail(`请填写单位类型（${unitTypeChoices}之一）`);
  for (const [type, words] of Object.entries(typeWords) as [UnitType, readonly string[]][]) if (words.includes(w)) return ok(type);
  return fail(`单位类型“${word.trim()}”不对，应为${unitTypeChoices}之一`);
}

export const MAX_UNIT_NAME = 50;

export function parseUnitName(raw: string): Parsed<string> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') return fail('缺少单位名称');
  if (name.length > MAX_UNIT_NAME) return fail(`单位名称“${name.slice(0, 20)}…”太长（最多${MAX_UNIT_NAME}个字）`);
  if (/^[@/／]/.test(name) || /^ou_/.test(name)) return fail(`“${name}”不像单位名称，请检查各列是否错位`);
  return ok(name);
}

const yes = ['是', 'y', 'yes', 'true', '1', '√', '✓'];
const no = ['', '否', 'n', 'no', 'false', '0', '×', '✗'];

export function parseFlag(raw: string, label: string): Parsed<boolean> {
  const w = raw.trim().toLowerCase();
  if (yes.includes(w)) return ok(true);
  if (no.includes(w)) return ok(false);
  return fail(`“${label}”只能填“是”或“否”（空着视为“否”），现在是“${raw.trim()}”`);
}

const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,64}$/;
export const isOpenId = (word: string): boolean => OPEN_ID.test(word);

export function parseOpenId(raw: string, label: string): Parsed<string> {
  const w = raw.trim();
  if (isOpenId(w)) return ok(w);
  return fail(`${label}“${w}”格式不对：open_id 以 ou_ 开头，只含字母、数字、下划线`);
}

export const MAX_PERSON_NAME = 30;

function parsePersonName(raw: string, label: string): Parsed<string | undefined> {
  const name = raw.trim();
  if (name.length > MAX_PERSON_NAME) return fail(`${label}“${name.slice(0, 10)}…”太长（最多${MAX_PERSON_NAME}个字）`);
  return ok(name || undefined);
}

/** "ou_a:张三;ou_b:李四" (full-width ；： and line breaks also separate); names are optional. */
export function parseMembers(raw: string): Parsed<Person[]> {
  const people: Person[] = [];
  for (const part of raw.split(/[;；\n]/).map((p) => p.trim()).filter(Boolean)) {
    const [idPart = '', ...rest] = part.split(/[:：]/);
    const openId = parseOpenId(idPart, '成员的 open_id');
    if (!openId.ok) return fail(`${openId.message}（成员请写成“open_id:姓名”，多人用分号隔开）`);
    const name = parsePersonName(rest.join(':'), '成员姓名');
    if (!name.ok) return name;
    if (!people.some((p) => p.openId === openId.value)) people.push({ openId: openId.value, name: name.value });
  }
  return ok(people);
}

/** A validated row, ready to write. */
export interface UnitImportRow {
  rowNumber: number;
  name: string;
  type: UnitType;
  parentName: string | undefined;
  viceDepartmentLevel: boolean;
  countyPartyOrGovernment: boolean;
  liaison: Person | undefined;
  members: Person[];
}

export interface RowProblem {
  rowNumber: number;
  reason: string;
}

/** Only a park has a parent, and it is the district (县区) it sits in. */
export function parentRule(type: UnitType, parentName: string | undefined, parentType: UnitType | undefined): string | undefined {
  if (parentName === undefined) return undefined;
  if (type !== 'park') return `只有园区可以填写上级单位（所在县区），${unitTypeLabels[type]}请把“上级单位”留空`;
  if (parentType !== undefined && parentType !== 'county') {
    return `上级单位“${parentName}”是${unitTypeLabels[parentType]}，园区的上级单位应是县区`;
  }
  return undefined;
}

function parseRow(row: GridRow, index: Partial<Record<UnitColumn, number>>): { row?: UnitImportRow; reasons: string[] } {
  const { cell, take, reasons } = rowReader<UnitColumn>(row, index);
  const name = take(parseUnitName(cell('name')));
  const type = take(parseUnitType(cell('type')));
  const parentName = cell('parent') ? take(parseUnitName(cell('parent'))) : undefined;
  if (name !== undefined && parentName === name) reasons.push('上级单位不能是它自己');
  const vice = take(parseFlag(cell('vice'), '副厅级'));
  const countyGov = take(parseFlag(cell('countyGov'), '县级以上党委政府'));
  let liaison: Person | undefined;
  const liaisonName = take(parsePersonName(cell('liaisonName'), '联络人姓名'));
  if (cell('liaisonOpenId')) {
    const openId = take(parseOpenId(cell('liaisonOpenId'), '联络人open_id'));
    if (openId !== undefined) liaison = { openId, name: liaisonName };
  } else if (liaisonName) {
    reasons.push(`填写了联络人姓名“${liaisonName}”，但没有填写联络人open_id（机器人只能凭 open_id 找到人）`);
  }
  const members = (take(parseMembers(cell('members'))) ?? []).filter((m) => m.openId !== liaison?.openId);
  if (reasons.length || name === undefined || type === undefined || vice === undefined || countyGov === undefined) return { reasons };
  return {
    reasons,
    row: { rowNumber: row.rowNumber, name, type, parentName, viceDepartmentLevel: vice, countyPartyOrGovernment: countyGov, liaison, members },
  };
}

/** Rows with at least one filled cell (blank lines between rows are ignored, not errors). */
export function nonBlankRows(rows: readonly GridRow[]): GridRow[] {
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

export interface ExistingUnit {
  name: string;
  type: UnitType;
  parentName: string | undefined;
}

export const MAX_IMPORT_ROWS = 500;

/**
 * Validates every data row (the header already matched): fields, duplicates within the file, and
 * parents (in the file or among existing units). Either all rows come back, or the problems do.
 */
export function validateUnitRows(
  dataRows: readonly GridRow[],
  index: Partial<Record<UnitColumn, number>>,
  existing: readonly ExistingUnit[],
): { ok: true; rows: UnitImportRow[] } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: UnitImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const raw of nonBlankRows(dataRows)) {
    const { row, reasons } = parseRow(raw, index);
    const name = parseUnitName(raw.cells[index.name ?? -1] ?? '');
    if (name.ok) {
      const first = firstRowOf.get(name.value);
      if (first !== undefined) reasons.push(`单位名称“${name.value}”与第${first}行重复，同一单位只能写一行`);
      else firstRowOf.set(name.value, raw.rowNumber);
    }
    if (reasons.length || !row) problems.push({ rowNumber: raw.rowNumber, reason: reasons.join('；') });
    else rows.push(row);
  }

  const fileTypes = new Map(rows.map((r) => [r.name, r.type]));
  const existingByName = new Map(existing.map((u) => [u.name, u]));
  const typeOf = (name: string): UnitType | undefined => fileTypes.get(name) ?? existingByName.get(name)?.type;
  for (const r of rows) {
    const reasons: string[] = [];
    if (r.parentName !== undefined && typeOf(r.parentName) === undefined) {
      reasons.push(`上级单位“${r.parentName}”既不在表格里，也不是已有单位，请先建立它或核对名称`);
    }
    const parentProblem = parentRule(r.type, r.parentName, r.parentName === undefined ? undefined : typeOf(r.parentName));
    if (parentProblem) reasons.push(parentProblem);
    // A district that stops being one would leave its parks under a non-district.
    if (r.type !== 'county' && existingByName.get(r.name)?.type === 'county') {
      const parks = existing.filter((u) => u.parentName === r.name && (fileParentOf(rows, u.name) ?? u.parentName) === r.name);
      if (parks.length) reasons.push(`“${r.name}”下面还有园区（${parks.map((p) => p.name).join('、')}），不能改为${unitTypeLabels[r.type]}`);
    }
    if (reasons.length) problems.push({ rowNumber: r.rowNumber, reason: reasons.join('；') });
  }
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.rowNumber - b.rowNumber) };
  return { ok: true, rows };
}

function fileParentOf(rows: readonly UnitImportRow[], name: string): string | undefined {
  const row = rows.find((r) => r.name === name);
  return row ? (row.parentName ?? '') : undefined;
}

// Ledger tasks from a table (CSV/XLSX/pasted) or from the /任务 新建 form: the column format, the field parsers
// shared by both, and row validation against lookups the service passes in. Pure: every problem is a Chinese
// sentence that says what to fix.
import { nonBlankRows, rowReader, type GridRow, type ImportFormat, type RowProblem } from '../unit-import.js';
import { isDate } from './calendar.js';
import { cadenceLabels, cadences, parseCadences, type Cadence } from './periods.js';

export const taskImportFormat = {
  id: 'ledger_tasks',
  label: '台账任务',
  columns: [
    { key: 'title', header: '任务名称', required: true, aliases: ['改革任务', '任务'] },
    { key: 'measure', header: '所属举措', required: false, aliases: ['举措', '措施', '类别'] },
    { key: 'lead', header: '牵头单位', required: true },
    { key: 'cooperating', header: '配合单位', required: false },
    { key: 'leader', header: '责任领导', required: false, aliases: ['分管领导', '市级领导'] },
    { key: 'owner', header: '专人', required: true, aliases: ['改革专员', '责任人', '负责人'] },
    { key: 'milestones', header: '里程碑（日期 内容）', required: false, aliases: ['里程碑', '时间节点'] },
    { key: 'cadence', header: '汇报频次', required: true, aliases: ['频次', '汇报周期'] },
    { key: 'expected', header: '预期成果', required: false, aliases: ['预期结果'] },
    { key: 'ledger', header: '台账', required: false, aliases: ['所属台账'] },
    { key: 'code', header: '任务编号', required: false, aliases: ['编号'] },
  ],
} as const satisfies ImportFormat;

export type TaskColumn = (typeof taskImportFormat.columns)[number]['key'];

export const taskLimits = { title: 100, measure: 100, expected: 1000, milestoneTitle: 100, milestones: 20 } as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });
const count = (s: string): number => [...s].length;

export interface MilestoneDraft {
  dueOn: string;
  title: string;
}

/** A validated task, ready to write; units and people already resolved to ids. */
export interface TaskDraft {
  title: string;
  measure: string | undefined;
  leadUnitId: number;
  cooperatingUnitIds: number[];
  responsibleLeaderOpenId: string | undefined;
  ownerOpenId: string;
  milestones: MilestoneDraft[];
  cadences: Cadence[];
  expectedResult: string | undefined;
}

export function parseTaskTitle(raw: string): Parsed<string> {
  const title = raw.replace(/\s+/g, ' ').trim();
  if (title === '') return fail('请填写任务名称');
  if (count(title) > taskLimits.title) return fail(`任务名称不能超过 ${taskLimits.title} 字`);
  return ok(title);
}

export function parseOptionalText(raw: string, label: string, max: number): Parsed<string | undefined> {
  const value = raw.trim();
  if (count(value) > max) return fail(`${label}不能超过 ${max} 字`);
  return ok(value || undefined);
}

const DATE_AT_START = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)/;

/** 2026-03-31, 2026/3/31, 2026.3.31 or 2026年3月31日 → 2026-03-31; anything else is refused. */
export function parseDateText(raw: string, label = '日期'): Parsed<string> {
  const text = raw.trim();
  const m = DATE_AT_START.exec(text);
  if (!m || m[0].length !== text.length) return fail(`${label}“${text}”格式不对，请写成 2026-03-31 这样的日期`);
  const date = `${m[1]}-${(m[2] ?? m[4] ?? '').padStart(2, '0')}-${(m[3] ?? m[5] ?? '').padStart(2, '0')}`;
  if (!isDate(date)) return fail(`${label}“${text}”不是有效的日期`);
  return ok(date);
}

/** One milestone per line (or separated by ；/;): “2026-03-31 完成方案起草”. */
export function parseMilestones(raw: string): Parsed<MilestoneDraft[]> {
  const lines = raw.split(/\r?\n|[;；]/).map((l) => l.trim()).filter(Boolean);
  if (lines.length > taskLimits.milestones) return fail(`里程碑最多 ${taskLimits.milestones} 个，现在有 ${lines.length} 个`);
  const out: MilestoneDraft[] = [];
  for (const [i, line] of lines.entries()) {
    const m = DATE_AT_START.exec(line);
    const where = lines.length > 1 ? `第${i + 1}个里程碑` : '里程碑';
    if (!m) return fail(`${where}“${line.slice(0, 30)}”应以日期开头，写成“2026-03-31 完成方案起草”`);
    const date = parseDateText(m[0], `${where}的日期`);
    if (!date.ok) return date;
    const title = line.slice(m[0].length).replace(/^[\s\u3000:：,，、]+/, '').trim();
    if (title === '') return fail(`${where}缺少内容：在日期后面写上要完成的事，例如“${m[0]} 完成方案起草”`);
    if (count(title) > taskLimits.milestoneTitle) return fail(`${where}的内容不能超过 ${taskLimits.milestoneTitle} 字`);
    out.push({ dueOn: date.value, title });
  }
  return ok(out.sort((a, b) => a.dueOn.localeCompare(b.dueOn)));
}

export function formatMilestones(list: readonly MilestoneDraft[]): string {
  return list.map((m) => `${m.dueOn} ${m.title}`).join('\n');
}

/** Names separated by 、，,;； or line breaks. */
export function splitNames(raw: string): string[] {
  return [...new Set(raw.split(/[、，,;；\n]/).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean))];
}

/** What the service knows, for resolving names in a row. */
export interface TaskLookups {
  units: readonly { id: number; name: string }[];
  /** Known people (the users table): open_id and name. */
  people: readonly { openId: string; name: string | undefined }[];
}

function suggestion(wanted: string, names: readonly string[]): string {
  const close = names.find((n) => n.includes(wanted) || wanted.includes(n));
  return close ? `，你是不是指“${close}”？` : '';
}

export function resolveUnit(name: string, label: string, lookups: TaskLookups): Parsed<number> {
  const unit = lookups.units.find((u) => u.name === name);
  if (unit) return ok(unit.id);
  return fail(`${label}“${name}”不存在${suggestion(name, lookups.units.map((u) => u.name)) || '，请核对名称或先建立该单位'}`);
}

/** An open_id the bot knows, or the name of exactly one known person. */
export function resolvePerson(raw: string, label: string, lookups: TaskLookups): Parsed<string> {
  const word = raw.trim();
  if (/^ou_/.test(word)) {
    return lookups.people.some((p) => p.openId === word) ? ok(word) : fail(`${label}“${word}”不在系统中：请先把他加入所在单位（“/单位 成员”或导入单位名单）`);
  }
  const matches = lookups.people.filter((p) => p.name === word);
  if (matches.length === 1 && matches[0]) return ok(matches[0].openId);
  if (matches.length > 1) return fail(`${label}“${word}”有 ${matches.length} 人重名，请改写他的 open_id（ou_ 开头）`);
  return fail(`${label}“${word}”不在系统中：请写他的 open_id（ou_ 开头），或先把他加入所在单位`);
}

/** A row of the import, validated; `ledgerTitle` and `code` say where it goes when the table names them. */
export interface TaskImportRow {
  rowNumber: number;
  draft: TaskDraft;
  /** Which cells were filled: empty optional cells leave an existing task's values alone. */
  filled: Record<'measure' | 'cooperating' | 'leader' | 'milestones' | 'expected', boolean>;
  ledgerTitle: string | undefined;
  code: string | undefined;
}

function parseRow(row: GridRow, index: Partial<Record<TaskColumn, number>>, lookups: TaskLookups): { row?: TaskImportRow; reasons: string[] } {
  const { cell, take, reasons } = rowReader<TaskColumn>(row, index);
  const title = take(parseTaskTitle(cell('title')));
  const measure = take(parseOptionalText(cell('measure'), '所属举措', taskLimits.measure));
  const leadName = cell('lead');
  const leadUnitId = leadName ? take(resolveUnit(leadName, '牵头单位', lookups)) : take(fail('请填写牵头单位'));
  const cooperatingUnitIds: number[] = [];
  for (const name of splitNames(cell('cooperating'))) {
    const id = take(resolveUnit(name, '配合单位', lookups));
    if (id !== undefined && id !== leadUnitId) cooperatingUnitIds.push(id);
  }
  const leader = cell('leader') ? take(resolvePerson(cell('leader'), '责任领导', lookups)) : undefined;
  const ownerText = cell('owner');
  const owner = ownerText ? take(resolvePerson(ownerText, '专人', lookups)) : take(fail('请填写专人（任务负责人）'));
  const milestones = take(parseMilestones(cell('milestones')));
  const parsedCadences = parseCadences(cell('cadence'));
  const cadenceList = take(parsedCadences.ok ? ok(parsedCadences.value) : fail(parsedCadences.message));
  const expected = take(parseOptionalText(cell('expected'), '预期成果', taskLimits.expected));
  const code = cell('code') ? cell('code').toUpperCase() : undefined;
  if (reasons.length || title === undefined || leadUnitId === undefined || owner === undefined || milestones === undefined || cadenceList === undefined) {
    return { reasons };
  }
  const draft: TaskDraft = {
    title,
    measure,
    leadUnitId,
    cooperatingUnitIds,
    responsibleLeaderOpenId: leader,
    ownerOpenId: owner,
    milestones,
    cadences: cadenceList,
    expectedResult: expected,
  };
  const filled = {
    measure: cell('measure') !== '',
    cooperating: cell('cooperating') !== '',
    leader: cell('leader') !== '',
    milestones: cell('milestones') !== '',
    expected: cell('expected') !== '',
  };
  return { reasons, row: { rowNumber: row.rowNumber, draft, filled, ledgerTitle: cell('ledger') || undefined, code } };
}

/** Validates every data row: all come back, or the problems do (one line per bad row, every reason in it). */
export function validateTaskRows(
  dataRows: readonly GridRow[],
  index: Partial<Record<TaskColumn, number>>,
  lookups: TaskLookups,
): { ok: true; rows: TaskImportRow[] } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: TaskImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  for (const raw of nonBlankRows(dataRows)) {
    const { row, reasons } = parseRow(raw, index, lookups);
    const title = parseTaskTitle(raw.cells[index.title ?? -1] ?? '');
    if (title.ok) {
      const key = `${(raw.cells[index.ledger ?? -1] ?? '').trim()}\u0000${title.value}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) reasons.push(`任务名称“${title.value}”与第${first}行重复，同一任务只能写一行`);
      else firstRowOf.set(key, raw.rowNumber);
    }
    if (reasons.length || !row) problems.push({ rowNumber: raw.rowNumber, reason: reasons.join('；') });
    else rows.push(row);
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}

/** The example rows of the import guide. */
export const taskImportExample: string[][] = [
  ['推行企业开办“一日办结”', '优化营商环境', '市营商环境建设局', '市市场监管局、市税务局', '陈副市长', '李明', '2026-03-31 出台实施方案；2026-06-30 全市推开', '每月', '企业开办时间压缩至1个工作日'],
];

export const cadenceChoices = cadences.map((c) => ({ value: c, label: cadenceLabels[c] }));

// ---- the /任务 新建 form --------------------------------------------------------------------------

export const taskFormFields = ['title', 'measure', 'lead', 'cooperating', 'leader', 'owner', 'milestones', 'cadences', 'expected'] as const;
export type TaskFormField = (typeof taskFormFields)[number];

/** What was typed or picked on the form, echoed back when something is wrong. */
export interface TaskFormValues {
  title?: string;
  measure?: string;
  lead?: string;
  cooperating?: string[];
  leader?: string;
  owner?: string;
  milestones?: string;
  cadences?: string[];
  expected?: string;
}
export type TaskFormErrors = Partial<Record<TaskFormField, string>>;

/** Echoed values are cut, so a forged oversized value never pushes the card past Lark's 30 KB. */
const ECHO_MAX = 2000;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.slice(0, ECHO_MAX) : undefined);
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, 50).map((x) => x.slice(0, 100)) : typeof v === 'string' && v ? [v.slice(0, 100)] : undefined;

export function readTaskForm(raw: Record<string, unknown> | undefined): TaskFormValues {
  const r = raw ?? {};
  const out: TaskFormValues = {};
  for (const k of ['title', 'measure', 'lead', 'leader', 'owner', 'milestones', 'expected'] as const) {
    const v = str(r[k]);
    if (v !== undefined) out[k] = v;
  }
  const coop = strs(r.cooperating);
  if (coop) out.cooperating = coop;
  const cad = strs(r.cadences);
  if (cad) out.cadences = cad;
  return out;
}

export function validateTaskForm(v: TaskFormValues, lookups: TaskLookups): { ok: true; draft: TaskDraft } | { ok: false; errors: TaskFormErrors } {
  const errors: TaskFormErrors = {};
  const take = <T>(field: TaskFormField, p: Parsed<T>): T | undefined => {
    if (p.ok) return p.value;
    errors[field] ??= `${p.message}。`;
    return undefined;
  };
  const unitById = (id: string | undefined, label: string): Parsed<number> => {
    const unit = lookups.units.find((u) => String(u.id) === id);
    return unit ? ok(unit.id) : fail(id ? `请重新选择${label}` : `请选择${label}`);
  };
  const title = take('title', parseTaskTitle(v.title ?? ''));
  const measure = take('measure', parseOptionalText(v.measure ?? '', '所属举措', taskLimits.measure));
  const leadUnitId = take('lead', unitById(v.lead, '牵头单位'));
  const cooperatingUnitIds: number[] = [];
  for (const id of v.cooperating ?? []) {
    const unit = take('cooperating', unitById(id, '配合单位'));
    if (unit !== undefined && unit !== leadUnitId && !cooperatingUnitIds.includes(unit)) cooperatingUnitIds.push(unit);
  }
  const leader = v.leader ? take('leader', resolvePerson(v.leader, '责任领导', lookups)) : undefined;
  const owner = v.owner ? take('owner', resolvePerson(v.owner, '专人', lookups)) : take('owner', fail('请选择专人（任务负责人）'));
  const milestones = take('milestones', parseMilestones(v.milestones ?? ''));
  const parsed = parseCadences((v.cadences ?? []).join('、'));
  const cadenceList = take('cadences', parsed.ok ? ok(parsed.value) : fail(parsed.message.replace(/。$/, '')));
  const expected = take('expected', parseOptionalText(v.expected ?? '', '预期成果', taskLimits.expected));
  if (Object.keys(errors).length || title === undefined || leadUnitId === undefined || owner === undefined || milestones === undefined || cadenceList === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    draft: { title, measure, leadUnitId, cooperatingUnitIds, responsibleLeaderOpenId: leader, ownerOpenId: owner, milestones, cadences: cadenceList, expectedResult: expected },
  };
}

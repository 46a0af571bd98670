// The progress report card (seed 004: 每月对进展情况、存在问题、对策建议进行梳理汇总): reading what was typed, checking
// it, and the rules for when a report is late or may still be corrected. Pure.

export const milestoneStatuses = ['on_time', 'late', 'done'] as const;
export type MilestoneStatus = (typeof milestoneStatuses)[number];
export const milestoneStatusLabels: Record<MilestoneStatus, string> = { on_time: '按期推进', late: '滞后', done: '已完成' };

export const reportLimits = { text: 2000 } as const;

export const reportTextFields = ['progress', 'problems', 'suggestions'] as const;
export type ReportTextField = (typeof reportTextFields)[number];
export const reportFieldLabels: Record<ReportTextField | 'percent', string> = {
  progress: '进展情况',
  problems: '存在问题',
  suggestions: '对策建议',
  percent: '完成进度（%）',
};

/** The form field that carries one milestone's status. */
export const milestoneField = (id: number): string => `ms_${id}`;

/** What was typed, echoed back on a refused submit. */
export interface ReportFormValues {
  progress?: string;
  problems?: string;
  suggestions?: string;
  percent?: string;
  /** Milestone id → status value as sent. */
  milestones: Record<number, string>;
}

/** Error per field: the text fields, `percent`, or a milestone field name (ms_12). */
export type ReportErrors = Record<string, string>;

export interface ReportContent {
  progress: string;
  problems: string;
  suggestions: string;
  percentComplete: number;
  milestoneStatus: { milestoneId: number; status: MilestoneStatus }[];
}

const ECHO_MAX = reportLimits.text + 10;

export function readReportForm(raw: Record<string, unknown> | undefined, milestoneIds: readonly number[]): ReportFormValues {
  const r = raw ?? {};
  const out: ReportFormValues = { milestones: {} };
  for (const k of [...reportTextFields, 'percent'] as const) {
    const v = r[k];
    if (typeof v === 'string') out[k] = v.slice(0, ECHO_MAX);
  }
  for (const id of milestoneIds) {
    const v = r[milestoneField(id)];
    if (typeof v === 'string') out.milestones[id] = v.slice(0, 20);
  }
  return out;
}

/** "60", "60%", "６０％" → 60; anything else (or outside 0–100) is refused. */
export function parsePercent(raw: string): { ok: true; value: number } | { ok: false; message: string } {
  const text = raw.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[%％]$/, '').trim();
  if (text === '') return { ok: false, message: '请填写完成进度，0 到 100 之间的整数。' };
  if (!/^\d{1,3}$/.test(text) || Number(text) > 100) return { ok: false, message: `完成进度“${raw.trim()}”不对，请填 0 到 100 之间的整数（例如 60）。` };
  return { ok: true, value: Number(text) };
}

/** 进展情况 is required; 存在问题 and 对策建议 may be left empty (shown as 无); every milestone needs a status. */
export function validateReport(values: ReportFormValues, milestoneIds: readonly number[]): { ok: true; value: ReportContent } | { ok: false; errors: ReportErrors } {
  const errors: ReportErrors = {};
  const texts: Record<ReportTextField, string> = { progress: '', problems: '', suggestions: '' };
  for (const field of reportTextFields) {
    const text = (values[field] ?? '').trim();
    if ([...text].length > reportLimits.text) errors[field] = `${reportFieldLabels[field]}不能超过 ${reportLimits.text} 字，请精简。`;
    texts[field] = text;
  }
  if (texts.progress === '' && !errors.progress) errors.progress = '请填写进展情况：本期做了什么、到了哪一步。';
  const percent = parsePercent(values.percent ?? '');
  if (!percent.ok) errors.percent = percent.message;
  const milestoneStatus: ReportContent['milestoneStatus'] = [];
  for (const id of milestoneIds) {
    const status = milestoneStatuses.find((s) => s === values.milestones[id]);
    if (!status) errors[milestoneField(id)] = '请选择这个里程碑的状态：按期推进、滞后或已完成。';
    else milestoneStatus.push({ milestoneId: id, status });
  }
  if (Object.keys(errors).length || !percent.ok) return { ok: false, errors };
  return { ok: true, value: { ...texts, percentComplete: percent.value, milestoneStatus } };
}

/** A report that arrives after its period's due time is accepted and marked late. */
export function isLate(submittedAt: Date, dueAt: Date): boolean {
  return submittedAt.getTime() > dueAt.getTime();
}

/** A submitted report may be corrected until its period's due time. */
export function isCorrectable(now: Date, dueAt: Date): boolean {
  return now.getTime() <= dueAt.getTime();
}

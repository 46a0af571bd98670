// Chongqing supervision-incentive declarations (seed 003): a county or park self-assesses against one
// measure and declares; the measure's lead departments review and recommend or return it; the
// supervision office confirms it. Pure: states, moves, who may make them, and the form's rules.
import { fail, ok, type Result } from './result.js';
import type { TemplateMeasure } from './template.js';
import type { UnitType } from './unit-types.js';

export const declarationStatuses = ['submitted', 'recommended', 'returned', 'confirmed', 'withdrawn'] as const;
export type DeclarationStatus = (typeof declarationStatuses)[number];
export const declarationStatusLabels: Record<DeclarationStatus, string> = {
  submitted: '待牵头单位审核',
  recommended: '已推荐',
  returned: '已退回',
  confirmed: '已确认',
  withdrawn: '已撤回',
};

export type DeclarationMove = 'recommend' | 'return' | 'confirm' | 'withdraw';
export const declarationMoveLabels: Record<DeclarationMove, string> = { recommend: '推荐', return: '退回', confirm: '确认', withdraw: '撤回' };

/** Who is acting on a declaration, as far as the rules care. */
export type DeclarationParty = 'declaring_unit' | 'lead_department' | 'supervision_office';

const moves: Record<DeclarationMove, { from: DeclarationStatus; to: DeclarationStatus; by: DeclarationParty }> = {
  recommend: { from: 'submitted', to: 'recommended', by: 'lead_department' },
  return: { from: 'submitted', to: 'returned', by: 'lead_department' },
  confirm: { from: 'recommended', to: 'confirmed', by: 'supervision_office' },
  withdraw: { from: 'submitted', to: 'withdrawn', by: 'declaring_unit' },
};

const whoMay: Record<DeclarationParty, string> = {
  declaring_unit: '只有申报单位的联络人',
  lead_department: '只有该措施牵头单位的联络人',
  supervision_office: '只有办公室（督查办）',
};

export type MoveFailureCode = 'not_your_move' | 'already_done' | 'illegal_move';

function refusal(status: DeclarationStatus, move: DeclarationMove): string {
  const verb = declarationMoveLabels[move];
  switch (status) {
    case 'withdrawn':
      return `这份申报已由申报单位撤回，不能${verb}。`;
    case 'returned':
      return `这份申报已被牵头单位退回，不能${verb}。如需重新申报，请申报单位重新提交。`;
    case 'confirmed':
      return `这份申报已确认，不能再${verb}。`;
    case 'recommended':
      return `这份申报已被牵头单位推荐，不能再${verb}。如需更改，请联系办公室。`;
    case 'submitted':
      return `这份申报还没有经过牵头单位推荐，不能${verb}。`;
  }
}

/** The status after `move`, or why it may not happen. The declaration is unchanged on failure. */
export function applyMove(status: DeclarationStatus, move: DeclarationMove, by: DeclarationParty): Result<DeclarationStatus, MoveFailureCode> {
  const rule = moves[move];
  if (by !== rule.by) return fail('not_your_move', `${whoMay[rule.by]}可以${declarationMoveLabels[move]}申报。`);
  if (status === rule.to) return fail('already_done', `这份申报${declarationStatusLabels[status]}，不能重复${declarationMoveLabels[move]}。`);
  if (status !== rule.from) return fail('illegal_move', refusal(status, move));
  return ok(rule.to);
}

/** Statuses that block declaring the same measure again: anything still alive. */
export function blocksRedeclaring(status: DeclarationStatus): boolean {
  return status === 'submitted' || status === 'recommended' || status === 'confirmed';
}

export function measureLabel(m: Pick<TemplateMeasure, 'number' | 'title'>): string {
  return `第${m.number}项 ${m.title}`;
}

/** Seed 003 rewards districts (区县) and national development platforms (国家级开发开放平台, our parks). */
export function measureFitsUnit(measure: Pick<TemplateMeasure, 'recipients'>, unitType: UnitType): boolean {
  if (unitType === 'county') return measure.recipients.includes('county');
  if (unitType === 'park') return measure.recipients.includes('platform');
  return false;
}

export function measuresForUnit<M extends Pick<TemplateMeasure, 'recipients'>>(measures: readonly M[], unitType: UnitType | undefined): M[] {
  return unitType === undefined ? [...measures] : measures.filter((m) => measureFitsUnit(m, unitType));
}

/** Measures led by any of these units (matched by unit name, as the notice names them). */
export function measuresLedBy<M extends Pick<TemplateMeasure, 'leadUnits'>>(measures: readonly M[], unitNames: readonly string[]): M[] {
  return measures.filter((m) => m.leadUnits.some((lead) => unitNames.includes(lead)));
}

export const SELF_ASSESSMENT_MAX = 2000;
export const EVIDENCE_MAX_LINKS = 10;
export const EVIDENCE_LINK_MAX = 500;
export const REASON_MAX = 500;

export type DeclarationField = 'measure' | 'selfAssessment' | 'evidence';

export interface DeclarationFormValues {
  measure: string;
  selfAssessment: string;
  evidence: string;
}

/** A validated form, or one message per bad field (shown in red under that field). */
export type FormResult<T, F extends string> = { ok: true; value: T } | { ok: false; errors: Partial<Record<F, string>> };

export interface DeclarationForm {
  measureNo: number;
  selfAssessment: string;
  evidence: string[];
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the user typed, as strings (forged non-strings become empty), for re-showing the form. */
export function declarationFormValues(raw: Record<string, unknown> | undefined): DeclarationFormValues {
  return { measure: asText(raw?.measure), selfAssessment: asText(raw?.selfAssessment), evidence: asText(raw?.evidence) };
}

/** Links separated by new lines, spaces, commas or semicolons (ASCII or full-width). */
export function splitLinks(text: string): string[] {
  return text.split(/[\s,;，；、\u3000]+/).filter((s) => s !== '');
}

/**
 * Checks a declaration form against the campaign's measures and the unit type (when known).
 * Every bad field gets its own message saying what to fix.
 */
export function parseDeclarationForm(
  values: DeclarationFormValues,
  measures: readonly TemplateMeasure[],
  unitType: UnitType | undefined,
): FormResult<DeclarationForm, DeclarationField> {
  const errors: Partial<Record<DeclarationField, string>> = {};
  const measure = /^\d{1,3}$/.test(values.measure) ? measures.find((m) => m.number === Number(values.measure)) : undefined;
  if (values.measure.trim() === '') errors.measure = '请选择申报的激励措施。';
  else if (!measure) errors.measure = '所选的激励措施不存在，请从列表中重新选择。';
  else if (unitType && !measureFitsUnit(measure, unitType)) {
    errors.measure = `${measureLabel(measure)}不激励${unitType === 'park' ? '国家级开发开放平台（园区）' : '该类单位'}，请选择其他措施。`;
  }
  const selfAssessment = values.selfAssessment.trim();
  if (selfAssessment === '') errors.selfAssessment = '请填写自评情况：对照措施说明取得的成效和典型经验做法。';
  else if ([...selfAssessment].length > SELF_ASSESSMENT_MAX) {
    errors.selfAssessment = `自评情况最多${SELF_ASSESSMENT_MAX}字，现在有${[...selfAssessment].length}字，请精简。`;
  }
  const links = splitLinks(values.evidence);
  const bad = links.filter((l) => !/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(l) || l.length > EVIDENCE_LINK_MAX);
  if (bad.length > 0) errors.evidence = `佐证材料链接“${bad[0]}”无效，请填写以 http:// 或 https:// 开头的完整网址，每行一个。`;
  else if (links.length > EVIDENCE_MAX_LINKS) errors.evidence = `佐证材料链接最多${EVIDENCE_MAX_LINKS}个，现在有${links.length}个，请合并或精简。`;

  if (Object.keys(errors).length > 0 || !measure) return { ok: false, errors };
  return { ok: true, value: { measureNo: measure.number, selfAssessment, evidence: links } };
}

/** A return or decline reason: required, at most REASON_MAX characters. */
export function parseReason(raw: unknown, what = '退回理由', hint = '说明需要补充或改进的地方'): Result<string> {
  const reason = asText(raw).trim();
  if (reason === '') return fail('reason_required', `请填写${what}，${hint}。`);
  if ([...reason].length > REASON_MAX) return fail('reason_too_long', `${what}最多${REASON_MAX}字，现在有${[...reason].length}字，请精简。`);
  return ok(reason);
}

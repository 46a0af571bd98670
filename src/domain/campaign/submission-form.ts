// The /申报 form as data (seed 000 §四.2, §五): what a unit types, the Chinese message for each field
// that is wrong, and which phase takes a submission of a kind. Pure: no database, no clock.
import { z } from 'zod';
import { formatChinaDateTime, formatChineseDate, isCalendarDate } from './china-time.js';
import type { EligibilityCode } from './eligibility.js';
import { canSubmit, type SubmitFailureCode } from './phases.js';
import type { Result } from './result.js';
import { submissionKinds, type CampaignTemplate, type SubmissionKind, type TemplatePhase } from './template.js';

export const submissionFormFields = [
  'unit', 'kind', 'title', 'direction', 'problem', 'innovation', 'effect', 'mainCreators', 'team', 'achievedOn', 'evidence',
] as const;
export type SubmissionFormField = (typeof submissionFormFields)[number];

/** One Chinese message per bad field; `form` is about the submission as a whole (phase closed, unit not eligible). */
export type FieldErrors = Partial<Record<SubmissionFormField | 'form', string>>;

export const submissionStatuses = ['submitted', 'withdrawn', 'recommended', 'returned', 'confirmed'] as const;
export type SubmissionStatus = (typeof submissionStatuses)[number];
export const submissionStatusLabels: Record<SubmissionStatus, string> = {
  submitted: '已提交',
  withdrawn: '已撤回',
  recommended: '已推荐',
  returned: '已退回',
  confirmed: '已确定',
};

export const submissionLimits = { title: 100, text: 2000, team: 500, evidence: 1000, links: 10 } as const;

/** What the user typed, as strings, for re-rendering the form exactly as it was sent. */
export interface SubmissionFormValues {
  unit?: string;
  kind?: string;
  title?: string;
  direction?: string;
  problem?: string;
  innovation?: string;
  effect?: string;
  mainCreators?: string[];
  team?: string;
  achievedOn?: string;
  evidence?: string;
}

/** A validated submission, ready to be checked for eligibility and stored. */
export interface SubmissionDraft {
  unitId: number | undefined;
  kind: SubmissionKind;
  title: string;
  direction: string | undefined;
  problem: string;
  innovation: string;
  effect: string | undefined;
  mainCreators: string[];
  team: string | undefined;
  achievedOn: string | undefined;
  evidence: string[];
}

const textFields = ['unit', 'kind', 'title', 'direction', 'problem', 'innovation', 'effect', 'team', 'achievedOn', 'evidence'] as const;
/** Echoed values are cut here, so a forged oversized value can never push the card past Lark's 30 KB. */
const ECHO_MAX = submissionLimits.text + 10;

/** Reads Lark's form_value (anything) into strings; unknown keys and wrong types are dropped. */
export function readFormValues(raw: Record<string, unknown> | undefined): SubmissionFormValues {
  const values: SubmissionFormValues = {};
  if (!raw) return values;
  for (const key of textFields) {
    const v = raw[key];
    if (typeof v === 'string' && v !== '') values[key] = v.slice(0, ECHO_MAX);
    else if (typeof v === 'number') values[key] = String(v);
  }
  const creators = raw.mainCreators;
  if (Array.isArray(creators)) values.mainCreators = creators.filter((c): c is string => typeof c === 'string').slice(0, 10);
  else if (typeof creators === 'string' && creators !== '') values.mainCreators = [creators];
  return values;
}

/** Lark's date picker sends "2022-06-30 +0800"; the emulator sends "2022-06-30". */
export function normalizeDate(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s+[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  return m?.[1] ?? text.trim();
}

const count = (s: string): number => [...s].length;

function boundedText(label: string, max: number, required: boolean) {
  return z
    .string()
    .optional()
    .transform((s) => s?.trim() ?? '')
    .superRefine((s, ctx) => {
      if (required && s === '') ctx.addIssue({ code: 'custom', message: `请填写${label}。` });
      else if (count(s) > max) ctx.addIssue({ code: 'custom', message: `${label}不能超过${max}字，目前${count(s)}字，请精简后再提交。` });
    });
}

/** Splits evidence text into links: one per line, or separated by spaces, commas or semicolons. */
export function splitLinks(text: string): string[] {
  return text.split(/[\s,，;；、]+/).filter((s) => s !== '');
}

function isHttpLink(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

export interface FormRules {
  /** Direction keys of the campaign; empty when it has none. */
  directionKeys: readonly string[];
  /** Whether the form shows a unit select (the person is in several units). */
  chooseUnit: boolean;
}

export function submissionFormSchema(rules: FormRules) {
  const evidence = boundedText('佐证材料链接', submissionLimits.evidence, false).superRefine((s, ctx) => {
    const links = splitLinks(s);
    const bad = links.find((l) => !isHttpLink(l));
    if (bad) ctx.addIssue({ code: 'custom', message: `“${bad.slice(0, 60)}”不是有效链接，请填写以 http:// 或 https:// 开头的网址，多个链接用换行或空格分开。` });
    else if (links.length > submissionLimits.links) ctx.addIssue({ code: 'custom', message: `佐证材料链接最多${submissionLimits.links}个，目前${links.length}个。` });
  });
  return z
    .object({
      unit: rules.chooseUnit
        ? z.string({ error: '请选择申报单位。' }).regex(/^\d{1,9}$/, '请从列表中选择申报单位。').transform(Number)
        : z.unknown().optional().transform(() => undefined),
      kind: z.enum(submissionKinds, { error: '请选择申报类别：选题或成果。' }),
      title: boundedText('标题', submissionLimits.title, true),
      direction:
        rules.directionKeys.length > 0
          ? z.string({ error: '请选择重点方向。' }).refine((d) => rules.directionKeys.includes(d), '请从列表中选择重点方向。')
          : z.unknown().optional().transform(() => undefined),
      problem: boundedText('解决的问题', submissionLimits.text, true),
      innovation: boundedText('创新之处', submissionLimits.text, true),
      effect: boundedText('取得的成效', submissionLimits.text, false),
      mainCreators: z.array(z.string().regex(/^ou_[A-Za-z0-9_-]{1,64}$/, '请从列表中选择主创人。')).default([]),
      team: boundedText('团队成员', submissionLimits.team, false),
      achievedOn: z
        .string()
        .optional()
        .transform((s) => (s ? normalizeDate(s) : ''))
        .refine((s) => s === '' || isCalendarDate(s), '成果形成时间格式不对，请按 2022-06-30 的格式选择日期。'),
      evidence,
    })
    .superRefine((v, ctx) => {
      if (v.kind === 'achievement' && v.effect === '') {
        ctx.addIssue({ code: 'custom', path: ['effect'], message: '成果类申报请填写取得的成效（经得起实践检验）。' });
      }
    });
}

export type ParsedForm = { ok: true; value: SubmissionDraft } | { ok: false; errors: FieldErrors };

/** Validates the form; every bad field gets its own message. */
export function parseSubmissionForm(values: SubmissionFormValues, rules: FormRules): ParsedForm {
  const parsed = submissionFormSchema(rules).safeParse(values);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      const key = typeof field === 'string' && (submissionFormFields as readonly string[]).includes(field) ? (field as SubmissionFormField) : 'form';
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  return {
    ok: true,
    value: {
      unitId: v.unit,
      kind: v.kind,
      title: v.title,
      direction: typeof v.direction === 'string' ? v.direction : undefined,
      problem: v.problem,
      innovation: v.innovation,
      effect: v.effect || undefined,
      mainCreators: [...new Set(v.mainCreators)],
      team: v.team || undefined,
      achievedOn: v.achievedOn || undefined,
      evidence: splitLinks(v.evidence),
    },
  };
}

/** What the eligibility rules need, read leniently, so their messages join the form's own even when other fields are wrong. */
export interface EligibilityFacts {
  kind: SubmissionKind;
  mainCreators: string[];
  achievedOn: string | undefined;
}

export function eligibilityFacts(values: SubmissionFormValues): EligibilityFacts | undefined {
  const kind = submissionKinds.find((k) => k === values.kind);
  if (!kind) return undefined;
  return { kind, mainCreators: [...new Set(values.mainCreators ?? [])], achievedOn: values.achievedOn ? normalizeDate(values.achievedOn) : undefined };
}

/** Where each eligibility failure is shown on the form. */
export function eligibilityField(code: EligibilityCode): SubmissionFormField | 'form' {
  switch (code) {
    case 'too_few_main_creators':
    case 'too_many_main_creators':
      return 'mainCreators';
    case 'achievement_date_missing':
    case 'achievement_date_invalid':
    case 'achievement_outside_window':
      return 'achievedOn';
    case 'unit_type_not_eligible':
    case 'vice_department_level_unit':
    case 'county_party_or_government':
      return 'unit';
    default:
      return 'form';
  }
}

type SubmissionPhase = Pick<TemplatePhase, 'label' | 'opensAt' | 'closesAt' | 'submissionKind'>;

/**
 * Whether a submission of this kind may be handed in, changed or withdrawn now. A campaign with a phase
 * for the kind uses that phase; one without (the Liaoning plan only has a topic phase) takes both kinds
 * in whichever submission phase is open.
 */
export function submissionWindow<P extends SubmissionPhase>(phases: readonly P[], now: Date, kind?: SubmissionKind): Result<P, SubmitFailureCode> {
  const dedicated = kind !== undefined && phases.some((p) => p.submissionKind === kind);
  return canSubmit(phases, now, dedicated ? kind : undefined);
}

/** The phase taking submissions now, as a form card shows it, or why none is. */
export type WindowView = { open: true; label: string; closesAt: string } | { open: false; message: string };

export function windowView(phases: readonly SubmissionPhase[], now: Date, kind?: SubmissionKind): WindowView {
  const w = submissionWindow(phases, now, kind);
  return w.ok ? { open: true, label: w.value.label, closesAt: formatChinaDateTime(w.value.closesAt) } : { open: false, message: w.message };
}

/** 2021年1月1日至2022年12月31日, or undefined when the campaign has no window. */
export function achievementWindowText(template: Pick<CampaignTemplate, 'achievementWindow'>): string | undefined {
  const w = template.achievementWindow;
  return w ? `${formatChineseDate(w.from)}至${formatChineseDate(w.to)}` : undefined;
}

/** The free-text part of a submission as stored (submissions.fields); empty fields are left out. */
export interface StoredFields {
  problem?: string;
  innovation?: string;
  effect?: string;
  team?: string;
  achievedOn?: string;
  /** One link per line. */
  evidence?: string;
}

export function storedFields(d: SubmissionDraft): StoredFields {
  const f: StoredFields = { problem: d.problem, innovation: d.innovation };
  if (d.effect) f.effect = d.effect;
  if (d.team) f.team = d.team;
  if (d.achievedOn) f.achievedOn = d.achievedOn;
  if (d.evidence.length) f.evidence = d.evidence.join('\n');
  return f;
}

/** A stored submission as the values of an edit form. */
export function formValuesOf(s: { kind: string; title: string; direction: string | null; fields: StoredFields; mainCreators: { openId: string }[] }): SubmissionFormValues {
  const values: SubmissionFormValues = { kind: s.kind, title: s.title, mainCreators: s.mainCreators.map((p) => p.openId) };
  if (s.direction) values.direction = s.direction;
  for (const key of ['problem', 'innovation', 'effect', 'team', 'achievedOn', 'evidence'] as const) {
    const value = s.fields[key];
    if (value) values[key] = value;
  }
  return values;
}

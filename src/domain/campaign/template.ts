// A campaign template kept as data (seed 000: evaluation and awards; seed 003: supervision incentive).
// A campaign is a template, possibly with fields changed; every rule the bot enforces reads it from here.
import { z } from 'zod';
import { isCalendarDate, isChinaInstant } from './china-time.js';
import { templateProblems } from './template-checks.js';
import { unitTypes } from './unit-types.js';
import { reminderSettingsSchema } from '../reminders/settings.js';

export const campaignKinds = ['evaluation', 'supervision_incentive'] as const;
export type CampaignKind = (typeof campaignKinds)[number];
export const campaignKindLabels: Record<CampaignKind, string> = { evaluation: '评价奖励', supervision_incentive: '督查激励' };

/** What a unit hands in during a phase: a topic (选题) or a finished achievement / self-assessment (成果、自评申报). */
export const submissionKinds = ['topic', 'achievement'] as const;
export type SubmissionKind = (typeof submissionKinds)[number];
export const submissionKindLabels: Record<SubmissionKind, string> = { topic: '选题', achievement: '成果' };

/** Who acts in a phase. */
export const phaseActors = ['unit', 'office', 'leader', 'province', 'lead_department', 'supervision_office'] as const;
export const phaseActorLabels: Record<(typeof phaseActors)[number], string> = {
  unit: '申报单位',
  office: '工作办公室',
  leader: '市委市政府',
  province: '省评审委员会',
  lead_department: '市级牵头部门',
  supervision_office: '市政府督查办',
};

/** Where a phase date comes from: written in the seed, implied by an adjacent seed date, or set by us for the office to confirm. */
export const dateSources = ['seed', 'derived', 'provisional'] as const;
export const dateSourceLabels: Record<(typeof dateSources)[number], string> = {
  seed: '文件规定',
  derived: '按文件推定',
  provisional: '暂定，待办公室确认',
};

/** Who a supervision-incentive measure rewards (seed 003). */
export const measureRecipients = ['county', 'platform', 'township'] as const;
export const measureRecipientLabels: Record<(typeof measureRecipients)[number], string> = {
  county: '区县',
  platform: '国家级开发开放平台',
  township: '乡镇(街道)',
};

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, '标识只能包含小写英文字母、数字和下划线，并以字母开头');
const text = z.string().trim().min(1, '不能为空');
const instant = z.string().refine(isChinaInstant, '时间格式应为北京时间，例如 2022-10-31T23:59:59+08:00');
const calendarDate = z.string().refine(isCalendarDate, '日期格式应为 2021-01-01 这样的真实日期');
const integer = (what: string) =>
  z.int({ error: (issue) => (issue.input === undefined ? `请填写${what}` : `${what}必须是整数`) });
const quota = integer('名额').min(0, '名额不能为负数');
const share = z.number().gt(0, '比例必须大于0').max(1, '比例不能超过1（即100%）');

const directionSchema = z.object({ key, label: text, summary: text.optional() });

const criterionSchema = z.object({
  key,
  label: text,
  description: text,
  /** Topics are weighed on problem orientation, innovation and effect; achievements on the four evaluation standards. */
  stage: z.enum(submissionKinds),
  weight: z.number().positive('权重必须大于0'),
  scale: z.object({ min: z.number(), max: z.number() }),
});

const phaseSchema = z.object({
  key,
  label: text,
  /** The seed's own heading for the stage this phase belongs to, e.g. 谋划选题阶段. */
  stage: text.optional(),
  actor: z.enum(phaseActors),
  description: text.optional(),
  opensAt: instant,
  closesAt: instant,
  dateSource: z.object({ opensAt: z.enum(dateSources), closesAt: z.enum(dateSources) }),
  /** Set when units hand items in during this phase. */
  submissionKind: z.enum(submissionKinds).optional(),
  /** How many items may leave this phase: at most N, or the top N. */
  cap: z.object({ rule: z.enum(['at_most', 'top']), max: z.int().positive('数量上限必须是正整数') }).optional(),
  steps: z.array(text).optional(),
});

const sourceSchema = z.object({
  title: text,
  issuer: text.optional(),
  documentNumber: text.optional(),
  issuedOn: calendarDate.optional(),
  basedOn: z.array(text).optional(),
});

const measureSchema = z.object({
  number: z.int().positive('措施序号必须是正整数'),
  title: text,
  leadUnits: z.array(text).min(1, '每项激励措施至少要有1个牵头单位'),
  cooperatingUnits: z.array(text),
  recipients: z.array(z.enum(measureRecipients)).min(1, '每项激励措施至少要有1类激励对象'),
  rewardSummary: text,
});

export const templateShape = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/, '活动代码只能由大写英文字母和数字组成（例如 LN2022），不能含“-”'),
  name: text,
  year: integer('年度').min(2000, '年度不能早于2000年').max(2100, '年度不能晚于2100年'),
  kind: z.enum(campaignKinds),
  source: sourceSchema,
  directions: z.array(directionSchema).optional(),
  criteria: z.array(criterionSchema).optional(),
  phases: z.array(phaseSchema).min(1, '至少需要一个阶段'),
  /** Minimum number of submissions per unit type; 0 means no minimum. */
  quotas: z.object({ county: quota, park: quota, department: quota, organisation: quota }),
  /** Only achievements formed within these dates (inclusive) may be submitted. */
  achievementWindow: z.object({ from: calendarDate, to: calendarDate }).optional(),
  mainCreators: z
    .object({ min: z.int().min(1, '主创人至少1名'), max: z.int().min(1, '主创人上限至少为1名') })
    .optional(),
  prizes: z
    .object({
      tiers: z.array(z.object({ key, label: text, amountYuan: z.int().positive('奖金必须是正整数（元）') })).min(1, '至少需要一个奖项'),
      mainCreatorMinShare: share,
      countyLevelCadreMaxShare: share,
    })
    .optional(),
  eligibility: z.object({
    applicantUnitTypes: z.array(z.enum(unitTypes)).min(1, '至少要允许一类单位申报'),
    excludeViceDepartmentLevel: z.boolean(),
    excludeCountyPartyOrGovernment: z.boolean(),
  }),
  measures: z.array(measureSchema).optional(),
  /** Reminder offsets, send time and mandatory deadlines; defaults apply when absent (src/domain/reminders/settings.ts). */
  reminders: reminderSettingsSchema.optional(),
});

export const campaignTemplateSchema = templateShape.superRefine((template, ctx) => {
  for (const problem of templateProblems(template)) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  }
});

export type CampaignTemplate = z.infer<typeof campaignTemplateSchema>;
export type CampaignTemplateInput = z.input<typeof campaignTemplateSchema>;
export type TemplatePhase = CampaignTemplate['phases'][number];
export type TemplateCriterion = NonNullable<CampaignTemplate['criteria']>[number];
export type TemplateMeasure = NonNullable<CampaignTemplate['measures']>[number];
export type PhaseCap = NonNullable<TemplatePhase['cap']>;

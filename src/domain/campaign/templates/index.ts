// The built-in campaign templates, validated when this module loads, and customisation of a template into a campaign.
import type { CampaignTemplate, TemplatePhase } from '../template.js';
import { validateTemplate } from '../template-validation.js';
import { fail, type Result } from '../result.js';
import { chongqing2022 } from './chongqing-2022.js';
import { liaoning2022 } from './liaoning-2022.js';

function loaded(id: string, raw: unknown): CampaignTemplate {
  const result = validateTemplate(raw);
  if (!result.ok) throw new Error(`Built-in template ${id} is invalid:\n${result.message}`);
  return result.value;
}

export const templates = {
  'liaoning-2022': loaded('liaoning-2022', liaoning2022),
  'chongqing-2022': loaded('chongqing-2022', chongqing2022),
} as const satisfies Record<string, CampaignTemplate>;

export type TemplateId = keyof typeof templates;
export const templateIds = Object.keys(templates) as TemplateId[];

export function isTemplateId(value: string): value is TemplateId {
  return Object.hasOwn(templates, value);
}

type Patch<T> = { [K in keyof T]?: T[K] };

/**
 * What a custom campaign changes. Scalar and list fields replace the template's; the object fields
 * (quotas, eligibility, prizes, mainCreators, achievementWindow, source) are merged field by field;
 * `phasePatches` changes individual phases by key, leaving the others as they are.
 */
export type TemplateOverrides = Patch<
  Omit<CampaignTemplate, 'quotas' | 'eligibility' | 'prizes' | 'mainCreators' | 'achievementWindow' | 'source'>
> & {
  quotas?: Patch<CampaignTemplate['quotas']>;
  eligibility?: Patch<CampaignTemplate['eligibility']>;
  prizes?: Patch<NonNullable<CampaignTemplate['prizes']>>;
  mainCreators?: Patch<NonNullable<CampaignTemplate['mainCreators']>>;
  achievementWindow?: Patch<NonNullable<CampaignTemplate['achievementWindow']>>;
  source?: Patch<CampaignTemplate['source']>;
  phasePatches?: Readonly<Record<string, Patch<Omit<TemplatePhase, 'key'>>>>;
};

function merged<T extends object>(base: T | undefined, patch: Patch<T> | undefined): T | Patch<T> | undefined {
  if (patch === undefined) return base;
  return { ...base, ...patch };
}

/** A campaign built from a template with some fields changed; the result is validated again as a whole. */
export function customizeTemplate(
  base: CampaignTemplate,
  overrides: TemplateOverrides,
): Result<CampaignTemplate, 'invalid_template' | 'unknown_phase'> {
  const { phasePatches = {}, quotas, eligibility, prizes, mainCreators, achievementWindow, source, ...rest } = overrides;
  const phases = rest.phases ?? base.phases;
  const unknown = Object.keys(phasePatches).filter((k) => !phases.some((p) => p.key === k));
  if (unknown.length > 0) {
    const known = phases.map((p) => `${p.key}（${p.label}）`).join('、');
    return fail('unknown_phase', `没有标识为 ${unknown.join('、')} 的阶段。可修改的阶段有：${known}`);
  }
  return validateTemplate({
    ...base,
    ...rest,
    phases: phases.map((p) => ({ ...p, ...phasePatches[p.key] })),
    quotas: merged(base.quotas, quotas),
    eligibility: merged(base.eligibility, eligibility),
    prizes: merged(base.prizes, prizes),
    mainCreators: merged(base.mainCreators, mainCreators),
    achievementWindow: merged(base.achievementWindow, achievementWindow),
    source: merged(base.source, source),
  });
}

// Awards (seed 000 §五.3, issue 5): record a prize tier for an achievement and how its money is split among the
// people behind it. The split is checked by validatePrizeSplit (main creator ≥ 40%, county-level cadres ≤ 20%
// of awardees, sum = prize); a refused split changes nothing. One award per submission; changes are audited.
import { eq } from 'drizzle-orm';
import { awards, campaigns, submissions, units, type AwardShare } from '../../db/schema/index.js';
import { formatTrackingNumber, parseTrackingNumber } from '../domain/campaign/tracking-number.js';
import { submissionKindLabels } from '../domain/campaign/template.js';
import { validatePrizeSplit, type AwardeeInput, type AwardProblem } from '../domain/review/awards.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

type Ctx = { ctx: ServiceCtx; actorOpenId: string };
export type SplitUnit = 'yuan' | 'percent';

export interface AwardFormData {
  submission: { id: number; trackingNo: string; title: string; unitName: string; mainCreators: string[] };
  campaign: { code: string; name: string };
  tier: { key: string; label: string; amountYuan: number };
  rules: { mainCreatorMinShare: number; countyLevelCadreMaxShare: number; mainCreatorsMax: number | undefined };
  /** What is recorded now for this submission, if anything. */
  current: { tierLabel: string; amountYuan: number; split: AwardShare[] } | null;
}

async function load(ctx: ServiceCtx, where: { trackingNo: string } | { submissionId: number }, tierWord: string): Promise<AwardFormData> {
  let condition;
  if ('trackingNo' in where) {
    const parsed = parseTrackingNumber(where.trackingNo);
    if (!parsed.ok) throw new DomainError('submission.badTrackingNo', { message: parsed.message });
    condition = eq(submissions.trackingNo, formatTrackingNumber(parsed.value.campaignCode, parsed.value.unitName, parsed.value.seq));
  } else condition = eq(submissions.id, where.submissionId);
  const [row] = await ctx.db
    .select({ s: submissions, unitName: units.name, campaign: campaigns })
    .from(submissions)
    .innerJoin(units, eq(units.id, submissions.unitId))
    .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
    .where(condition);
  if (!row) throw new DomainError('submission.notFound', { trackingNo: 'trackingNo' in where ? where.trackingNo.trim() : String(where.submissionId) });
  const { s, campaign } = row;
  const prizes = campaign.definition.prizes;
  if (!prizes) throw new DomainError('award.noPrizes', { name: campaign.name });
  const word = tierWord.trim();
  const tier = prizes.tiers.find((t) => t.label === word || t.key === word.toLowerCase());
  if (!tier) throw new DomainError('award.unknownTier', { tier: word, tiers: prizes.tiers.map((t) => t.label).join('、') });
  if (s.kind !== 'achievement') throw new DomainError('award.notAchievement', { trackingNo: s.trackingNo, kind: s.kind === 'topic' ? submissionKindLabels.topic : '申报' });
  if (s.status === 'withdrawn') throw new DomainError('award.withdrawn', { trackingNo: s.trackingNo });
  const [current] = await ctx.db.select().from(awards).where(eq(awards.submissionId, s.id));
  return {
    submission: { id: s.id, trackingNo: s.trackingNo, title: s.title, unitName: row.unitName, mainCreators: s.mainCreators.map((p) => p.name || p.openId) },
    campaign: { code: campaign.code, name: campaign.name },
    tier: { key: tier.key, label: tier.label, amountYuan: tier.amountYuan },
    rules: { mainCreatorMinShare: prizes.mainCreatorMinShare, countyLevelCadreMaxShare: prizes.countyLevelCadreMaxShare, mainCreatorsMax: campaign.definition.mainCreators?.max },
    current: current ? { tierLabel: prizes.tiers.find((t) => t.key === current.tier)?.label ?? current.tier, amountYuan: current.amountYuan, split: current.split } : null,
  };
}

/** /奖励 设置 <编号> <奖项>: what the split form needs. */
export async function awardForm({ ctx, input }: { ctx: ServiceCtx; input: { trackingNo: string; tier: string } }): Promise<AwardFormData> {
  return load(ctx, { trackingNo: input.trackingNo }, input.tier);
}

export type SaveAwardOutcome = { kind: 'saved'; form: AwardFormData } | { kind: 'invalid'; problems: AwardProblem[]; form: AwardFormData };

/** Records the tier and the split; a split that breaks a rule is refused with every rule it breaks. */
export async function saveAward({ ctx, actorOpenId, input }: Ctx & { input: { submissionId: number; tierKey: string; unit: SplitUnit; awardees: AwardeeInput[] } }): Promise<SaveAwardOutcome> {
  const form = await load(ctx, { submissionId: input.submissionId }, input.tierKey);
  const checked = validatePrizeSplit({ prize: { label: form.tier.label, amountYuan: form.tier.amountYuan }, rules: form.rules, unit: input.unit, awardees: input.awardees });
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems, form };
  const [submission] = await ctx.db.select({ campaignId: submissions.campaignId, mainCreators: submissions.mainCreators }).from(submissions).where(eq(submissions.id, form.submission.id));
  if (!submission) throw new DomainError('submission.gone');
  const split: AwardShare[] = checked.value.awardees.map((a) => ({
    openId: submission.mainCreators.find((p) => p.name === a.name)?.openId ?? '',
    name: a.name,
    shareYuan: a.amountYuan,
    mainCreator: a.role === 'main_creator',
    countyLevelCadre: a.countyLevelCadre,
  }));
  const at = ctx.clock.now();
  const values = { campaignId: submission.campaignId, submissionId: form.submission.id, tier: form.tier.key, amountYuan: form.tier.amountYuan, split, createdBy: actorOpenId, createdAt: at };
  const [before] = await ctx.db.select().from(awards).where(eq(awards.submissionId, form.submission.id)).for('update');
  await ctx.db
    .insert(awards)
    .values(values)
    .onConflictDoUpdate({ target: awards.submissionId, set: { tier: values.tier, amountYuan: values.amountYuan, split, createdBy: actorOpenId, createdAt: at } });
  await recordAudit(ctx.db, {
    at,
    actorOpenId,
    action: 'award.set',
    entityType: 'submission',
    entityId: String(form.submission.id),
    before: before ? { tier: before.tier, amountYuan: before.amountYuan, split: before.split } : null,
    after: { tier: values.tier, amountYuan: values.amountYuan, split },
  });
  return { kind: 'saved', form: { ...form, current: { tierLabel: form.tier.label, amountYuan: form.tier.amountYuan, split } } };
}

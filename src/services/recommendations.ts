// Public recommendations (seed 000 §四.2): anyone recommends a topic that needs institutional innovation;
// the office assigns it to a unit or declines it with a reason. Every change is audited in the caller's transaction.
import { and, asc, count, desc, eq } from 'drizzle-orm';
import { campaigns, recommendations, units, users } from '../../db/schema/index.js';
import { parseReason, type FormResult } from '../domain/campaign/declaration.js';
import { unitTypes } from '../domain/campaign/unit-types.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { liaisonsOf } from './declarations.js';

export type RecommendationRow = typeof recommendations.$inferSelect;
export type RecommendationField = 'title' | 'problem' | 'suggestedUnit';

/** How the decline reason is asked for: it is shown to the recommender. */
export const declineReason = ['不采纳的理由', '让推荐人了解原因'] as const;

export const recommendationLimits = { title: 100, problem: 2000, suggestedUnit: 100 } as const;

export interface RecommendationValues {
  title: string;
  problem: string;
  suggestedUnit: string;
}

export interface RecommendationInput {
  title: string;
  problem: string;
  suggestedUnit: string | undefined;
}

const asText = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max + 10) : '');
const length = (s: string): number => [...s].length;

/** What the user typed, as strings (forged non-strings become empty; oversized ones are cut so the card stays small). */
export function recommendationValues(raw: Record<string, unknown> | undefined): RecommendationValues {
  return {
    title: asText(raw?.title, recommendationLimits.title),
    problem: asText(raw?.problem, recommendationLimits.problem),
    suggestedUnit: asText(raw?.suggestedUnit, recommendationLimits.suggestedUnit),
  };
}

/** Validates the recommendation form: one Chinese message per bad field. Pure. */
export function parseRecommendationForm(v: RecommendationValues): FormResult<RecommendationInput, RecommendationField> {
  const errors: Partial<Record<RecommendationField, string>> = {};
  const title = v.title.trim();
  const problem = v.problem.trim();
  const suggestedUnit = v.suggestedUnit.trim();
  const { title: tMax, problem: pMax, suggestedUnit: uMax } = recommendationLimits;
  if (title === '') errors.title = '请填写选题名称，用一句话概括需要改革创新的事项。';
  else if (length(title) > tMax) errors.title = `选题名称最多${tMax}字，现在有${length(title)}字，请精简。`;
  if (problem === '') errors.problem = '请描述存在的问题：在哪个环节、影响了谁、希望怎样改进。';
  else if (length(problem) > pMax) errors.problem = `问题描述最多${pMax}字，现在有${length(problem)}字，请精简。`;
  if (length(suggestedUnit) > uMax) errors.suggestedUnit = `建议承办单位最多${uMax}字，请只写单位名称。`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { title, problem, suggestedUnit: suggestedUnit || undefined } };
}

/** The campaign public recommendations feed: the only active evaluation campaign, if there is exactly one. */
export async function recommendationCampaign({ ctx }: { ctx: ServiceCtx }): Promise<{ id: number; name: string } | undefined> {
  const rows = await ctx.db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(and(eq(campaigns.status, 'active'), eq(campaigns.kind, 'evaluation')))
    .orderBy(desc(campaigns.createdAt))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}

/** A campaign named by a recommendation form, for re-showing that form; undefined if it is gone. */
export async function campaignSummary(ctx: ServiceCtx, id: number): Promise<{ id: number; name: string } | undefined> {
  const [row] = await ctx.db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.id, id));
  return row;
}

/**
 * Records a recommendation once per form: the same form submitted again by the same person returns the
 * first one (`created: false`); by someone else, it is refused.
 */
export async function createRecommendation({
  ctx,
  input,
  actorOpenId,
}: {
  ctx: ServiceCtx;
  input: RecommendationInput & { formKey: string; campaignId: number | undefined };
  actorOpenId: string;
}): Promise<{ row: RecommendationRow; created: boolean }> {
  const checked = parseRecommendationForm({ title: input.title, problem: input.problem, suggestedUnit: input.suggestedUnit ?? '' });
  if (!checked.ok) throw new DomainError('recommendation.invalid', { detail: Object.values(checked.errors).join(' ') });
  if (input.campaignId !== undefined) {
    const [c] = await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId));
    if (!c) throw new DomainError('recommendation.campaignNotFound');
  }
  const at = ctx.clock.now();
  const { title, problem, suggestedUnit } = checked.value;
  const [row] = await ctx.db
    .insert(recommendations)
    .values({ campaignId: input.campaignId ?? null, recommenderOpenId: actorOpenId, title, problem, suggestedUnit: suggestedUnit ?? null, formKey: input.formKey, createdAt: at })
    .onConflictDoNothing({ target: recommendations.formKey })
    .returning();
  if (!row) {
    const [existing] = await ctx.db.select().from(recommendations).where(eq(recommendations.formKey, input.formKey));
    if (!existing || existing.recommenderOpenId !== actorOpenId) throw new DomainError('recommendation.formUsed');
    return { row: existing, created: false };
  }
  await recordAudit(ctx.db, {
    at,
    actorOpenId,
    action: 'recommendation.create',
    entityType: 'recommendation',
    entityId: String(row.id),
    after: { title, suggestedUnit: row.suggestedUnit, campaignId: row.campaignId },
  });
  return { row, created: true };
}

export interface RecommendationListItem extends RecommendationRow {
  recommenderName: string | null;
}

/** Pending recommendations, oldest first, and how many there are in all. */
export async function pendingRecommendations({ ctx, limit }: { ctx: ServiceCtx; limit: number }): Promise<{ items: RecommendationListItem[]; total: number }> {
  const rows = await ctx.db
    .select({ r: recommendations, recommenderName: users.name })
    .from(recommendations)
    .leftJoin(users, eq(users.openId, recommendations.recommenderOpenId))
    .where(eq(recommendations.status, 'pending'))
    .orderBy(asc(recommendations.createdAt), asc(recommendations.id))
    .limit(limit);
  const [total] = await ctx.db.select({ n: count() }).from(recommendations).where(eq(recommendations.status, 'pending'));
  return { items: rows.map(({ r, recommenderName }) => ({ ...r, recommenderName })), total: total?.n ?? 0 };
}

export async function getRecommendation(ctx: ServiceCtx, id: number): Promise<RecommendationRow> {
  const [row] = await ctx.db.select().from(recommendations).where(eq(recommendations.id, id));
  if (!row) throw new DomainError('recommendation.notFound', { id });
  return row;
}

export interface UnitChoice {
  id: number;
  name: string;
  type: (typeof unitTypes)[number];
}

/** Units a recommendation may be assigned to, grouped by type, then by name. */
export async function assignableUnits({ ctx }: { ctx: ServiceCtx }): Promise<UnitChoice[]> {
  const rows = await ctx.db.select({ id: units.id, name: units.name, type: units.type }).from(units).orderBy(asc(units.name));
  return rows.sort((a, b) => unitTypes.indexOf(a.type) - unitTypes.indexOf(b.type));
}

/** Locks a pending recommendation for a decision; a decided one is refused with what was decided. */
async function lockPending(ctx: ServiceCtx, id: number): Promise<RecommendationRow> {
  const [row] = await ctx.db.select().from(recommendations).where(eq(recommendations.id, id)).for('update');
  if (!row) throw new DomainError('recommendation.notFound', { id });
  if (row.status === 'pending') return row;
  let decision = `不采纳：${row.decisionReason ?? ''}`;
  if (row.status === 'assigned') {
    const [unit] = row.assignedUnitId ? await ctx.db.select({ name: units.name }).from(units).where(eq(units.id, row.assignedUnitId)) : [];
    decision = `已分派给${unit?.name ?? '某单位'}`;
  }
  throw new DomainError('recommendation.alreadyDecided', { decision });
}

export interface Assignment {
  row: RecommendationRow;
  unit: { id: number; name: string };
  /** The assigned unit's liaisons, to be told. */
  liaisons: string[];
}

/** Moves a recommendation locked as pending (lockPending) to its decision, with the audit row of the move. */
async function decide(
  ctx: ServiceCtx,
  before: RecommendationRow,
  actorOpenId: string,
  move: { set: Partial<typeof recommendations.$inferInsert>; action: string; after?: Record<string, unknown>; reason?: string },
): Promise<RecommendationRow> {
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .update(recommendations)
    .set({ ...move.set, decidedBy: actorOpenId, decidedAt: at })
    .where(and(eq(recommendations.id, before.id), eq(recommendations.status, 'pending')))
    .returning();
  if (!row) throw new Error('recommendation changed under a row lock');
  await recordAudit(ctx.db, {
    at,
    actorOpenId,
    action: move.action,
    entityType: 'recommendation',
    entityId: String(row.id),
    before: { status: before.status },
    after: { status: row.status, ...move.after },
    reason: move.reason,
  });
  return row;
}

export async function assignRecommendation({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { id: number; unitId: number }; actorOpenId: string }): Promise<Assignment> {
  const before = await lockPending(ctx, input.id);
  const [unit] = await ctx.db.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, input.unitId));
  if (!unit) throw new DomainError('recommendation.unitNotFound');
  const row = await decide(ctx, before, actorOpenId, { set: { status: 'assigned', assignedUnitId: unit.id }, action: 'recommendation.assign', after: { unitId: unit.id, unit: unit.name } });
  const people = await liaisonsOf(ctx.db, [unit.id]);
  return { row, unit, liaisons: people.map((p) => p.openId) };
}

export async function declineRecommendation({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { id: number; reason: string }; actorOpenId: string }): Promise<RecommendationRow> {
  const reason = parseReason(input.reason, ...declineReason);
  if (!reason.ok) throw new DomainError('recommendation.reason', { detail: reason.message });
  const before = await lockPending(ctx, input.id);
  return decide(ctx, before, actorOpenId, { set: { status: 'declined', decisionReason: reason.value }, action: 'recommendation.decline', reason: reason.value });
}

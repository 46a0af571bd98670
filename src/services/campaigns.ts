// Campaign verbs: create from a template, find, change phases. The live phase dates sit in
// campaigns.definition; every change rewrites it under a row lock and is audited.
import { and, desc, eq } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index.js';
import type { CampaignTemplate } from '../domain/campaign/template.js';
import { isTemplateId, templateIds, templates, customizeTemplate, type TemplateOverrides } from '../domain/campaign/templates/index.js';
import type { Result } from '../domain/campaign/result.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface CreateCampaignInput {
  templateId: string;
  /** Defaults to the template's code (e.g. LN2022). */
  code?: string;
  overrides?: TemplateOverrides;
}

export async function createCampaign({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: CreateCampaignInput; actorOpenId: string | null }): Promise<CampaignRow> {
  if (!isTemplateId(input.templateId)) {
    throw new DomainError('campaign.unknownTemplate', { template: input.templateId, templates: templateIds.join('、') });
  }
  const base = templates[input.templateId];
  const customized = customizeTemplate(base, { ...(input.overrides ?? {}), ...(input.code ? { code: input.code } : {}) });
  if (!customized.ok) throw new DomainError('campaign.invalid', { detail: customized.message });
  const definition = customized.value;
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .insert(campaigns)
    .values({
      code: definition.code,
      templateId: input.templateId,
      name: definition.name,
      year: definition.year,
      kind: definition.kind,
      definition,
      createdBy: actorOpenId,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing({ target: campaigns.code })
    .returning();
  if (!row) {
    throw new DomainError('campaign.codeTaken', { code: definition.code, template: input.templateId, suggestion: `${definition.code}B` });
  }
  await recordAudit(ctx.db, { at, actorOpenId, action: 'campaign.create', entityType: 'campaign', entityId: row.code, after: { templateId: input.templateId, code: row.code } });
  return row;
}

/**
 * The campaign a command is about: the one named by code, or else the only active one.
 * Several active campaigns and no code is an error that lists them.
 */
export async function findCampaign({ ctx, code }: { ctx: ServiceCtx; code?: string | undefined }): Promise<CampaignRow> {
  if (code) {
    const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.code, code.toUpperCase()));
    if (!row) throw new DomainError('campaign.notFound', { code });
    return row;
  }
  const active = await ctx.db.select().from(campaigns).where(eq(campaigns.status, 'active')).orderBy(desc(campaigns.createdAt)).limit(5);
  if (active.length === 0) throw new DomainError('campaign.none');
  if (active.length > 1) throw new DomainError('campaign.ambiguous', { codes: active.map((c) => c.code).join('、') });
  return active[0] as CampaignRow;
}

export async function listCampaigns({ ctx }: { ctx: ServiceCtx }): Promise<CampaignRow[]> {
  return ctx.db.select().from(campaigns).orderBy(desc(campaigns.createdAt));
}

/**
 * Rewrites a campaign's definition through a pure domain change (open/close/reopen/move a deadline),
 * under a row lock so two admins cannot lose each other's change. Audited with before/after and reason.
 */
export async function updateDefinition({
  ctx,
  campaignId,
  actorOpenId,
  action,
  reason,
  change,
}: {
  ctx: ServiceCtx;
  campaignId: number;
  actorOpenId: string | null;
  action: string;
  reason?: string;
  change: (definition: CampaignTemplate) => Result<CampaignTemplate, string>;
}): Promise<CampaignRow> {
  const [locked] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  if (!locked) throw new DomainError('campaign.notFound', { code: String(campaignId) });
  const result = change(locked.definition);
  if (!result.ok) throw new DomainError('campaign.rule', { message: result.message });
  const at = ctx.clock.now();
  const [row] = await ctx.db
    .update(campaigns)
    .set({ definition: result.value, version: locked.version + 1, updatedAt: at })
    .where(and(eq(campaigns.id, campaignId), eq(campaigns.version, locked.version)))
    .returning();
  if (!row) throw new Error('campaign changed under a row lock');
  await recordAudit(ctx.db, {
    at,
    actorOpenId,
    action,
    entityType: 'campaign',
    entityId: row.code,
    before: { phases: locked.definition.phases },
    after: { phases: row.definition.phases },
    reason,
  });
  return row;
}

// Campaign verbs: create from a template, find, change phases, bind a notice group. The live phase
// dates sit in campaigns.definition; every change rewrites it under a row lock and is audited.
import { and, desc, eq } from 'drizzle-orm';
import { campaigns } from '../../db/schema/index.js';
import { calendarDatePattern, isCalendarDate, toChinaIso } from '../domain/campaign/china-time.js';
import { changePhase, closePhase, moveDeadline, openPhase, phaseState, reopenPhase, type CampaignPhase } from '../domain/campaign/phases.js';
import type { CampaignTemplate } from '../domain/campaign/template.js';
import { isTemplateId, templateIds, templates, customizeTemplate, type TemplateOverrides } from '../domain/campaign/templates/index.js';
import type { Result } from '../domain/campaign/result.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';
import { replanCampaign } from './reminders.js';

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

/** The campaign with this code, or undefined (codes are stored upper-case). */
export async function campaignByCode(ctx: ServiceCtx, code: string): Promise<CampaignRow | undefined> {
  const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.code, code.toUpperCase()));
  return row;
}

/**
 * The campaign a command is about: the one named by code, or else the only active one.
 * Several active campaigns and no code is an error that lists them.
 */
export async function findCampaign({ ctx, code }: { ctx: ServiceCtx; code?: string | undefined }): Promise<CampaignRow> {
  if (code) {
    const row = await campaignByCode(ctx, code);
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

type PhaseDates = Pick<CampaignPhase, 'key' | 'label' | 'opensAt' | 'closesAt'>;
const datesOf = ({ key, label, opensAt, closesAt }: PhaseDates): PhaseDates => ({ key, label, opensAt, closesAt });

/** The phases whose dates a change touched, before and after: what the audit row records. */
function phaseDiff(before: CampaignTemplate, after: CampaignTemplate): { before: PhaseDates[]; after: PhaseDates[] } {
  const changed = after.phases.filter((p) => {
    const old = before.phases.find((q) => q.key === p.key);
    return !old || old.opensAt !== p.opensAt || old.closesAt !== p.closesAt;
  });
  const keys = new Set(changed.map((p) => p.key));
  return { before: before.phases.filter((p) => keys.has(p.key)).map(datesOf), after: changed.map(datesOf) };
}

/**
 * Rewrites a campaign's definition through a pure domain change (open/close/reopen/move a deadline),
 * under a row lock so two admins cannot lose each other's change, in its own savepoint so a refusal
 * leaves nothing behind. Audited with the changed phases before/after and the reason.
 */
async function rewriteDefinition(args: {
  ctx: ServiceCtx;
  campaignId: number;
  actorOpenId: string | null;
  action: string;
  reason?: string | undefined;
  change: (definition: CampaignTemplate) => Result<CampaignTemplate, string>;
}): Promise<{ before: CampaignRow; after: CampaignRow }> {
  const { campaignId, actorOpenId, action, reason, change } = args;
  return args.ctx.db.transaction(async (db) => {
    const [locked] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
    if (!locked) throw new DomainError('campaign.notFound', { code: String(campaignId) });
    const result = change(locked.definition);
    if (!result.ok) throw new DomainError('campaign.rule', { message: result.message, rule: result.code });
    const at = args.ctx.clock.now();
    const [row] = await db
      .update(campaigns)
      .set({ definition: result.value, version: locked.version + 1, updatedAt: at })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.version, locked.version)))
      .returning();
    if (!row) throw new Error('campaign changed under a row lock');
    const diff = phaseDiff(locked.definition, row.definition);
    await recordAudit(db, { at, actorOpenId, action, entityType: 'campaign', entityId: row.code, before: { phases: diff.before }, after: { phases: diff.after }, reason });
    // Pending reminders follow a moved deadline or changed reminder settings, in this same transaction.
    await replanCampaign({ db, clock: args.ctx.clock }, campaignId);
    return { before: locked, after: row };
  });
}

export async function updateDefinition(args: Parameters<typeof rewriteDefinition>[0]): Promise<CampaignRow> {
  return (await rewriteDefinition(args)).after;
}

/** A phase named by its key (topic_submission) or its Chinese label (选题申报), or a unique part of the label. */
export function resolvePhaseKey(phases: readonly PhaseDates[], word: string): string {
  const w = word.trim();
  const exact = phases.find((p) => p.key === w.toLowerCase() || p.label === w);
  if (exact) return exact.key;
  const partial = w ? phases.filter((p) => p.label.includes(w)) : [];
  if (partial.length === 1 && partial[0]) return partial[0].key;
  throw new DomainError('campaign.unknownPhase', { phase: word, phases: phases.map((p) => `${p.label}（${p.key}）`).join('、') });
}

const YMD = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[\sT]+(\d{1,2})[:：](\d{2}))?$/;
const MD = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?(?:\s*(\d{1,2})[:：](\d{2}))?$/;

/**
 * A deadline typed by a person, in Beijing time: 2026-12-31, 2026-12-31 18:00, 2026/12/31, 12月31日
 * (the current Beijing year), 2026年12月31日. A date alone means the end of that day (23:59:59).
 */
export function parseDeadline(text: string, now: Date): Date {
  const input = text.trim();
  const m = YMD.exec(input) ?? MD.exec(input);
  const year = m?.[1] ? Number(m[1]) : Number(toChinaIso(now).slice(0, 4));
  const [month, day] = [Number(m?.[2]), Number(m?.[3])];
  const hour = m?.[4] === undefined ? 23 : Number(m[4]);
  const minute = m?.[5] === undefined ? 59 : Number(m[5]);
  const second = m?.[4] === undefined ? 59 : 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${year}-${pad(month)}-${pad(day)}`;
  if (!m || !calendarDatePattern.test(date) || !isCalendarDate(date) || hour > 23 || minute > 59) {
    throw new DomainError('campaign.badDate', { input });
  }
  return new Date(`${date}T${pad(hour)}:${pad(minute)}:${pad(second)}+08:00`);
}

export type PhaseOp = 'open' | 'close' | 'reopen';

export interface PhaseChange {
  campaign: CampaignRow;
  /** The phase as it was and as it is now. */
  before: CampaignPhase;
  after: CampaignPhase;
}

function phasePair(before: CampaignRow, after: CampaignRow, key: string): PhaseChange {
  const old = before.definition.phases.find((p) => p.key === key);
  const now = after.definition.phases.find((p) => p.key === key);
  if (!old || !now) throw new Error(`phase ${key} vanished`);
  return { campaign: after, before: old, after: now };
}

const reasonOf = (reason: string | undefined): string | undefined => reason?.trim() || undefined;

/** Opens a pending phase now, closes an open one now, or reopens a closed one until a new deadline (with a reason). */
export async function changePhaseState({
  ctx,
  campaignId,
  actorOpenId,
  input,
}: {
  ctx: ServiceCtx;
  campaignId: number;
  actorOpenId: string | null;
  input: { op: PhaseOp; phase: string; closesAt?: string | Date | undefined; reason?: string | undefined };
}): Promise<PhaseChange> {
  const now = ctx.clock.now();
  const reason = reasonOf(input.reason);
  let closesAt: Date | undefined;
  if (input.op === 'reopen') {
    if (input.closesAt === undefined) throw new DomainError('campaign.deadlineRequired', { what: '重新开放阶段', example: '/活动 阶段 重开 选题申报 2026-12-31 个别单位材料未齐' });
    if (!reason) throw new DomainError('campaign.reasonRequired', { what: '重新开放阶段', example: '/活动 阶段 重开 选题申报 2026-12-31 个别单位材料未齐' });
    closesAt = typeof input.closesAt === 'string' ? parseDeadline(input.closesAt, now) : input.closesAt;
  }
  let key = '';
  const { before, after } = await rewriteDefinition({
    ctx,
    campaignId,
    actorOpenId,
    action: `campaign.phase.${input.op}`,
    reason,
    change: (definition) => {
      key = resolvePhaseKey(definition.phases, input.phase);
      const phases = changePhase(definition.phases, key, (phase, { previous, next }) => {
        if (input.op === 'open') return openPhase(phase, now, previous);
        if (input.op === 'close') return closePhase(phase, now);
        return reopenPhase(phase, { reason: reason ?? '', closesAt: closesAt ?? now }, now, next);
      });
      return phases.ok ? { ok: true, value: { ...definition, phases: phases.value } } : phases;
    },
  });
  return phasePair(before, after, key);
}

/**
 * Moves the deadline of a phase that has not closed yet; the reason is required. With `reopenIfClosed`
 * a closed phase is reopened until the new date instead (the card's form offers both in one place).
 */
export async function moveCampaignDeadline({
  ctx,
  campaignId,
  actorOpenId,
  input,
}: {
  ctx: ServiceCtx;
  campaignId: number;
  actorOpenId: string | null;
  input: { phase: string; closesAt: string | Date; reason: string | undefined; reopenIfClosed?: boolean };
}): Promise<PhaseChange & { reopened: boolean }> {
  const now = ctx.clock.now();
  const reason = reasonOf(input.reason);
  if (!reason) throw new DomainError('campaign.reasonRequired', { what: '调整截止时间', example: '/活动 截止 选题申报 2026-12-31 部分县区材料尚在审核' });
  const closesAt = typeof input.closesAt === 'string' ? parseDeadline(input.closesAt, now) : input.closesAt;
  let key = '';
  let reopened = false;
  const { before, after } = await rewriteDefinition({
    ctx,
    campaignId,
    actorOpenId,
    action: 'campaign.deadline.move',
    reason,
    change: (definition) => {
      key = resolvePhaseKey(definition.phases, input.phase);
      const phases = changePhase(definition.phases, key, (phase, { next }) => {
        reopened = input.reopenIfClosed === true && phaseState(phase, now) === 'closed';
        return reopened ? reopenPhase(phase, { reason, closesAt }, now, next) : moveDeadline(phase, closesAt, now, next);
      });
      return phases.ok ? { ok: true, value: { ...definition, phases: phases.value } } : phases;
    },
  });
  return { ...phasePair(before, after, key), reopened };
}

/** Makes a group chat the campaign's notice group. Returns false, and audits nothing, when it already is. */
export async function bindNoticeChat({
  ctx,
  campaignId,
  chatId,
  actorOpenId,
}: {
  ctx: ServiceCtx;
  campaignId: number;
  chatId: string;
  actorOpenId: string | null;
}): Promise<{ campaign: CampaignRow; changed: boolean }> {
  return ctx.db.transaction(async (db) => {
    const [locked] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
    if (!locked) throw new DomainError('campaign.notFound', { code: String(campaignId) });
    if (locked.noticeChatId === chatId) return { campaign: locked, changed: false };
    const at = ctx.clock.now();
    const [row] = await db.update(campaigns).set({ noticeChatId: chatId, updatedAt: at }).where(eq(campaigns.id, campaignId)).returning();
    if (!row) throw new Error('campaign vanished under a row lock');
    await recordAudit(db, { at, actorOpenId, action: 'campaign.bind_chat', entityType: 'campaign', entityId: row.code, before: { noticeChatId: locked.noticeChatId }, after: { noticeChatId: chatId } });
    return { campaign: row, changed: true };
  });
}

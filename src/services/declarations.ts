// Chongqing declarations (seed 003): a county or park liaison declares against a measure, the measure's
// lead departments recommend or return it, the office confirms it. Every change is audited in the
// caller's transaction; the state rules are src/domain/campaign/declaration.ts.
import { and, asc, count, desc, eq, inArray, max, type SQL } from 'drizzle-orm';
import { campaigns, submissions, unitMembers, units } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { canSubmit } from '../domain/campaign/phases.js';
import type { TemplateMeasure } from '../domain/campaign/template.js';
import { formatTrackingNumber } from '../domain/campaign/tracking-number.js';
import { unitTypeLabels, type UnitType } from '../domain/campaign/unit-types.js';
import { applyMove, blocksRedeclaring, declarationStatusLabels, measureFitsUnit, measureLabel, measuresLedBy } from '../domain/campaign/declaration.js';
import type { DeclarationForm, DeclarationParty, DeclarationStatus } from '../domain/campaign/declaration.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import { findCampaign, type CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';

export interface LiaisonUnit {
  id: number;
  name: string;
  type: UnitType;
}

export interface DeclarationView {
  id: number;
  campaignId: number;
  trackingNo: string;
  unitId: number;
  unitName: string;
  measureNo: number;
  title: string;
  selfAssessment: string;
  evidence: string[];
  status: DeclarationStatus;
  statusReason: string | null;
  submittedBy: string;
  createdAt: Date;
}

export const measuresOf = (campaign: Pick<CampaignRow, 'definition'>): TemplateMeasure[] => campaign.definition.measures ?? [];

/** The supervision-incentive campaign named by code, or else the only active one. */
export async function findIncentiveCampaign({ ctx, code }: { ctx: ServiceCtx; code?: string | undefined }): Promise<CampaignRow> {
  if (code) {
    const row = await findCampaign({ ctx, code });
    if (row.kind !== 'supervision_incentive') throw new DomainError('declaration.notIncentive', { code: row.code });
    return row;
  }
  const active = await ctx.db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.status, 'active'), eq(campaigns.kind, 'supervision_incentive')))
    .orderBy(desc(campaigns.createdAt))
    .limit(5);
  if (active.length === 0) throw new DomainError('declaration.noCampaign');
  if (active.length > 1) {
    throw new DomainError('declaration.ambiguous', { codes: active.map((c) => c.code).join('、'), example: `/激励申报 ${active[0]?.code ?? ''}` });
  }
  return active[0] as CampaignRow;
}

/** A campaign named by a card payload; a forged or deleted one reads as a stale card. */
export async function incentiveCampaignById(ctx: ServiceCtx, id: number): Promise<CampaignRow> {
  const [row] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, id));
  if (!row || row.kind !== 'supervision_incentive') throw new DomainError('card.stale');
  return row;
}

/** The units this person is the liaison of, from the database (never from a card payload). */
export async function liaisonUnitsOf(ctx: ServiceCtx, openId: string): Promise<LiaisonUnit[]> {
  return ctx.db
    .select({ id: units.id, name: units.name, type: units.type })
    .from(unitMembers)
    .innerJoin(units, eq(units.id, unitMembers.unitId))
    .where(and(eq(unitMembers.userOpenId, openId), eq(unitMembers.role, 'liaison')))
    .orderBy(asc(units.id));
}

/** Liaison open ids of these units, in unit then open id order. */
export async function liaisonsOf(db: Db, unitIds: readonly number[]): Promise<{ unitId: number; openId: string }[]> {
  if (unitIds.length === 0) return [];
  return db
    .select({ unitId: unitMembers.unitId, openId: unitMembers.userOpenId })
    .from(unitMembers)
    .where(and(inArray(unitMembers.unitId, [...unitIds]), eq(unitMembers.role, 'liaison')))
    .orderBy(asc(unitMembers.unitId), asc(unitMembers.userOpenId));
}

/** Who a measure's lead departments are in the database: contacts per unit, and names not set up (no unit or no liaison). */
export async function leadContacts(db: Db, leadUnits: readonly string[]): Promise<{ contacts: { unitName: string; openIds: string[] }[]; missing: string[] }> {
  const rows = leadUnits.length ? await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.name, [...leadUnits])) : [];
  const people = await liaisonsOf(db, rows.map((r) => r.id));
  const contacts = rows
    .map((r) => ({ unitName: r.name, openIds: people.filter((p) => p.unitId === r.id).map((p) => p.openId) }))
    .filter((c) => c.openIds.length > 0);
  return { contacts, missing: leadUnits.filter((name) => !contacts.some((c) => c.unitName === name)) };
}

const viewColumns = {
  id: submissions.id,
  campaignId: submissions.campaignId,
  trackingNo: submissions.trackingNo,
  unitId: submissions.unitId,
  unitName: units.name,
  measureNo: submissions.measureNo,
  title: submissions.title,
  fields: submissions.fields,
  status: submissions.status,
  statusReason: submissions.statusReason,
  submittedBy: submissions.submittedBy,
  createdAt: submissions.createdAt,
};

async function views(db: Db, where: SQL | undefined, limit = 1000): Promise<DeclarationView[]> {
  const rows = await db
    .select(viewColumns)
    .from(submissions)
    .innerJoin(units, eq(units.id, submissions.unitId))
    .where(and(eq(submissions.kind, 'declaration'), where))
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
    .limit(limit);
  return rows.map(({ fields, measureNo, ...rest }) => ({
    ...rest,
    measureNo: measureNo ?? 0,
    selfAssessment: fields.selfAssessment ?? '',
    evidence: fields.evidence ? fields.evidence.split('\n') : [],
  }));
}

export async function getDeclaration(ctx: ServiceCtx, id: number): Promise<DeclarationView> {
  const [row] = await views(ctx.db, eq(submissions.id, id), 1);
  if (!row) throw new DomainError('declaration.notFound');
  return row;
}

function uniqueViolation(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const o = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown; message?: unknown };
    if (o.code === '23505') return String(o.constraint ?? o.constraint_name ?? o.message ?? '');
  }
  return undefined;
}

export interface DeclarationReceipt {
  declaration: DeclarationView;
  /** False when this form had already been submitted (a double click): nothing new was written. */
  created: boolean;
  campaign: CampaignRow;
  measure: TemplateMeasure;
  leads: { contacts: { unitName: string; openIds: string[] }[]; missing: string[] };
}

export interface SubmitDeclarationInput {
  campaignId: number;
  unitId: number;
  formKey: string;
  form: DeclarationForm;
}

/**
 * Records a declaration with the next tracking number of its unit. The caller must be a liaison of the unit;
 * the declaration phase must be open; a live declaration of the same measure blocks another.
 */
export async function submitDeclaration({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: SubmitDeclarationInput; actorOpenId: string }): Promise<DeclarationReceipt> {
  const campaign = await incentiveCampaignById(ctx, input.campaignId);
  const existingForm = await formReceipt(ctx, campaign, input.formKey, actorOpenId);
  if (existingForm) return existingForm;

  const unit = (await liaisonUnitsOf(ctx, actorOpenId)).find((u) => u.id === input.unitId);
  if (!unit) {
    const [named] = await ctx.db.select({ name: units.name }).from(units).where(eq(units.id, input.unitId));
    throw new DomainError('declaration.notUnitLiaison', { unit: named?.name ?? `单位 ${input.unitId}` });
  }
  const applicants = campaign.definition.eligibility.applicantUnitTypes;
  if (!applicants.includes(unit.type)) throw new DomainError('declaration.notApplicant', { types: applicants.map((t) => unitTypeLabels[t]).join('、') });
  const phase = canSubmit(campaign.definition.phases, ctx.clock.now(), 'achievement');
  if (!phase.ok) throw new DomainError('declaration.rule', { message: phase.message });
  const measure = measuresOf(campaign).find((m) => m.number === input.form.measureNo);
  if (!measure || !measureFitsUnit(measure, unit.type)) {
    throw new DomainError('declaration.invalid', { detail: '所选的激励措施不适用于本单位，请重新选择。' });
  }

  // One declarer per unit at a time: the duplicate check and the sequence number hold under races.
  await ctx.db.select({ id: units.id }).from(units).where(eq(units.id, unit.id)).for('update');
  const [live] = (await views(ctx.db, and(eq(submissions.campaignId, campaign.id), eq(submissions.unitId, unit.id), eq(submissions.measureNo, measure.number)))).filter((d) =>
    blocksRedeclaring(d.status),
  );
  if (live) {
    throw new DomainError('declaration.duplicate', { unit: unit.name, measure: measureLabel(measure), trackingNo: live.trackingNo, status: declarationStatusLabels[live.status] });
  }

  const at = ctx.clock.now();
  const insert = async (): Promise<number> => {
    const [top] = await ctx.db.select({ seq: max(submissions.seq) }).from(submissions).where(and(eq(submissions.campaignId, campaign.id), eq(submissions.unitId, unit.id)));
    const seq = (top?.seq ?? 0) + 1;
    // A savepoint: a unique conflict undoes only this insert, so it can be retried.
    const trackingNo = formatTrackingNumber(campaign.code, unit.name, seq);
    const fields = { selfAssessment: input.form.selfAssessment, ...(input.form.evidence.length ? { evidence: input.form.evidence.join('\n') } : {}) };
    const values = { campaignId: campaign.id, unitId: unit.id, seq, trackingNo, kind: 'declaration' as const, title: measureLabel(measure), measureNo: measure.number, fields };
    const [row] = await ctx.db.transaction((sp) =>
      sp.insert(submissions).values({ ...values, mainCreators: [], formKey: input.formKey, submittedBy: actorOpenId, createdAt: at, updatedAt: at }).returning({ id: submissions.id }),
    );
    if (!row) throw new Error('insert returned no row');
    return row.id;
  };

  let id: number;
  try {
    id = await insert();
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint?.includes('form_key')) {
      const again = await formReceipt(ctx, campaign, input.formKey, actorOpenId);
      if (again) return again;
    }
    if (!constraint?.includes('unit_seq')) throw err;
    id = await insert(); // someone else took the number: once more with the next one
  }
  const declaration = await getDeclaration(ctx, id);
  const after = { trackingNo: declaration.trackingNo, campaign: campaign.code, unit: unit.name, measureNo: measure.number, status: declaration.status };
  await recordAudit(ctx.db, { at, actorOpenId, action: 'declaration.submit', entityType: 'submission', entityId: String(id), after });
  return { declaration, created: true, campaign, measure, leads: await leadContacts(ctx.db, measure.leadUnits) };
}

/** The receipt of a form already submitted by this person; another person's form is refused. */
async function formReceipt(ctx: ServiceCtx, campaign: CampaignRow, formKey: string, actorOpenId: string): Promise<DeclarationReceipt | undefined> {
  const [done] = await views(ctx.db, and(eq(submissions.campaignId, campaign.id), eq(submissions.formKey, formKey)), 1);
  if (!done) return undefined;
  if (done.submittedBy !== actorOpenId) throw new DomainError('declaration.formUsed');
  const measure = measuresOf(campaign).find((m) => m.number === done.measureNo);
  if (!measure) throw new Error(`declaration ${done.id} names measure ${done.measureNo}, which campaign ${campaign.code} does not have`);
  return { declaration: done, created: false, campaign, measure, leads: await leadContacts(ctx.db, measure.leadUnits) };
}

export interface ReviewQueue {
  campaign: CampaignRow;
  /** The caller's units that lead at least one measure. */
  leadUnits: string[];
  measures: TemplateMeasure[];
  pending: DeclarationView[];
  pendingTotal: number;
  recommended: number;
  returned: number;
}

/** Declarations waiting for the caller's lead departments, oldest first. */
export async function reviewQueue({ ctx, campaign, actorOpenId, limit }: { ctx: ServiceCtx; campaign: CampaignRow; actorOpenId: string; limit: number }): Promise<ReviewQueue> {
  const mine = await liaisonUnitsOf(ctx, actorOpenId);
  const measures = measuresLedBy(measuresOf(campaign), mine.map((u) => u.name));
  if (measures.length === 0) throw new DomainError('declaration.notLeadAnywhere', { units: mine.map((u) => u.name).join('、') || '无' });
  const leadUnits = mine.map((u) => u.name).filter((n) => measures.some((m) => m.leadUnits.includes(n)));
  const scope = and(eq(submissions.campaignId, campaign.id), eq(submissions.kind, 'declaration'), inArray(submissions.measureNo, measures.map((m) => m.number)));
  const counts = await ctx.db.select({ status: submissions.status, n: count() }).from(submissions).where(scope).groupBy(submissions.status);
  const n = (s: DeclarationStatus) => counts.find((c) => c.status === s)?.n ?? 0;
  const pending = await views(ctx.db, and(scope, eq(submissions.status, 'submitted')), limit);
  return { campaign, leadUnits, measures, pending, pendingTotal: n('submitted'), recommended: n('recommended') + n('confirmed'), returned: n('returned') };
}

export interface DeclarationDecision {
  declaration: DeclarationView;
  campaign: CampaignRow;
  /** The declaring unit's liaisons, to be told. */
  unitLiaisons: string[];
}

async function decide(
  ctx: ServiceCtx,
  id: number,
  move: 'recommend' | 'return' | 'confirm',
  actorOpenId: string,
  party: (measure: TemplateMeasure | undefined, before: DeclarationView) => Promise<DeclarationParty>,
  reason?: string,
): Promise<DeclarationDecision> {
  const [locked] = await ctx.db.select({ id: submissions.id }).from(submissions).where(and(eq(submissions.id, id), eq(submissions.kind, 'declaration'))).for('update');
  if (!locked) throw new DomainError('declaration.notFound');
  const before = await getDeclaration(ctx, id);
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, before.campaignId));
  if (!campaign) throw new DomainError('declaration.notFound');
  const measure = measuresOf(campaign).find((m) => m.number === before.measureNo);
  const next = applyMove(before.status, move, await party(measure, before));
  if (!next.ok) throw new DomainError('declaration.rule', { message: next.message });
  const at = ctx.clock.now();
  await ctx.db
    .update(submissions)
    .set({ status: next.value, ...(move === 'return' ? { statusReason: reason ?? null } : {}), updatedAt: at })
    .where(eq(submissions.id, id));
  // The version column belongs to unit edits; a status decision leaves it alone so an open edit card stays valid.
  const change = { before: { status: before.status }, after: { status: next.value }, reason };
  await recordAudit(ctx.db, { at, actorOpenId, action: `declaration.${move}`, entityType: 'submission', entityId: String(id), ...change });
  const people = await liaisonsOf(ctx.db, [before.unitId]);
  return { declaration: await getDeclaration(ctx, id), campaign, unitLiaisons: people.map((p) => p.openId) };
}

async function leadParty(ctx: ServiceCtx, actorOpenId: string, measure: TemplateMeasure | undefined): Promise<DeclarationParty> {
  const mine = (await liaisonUnitsOf(ctx, actorOpenId)).map((u) => u.name);
  if (measure && measure.leadUnits.some((lead) => mine.includes(lead))) return 'lead_department';
  throw new DomainError('declaration.notLeadUnit', { measure: measure ? measureLabel(measure) : '该措施', leads: measure?.leadUnits.join('、') ?? '未设置' });
}

/** A declaration the caller may review now (for showing the return form); refused like the move itself would be. */
export async function declarationForReview({ ctx, id, actorOpenId, move }: { ctx: ServiceCtx; id: number; actorOpenId: string; move: 'recommend' | 'return' }): Promise<DeclarationView> {
  const d = await getDeclaration(ctx, id);
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, d.campaignId));
  const party = await leadParty(ctx, actorOpenId, campaign && measuresOf(campaign).find((m) => m.number === d.measureNo));
  const next = applyMove(d.status, move, party);
  if (!next.ok) throw new DomainError('declaration.rule', { message: next.message });
  return d;
}

/** A lead department recommends or returns (with a reason) a declaration of a measure it leads. */
export async function reviewDeclaration(args: { ctx: ServiceCtx; input: { id: number; move: 'recommend' | 'return'; reason?: string }; actorOpenId: string }): Promise<DeclarationDecision> {
  const { ctx, input, actorOpenId } = args;
  if (input.move === 'return' && !input.reason) throw new DomainError('declaration.invalid', { detail: '退回必须填写理由。' });
  return decide(ctx, input.id, input.move, actorOpenId, (measure) => leadParty(ctx, actorOpenId, measure), input.reason);
}

/** The office confirms a recommended declaration. Callers must have checked the office (admin) role. */
/** With `campaignId`, a declaration of another campaign is refused as not found. */
export async function confirmDeclaration({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { id: number; campaignId?: number }; actorOpenId: string }): Promise<DeclarationDecision> {
  return decide(ctx, input.id, 'confirm', actorOpenId, (_measure, before) => {
    if (input.campaignId !== undefined && before.campaignId !== input.campaignId) throw new DomainError('declaration.notFound');
    return Promise.resolve('supervision_office');
  });
}

export interface ConfirmQueue {
  campaign: CampaignRow;
  items: DeclarationView[];
  total: number;
  confirmed: number;
  /** Lead departments of measures with declarations waiting for review that nobody can review (no unit or no liaison). */
  unrouted: string[];
}

export async function confirmQueue({ ctx, campaign, limit }: { ctx: ServiceCtx; campaign: CampaignRow; limit: number }): Promise<ConfirmQueue> {
  const scope = and(eq(submissions.campaignId, campaign.id), eq(submissions.kind, 'declaration'));
  const counts = await ctx.db.select({ status: submissions.status, n: count() }).from(submissions).where(scope).groupBy(submissions.status);
  const n = (s: DeclarationStatus) => counts.find((c) => c.status === s)?.n ?? 0;
  const waiting = await ctx.db.selectDistinct({ measureNo: submissions.measureNo }).from(submissions).where(and(scope, eq(submissions.status, 'submitted')));
  const leads = [...new Set(measuresOf(campaign).filter((m) => waiting.some((w) => w.measureNo === m.number)).flatMap((m) => m.leadUnits))];
  const { missing } = await leadContacts(ctx.db, leads);
  const items = await views(ctx.db, and(scope, eq(submissions.status, 'recommended')), limit);
  return { campaign, items, total: n('recommended'), confirmed: n('confirmed'), unrouted: missing };
}

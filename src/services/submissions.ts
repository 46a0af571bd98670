// Submission verbs (seed 000 §四.2, §五): hand in a topic or achievement from a form card, change or
// withdraw it while its phase is open, read it back. Every check that matters runs in the caller's
// transaction next to the write; every write is audited with before/after.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { campaigns, submissions, unitMembers, units, users, type PersonRef, type SubmissionFields } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { checkEligibility } from '../domain/campaign/eligibility.js';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import {
  achievementWindowText,
  eligibilityFacts,
  eligibilityField,
  formValuesOf,
  parseSubmissionForm,
  storedFields,
  submissionStatusLabels,
  submissionWindow,
  windowView,
  type FieldErrors,
  type ParsedForm,
  type SubmissionFormValues,
  type WindowView,
} from '../domain/campaign/submission-form.js';
import type { SubmissionKind } from '../domain/campaign/template.js';
import { formatTrackingNumber, parseTrackingNumber } from '../domain/campaign/tracking-number.js';
import type { Role } from '../domain/roles.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import { findCampaign, type CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';

export type SubmissionRow = typeof submissions.$inferSelect;
export type SubmissionStatus = SubmissionRow['status'];
type UnitRow = typeof units.$inferSelect;

export interface PersonOption {
  openId: string;
  name: string;
}

/** Everything a form card needs besides what was typed. */
export interface SubmissionFormContext {
  campaign: { code: string; name: string };
  directions: { key: string; label: string }[];
  /** The units the person may submit for; a select is shown when there are several. */
  units: { id: number; name: string }[];
  creatorOptions: PersonOption[];
  window: WindowView;
  achievementWindow: string | undefined;
  creatorLimit: { min: number; max: number } | undefined;
}

/** What a submission card shows, including what the viewer may do with it now. */
export interface SubmissionView {
  id: number;
  version: number;
  trackingNo: string;
  status: SubmissionStatus;
  kind: SubmissionRow['kind'];
  title: string;
  directionLabel: string | undefined;
  campaign: { code: string; name: string };
  unitName: string;
  fields: SubmissionFields;
  mainCreators: PersonRef[];
  updatedAt: Date;
  change: { allowed: true; closesAt: string } | { allowed: false; reason: 'closed' | 'status' | 'not_yours' | 'other_kind' };
}

export type CreateOutcome =
  | { ok: true; created: boolean; submission: SubmissionView }
  | { ok: false; errors: FieldErrors; form: SubmissionFormContext };

/** A change that was made, or refused because the phase has closed (the card then says so). */
export type SettledOutcome = { kind: 'done'; submission: SubmissionView } | { kind: 'closed'; submission: SubmissionView };
export type ChangeOutcome = SettledOutcome | { kind: 'invalid'; errors: FieldErrors; form: SubmissionFormContext; trackingNo: string };

type Ctx = { ctx: ServiceCtx; actorOpenId: string };

// ---- reads -------------------------------------------------------------------------------------

/** The campaign row again, share-locked: a phase cannot close under a submission being written. */
async function lockedCampaign(db: Db, id: number): Promise<CampaignRow> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).for('share');
  if (!row) throw new DomainError('campaign.notFound', { code: String(id) });
  return row;
}

async function unitsOf(db: Db, openId: string) {
  return db
    .select({ unit: units, role: unitMembers.role })
    .from(unitMembers)
    .innerJoin(units, eq(units.id, unitMembers.unitId))
    .where(eq(unitMembers.userOpenId, openId))
    .orderBy(asc(units.id));
}

async function roleIn(db: Db, unitId: number, openId: string): Promise<'liaison' | 'member' | undefined> {
  const [row] = await db.select({ role: unitMembers.role }).from(unitMembers).where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.userOpenId, openId)));
  return row?.role;
}

/** People who may be named main creators: the units' members, the person themself and anyone already named. */
async function creatorOptions(db: Db, unitIds: number[], self: string, already: PersonRef[] = []): Promise<PersonOption[]> {
  const rows = unitIds.length
    ? await db
        .selectDistinct({ openId: unitMembers.userOpenId, name: users.name })
        .from(unitMembers)
        .innerJoin(users, eq(users.openId, unitMembers.userOpenId))
        .where(inArray(unitMembers.unitId, unitIds))
    : [];
  const [me] = await db.select({ name: users.name }).from(users).where(eq(users.openId, self));
  const byId = new Map<string, string>([[self, me?.name ?? self]]);
  for (const r of rows) if (!byId.has(r.openId)) byId.set(r.openId, r.name ?? r.openId);
  for (const p of already) if (!byId.has(p.openId)) byId.set(p.openId, p.name || p.openId);
  const [first, ...rest] = [...byId].map(([openId, name]) => ({ openId, name }));
  return first ? [first, ...rest.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))] : [];
}

function formContext(campaign: CampaignRow, unitList: { id: number; name: string }[], options: PersonOption[], now: Date, kind?: SubmissionKind): SubmissionFormContext {
  return {
    campaign: { code: campaign.code, name: campaign.name },
    directions: (campaign.definition.directions ?? []).map((d) => ({ key: d.key, label: d.label })),
    units: unitList,
    creatorOptions: options,
    window: windowView(campaign.definition.phases, now, kind),
    achievementWindow: achievementWindowText(campaign.definition),
    creatorLimit: campaign.definition.mainCreators,
  };
}

/** The form for a new submission. Refuses people in no unit; the caller decides what a closed phase means. */
export async function loadSubmissionForm({ ctx, actorOpenId, campaignCode }: Ctx & { campaignCode?: string | undefined }): Promise<SubmissionFormContext> {
  const mine = await unitsOf(ctx.db, actorOpenId);
  if (mine.length === 0) throw new DomainError('submission.noUnit');
  const campaign = await findCampaign({ ctx, code: campaignCode });
  const ids = mine.map((m) => m.unit.id);
  return formContext(campaign, mine.map((m) => ({ id: m.unit.id, name: m.unit.name })), await creatorOptions(ctx.db, ids, actorOpenId), ctx.clock.now());
}

async function viewOf(db: Db, row: SubmissionRow, campaign: CampaignRow, viewer: string, now: Date): Promise<SubmissionView> {
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, row.unitId));
  const kind = row.kind === 'declaration' ? 'achievement' : row.kind;
  const w = submissionWindow(campaign.definition.phases, now, kind);
  const mayChange = row.mainCreators.some((p) => p.openId === viewer) || (await roleIn(db, row.unitId, viewer)) === 'liaison';
  let change: SubmissionView['change'];
  if (row.kind === 'declaration') change = { allowed: false, reason: 'other_kind' };
  else if (row.status !== 'submitted') change = { allowed: false, reason: 'status' };
  else if (!w.ok) change = { allowed: false, reason: 'closed' };
  else if (!mayChange) change = { allowed: false, reason: 'not_yours' };
  else change = { allowed: true, closesAt: formatChinaDateTime(w.value.closesAt) };
  const { id, version, trackingNo, status, title, fields, mainCreators, updatedAt } = row;
  const directionLabel = campaign.definition.directions?.find((d) => d.key === row.direction)?.label ?? row.direction ?? undefined;
  const about = { campaign: { code: campaign.code, name: campaign.name }, unitName: unit?.name ?? '', directionLabel };
  return { id, version, trackingNo, status, kind: row.kind, title, fields, mainCreators, updatedAt, ...about, change };
}

/** One submission by tracking number, for the unit's people, its main creators and the office. */
export async function viewSubmission({ ctx, viewer, trackingNo, submissionId }: { ctx: ServiceCtx; viewer: { openId: string; roles: readonly Role[] }; trackingNo?: string; submissionId?: number }): Promise<SubmissionView> {
  let row: SubmissionRow | undefined;
  if (trackingNo !== undefined) {
    const parsed = parseTrackingNumber(trackingNo);
    if (!parsed.ok) throw new DomainError('submission.badTrackingNo', { message: parsed.message });
    const { campaignCode, unitName, seq } = parsed.value;
    [row] = await ctx.db.select().from(submissions).where(eq(submissions.trackingNo, formatTrackingNumber(campaignCode, unitName, seq)));
    if (!row) throw new DomainError('submission.notFound', { trackingNo: trackingNo.trim() });
  } else {
    [row] = await ctx.db.select().from(submissions).where(eq(submissions.id, submissionId ?? 0));
    if (!row) throw new DomainError('submission.gone');
  }
  const allowed =
    viewer.roles.includes('admin') || row.mainCreators.some((p) => p.openId === viewer.openId) || (await roleIn(ctx.db, row.unitId, viewer.openId)) !== undefined;
  if (!allowed) throw new DomainError('submission.viewForbidden');
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, row.campaignId));
  if (!campaign) throw new DomainError('submission.gone');
  return viewOf(ctx.db, row, campaign, viewer.openId, ctx.clock.now());
}

/** Every submission of the person's units, newest first (at most 100). */
export async function listMySubmissions({ ctx, actorOpenId }: Ctx) {
  const mine = await unitsOf(ctx.db, actorOpenId);
  if (mine.length === 0) throw new DomainError('submission.noUnit');
  const items = await ctx.db
    .select({
      trackingNo: submissions.trackingNo,
      title: submissions.title,
      kind: submissions.kind,
      status: submissions.status,
      unitName: units.name,
      campaignCode: campaigns.code,
      updatedAt: submissions.updatedAt,
    })
    .from(submissions)
    .innerJoin(units, eq(units.id, submissions.unitId))
    .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
    .where(inArray(submissions.unitId, mine.map((m) => m.unit.id)))
    .orderBy(desc(submissions.createdAt), desc(submissions.id))
    .limit(100);
  return { units: mine.map((m) => m.unit.name), items };
}

// ---- writes ------------------------------------------------------------------------------------

/** What the audit log keeps of a submission before and after a change. */
const snapshot = ({ trackingNo, kind, title, direction, fields, mainCreators, status, version }: SubmissionRow) =>
  ({ trackingNo, kind, title, direction, fields, mainCreators, status, version });

/**
 * The rules that need the database, on top of the form's own checks: main creators from the offered
 * list, and eligibility (unit flags, creator count, achievement window, phase open now). The form's
 * messages win where both speak about one field.
 */
function formErrors(values: SubmissionFormValues, parsed: ParsedForm, unit: UnitRow | undefined, campaign: CampaignRow, options: PersonOption[], now: Date): FieldErrors {
  const errors: FieldErrors = {};
  const facts = eligibilityFacts(values);
  if (unit && facts) {
    if (facts.mainCreators.some((id) => !options.some((o) => o.openId === id))) errors.mainCreators = '主创人须是本单位人员，请从列表中选择。';
    const w = submissionWindow(campaign.definition.phases, now, facts.kind);
    const failures = checkEligibility(
      { unit, achievementDate: facts.achievedOn, mainCreatorCount: facts.mainCreators.length, kind: facts.kind, phaseOpen: w.ok },
      campaign.definition,
    );
    for (const f of failures) errors[eligibilityField(f.code)] ??= f.code === 'phase_not_open' && !w.ok ? w.message : f.message;
  }
  return parsed.ok ? errors : { ...errors, ...parsed.errors };
}

const people = (ids: string[], options: PersonOption[]): PersonRef[] => ids.map((openId) => ({ openId, name: options.find((o) => o.openId === openId)?.name ?? '' }));

/** Hands in a form. The same form key twice (a double click) gives back the first submission. */
export async function createSubmission({
  ctx,
  actorOpenId,
  input,
}: Ctx & { input: { campaignCode: string; formKey: string; unitId?: number | undefined; values: SubmissionFormValues } }): Promise<CreateOutcome> {
  const found = await findCampaign({ ctx, code: input.campaignCode });
  const campaign = await lockedCampaign(ctx.db, found.id);
  const now = ctx.clock.now();
  const byKey = async () => (await ctx.db.select().from(submissions).where(and(eq(submissions.campaignId, campaign.id), eq(submissions.formKey, input.formKey))))[0];
  const earlier = await byKey();
  if (earlier) return { ok: true, created: false, submission: await viewOf(ctx.db, earlier, campaign, actorOpenId, now) };

  const mine = await unitsOf(ctx.db, actorOpenId);
  if (mine.length === 0) throw new DomainError('submission.noUnit');
  const chooseUnit = mine.length > 1;
  if (!chooseUnit && input.unitId !== undefined && input.unitId !== mine[0]?.unit.id) throw new DomainError('card.forbidden');
  const options = await creatorOptions(ctx.db, mine.map((m) => m.unit.id), actorOpenId);
  const form = formContext(campaign, mine.map((m) => ({ id: m.unit.id, name: m.unit.name })), options, now);
  const parsed = parseSubmissionForm(input.values, { directionKeys: form.directions.map((d) => d.key), chooseUnit });
  const unitId = chooseUnit ? Number(input.values.unit) : mine[0]?.unit.id;
  const unit = mine.find((m) => m.unit.id === unitId)?.unit;
  const unitOptions = unit ? await creatorOptions(ctx.db, [unit.id], actorOpenId) : [];
  const errors = formErrors(input.values, parsed, unit, campaign, unitOptions, now);
  if (!unit && input.values.unit) errors.unit ??= '请从列表中选择你所在的申报单位。';
  const kindWindow = windowView(campaign.definition.phases, now, eligibilityFacts(input.values)?.kind);
  if (!parsed.ok || !unit || Object.keys(errors).length) return { ok: false, errors, form: { ...form, window: kindWindow } };
  const draft = parsed.value;

  // The next number for this unit; a concurrent insert that took it makes the unique constraint refuse ours: try once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    const [{ next } = { next: 1 }] = await ctx.db
      .select({ next: sql<number>`coalesce(max(${submissions.seq}), 0) + 1`.mapWith(Number) })
      .from(submissions)
      .where(and(eq(submissions.campaignId, campaign.id), eq(submissions.unitId, unit.id)));
    const [row] = await ctx.db
      .insert(submissions)
      .values({
        campaignId: campaign.id,
        unitId: unit.id,
        seq: next,
        trackingNo: formatTrackingNumber(campaign.code, unit.name, next),
        kind: draft.kind,
        title: draft.title,
        direction: draft.direction ?? null,
        fields: storedFields(draft),
        mainCreators: people(draft.mainCreators, unitOptions),
        formKey: input.formKey,
        submittedBy: actorOpenId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (row) {
      await recordAudit(ctx.db, { at: now, actorOpenId, action: 'submission.create', entityType: 'submission', entityId: String(row.id), after: snapshot(row) });
      return { ok: true, created: true, submission: await viewOf(ctx.db, row, campaign, actorOpenId, now) };
    }
    const twin = await byKey();
    if (twin) return { ok: true, created: false, submission: await viewOf(ctx.db, twin, campaign, actorOpenId, now) };
  }
  throw new Error(`no free tracking number for unit ${unit.id} in campaign ${campaign.code} after a retry`);
}

/** Loads a submission for a change by this person, based on the version their card showed. */
async function forChange(ctx: ServiceCtx, actorOpenId: string, submissionId: number, version: number) {
  const [row] = await ctx.db.select().from(submissions).where(eq(submissions.id, submissionId));
  if (!row) throw new DomainError('submission.gone');
  if (row.kind === 'declaration') throw new DomainError('submission.otherKind');
  const isCreator = row.mainCreators.some((p) => p.openId === actorOpenId);
  if (!isCreator && (await roleIn(ctx.db, row.unitId, actorOpenId)) !== 'liaison') throw new DomainError('submission.forbidden');
  const campaign = await lockedCampaign(ctx.db, row.campaignId);
  const now = ctx.clock.now();
  const view = await viewOf(ctx.db, row, campaign, actorOpenId, now);
  if (row.status !== 'submitted') throw new DomainError('submission.notChangeable', { status: submissionStatusLabels[row.status] });
  if (row.version !== version) throw new DomainError('submission.conflict');
  return { row, campaign, view, now, kind: row.kind };
}

/** The edit form pre-filled from the submission, or the submission itself when its phase has closed. */
export async function openSubmissionEdit({ ctx, actorOpenId, input }: Ctx & { input: { submissionId: number; version: number } }) {
  const { row, campaign, view, now } = await forChange(ctx, actorOpenId, input.submissionId, input.version);
  if (view.change.allowed === false) return { kind: 'closed' as const, submission: view };
  const [unit] = await ctx.db.select().from(units).where(eq(units.id, row.unitId));
  const options = await creatorOptions(ctx.db, [row.unitId], actorOpenId, row.mainCreators);
  return { kind: 'form' as const, submission: view, values: formValuesOf(row), form: formContext(campaign, [{ id: row.unitId, name: unit?.name ?? '' }], options, now, row.kind === 'declaration' ? undefined : row.kind) };
}

/** Saves an edit made on version `version`. A stale version, or a concurrent save that won, changes nothing. */
export async function updateSubmission({ ctx, actorOpenId, input }: Ctx & { input: { submissionId: number; version: number; values: SubmissionFormValues } }): Promise<ChangeOutcome> {
  const { row, campaign, view, now } = await forChange(ctx, actorOpenId, input.submissionId, input.version);
  if (view.change.allowed === false) return { kind: 'closed', submission: view };
  const [unit] = await ctx.db.select().from(units).where(eq(units.id, row.unitId));
  if (!unit) throw new DomainError('submission.gone');
  const options = await creatorOptions(ctx.db, [row.unitId], actorOpenId, row.mainCreators);
  const form = formContext(campaign, [{ id: unit.id, name: unit.name }], options, now);
  const parsed = parseSubmissionForm(input.values, { directionKeys: form.directions.map((d) => d.key), chooseUnit: false });
  const errors = formErrors(input.values, parsed, unit, campaign, options, now);
  if (!parsed.ok || Object.keys(errors).length) return { kind: 'invalid', errors, form, trackingNo: row.trackingNo };
  const draft = parsed.value;
  const [saved] = await ctx.db
    .update(submissions)
    .set({ kind: draft.kind, title: draft.title, direction: draft.direction ?? null, fields: storedFields(draft), mainCreators: people(draft.mainCreators, options), version: row.version + 1, updatedAt: now })
    .where(and(eq(submissions.id, row.id), eq(submissions.version, input.version), eq(submissions.status, 'submitted')))
    .returning();
  if (!saved) throw new DomainError('submission.conflict');
  await recordAudit(ctx.db, { at: now, actorOpenId, action: 'submission.update', entityType: 'submission', entityId: String(row.id), before: snapshot(row), after: snapshot(saved) });
  return { kind: 'done', submission: await viewOf(ctx.db, saved, campaign, actorOpenId, now) };
}

/** The submission card for someone about to withdraw: it must be theirs to change, and still changeable. */
export async function checkWithdrawal({ ctx, actorOpenId, input }: Ctx & { input: { submissionId: number; version: number } }): Promise<SettledOutcome> {
  const { view } = await forChange(ctx, actorOpenId, input.submissionId, input.version);
  return view.change.allowed ? { kind: 'done', submission: view } : { kind: 'closed', submission: view };
}

/** Withdraws a submission (status 'withdrawn'); only while its phase is open. */
export async function withdrawSubmission({ ctx, actorOpenId, input }: Ctx & { input: { submissionId: number; version: number } }): Promise<SettledOutcome> {
  const { row, campaign, view, now } = await forChange(ctx, actorOpenId, input.submissionId, input.version);
  if (view.change.allowed === false) return { kind: 'closed', submission: view };
  const [saved] = await ctx.db
    .update(submissions)
    .set({ status: 'withdrawn', statusReason: '申报单位撤回', version: row.version + 1, updatedAt: now })
    .where(and(eq(submissions.id, row.id), eq(submissions.version, input.version), eq(submissions.status, 'submitted')))
    .returning();
  if (!saved) throw new DomainError('submission.conflict');
  await recordAudit(ctx.db, { at: now, actorOpenId, action: 'submission.withdraw', entityType: 'submission', entityId: String(row.id), before: snapshot(row), after: snapshot(saved) });
  return { kind: 'done', submission: await viewOf(ctx.db, saved, campaign, actorOpenId, now) };
}

// Review rounds (issue 5): open the first round of a track, name its reviewers, assign every item to k of them
// (deterministic, load-balanced, never across a conflict of interest), show who has finished (never the
// scores), and close it with its quorum or a recorded override. Every change runs in the caller's transaction
// under a lock on the round row, with an audit row.
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { auditLog, campaigns, reviewAssignments, reviewRounds, reviews, roundItems, roundReviewers, submissions, unitMembers, units, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { SubmissionKind } from '../domain/campaign/template.js';
import { assignReviewers, DEFAULT_REVIEWERS_PER_ITEM, type AssignmentItem, type ReviewerUnits, type UnitRelation } from '../domain/review/assignment.js';
import { closeRound, openFirstRound, roundKindLabels, roundKinds, roundTracks, type ReviewRound, type RoundKind, type RoundTrack } from '../domain/review/rounds.js';
import type { Person } from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { grantRole, upsertUser } from './actors.js';
import { recordAudit } from './audit.js';
import { findCampaign, type CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';

export type RoundRow = typeof reviewRounds.$inferSelect;
type Ctx = { ctx: ServiceCtx; actorOpenId: string };

export const isRoundKind = (key: string): key is RoundKind => (roundKinds as readonly string[]).includes(key);

export function trackOf(kind: RoundKind): RoundTrack {
  const found = (Object.keys(roundTracks) as RoundTrack[]).find((t) => (roundTracks[t] as readonly RoundKind[]).includes(kind));
  if (!found) throw new Error(`round kind ${kind} belongs to no track`);
  return found;
}

export function kindOf(round: Pick<RoundRow, 'key'>): RoundKind {
  if (!isRoundKind(round.key)) throw new Error(`unknown round kind ${round.key}`);
  return round.key;
}

/** What a round's items are: topics in the topic-selection track, achievements in the evaluation track. */
export const stageOf = (round: Pick<RoundRow, 'key'>): SubmissionKind => (trackOf(kindOf(round)) === 'topic_selection' ? 'topic' : 'achievement');
const firstKindOf: Record<SubmissionKind, RoundKind> = { topic: 'office_selection', achievement: 'initial_review' };

// ---- reads shared by the review services ---------------------------------------------------------

export async function lockRound(db: Db, roundId: number, mode: 'update' | 'share'): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(reviewRounds).where(eq(reviewRounds.id, roundId)).for(mode);
  return row;
}

async function roundsOf(db: Db, campaignId: number): Promise<RoundRow[]> {
  return db.select().from(reviewRounds).where(eq(reviewRounds.campaignId, campaignId)).orderBy(desc(reviewRounds.id));
}

/** The campaign's open round, locked for the caller's change. */
export async function openRoundOf(ctx: ServiceCtx, campaignCode: string | undefined, lock: 'update' | 'share' = 'update') {
  const campaign = await findCampaign({ ctx, code: campaignCode });
  const open = (await roundsOf(ctx.db, campaign.id)).find((r) => r.state === 'open');
  const round = open && (await lockRound(ctx.db, open.id, lock));
  if (!round || round.state !== 'open') {
    throw new DomainError('review.noOpenRound', { name: campaign.name, hint: '管理员可发送“/评审 开启 选题”或“/评审 开启 成果”开启评审。' });
  }
  return { campaign, round };
}

/** The newest closed round: what ranking, shortlists, publication and export are about. */
export async function latestClosedRoundOf(ctx: ServiceCtx, campaignCode: string | undefined) {
  const campaign = await findCampaign({ ctx, code: campaignCode });
  const all = await roundsOf(ctx.db, campaign.id);
  const round = all.find((r) => r.state === 'closed');
  if (!round) {
    const open = all.find((r) => r.state === 'open');
    if (open) throw new DomainError('review.roundStillOpen', { label: open.label });
    throw new DomainError('review.noClosedRound', { name: campaign.name });
  }
  return { campaign, round };
}

export async function nextRoundOf(db: Db, roundId: number): Promise<RoundRow | undefined> {
  const [row] = await db.select().from(reviewRounds).where(eq(reviewRounds.previousRoundId, roundId)).orderBy(asc(reviewRounds.id)).limit(1);
  return row;
}

export interface RoundItem {
  id: number;
  unitId: number;
  trackingNo: string;
  title: string;
  unitName: string;
  status: (typeof submissions.status.enumValues)[number];
  createdAt: Date;
}

export async function itemsOf(db: Db, roundId: number): Promise<RoundItem[]> {
  return db
    .select({ id: submissions.id, unitId: submissions.unitId, trackingNo: submissions.trackingNo, title: submissions.title, unitName: units.name, status: submissions.status, createdAt: submissions.createdAt })
    .from(roundItems)
    .innerJoin(submissions, eq(submissions.id, roundItems.submissionId))
    .innerJoin(units, eq(units.id, submissions.unitId))
    .where(eq(roundItems.roundId, roundId))
    .orderBy(asc(submissions.id));
}

/** The round's reviewers with the units they belong to (for conflicts of interest). */
export async function reviewersOf(db: Db, roundId: number): Promise<ReviewerUnits[]> {
  const rows = await db
    .select({ openId: roundReviewers.reviewerOpenId, unitId: unitMembers.unitId })
    .from(roundReviewers)
    .leftJoin(unitMembers, eq(unitMembers.userOpenId, roundReviewers.reviewerOpenId))
    .where(eq(roundReviewers.roundId, roundId));
  const byId = new Map<string, number[]>();
  for (const r of rows) byId.set(r.openId, [...(byId.get(r.openId) ?? []), ...(r.unitId === null ? [] : [r.unitId])]);
  return [...byId].map(([openId, unitIds]) => ({ openId, unitIds }));
}

export async function unitRelations(db: Db): Promise<UnitRelation[]> {
  return db.select({ unitId: units.id, parentId: units.parentId }).from(units);
}

export async function namesOf(db: Db, openIds: readonly string[]): Promise<Map<string, string>> {
  if (openIds.length === 0) return new Map();
  const rows = await db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, [...openIds]));
  return new Map(openIds.map((id) => [id, rows.find((r) => r.openId === id)?.name ?? id]));
}

/** Assigned (not recused) pairs of a round. */
export async function activeAssignments(db: Db, roundId: number): Promise<Map<number, string[]>> {
  const rows = await db
    .select({ s: reviewAssignments.submissionId, o: reviewAssignments.reviewerOpenId })
    .from(reviewAssignments)
    .where(and(eq(reviewAssignments.roundId, roundId), eq(reviewAssignments.status, 'assigned')));
  const map = new Map<number, string[]>();
  for (const r of rows) map.set(r.s, [...(map.get(r.s) ?? []), r.o].sort());
  return map;
}

/** The office people to tell about a round: database admins, the campaign's creator and whoever ran the round. */
export async function officeRecipients(db: Db, campaign: Pick<CampaignRow, 'createdBy'>, roundId: number): Promise<string[]> {
  const admins = await db.select({ openId: userRoles.userOpenId }).from(userRoles).where(eq(userRoles.role, 'admin'));
  const actors = await db
    .selectDistinct({ openId: auditLog.actorOpenId })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'review_round'), eq(auditLog.entityId, String(roundId)), inArray(auditLog.action, ['review.round.open', 'review.assign', 'review.round.close'])));
  const all = [campaign.createdBy, ...admins.map((a) => a.openId), ...actors.map((a) => a.openId)];
  return [...new Set(all.filter((x): x is string => typeof x === 'string' && x !== ''))].sort();
}

/** The domain's view of a round row. */
export function domainRound(row: RoundRow, items: readonly number[], advanced: boolean): ReviewRound<number> {
  const kind = kindOf(row);
  return {
    track: trackOf(kind),
    kind,
    status: row.state,
    items,
    quorum: row.quorum,
    openedAt: row.openedAt,
    deadline: row.closesAt,
    closedAt: row.closedAt,
    override: null,
    advancedAt: advanced ? (row.closedAt ?? row.openedAt) : null,
  };
}

const audit = (db: Db, at: Date, actorOpenId: string, action: string, roundId: number, after: unknown, reason?: string) =>
  recordAudit(db, { at, actorOpenId, action, entityType: 'review_round', entityId: String(roundId), after, reason });

// ---- verbs ------------------------------------------------------------------------------------------

/** /评审 开启 选题|成果: the first round of the track, with every non-withdrawn item of that kind. */
export async function openReviewTrack({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined; stage: SubmissionKind; deadline?: Date | undefined } }) {
  const found = await findCampaign({ ctx, code: input.campaignCode });
  if (found.kind !== 'evaluation') throw new DomainError('review.wrongCampaignKind', { name: found.name });
  // The campaign row lock keeps two admins from opening two rounds at once.
  await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, found.id)).for('update');
  const all = await roundsOf(ctx.db, found.id);
  const open = all.find((r) => r.state === 'open');
  if (open) throw new DomainError('review.roundAlreadyOpen', { name: found.name, label: open.label });
  const kind = firstKindOf[input.stage];
  const track = trackOf(kind);
  if (all.some((r) => isRoundKind(r.key) && trackOf(r.key) === track)) throw new DomainError('review.trackStarted', { name: found.name, label: roundKindLabels[kind] });
  const items = await ctx.db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.campaignId, found.id), eq(submissions.kind, input.stage), ne(submissions.status, 'withdrawn')))
    .orderBy(asc(submissions.id));
  const at = ctx.clock.now();
  const k = DEFAULT_REVIEWERS_PER_ITEM;
  const opened = openFirstRound({ track, items: items.map((i) => i.id), quorum: k, at, deadline: input.deadline ?? null });
  if (!opened.ok) throw new DomainError('review.rule', { message: opened.message });
  const [round] = await ctx.db
    .insert(reviewRounds)
    .values({ campaignId: found.id, key: kind, label: roundKindLabels[kind], k, quorum: k, closesAt: input.deadline ?? null, openedAt: at })
    .returning();
  if (!round) throw new Error('round insert returned nothing');
  await ctx.db.insert(roundItems).values(opened.value.items.map((submissionId) => ({ roundId: round.id, submissionId })));
  await audit(ctx.db, at, actorOpenId, 'review.round.open', round.id, { campaign: found.code, kind, items: opened.value.items.length, deadline: input.deadline ?? null });
  return { campaign: found, round, items: opened.value.items.length };
}

/** /评审 专家: names reviewers for the open round (and gives them the reviewer role). */
export async function addRoundReviewers({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined; people: Person[] } }) {
  const { campaign, round } = await openRoundOf(ctx, input.campaignCode);
  const at = ctx.clock.now();
  const added: Person[] = [];
  const already: Person[] = [];
  for (const person of input.people) {
    await upsertUser(ctx.db, { openId: person.openId, name: person.name, at });
    await grantRole(ctx.db, { openId: person.openId, role: 'reviewer', at, actorOpenId });
    const rows = await ctx.db.insert(roundReviewers).values({ roundId: round.id, reviewerOpenId: person.openId }).onConflictDoNothing().returning();
    (rows.length ? added : already).push(person);
  }
  if (added.length) await audit(ctx.db, at, actorOpenId, 'review.reviewers.add', round.id, { reviewers: added.map((p) => p.openId) });
  return { campaign, round, added, already };
}

export interface AssignResult {
  campaign: CampaignRow;
  round: RoundRow;
  k: number;
  /** Reviewer -> every item they now hold, and whether the set changed. */
  reviewers: { openId: string; items: RoundItem[]; changed: boolean }[];
  uncovered: { trackingNo: string; eligible: number; needed: number }[];
  loads: { min: number; max: number };
}

/** /评审 分配 [k]: every item gets k reviewers; reviews already under way and declared conflicts are kept. */
export async function assignRound({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined; k?: number | undefined } }): Promise<AssignResult> {
  const { campaign, round } = await openRoundOf(ctx, input.campaignCode);
  const k = input.k ?? round.k;
  const reviewers = await reviewersOf(ctx.db, round.id);
  if (reviewers.length === 0) throw new DomainError('review.noReviewers', { label: round.label });
  const items = await itemsOf(ctx.db, round.id);
  const existing = await ctx.db.select().from(reviewAssignments).where(eq(reviewAssignments.roundId, round.id));
  const reviewed = await ctx.db.select({ s: reviews.submissionId, o: reviews.reviewerOpenId }).from(reviews).where(eq(reviews.roundId, round.id));
  const hasReview = new Set(reviewed.map((r) => `${r.s}:${r.o}`));
  const pair = (a: { submissionId: number; reviewerOpenId: string }) => ({ itemId: a.submissionId, openId: a.reviewerOpenId });
  const result = assignReviewers<number>({
    items: items.map((i): AssignmentItem<number> => ({ id: i.id, unitId: i.unitId })),
    reviewers,
    unitRelations: await unitRelations(ctx.db),
    k,
    excluded: existing.filter((a) => a.status === 'recused').map(pair),
    fixed: existing.filter((a) => a.status === 'assigned' && hasReview.has(`${a.submissionId}:${a.reviewerOpenId}`)).map(pair),
  });
  const at = ctx.clock.now();
  const wanted = new Set([...result.assignments].flatMap(([s, os]) => os.map((o) => `${s}:${o}`)));
  const before = new Set(existing.filter((a) => a.status === 'assigned').map((a) => `${a.submissionId}:${a.reviewerOpenId}`));
  const removed = [...before].filter((p) => !wanted.has(p));
  const added = [...wanted].filter((p) => !before.has(p));
  const split = (p: string) => {
    const [s = '0', ...o] = p.split(':');
    return { s: Number(s), o: o.join(':') };
  };
  for (const p of removed.map(split)) {
    const where = and(eq(reviewAssignments.roundId, round.id), eq(reviewAssignments.submissionId, p.s), eq(reviewAssignments.reviewerOpenId, p.o));
    await ctx.db.delete(reviewAssignments).where(where);
    // Only a pair the domain dropped (a new conflict of interest) can have a review: it no longer counts.
    await ctx.db.delete(reviews).where(and(eq(reviews.roundId, round.id), eq(reviews.submissionId, p.s), eq(reviews.reviewerOpenId, p.o)));
  }
  if (added.length) {
    await ctx.db.insert(reviewAssignments).values(added.map(split).map((p) => ({ roundId: round.id, submissionId: p.s, reviewerOpenId: p.o, assignedAt: at }))).onConflictDoNothing();
  }
  await ctx.db.update(reviewRounds).set({ k, quorum: k }).where(eq(reviewRounds.id, round.id));
  const byId = new Map(items.map((i) => [i.id, i]));
  const uncovered = result.uncovered.map((u) => ({ trackingNo: byId.get(u.itemId)?.trackingNo ?? String(u.itemId), eligible: u.eligible, needed: u.needed }));
  const loads = [...result.loads.values()];
  await audit(ctx.db, at, actorOpenId, 'review.assign', round.id, { k, added: added.length, removed: removed.length, uncovered, dropped: result.dropped });
  const changedFor = new Set([...added, ...removed].map((p) => split(p).o));
  return {
    campaign,
    round: { ...round, k, quorum: k },
    k,
    reviewers: [...result.loads.keys()].map((openId) => ({
      openId,
      items: [...result.assignments].filter(([, os]) => os.includes(openId)).map(([s]) => byId.get(s)).filter((i): i is RoundItem => i !== undefined),
      changed: changedFor.has(openId),
    })),
    uncovered,
    loads: { min: Math.min(...loads), max: Math.max(...loads) },
  };
}

/** /评审 进度: who has finished what, and how many items still lack their quorum. Never a score or a vote. */
export async function roundProgress({ ctx, input }: { ctx: ServiceCtx; input: { campaignCode?: string | undefined } }) {
  const { campaign, round } = await openRoundOf(ctx, input.campaignCode, 'share');
  const rows = await ctx.db
    .select({ openId: reviewAssignments.reviewerOpenId, status: reviewAssignments.status, s: reviewAssignments.submissionId, done: sql<boolean>`${reviews.reviewerOpenId} is not null` })
    .from(reviewAssignments)
    .leftJoin(reviews, and(eq(reviews.roundId, reviewAssignments.roundId), eq(reviews.submissionId, reviewAssignments.submissionId), eq(reviews.reviewerOpenId, reviewAssignments.reviewerOpenId)))
    .where(eq(reviewAssignments.roundId, round.id));
  const named = (await reviewersOf(ctx.db, round.id)).map((r) => r.openId);
  const names = await namesOf(ctx.db, [...new Set([...named, ...rows.map((r) => r.openId)])]);
  const per = new Map<string, { assigned: number; done: number; recused: number }>([...names.keys()].map((id) => [id, { assigned: 0, done: 0, recused: 0 }]));
  const perItem = new Map<number, number>();
  for (const r of rows) {
    const p = per.get(r.openId) ?? { assigned: 0, done: 0, recused: 0 };
    if (r.status === 'recused') p.recused += 1;
    else {
      p.assigned += 1;
      if (r.done) {
        p.done += 1;
        perItem.set(r.s, (perItem.get(r.s) ?? 0) + 1);
      }
    }
    per.set(r.openId, p);
  }
  const items = await itemsOf(ctx.db, round.id);
  const reviewersList = [...per].map(([openId, p]) => ({ openId, name: names.get(openId) ?? openId, ...p })).sort((a, b) => a.done - a.assigned - (b.done - b.assigned) || (a.openId < b.openId ? -1 : 1));
  return { campaign, round, items: items.length, itemsAtQuorum: items.filter((i) => (perItem.get(i.id) ?? 0) >= round.quorum).length, reviewers: reviewersList };
}

/** /评审 关闭 [理由]: closes with every item at quorum, or with an override reason that is recorded. */
export async function closeReviewRound({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined; reason?: string | undefined } }) {
  const { campaign, round } = await openRoundOf(ctx, input.campaignCode);
  const items = await itemsOf(ctx.db, round.id);
  const counts = await ctx.db
    .select({ s: reviews.submissionId, n: sql<number>`count(*)::int` })
    .from(reviews)
    .innerJoin(reviewAssignments, and(eq(reviewAssignments.roundId, reviews.roundId), eq(reviewAssignments.submissionId, reviews.submissionId), eq(reviewAssignments.reviewerOpenId, reviews.reviewerOpenId)))
    .where(and(eq(reviews.roundId, round.id), eq(reviewAssignments.status, 'assigned')))
    .groupBy(reviews.submissionId);
  const at = ctx.clock.now();
  const closed = closeRound(domainRound(round, items.map((i) => i.id), false), {
    reviewCounts: new Map(counts.map((c) => [c.s, Number(c.n)])),
    at,
    overrideReason: input.reason,
    itemLabels: new Map(items.map((i) => [i.id, i.trackingNo])),
  });
  if (!closed.ok) throw new DomainError('review.rule', { message: closed.message });
  const override = closed.value.override;
  const [row] = await ctx.db
    .update(reviewRounds)
    .set({ state: 'closed', closedAt: at, closedBy: actorOpenId, overrideReason: override?.reason ?? null })
    .where(and(eq(reviewRounds.id, round.id), eq(reviewRounds.state, 'open')))
    .returning();
  if (!row) throw new Error('round changed under its row lock');
  await audit(ctx.db, at, actorOpenId, 'review.round.close', round.id, { items: items.length, quorum: round.quorum, override: override !== null });
  if (override) await audit(ctx.db, at, actorOpenId, 'review.round.override', round.id, { short: override.short }, override.reason);
  return { campaign, round: row, items: items.length, short: override?.short.length ?? 0 };
}

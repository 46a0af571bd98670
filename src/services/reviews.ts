// A reviewer's own reviews (issue 5): the review card's data, giving and changing a score sheet, declaring a
// conflict (回避), the /评审 list, and what reminders ask (pendingReviewsFor). Sealed: every read here returns
// the caller's own review only. A write share-locks the round row and checks the round and its deadline in the
// same transaction, so a vote can never land after the round closed; the primary key keeps one review per
// reviewer, item and round however many clicks arrive.
import { and, asc, desc, eq } from 'drizzle-orm';
import { campaigns, reviewAssignments, reviewRounds, reviews, roundItems, submissions, units } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { submissionKindLabels } from '../domain/campaign/template.js';
import { reassign } from '../domain/review/assignment.js';
import { canReview } from '../domain/review/rounds.js';
import { criteriaForStage, validateScoreSheet, type ScoreCriterion, type ScoreProblem, type ScoreSheetInput, type Vote } from '../domain/review/scores.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { activeAssignments, domainRound, itemsOf, lockRound, namesOf, officeRecipients, reviewersOf, stageOf, unitRelations, type RoundItem, type RoundRow } from './review-rounds.js';

type Ctx = { ctx: ServiceCtx; actorOpenId: string };
type DbVote = (typeof reviews.vote.enumValues)[number];
const toDb: Record<Vote, DbVote> = { recommend: 'recommend', not_recommend: 'reject', abstain: 'abstain' };
export const voteOf = (v: DbVote): Vote => (v === 'reject' ? 'not_recommend' : v);

export interface ReviewRef {
  roundId: number;
  submissionId: number;
  /** The reviewer the card was made out to; must be the operator. */
  reviewer: string;
}

export interface MyReview {
  scores: Record<string, number>;
  vote: Vote;
  comment: string;
  updatedAt: Date;
  version: number;
}

/** Everything one review card shows; only the viewer's own review. */
export interface ReviewCardData {
  ref: ReviewRef;
  campaign: { code: string; name: string };
  round: { label: string; deadline: Date | null };
  submission: { trackingNo: string; title: string; unitName: string; kindLabel: string; directionLabel?: string | undefined; problem?: string | undefined; innovation?: string | undefined; effect?: string | undefined };
  criteria: ScoreCriterion[];
  mine: MyReview | null;
  status: 'assigned' | 'recused';
  /** Null while the sheet may be given or changed; otherwise why not (closed, past the deadline). */
  locked: string | null;
}

const clip = (s: string | undefined, n = 300): string | undefined => (s && [...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);

function checkOperator(ref: ReviewRef, actorOpenId: string): void {
  if (ref.reviewer !== actorOpenId) throw new DomainError('review.notYourCard');
}

async function assignmentOf(db: Db, ref: ReviewRef) {
  const [row] = await db
    .select()
    .from(reviewAssignments)
    .where(and(eq(reviewAssignments.roundId, ref.roundId), eq(reviewAssignments.submissionId, ref.submissionId), eq(reviewAssignments.reviewerOpenId, ref.reviewer)));
  if (!row) throw new DomainError('review.notAssigned');
  return row;
}

const reviewKey = (ref: ReviewRef) => and(eq(reviews.roundId, ref.roundId), eq(reviews.submissionId, ref.submissionId), eq(reviews.reviewerOpenId, ref.reviewer));

async function myReview(db: Db, ref: ReviewRef, lock = false): Promise<(MyReview & { row: typeof reviews.$inferSelect }) | null> {
  const query = db.select().from(reviews).where(reviewKey(ref));
  const [row] = lock ? await query.for('update') : await query;
  return row ? { row, scores: row.scores, vote: voteOf(row.vote), comment: row.comment, updatedAt: row.updatedAt, version: row.version } : null;
}

/** Null when the round takes reviews of this item now; otherwise the Chinese reason. Call it with the round row locked. */
async function lockedReason(db: Db, round: RoundRow, submissionId: number, now: Date): Promise<string | null> {
  const [inRound] = await db.select().from(roundItems).where(and(eq(roundItems.roundId, round.id), eq(roundItems.submissionId, submissionId)));
  const check = canReview(domainRound(round, inRound ? [submissionId] : [], false), submissionId, now);
  return check.ok ? null : check.message;
}

async function cardData(db: Db, round: RoundRow, ref: ReviewRef, now: Date): Promise<ReviewCardData> {
  const assignment = await assignmentOf(db, ref);
  const [row] = await db
    .select({ s: submissions, unitName: units.name, campaign: campaigns })
    .from(submissions)
    .innerJoin(units, eq(units.id, submissions.unitId))
    .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
    .where(eq(submissions.id, ref.submissionId));
  if (!row || row.campaign.id !== round.campaignId) throw new DomainError('review.notAssigned');
  const { s, campaign } = row;
  const mine = await myReview(db, ref);
  return {
    ref,
    campaign: { code: campaign.code, name: campaign.name },
    round: { label: round.label, deadline: round.closesAt },
    submission: {
      trackingNo: s.trackingNo,
      title: s.title,
      unitName: row.unitName,
      kindLabel: s.kind === 'declaration' ? '申报' : submissionKindLabels[s.kind],
      directionLabel: campaign.definition.directions?.find((d) => d.key === s.direction)?.label,
      problem: clip(s.fields.problem),
      innovation: clip(s.fields.innovation),
      effect: clip(s.fields.effect),
    },
    criteria: criteriaOf(campaign, round),
    mine: mine && { scores: mine.scores, vote: mine.vote, comment: mine.comment, updatedAt: mine.updatedAt, version: mine.version },
    status: assignment.status,
    locked: await lockedReason(db, round, ref.submissionId, now),
  };
}

export const criteriaOf = (campaign: Pick<CampaignRow, 'definition'>, round: Pick<RoundRow, 'key'>): ScoreCriterion[] =>
  criteriaForStage(campaign.definition.criteria, stageOf(round)).map(({ key, label, weight, scale }) => ({ key, label, weight, scale }));

async function roundFor(db: Db, ref: ReviewRef, mode: 'update' | 'share'): Promise<RoundRow> {
  const round = await lockRound(db, ref.roundId, mode);
  if (!round) throw new DomainError('review.roundGone');
  return round;
}

/** The review card for its own reviewer. */
export async function reviewCard({ ctx, actorOpenId, input }: Ctx & { input: ReviewRef }): Promise<ReviewCardData> {
  checkOperator(input, actorOpenId);
  const round = await roundFor(ctx.db, input, 'share');
  return cardData(ctx.db, round, input, ctx.clock.now());
}

export type SubmitOutcome =
  | { kind: 'saved'; change: 'created' | 'changed' | 'unchanged'; card: ReviewCardData }
  | { kind: 'invalid'; problems: ScoreProblem[]; card: ReviewCardData }
  | { kind: 'locked'; message: string; card: ReviewCardData };

const same = (a: MyReview, b: { scores: Record<string, number>; vote: Vote; comment: string }): boolean =>
  a.vote === b.vote && a.comment === b.comment && Object.keys(a.scores).length === Object.keys(b.scores).length && Object.entries(b.scores).every(([k, v]) => a.scores[k] === v);

/** Gives or changes a score sheet. Invalid sheets, a closed round or a passed deadline change nothing. */
export async function submitReview({ ctx, actorOpenId, input }: Ctx & { input: ReviewRef & { sheet: ScoreSheetInput } }): Promise<SubmitOutcome> {
  checkOperator(input, actorOpenId);
  const { db } = ctx;
  const round = await roundFor(db, input, 'share');
  const now = ctx.clock.now();
  const card = await cardData(db, round, input, now);
  if (card.status === 'recused') throw new DomainError('review.recused');
  if (card.locked) return { kind: 'locked', message: card.locked, card };
  const checked = validateScoreSheet(card.criteria, input.sheet);
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems, card };
  const sheet = checked.value;
  const entityId = `${input.roundId}:${input.submissionId}:${input.reviewer}`;
  const audit = (action: string, before: unknown, after: unknown) => recordAudit(db, { at: now, actorOpenId, action, entityType: 'review', entityId, before, after });

  const values = { scores: sheet.scores, vote: toDb[sheet.vote], comment: sheet.comment };
  const inserted = await db
    .insert(reviews)
    .values({ roundId: input.roundId, submissionId: input.submissionId, reviewerOpenId: input.reviewer, ...values, version: 1, submittedAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  const saved = (change: 'created' | 'changed' | 'unchanged', mine: MyReview): SubmitOutcome => ({ kind: 'saved', change, card: { ...card, mine } });
  if (inserted.length) {
    await audit('review.submit', null, { ...sheet, version: 1 });
    return saved('created', { ...sheet, updatedAt: now, version: 1 });
  }
  // A review exists: lock it, so concurrent changes apply one after another and the last one wins.
  const current = await myReview(db, input, true);
  if (!current) throw new Error('review vanished under its row lock');
  const { row: _row, ...kept } = current;
  if (same(current, sheet)) return saved('unchanged', kept);
  const version = current.version + 1;
  await db.update(reviews).set({ ...values, version, updatedAt: now }).where(reviewKey(input));
  await audit('review.change', { scores: current.scores, vote: current.vote, comment: current.comment, version: current.version }, { ...sheet, version });
  return saved('changed', { ...sheet, updatedAt: now, version });
}

export type RecuseOutcome =
  | { kind: 'done'; card: ReviewCardData; item: RoundItem; replacement: { openId: string; name: string } | null; office: string[] }
  | { kind: 'invalid'; message: string; card: ReviewCardData }
  | { kind: 'locked'; message: string; card: ReviewCardData };

export const RECUSE_REASON_MAX = 200;

/** 回避: the reviewer leaves the item (their review, if any, no longer counts) and the least-loaded eligible reviewer takes it. */
export async function recuseReview({ ctx, actorOpenId, input }: Ctx & { input: ReviewRef & { reason: string } }): Promise<RecuseOutcome> {
  checkOperator(input, actorOpenId);
  const { db } = ctx;
  // The round row is locked for update: two recusals at once must not both pick the same replacement.
  const round = await roundFor(db, input, 'update');
  const now = ctx.clock.now();
  const card = await cardData(db, round, input, now);
  if (card.status === 'recused') throw new DomainError('review.recused');
  if (card.locked) return { kind: 'locked', message: card.locked, card };
  const reason = input.reason.trim();
  if ([...reason].length > RECUSE_REASON_MAX) return { kind: 'invalid', message: `回避理由最多${RECUSE_REASON_MAX}字，现在有${[...reason].length}字，请精简。`, card };

  const items = await itemsOf(db, round.id);
  const all = await db.select().from(reviewAssignments).where(eq(reviewAssignments.roundId, round.id));
  const moved = reassign<number>({
    assignments: await activeAssignments(db, round.id),
    itemId: input.submissionId,
    openId: input.reviewer,
    items: items.map((i) => ({ id: i.id, unitId: i.unitId })),
    reviewers: await reviewersOf(db, round.id),
    unitRelations: await unitRelations(db),
    excluded: all.filter((a) => a.status === 'recused').map((a) => ({ itemId: a.submissionId, openId: a.reviewerOpenId })),
  });
  if (!moved.ok) throw new DomainError('review.rule', { message: moved.message });
  const key = and(eq(reviewAssignments.roundId, round.id), eq(reviewAssignments.submissionId, input.submissionId), eq(reviewAssignments.reviewerOpenId, input.reviewer));
  await db.update(reviewAssignments).set({ status: 'recused', recuseReason: reason || null }).where(key);
  const dropped = await db.delete(reviews).where(reviewKey(input)).returning();
  const replacement = moved.value.replacement;
  if (replacement) {
    await db.insert(reviewAssignments).values({ roundId: round.id, submissionId: input.submissionId, reviewerOpenId: replacement, assignedAt: now }).onConflictDoNothing();
  }
  await recordAudit(db, {
    at: now,
    actorOpenId,
    action: 'review.recuse',
    entityType: 'review',
    entityId: `${input.roundId}:${input.submissionId}:${input.reviewer}`,
    before: dropped[0] ? { scores: dropped[0].scores, vote: voteOf(dropped[0].vote), comment: dropped[0].comment } : null,
    after: { replacement },
    reason: reason || undefined,
  });
  const item = items.find((i) => i.id === input.submissionId);
  if (!item) throw new Error('recused item is not in its round');
  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, round.campaignId));
  const names = await namesOf(db, replacement ? [replacement] : []);
  return {
    kind: 'done',
    card: { ...card, status: 'recused', mine: null },
    item,
    replacement: replacement ? { openId: replacement, name: names.get(replacement) ?? replacement } : null,
    office: campaign ? await officeRecipients(db, campaign, round.id) : [],
  };
}

export interface ReviewListEntry {
  ref: ReviewRef;
  campaignCode: string;
  roundLabel: string;
  trackingNo: string;
  title: string;
  deadline: Date | null;
  reviewedAt: Date | null;
}

async function assignmentsOf(db: Db, openId: string) {
  return db
    .select({
      roundId: reviewRounds.id,
      roundLabel: reviewRounds.label,
      state: reviewRounds.state,
      deadline: reviewRounds.closesAt,
      campaignId: campaigns.id,
      campaignCode: campaigns.code,
      campaignName: campaigns.name,
      submissionId: submissions.id,
      trackingNo: submissions.trackingNo,
      title: submissions.title,
      reviewedAt: reviews.updatedAt,
    })
    .from(reviewAssignments)
    .innerJoin(reviewRounds, eq(reviewRounds.id, reviewAssignments.roundId))
    .innerJoin(campaigns, eq(campaigns.id, reviewRounds.campaignId))
    .innerJoin(submissions, eq(submissions.id, reviewAssignments.submissionId))
    .leftJoin(reviews, and(eq(reviews.roundId, reviewAssignments.roundId), eq(reviews.submissionId, reviewAssignments.submissionId), eq(reviews.reviewerOpenId, reviewAssignments.reviewerOpenId)))
    .where(and(eq(reviewAssignments.reviewerOpenId, openId), eq(reviewAssignments.status, 'assigned')))
    .orderBy(desc(reviewRounds.id), asc(submissions.id))
    .limit(500);
}

const live = (r: { state: string; deadline: Date | null }, now: Date) => r.state === 'open' && (r.deadline === null || now.getTime() < r.deadline.getTime());

/** /评审: the caller's reviews to give, those given (changeable until close) and those of closed rounds. */
export async function myReviews({ ctx, actorOpenId }: Ctx): Promise<{ pending: ReviewListEntry[]; done: ReviewListEntry[]; closed: ReviewListEntry[] }> {
  const now = ctx.clock.now();
  const rows = await assignmentsOf(ctx.db, actorOpenId);
  const entry = (r: (typeof rows)[number]): ReviewListEntry => ({
    ref: { roundId: r.roundId, submissionId: r.submissionId, reviewer: actorOpenId },
    campaignCode: r.campaignCode,
    roundLabel: r.roundLabel,
    trackingNo: r.trackingNo,
    title: r.title,
    deadline: r.deadline,
    reviewedAt: r.reviewedAt,
  });
  return {
    pending: rows.filter((r) => live(r, now) && r.reviewedAt === null).map(entry),
    done: rows.filter((r) => live(r, now) && r.reviewedAt !== null).map(entry),
    closed: rows.filter((r) => !live(r, now)).map(entry),
  };
}

export interface PendingReview {
  campaignId: number;
  campaignCode: string;
  campaignName: string;
  roundId: number;
  roundLabel: string;
  /** The round's review deadline, if one was set. */
  deadline: Date | null;
  submissionId: number;
  trackingNo: string;
  title: string;
}

/** For reminders: the reviews `openId` still has to give in open rounds whose deadline has not passed. */
export async function pendingReviewsFor(db: Db, openId: string, now: Date): Promise<PendingReview[]> {
  const rows = await assignmentsOf(db, openId);
  return rows
    .filter((r) => live(r, now) && r.reviewedAt === null)
    .map((r) => ({
      campaignId: r.campaignId,
      campaignCode: r.campaignCode,
      campaignName: r.campaignName,
      roundId: r.roundId,
      roundLabel: r.roundLabel,
      deadline: r.deadline,
      submissionId: r.submissionId,
      trackingNo: r.trackingNo,
      title: r.title,
    }));
}

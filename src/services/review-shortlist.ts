// Shortlists (issue 5): cut a closed round within the campaign's caps and open the next round with the
// survivors (or, after the last round of a track, mark the final list 推荐); send the list to the leaders, record
// their approval or return; publish the outcome. Each verb locks the round row and writes audit rows.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { auditLog, campaigns, leaderDecisions, reviewRounds, roundItems, roundReviewers, submissions, unitMembers, userRoles } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { parseReason } from '../domain/campaign/declaration.js';
import { cutRuleLabels, cutShortlist } from '../domain/review/shortlist.js';
import { nextRoundKind, openNextRound, roundExitCap, roundKindLabels } from '../domain/review/rounds.js';
import { DomainError } from '../errors.js';
import { recordAudit } from './audit.js';
import type { CampaignRow } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { rankRound, shortlistOf, type RankedItem, type RoundRanking, type Shortlist } from './ranking.js';
import { domainRound, kindOf, latestClosedRoundOf, lockRound, officeRecipients, trackOf, type RoundRow } from './review-rounds.js';

type Ctx = { ctx: ServiceCtx; actorOpenId: string };
type Status = (typeof submissions.status.enumValues)[number];

const audit = (db: Db, at: Date, actorOpenId: string, action: string, roundId: number, after: unknown, reason?: string) =>
  recordAudit(db, { at, actorOpenId, action, entityType: 'review_round', entityId: String(roundId), after, reason });

async function setStatus(db: Db, at: Date, actorOpenId: string, items: readonly RankedItem[], to: Status, why: string): Promise<void> {
  for (const item of items) {
    if (item.status === to) continue;
    await db.update(submissions).set({ status: to, updatedAt: at }).where(eq(submissions.id, item.id));
    await recordAudit(db, { at, actorOpenId, action: 'submission.status', entityType: 'submission', entityId: String(item.id), before: { status: item.status }, after: { status: to }, reason: why });
  }
}

/** The newest closed round, row-locked, ranked, with its shortlist. */
async function closedRound(ctx: ServiceCtx, campaignCode: string | undefined) {
  const found = await latestClosedRoundOf(ctx, campaignCode);
  const round = (await lockRound(ctx.db, found.round.id, 'update')) ?? found.round;
  const ranking = await rankRound(ctx.db, found.campaign, round);
  return { campaign: found.campaign, round, ranking, shortlist: await shortlistOf(ctx.db, round, ranking.items) };
}

const keptItems = (ranking: RoundRanking, kept: readonly number[]): RankedItem[] => ranking.items.filter((i) => kept.includes(i.id));

export interface CutResult {
  campaign: CampaignRow;
  round: RoundRow;
  kept: RankedItem[];
  cut: { item: RankedItem; position: number; rule: string }[];
  next: RoundRow | null;
}

/** /排名 入围 <N> [每单位上限]. */
export async function cutRound({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined; n: string; perUnitCap?: string | undefined } }): Promise<CutResult> {
  const { campaign, round, ranking, shortlist } = await closedRound(ctx, input.campaignCode);
  if (shortlist.kind === 'advanced') throw new DomainError('review.alreadyCut', { label: round.label, hint: `下一轮“${shortlist.nextRound?.label ?? ''}”已经开启。` });
  if (shortlist.kind === 'final' && shortlist.decision?.decision !== 'returned') {
    const hint = shortlist.decision ? '领导已批准这份名单。' : '如需调整，请等领导退回后再重新入围。';
    throw new DomainError('review.alreadyCut', { label: round.label, hint });
  }
  const kind = kindOf(round);
  const cap = roundExitCap(campaign.definition, kind);
  const cutResult = cutShortlist<number>({
    ranked: ranking.items.map((i) => ({ id: i.id, unitId: i.unitId })),
    n: input.n,
    ...(cap ? { cap: cap.cap, capLabel: cap.phaseLabel } : { capLabel: round.label }),
    ...(input.perUnitCap !== undefined ? { perUnitCap: input.perUnitCap } : {}),
  });
  if (!cutResult.ok) throw new DomainError('review.rule', { message: cutResult.message });
  const { kept, cut } = cutResult.value;
  const at = ctx.clock.now();
  const byId = new Map(ranking.items.map((i) => [i.id, i]));
  const keptRows = kept.map((id) => byId.get(id)).filter((i): i is RankedItem => i !== undefined);
  const cutRows = cut.map((c) => ({ item: byId.get(c.id), position: c.position, rule: cutRuleLabels[c.rule] })).filter((c): c is CutResult['cut'][number] => c.item !== undefined);
  const after = { n: cutResult.value.n, perUnitCap: cutResult.value.perUnitCap, kept, cut: cut.map((c) => ({ id: c.id, rule: c.rule })) };

  let next: RoundRow | null = null;
  if (nextRoundKind(trackOf(kind), kind)) {
    const [open] = await ctx.db.select().from(reviewRounds).where(and(eq(reviewRounds.campaignId, campaign.id), eq(reviewRounds.state, 'open')));
    if (open) throw new DomainError('review.roundAlreadyOpen', { name: campaign.name, label: open.label });
    const advanced = openNextRound(domainRound(round, ranking.items.map((i) => i.id), false), { survivors: kept, at, ...(cap ? { cap: cap.cap } : {}), quorum: round.quorum });
    if (!advanced.ok) throw new DomainError('review.rule', { message: advanced.message });
    const nk = advanced.value.next.kind;
    const [row] = await ctx.db
      .insert(reviewRounds)
      .values({ campaignId: campaign.id, key: nk, label: roundKindLabels[nk], k: round.k, quorum: round.quorum, previousRoundId: round.id, openedAt: at })
      .returning();
    if (!row) throw new Error('round insert returned nothing');
    await ctx.db.insert(roundItems).values(advanced.value.next.items.map((submissionId) => ({ roundId: row.id, submissionId })));
    // The same panel goes on by default; /评审 专家 adds more, /评审 分配 assigns.
    const panel = await ctx.db.select().from(roundReviewers).where(eq(roundReviewers.roundId, round.id));
    if (panel.length) await ctx.db.insert(roundReviewers).values(panel.map((p) => ({ roundId: row.id, reviewerOpenId: p.reviewerOpenId })));
    await audit(ctx.db, at, actorOpenId, 'review.cut', round.id, { ...after, nextRoundId: row.id });
    await audit(ctx.db, at, actorOpenId, 'review.round.open', row.id, { campaign: campaign.code, kind: nk, items: kept.length, previousRoundId: round.id });
    next = row;
  } else {
    await setStatus(ctx.db, at, actorOpenId, ranking.items.filter((i) => i.status === 'recommended' && !kept.includes(i.id)), 'submitted', `${round.label}重新入围`);
    await setStatus(ctx.db, at, actorOpenId, keptRows, 'recommended', `${round.label}入围`);
    await audit(ctx.db, at, actorOpenId, 'review.cut', round.id, { ...after, final: true });
  }
  return { campaign, round, kept: keptRows, cut: cutRows, next };
}

export interface ShortlistView {
  campaign: CampaignRow;
  round: RoundRow;
  shortlist: Exclude<Shortlist, { kind: 'none' }>;
  items: RankedItem[];
}

/** /排名 报送: the shortlist of the newest closed round, for every leader's approval card. */
export async function sendShortlistToLeaders({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined } }) {
  const { campaign, round, ranking, shortlist } = await closedRound(ctx, input.campaignCode);
  if (shortlist.kind === 'none') throw new DomainError('review.noShortlist', { label: round.label });
  if (shortlist.decision?.decision === 'approved') throw new DomainError('review.alreadyApproved', { label: round.label });
  const leaders = (await ctx.db.select({ openId: userRoles.userOpenId }).from(userRoles).where(eq(userRoles.role, 'leader'))).map((l) => l.openId).sort();
  if (leaders.length === 0) throw new DomainError('review.noLeaders');
  const at = ctx.clock.now();
  await audit(ctx.db, at, actorOpenId, 'review.shortlist.submit', round.id, { digest: shortlist.digest, kept: shortlist.kept, leaders });
  return { view: { campaign, round, shortlist, items: keptItems(ranking, shortlist.kept) } satisfies ShortlistView, leaders, at };
}

/** The list a leader's card names, checked: it must still be the list that was sent. */
async function sentShortlist(ctx: ServiceCtx, roundId: number, digest: string) {
  const round = await lockRound(ctx.db, roundId, 'update');
  if (!round || round.state !== 'closed') throw new DomainError('review.roundGone');
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, round.campaignId));
  if (!campaign) throw new DomainError('review.roundGone');
  const ranking = await rankRound(ctx.db, campaign, round);
  const shortlist = await shortlistOf(ctx.db, round, ranking.items);
  if (shortlist.kind === 'none' || shortlist.digest !== digest) throw new DomainError('review.shortlistChanged');
  const [sent] = await ctx.db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'review.shortlist.submit'), eq(auditLog.entityType, 'review_round'), eq(auditLog.entityId, String(round.id)), sql`${auditLog.after}->>'digest' = ${digest}`))
    .orderBy(desc(auditLog.id))
    .limit(1);
  if (!sent) throw new DomainError('review.notSubmittedToLeaders');
  return { view: { campaign, round, shortlist, items: keptItems(ranking, shortlist.kept) } satisfies ShortlistView, sentAt: sent.at };
}

export async function shortlistForLeader({ ctx, input }: { ctx: ServiceCtx; input: { roundId: number; digest: string } }): Promise<ShortlistView> {
  return (await sentShortlist(ctx, input.roundId, input.digest)).view;
}

export type DecisionOutcome = { kind: 'done'; view: ShortlistView; office: string[] } | { kind: 'invalid'; message: string; view: ShortlistView };

/** A leader approves the list, or returns it with a reason. One decision per sending. */
export async function decideShortlist({ ctx, actorOpenId, input }: Ctx & { input: { roundId: number; digest: string; decision: 'approved' | 'returned'; reason?: unknown } }): Promise<DecisionOutcome> {
  const { view, sentAt } = await sentShortlist(ctx, input.roundId, input.digest);
  const previous = view.shortlist.decision;
  if (previous && (previous.decision === 'approved' || previous.decidedAt.getTime() >= sentAt.getTime())) {
    throw new DomainError('review.alreadyDecided', { at: formatChinaDateTime(previous.decidedAt), who: previous.leaderName, decision: previous.decision === 'approved' ? '批准' : '退回' });
  }
  let reason: string | null = null;
  if (input.decision === 'returned') {
    const parsed = parseReason(input.reason, '退回理由', '说明名单需要怎样调整');
    if (!parsed.ok) return { kind: 'invalid', message: parsed.message, view };
    reason = parsed.value;
  }
  const at = ctx.clock.now();
  const { round } = view;
  await ctx.db.insert(leaderDecisions).values({ roundId: round.id, leaderOpenId: actorOpenId, decision: input.decision, reason, decidedAt: at });
  if (input.decision === 'approved' && view.shortlist.kind === 'final') await setStatus(ctx.db, at, actorOpenId, view.items, 'confirmed', `${round.label}名单经领导批准`);
  await audit(ctx.db, at, actorOpenId, input.decision === 'approved' ? 'review.leader.approve' : 'review.leader.return', round.id, { digest: input.digest }, reason ?? undefined);
  const fresh = await shortlistForLeader({ ctx, input: { roundId: round.id, digest: input.digest } });
  return { kind: 'done', view: fresh, office: await officeRecipients(ctx.db, view.campaign, round.id) };
}

/** /发布: the outcome of the newest closed round for the notice group and every submitting unit's liaisons. */
export async function publishRound({ ctx, actorOpenId, input }: Ctx & { input: { campaignCode?: string | undefined } }) {
  const { campaign, round, ranking, shortlist } = await closedRound(ctx, input.campaignCode);
  if (shortlist.kind === 'none') throw new DomainError('review.noShortlist', { label: round.label });
  if (shortlist.decision?.decision === 'returned') throw new DomainError('review.returnedBlocksPublish', { label: round.label, reason: shortlist.decision.reason ?? '' });
  if (!campaign.noticeChatId) throw new DomainError('review.noNoticeChat', { name: campaign.name });
  const [earlier] = await ctx.db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'review.publish'), eq(auditLog.entityType, 'review_round'), eq(auditLog.entityId, String(round.id))))
    .limit(1);
  const unitIds = [...new Set(ranking.items.map((i) => i.unitId))];
  const liaisons = unitIds.length
    ? await ctx.db.select({ unitId: unitMembers.unitId, openId: unitMembers.userOpenId }).from(unitMembers).where(and(inArray(unitMembers.unitId, unitIds), eq(unitMembers.role, 'liaison')))
    : [];
  const kept = new Set(shortlist.kept);
  const outcomes = ranking.items.map((item) => ({ item, kept: kept.has(item.id), liaisons: liaisons.filter((l) => l.unitId === item.unitId).map((l) => l.openId) }));
  const at = ctx.clock.now();
  await audit(ctx.db, at, actorOpenId, 'review.publish', round.id, { chat: campaign.noticeChatId, kept: shortlist.kept, again: earlier !== undefined });
  return { campaign, round, shortlist, items: keptItems(ranking, shortlist.kept), outcomes, chatId: campaign.noticeChatId, again: earlier !== undefined, total: ranking.items.length };
}

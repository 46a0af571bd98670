// Review deadlines (issue 6): reviewers with unfinished reviews, and leaders with a shortlist awaiting their
// decision. A review round's deadline is review_rounds.closes_at; the planner plans by campaign phase, so a
// round belongs to the (non-submission) phase whose window holds its deadline. Each question is one grouped query.
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { auditLog, leaderDecisions, reviewAssignments, reviewRounds, reviews, submissions, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { PendingItem } from '../domain/reminders/merge.js';
import type { Deadline, DeadlineSource } from './reminder-sources.js';

const REVIEW_ACTORS: readonly string[] = ['office', 'province', 'lead_department'];
const LISTED = 5;

/** Open rounds of this campaign whose deadline falls in the phase: (opensAt, closesAt]. */
const roundsInPhase = ({ campaign, opensAt, closesAt }: Deadline) =>
  and(eq(reviewRounds.campaignId, campaign.id), eq(reviewRounds.state, 'open'), isNotNull(reviewRounds.closesAt), gt(reviewRounds.closesAt, opensAt), lte(reviewRounds.closesAt, closesAt));

interface Unfinished {
  reviewer: string;
  name: string | null;
  roundId: number;
  roundLabel: string;
  deadline: Date | null;
  trackingNo: string;
  done: boolean;
}

/** Every live assignment in the phase's open rounds, with whether its review was given; one reviewer's only when given. */
async function assignments(db: Db, d: Deadline, reviewer?: string): Promise<Unfinished[]> {
  const rows = await db
    .select({
      reviewer: reviewAssignments.reviewerOpenId,
      name: users.name,
      roundId: reviewRounds.id,
      roundLabel: reviewRounds.label,
      deadline: reviewRounds.closesAt,
      trackingNo: submissions.trackingNo,
      given: reviews.roundId,
    })
    .from(reviewAssignments)
    .innerJoin(reviewRounds, eq(reviewRounds.id, reviewAssignments.roundId))
    .innerJoin(submissions, eq(submissions.id, reviewAssignments.submissionId))
    .leftJoin(users, eq(users.openId, reviewAssignments.reviewerOpenId))
    .leftJoin(reviews, and(eq(reviews.roundId, reviewAssignments.roundId), eq(reviews.submissionId, reviewAssignments.submissionId), eq(reviews.reviewerOpenId, reviewAssignments.reviewerOpenId)))
    .where(and(roundsInPhase(d), eq(reviewAssignments.status, 'assigned'), ...(reviewer ? [eq(reviewAssignments.reviewerOpenId, reviewer)] : [])))
    .orderBy(asc(reviewRounds.id), asc(submissions.id));
  return rows.map(({ given, ...r }) => ({ ...r, done: given !== null }));
}

function byRound(rows: readonly Unfinished[]): Map<number, Unfinished[]> {
  const out = new Map<number, Unfinished[]>();
  for (const r of rows) out.set(r.roundId, [...(out.get(r.roundId) ?? []), r]);
  return out;
}

const listed = (nos: readonly string[]): string => `${nos.slice(0, LISTED).join('、')}${nos.length > LISTED ? ` 等 ${nos.length} 项` : ''}`;

export const reviewDeadlineSource: DeadlineSource = {
  name: 'review.reviewer',

  covers: (_campaign, phase) => phase.submissionKind === undefined && REVIEW_ACTORS.includes(phase.actor),

  async audience(db, d) {
    const rows = await db
      .selectDistinct({ openId: reviewAssignments.reviewerOpenId })
      .from(reviewAssignments)
      .innerJoin(reviewRounds, eq(reviewRounds.id, reviewAssignments.roundId))
      .leftJoin(reviews, and(eq(reviews.roundId, reviewAssignments.roundId), eq(reviews.submissionId, reviewAssignments.submissionId), eq(reviews.reviewerOpenId, reviewAssignments.reviewerOpenId)))
      .where(and(roundsInPhase(d), eq(reviewAssignments.status, 'assigned'), isNull(reviews.roundId)));
    return rows.map((r) => r.openId);
  },

  async pending(db, d, recipient) {
    const items: PendingItem[] = [];
    for (const rows of byRound(await assignments(db, d, recipient)).values()) {
      const left = rows.filter((r) => !r.done);
      const first = left[0];
      if (!first) continue;
      items.push({
        campaignCode: d.campaign.code,
        campaignName: d.campaign.name,
        phaseKey: d.phase.key,
        phaseLabel: d.phase.label,
        deadline: first.deadline ?? d.closesAt,
        source: 'review.reviewer',
        text: `${first.roundLabel}：还有 ${left.length}/${rows.length} 项未评审（${listed(left.map((r) => r.trackingNo))}），发送“/评审”逐项打分`,
      });
    }
    return items;
  },

  async digest(db, d) {
    const lines = [];
    const rows = await assignments(db, d);
    for (const roundRows of byRound(rows).values()) {
      const reviewers = new Map<string, Unfinished[]>();
      for (const r of roundRows) reviewers.set(r.reviewer, [...(reviewers.get(r.reviewer) ?? []), r]);
      for (const [openId, mine] of reviewers) {
        const left = mine.filter((r) => !r.done).length;
        if (left === 0) continue;
        const who = mine[0]?.name ?? openId;
        lines.push({ who: `评审专家 ${who}`, contacts: [who], text: `${mine[0]?.roundLabel ?? ''}未评审 ${left}/${mine.length} 项` });
      }
    }
    return lines;
  },
};

interface SentList {
  roundId: number;
  roundLabel: string;
  sentAt: Date;
  leaders: string[];
}

/** Shortlists of this campaign sent to the leaders (/排名 报送) with no decision since the latest sending. */
async function awaitingDecision(db: Db, d: Deadline): Promise<SentList[]> {
  const rounds = await db.select({ id: reviewRounds.id, label: reviewRounds.label }).from(reviewRounds).where(and(eq(reviewRounds.campaignId, d.campaign.id), eq(reviewRounds.state, 'closed')));
  if (rounds.length === 0) return [];
  const labelOf = new Map(rounds.map((r) => [String(r.id), r.label]));
  const sent = await db
    .select({ entityId: auditLog.entityId, at: auditLog.at, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'review.shortlist.submit'), eq(auditLog.entityType, 'review_round'), inArray(auditLog.entityId, [...labelOf.keys()])))
    .orderBy(desc(auditLog.id));
  const latest = new Map<string, (typeof sent)[number]>();
  for (const s of sent) if (!latest.has(s.entityId)) latest.set(s.entityId, s);
  const decided = await db
    .select({ roundId: leaderDecisions.roundId, at: leaderDecisions.decidedAt, decision: leaderDecisions.decision })
    .from(leaderDecisions)
    .where(inArray(leaderDecisions.roundId, rounds.map((r) => r.id)));
  const out: SentList[] = [];
  for (const [entityId, s] of latest) {
    const roundId = Number(entityId);
    if (decided.some((x) => x.roundId === roundId && (x.decision === 'approved' || x.at.getTime() >= s.at.getTime()))) continue;
    const after = s.after as { leaders?: unknown } | null;
    const leaders = Array.isArray(after?.leaders) ? after.leaders.filter((l): l is string => typeof l === 'string') : [];
    out.push({ roundId, roundLabel: labelOf.get(entityId) ?? '', sentAt: s.at, leaders });
  }
  return out;
}

/** Leaders still holding the role among those a list was sent to. */
async function currentLeaders(db: Db, openIds: readonly string[]): Promise<Set<string>> {
  if (openIds.length === 0) return new Set();
  const rows = await db.select({ openId: userRoles.userOpenId }).from(userRoles).where(and(eq(userRoles.role, 'leader'), inArray(userRoles.userOpenId, [...openIds])));
  return new Set(rows.map((r) => r.openId));
}

export const leaderDecisionSource: DeadlineSource = {
  name: 'review.leader',

  covers: (_campaign, phase) => phase.actor === 'leader',

  async audience(db, d) {
    const lists = await awaitingDecision(db, d);
    return [...(await currentLeaders(db, [...new Set(lists.flatMap((l) => l.leaders))]))];
  },

  async pending(db, d, recipient) {
    const lists = (await awaitingDecision(db, d)).filter((l) => l.leaders.includes(recipient));
    if (!(await currentLeaders(db, [recipient])).has(recipient)) return [];
    return lists.map(
      (l): PendingItem => ({
        campaignCode: d.campaign.code,
        campaignName: d.campaign.name,
        phaseKey: d.phase.key,
        phaseLabel: d.phase.label,
        deadline: d.closesAt,
        source: 'review.leader',
        text: `${l.roundLabel}名单待您确认（办公室已报送），请在报送的名单卡片上批准或退回`,
      }),
    );
  },

  async digest(db, d) {
    const lists = await awaitingDecision(db, d);
    const ids = [...new Set(lists.flatMap((l) => l.leaders))];
    const named = ids.length ? await db.select({ openId: users.openId, name: users.name }).from(users).where(inArray(users.openId, ids)) : [];
    const nameOf = new Map(named.map((u) => [u.openId, u.name ?? u.openId]));
    return lists.map((l) => ({ who: `${l.roundLabel}名单`, contacts: l.leaders.map((o) => nameOf.get(o) ?? o), text: '已报送领导，尚未确认' }));
  },
};

// The demo's review step (issue 9): the office opens the topic-selection round (办公室遴选) of LN2022 with the
// topics handed in so far, names the five demo reviewers and gives every topic to three of them, so a
// reviewer can open the console and score at once. Runs through the services, inside seedDemo's transaction.
import { and, eq, ne } from 'drizzle-orm';
import { reviewRounds, submissions } from '../../db/schema/index.js';
import { addRoundReviewers, assignRound, openReviewTrack } from '../services/review-rounds.js';
import { campaignByCode } from '../services/campaigns.js';
import type { ServiceCtx } from '../services/context.js';
import { demoPeople } from './demo-people.js';

/** Reviewers per topic in the demo round: three of the five demo reviewers. */
export const DEMO_REVIEWERS_PER_ITEM = 3;
const DEMO_OFFICE = 'ou_demo_admin';

/**
 * Opens 办公室遴选 for LN2022 once: only when the campaign has topics and has never had a review round (a restart,
 * or a demo folder where the office already ran its own rounds, leaves everything as it is).
 */
export async function seedDemoReview(ctx: ServiceCtx): Promise<void> {
  const campaign = await campaignByCode(ctx, 'LN2022');
  if (!campaign || campaign.kind !== 'evaluation') return;
  const [round] = await ctx.db.select({ id: reviewRounds.id }).from(reviewRounds).where(eq(reviewRounds.campaignId, campaign.id)).limit(1);
  if (round) return;
  const [topic] = await ctx.db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.campaignId, campaign.id), eq(submissions.kind, 'topic'), ne(submissions.status, 'withdrawn')))
    .limit(1);
  if (!topic) return;
  const office = { ctx, actorOpenId: DEMO_OFFICE };
  await openReviewTrack({ ...office, input: { campaignCode: campaign.code, stage: 'topic' } });
  const people = demoPeople.filter((p) => p.role === 'reviewer').map((p) => ({ openId: p.openId, name: p.name }));
  await addRoundReviewers({ ...office, input: { campaignCode: campaign.code, people } });
  await assignRound({ ...office, input: { campaignCode: campaign.code, k: DEMO_REVIEWERS_PER_ITEM } });
}

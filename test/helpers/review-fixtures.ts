// Data for the review tests: a Liaoning campaign (created by an admin), a small unit tree with liaisons, reviewers
// (some inside units, for conflicts of interest) and submissions, written straight to the tables.
import { campaigns, submissions, unitMembers, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../../src/clock.js';
import { eq } from 'drizzle-orm';
import { createCampaign, type CampaignRow } from '../../src/services/campaigns.js';

export const OFFICE = 'ou_office';
export const REVIEWERS = ['ou_rev_a', 'ou_rev_b', 'ou_rev_c', 'ou_rev_d', 'ou_rev_e'] as const;
export const reviewerNames: Record<string, string> = { ou_rev_a: '安评审', ou_rev_b: '包评审', ou_rev_c: '曹评审', ou_rev_d: '丁评审', ou_rev_e: '鄂评审' };

export interface ReviewWorld {
  campaign: CampaignRow;
  units: { district: number; park: number; dept: number; org: number };
  /** Achievements, in id order. */
  achievements: { id: number; trackingNo: string; unitId: number }[];
  topics: { id: number; trackingNo: string; unitId: number }[];
}

export async function person(db: Db, openId: string, name: string): Promise<void> {
  await db.insert(users).values({ openId, name }).onConflictDoNothing();
}

async function unit(db: Db, name: string, type: 'county' | 'park' | 'department' | 'organisation', parentId: number | null, liaison: string): Promise<number> {
  const [row] = await db.insert(units).values({ name, type, parentId }).returning({ id: units.id });
  if (!row) throw new Error('unit not created');
  await person(db, liaison, `${name}联络人`);
  await db.insert(unitMembers).values({ unitId: row.id, userOpenId: liaison, role: 'liaison' });
  return row.id;
}

let form = 0;
async function submission(db: Db, campaign: CampaignRow, unitId: number, unitName: string, kind: 'topic' | 'achievement', seq: number, at: Date) {
  form += 1;
  const trackingNo = `${campaign.code}-${unitName}-${String(seq).padStart(3, '0')}`;
  const [row] = await db
    .insert(submissions)
    .values({
      campaignId: campaign.id,
      unitId,
      seq,
      trackingNo,
      kind,
      title: `${unitName}${kind === 'topic' ? '选题' : '成果'}${seq}`,
      direction: 'reform_opening',
      fields: { problem: '企业办事跑多个部门', innovation: '一窗受理', effect: '办理时间减半' },
      mainCreators: [{ openId: `ou_creator_${unitId}`, name: `${unitName}主创` }],
      formKey: `review-fixture-${form}`,
      submittedBy: OFFICE,
      createdAt: new Date(at.getTime() + seq * 1000),
      updatedAt: at,
    })
    .returning();
  if (!row) throw new Error('submission not created');
  return { id: row.id, trackingNo, unitId };
}

/**
 * 平山区 (county) with 本溪高新区 (park) under it, 市发展改革委 (department), 市总工会 (organisation). Reviewer a
 * belongs to 平山区 (so may review neither 平山区 nor 高新区 items), b to 市发展改革委; c, d, e are outside experts.
 * Two achievements per unit (8), one topic per unit (4).
 */
export async function reviewWorld(db: Db, clock: Clock, code = 'LN2022'): Promise<ReviewWorld> {
  const campaign = await createCampaign({ ctx: { db, clock }, input: { templateId: 'liaoning-2022', code }, actorOpenId: OFFICE });
  await person(db, OFFICE, '办公室小王');
  const district = await unit(db, `平山区${code}`, 'county', null, `ou_liaison_district_${code}`);
  const park = await unit(db, `本溪高新区${code}`, 'park', district, `ou_liaison_park_${code}`);
  const dept = await unit(db, `市发展改革委${code}`, 'department', null, `ou_liaison_dept_${code}`);
  const org = await unit(db, `市总工会${code}`, 'organisation', null, `ou_liaison_org_${code}`);
  for (const r of REVIEWERS) await person(db, r, reviewerNames[r] ?? r);
  await db.insert(unitMembers).values({ unitId: district, userOpenId: 'ou_rev_a', role: 'member' }).onConflictDoNothing();
  await db.insert(unitMembers).values({ unitId: dept, userOpenId: 'ou_rev_b', role: 'member' }).onConflictDoNothing();
  const at = clock.now();
  const achievements = [];
  const topics = [];
  for (const [id, name] of [[district, `平山区${code}`], [park, `本溪高新区${code}`], [dept, `市发展改革委${code}`], [org, `市总工会${code}`]] as const) {
    achievements.push(await submission(db, campaign, id, name, 'achievement', 1, at), await submission(db, campaign, id, name, 'achievement', 2, at));
    topics.push(await submission(db, campaign, id, name, 'topic', 3, at));
  }
  return { campaign, units: { district, park, dept, org }, achievements, topics };
}

export async function bindNoticeChat(db: Db, campaignId: number, chatId: string): Promise<void> {
  await db.update(campaigns).set({ noticeChatId: chatId }).where(eq(campaigns.id, campaignId));
}

// Data for reminder tests: a Liaoning campaign whose topic phase closes on a chosen day, units with
// liaisons, and submissions, written straight to the tables (the unit and submission services are
// tested on their own).
import { eq } from 'drizzle-orm';
import { campaigns, submissions, unitMembers, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../../src/clock.js';
import { createCampaign, type CampaignRow } from '../../src/services/campaigns.js';

const phaseKeys = ['topic_submission', 'office_selection', 'leader_decision', 'implementation', 'evaluation'] as const;
const DAY = 24 * 3600_000;
const bjIso = (d: Date) => `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** LN-style campaign: topic submission open from `opensAt` until `closesAt`; the later phases start 30 days after it, a week each. */
export async function createTestCampaign(db: Db, clock: Clock, code: string, window: { opensAt: string; closesAt: string }): Promise<CampaignRow> {
  const start = new Date(window.closesAt).getTime() + 30 * DAY;
  const patches: Record<string, { opensAt: string; closesAt: string }> = { topic_submission: window };
  phaseKeys.slice(1).forEach((key, i) => {
    patches[key] = { opensAt: bjIso(new Date(start + i * 7 * DAY)), closesAt: bjIso(new Date(start + (i + 1) * 7 * DAY - 1000)) };
  });
  return createCampaign({ ctx: { db, clock }, input: { templateId: 'liaoning-2022', code, overrides: { phasePatches: patches } }, actorOpenId: null });
}

export async function addPerson(db: Db, openId: string, name: string): Promise<void> {
  await db.insert(users).values({ openId, name }).onConflictDoNothing();
}

/** A unit with one liaison (created as a user with that name). */
export async function addUnit(db: Db, name: string, type: 'county' | 'park' | 'department' | 'organisation', liaison?: { openId: string; name: string }): Promise<number> {
  const [row] = await db.insert(units).values({ name, type }).returning({ id: units.id });
  if (!row) throw new Error('unit not created');
  if (liaison) {
    await addPerson(db, liaison.openId, liaison.name);
    await db.insert(unitMembers).values({ unitId: row.id, userOpenId: liaison.openId, role: 'liaison' });
  }
  return row.id;
}

let formCounter = 0;
export async function addSubmissions(db: Db, campaign: CampaignRow, unitId: number, count: number, at: Date): Promise<void> {
  const existing = await db.select({ id: submissions.id }).from(submissions).where(eq(submissions.unitId, unitId));
  for (let i = 0; i < count; i++) {
    const seq = existing.length + i + 1;
    formCounter += 1;
    await db.insert(submissions).values({
      campaignId: campaign.id,
      unitId,
      seq,
      trackingNo: `${campaign.code}-T${unitId}-${seq}`,
      kind: 'topic',
      title: `选题 ${seq}`,
      fields: {},
      mainCreators: [],
      formKey: `f${formCounter}`,
      submittedBy: 'ou_test',
      createdAt: at,
      updatedAt: at,
    });
  }
}

export async function archiveCampaign(db: Db, id: number): Promise<void> {
  await db.update(campaigns).set({ status: 'archived' }).where(eq(campaigns.id, id));
}

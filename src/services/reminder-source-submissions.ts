// The campaign submission deadline (seed 000 §四.2): liaisons of units below their quota (fewer
// non-withdrawn submissions than the unit type's minimum) have work until the submission phase closes.
// Each question is one grouped query, never one per unit.
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { submissions, unitMembers, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { quotaStatus } from '../domain/campaign/quotas.js';
import { unitTypeLabels } from '../domain/campaign/unit-types.js';
import type { PendingItem } from '../domain/reminders/merge.js';
import type { Deadline, DeadlineSource } from './reminder-sources.js';

type Campaign = Deadline['campaign'];

function eligibleUnits(campaign: Campaign): SQL[] {
  const { eligibility } = campaign.definition;
  const where: SQL[] = [inArray(units.type, eligibility.applicantUnitTypes)];
  if (eligibility.excludeViceDepartmentLevel) where.push(eq(units.viceDepartmentLevel, false));
  if (eligibility.excludeCountyPartyOrGovernment) where.push(eq(units.countyPartyOrGovernment, false));
  return where;
}

function minimumOf(campaign: Campaign): SQL {
  const q = campaign.definition.quotas;
  return sql`case ${units.type} when 'county' then ${q.county}::int when 'park' then ${q.park}::int when 'department' then ${q.department}::int else ${q.organisation}::int end`;
}

const hasMinimum = (campaign: Campaign): boolean => Object.values(campaign.definition.quotas).some((n) => n > 0);

const submitted = (campaignId: number) =>
  and(eq(submissions.unitId, units.id), eq(submissions.campaignId, campaignId), ne(submissions.status, 'withdrawn'));

interface UnitCount {
  id: number;
  name: string;
  type: (typeof units.type.enumValues)[number];
  count: number;
  liaisons: { openId: string; name: string | null }[];
}

/** Eligible units with their count and liaisons; only those of `liaison` when given. */
async function unitCounts(db: Db, campaign: Campaign, liaison?: string): Promise<UnitCount[]> {
  const where = eligibleUnits(campaign);
  const rows = await db
    .select({
      id: units.id,
      name: units.name,
      type: units.type,
      count: sql<number>`count(${submissions.id})::int`,
      liaison: unitMembers.userOpenId,
      liaisonName: users.name,
    })
    .from(units)
    .leftJoin(unitMembers, and(eq(unitMembers.unitId, units.id), eq(unitMembers.role, 'liaison')))
    .leftJoin(users, eq(users.openId, unitMembers.userOpenId))
    .leftJoin(submissions, submitted(campaign.id))
    .where(and(...where, ...(liaison ? [eq(unitMembers.userOpenId, liaison)] : [])))
    .groupBy(units.id, unitMembers.userOpenId, users.name);
  const byUnit = new Map<number, UnitCount>();
  for (const r of rows) {
    const u = byUnit.get(r.id) ?? { id: r.id, name: r.name, type: r.type, count: Number(r.count), liaisons: [] };
    if (r.liaison) u.liaisons.push({ openId: r.liaison, name: r.liaisonName });
    byUnit.set(r.id, u);
  }
  return [...byUnit.values()];
}

function belowQuota(campaign: Campaign, counted: UnitCount[]) {
  const rows = quotaStatus(counted, new Map(counted.map((u) => [u.id, u.count])), campaign.definition);
  const byId = new Map(counted.map((u) => [u.id, u]));
  return rows.filter((r) => r.belowQuota).map((r) => ({ ...r, liaisons: byId.get(r.unitId)?.liaisons ?? [] }));
}

export const campaignSubmissionSource: DeadlineSource = {
  name: 'campaign.submission',

  covers: (_campaign, phase) => phase.actor === 'unit' && phase.submissionKind !== undefined,

  async audience(db, { campaign }) {
    if (!hasMinimum(campaign)) return [];
    const rows = await db
      .selectDistinct({ openId: unitMembers.userOpenId })
      .from(units)
      .innerJoin(unitMembers, and(eq(unitMembers.unitId, units.id), eq(unitMembers.role, 'liaison')))
      .leftJoin(submissions, submitted(campaign.id))
      .where(and(...eligibleUnits(campaign)))
      .groupBy(unitMembers.userOpenId, units.id)
      .having(sql`count(${submissions.id}) < ${minimumOf(campaign)}`);
    return rows.map((r) => r.openId);
  },

  async pending(db, deadline, recipient) {
    const { campaign, phase, closesAt } = deadline;
    if (!hasMinimum(campaign)) return [];
    return belowQuota(campaign, await unitCounts(db, campaign, recipient)).map(
      (r): PendingItem => ({
        campaignCode: campaign.code,
        campaignName: campaign.name,
        phaseKey: phase.key,
        phaseLabel: phase.label,
        deadline: closesAt,
        source: 'campaign.submission',
        text: `${r.unitName}（${r.unitTypeLabel}）：已报 ${r.count} 项，至少 ${r.minimum} 项，还差 ${r.shortfall} 项`,
        action: { kind: 'submit', campaignCode: campaign.code },
      }),
    );
  },

  async digest(db, { campaign }) {
    if (!hasMinimum(campaign)) return [];
    return belowQuota(campaign, await unitCounts(db, campaign)).map((r) => ({
      who: r.unitName,
      contacts: r.liaisons.map((l) => l.name ?? l.openId),
      text: `${unitTypeLabels[r.unitType]}，已报 ${r.count}/${r.minimum} 项`,
    }));
  },

  async progress(db, { campaign }) {
    if (!hasMinimum(campaign)) return undefined;
    const counted = await unitCounts(db, campaign);
    const rows = quotaStatus(counted, new Map(counted.map((u) => [u.id, u.count])), campaign.definition);
    const total = counted.reduce((sum, u) => sum + u.count, 0);
    return {
      done: rows.filter((r) => !r.belowQuota).length,
      total: rows.length,
      detail: `共收到申报 ${total} 项`,
      behind: rows.filter((r) => r.belowQuota).map((r) => `${r.unitName}（${r.count}/${r.minimum}）`),
    };
  },
};

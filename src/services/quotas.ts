// Who is below their submission quota in a campaign (seed 000 §四.2). One grouped query counts every
// eligible unit's non-withdrawn submissions; the pure quotaStatus then orders them, units below quota
// first. Reminders reuse this to decide who still has work, so it must stay one query, never N+1.
import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { campaigns, submissions, units } from '../../db/schema/index.js';
import { quotaStatus, summarizeQuotas, type QuotaRow, type QuotaSummary } from '../domain/campaign/quotas.js';
import { DomainError } from '../errors.js';
import type { ServiceCtx } from './context.js';

export interface QuotaReport {
  campaign: { id: number; code: string; name: string };
  /** Every unit that may apply in this campaign (or only `unitIds`), below quota first. */
  rows: QuotaRow<number>[];
  summary: QuotaSummary;
  /** False when the campaign sets no minimum for any unit type (e.g. a supervision incentive). */
  hasMinimum: boolean;
}

/**
 * Units are those the campaign accepts applications from (its applicant unit types, minus the
 * excluded vice-department-level and county party/government units), optionally narrowed to `unitIds`.
 */
export async function quotaReport(ctx: ServiceCtx, campaignId: number, unitIds?: readonly number[]): Promise<QuotaReport> {
  const [campaign] = await ctx.db
    .select({ id: campaigns.id, code: campaigns.code, name: campaigns.name, definition: campaigns.definition })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign) throw new DomainError('campaign.notFound', { code: String(campaignId) });
  const { quotas, eligibility } = campaign.definition;
  const hasMinimum = Object.values(quotas).some((n) => n > 0);
  const about = { id: campaign.id, code: campaign.code, name: campaign.name };
  if (unitIds !== undefined && unitIds.length === 0) {
    return { campaign: about, rows: [], summary: summarizeQuotas([]), hasMinimum };
  }

  const where: SQL[] = [inArray(units.type, eligibility.applicantUnitTypes)];
  if (eligibility.excludeViceDepartmentLevel) where.push(eq(units.viceDepartmentLevel, false));
  if (eligibility.excludeCountyPartyOrGovernment) where.push(eq(units.countyPartyOrGovernment, false));
  if (unitIds !== undefined) where.push(inArray(units.id, [...unitIds]));

  const counted = await ctx.db
    .select({ id: units.id, name: units.name, type: units.type, count: sql<number>`count(${submissions.id})::int` })
    .from(units)
    .leftJoin(
      submissions,
      and(eq(submissions.unitId, units.id), eq(submissions.campaignId, campaignId), ne(submissions.status, 'withdrawn')),
    )
    .where(and(...where))
    .groupBy(units.id);

  const rows = quotaStatus(
    counted.map(({ id, name, type }) => ({ id, name, type })),
    new Map(counted.map((c) => [c.id, Number(c.count)])),
    campaign.definition,
  );
  return { campaign: about, rows, summary: summarizeQuotas(rows), hasMinimum };
}

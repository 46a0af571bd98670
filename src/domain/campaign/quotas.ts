// Who is below their submission quota (seed 000 §四.2): the office sees these first and reminds them.
import type { CampaignTemplate } from './template.js';
import { unitTypeLabels, type UnitType } from './unit-types.js';

export interface QuotaUnit<Id> {
  id: Id;
  name: string;
  type: UnitType;
}

export interface QuotaRow<Id> {
  unitId: Id;
  unitName: string;
  unitType: UnitType;
  unitTypeLabel: string;
  minimum: number;
  count: number;
  shortfall: number;
  belowQuota: boolean;
}

/** One row per unit, units below their quota first, then by name in Chinese (pinyin) order. */
export function quotaStatus<Id>(
  units: readonly QuotaUnit<Id>[],
  submissionCounts: ReadonlyMap<Id, number>,
  template: Pick<CampaignTemplate, 'quotas'>,
): QuotaRow<Id>[] {
  const rows = units.map((unit): QuotaRow<Id> => {
    const minimum = template.quotas[unit.type];
    const count = submissionCounts.get(unit.id) ?? 0;
    const shortfall = Math.max(0, minimum - count);
    return {
      unitId: unit.id,
      unitName: unit.name,
      unitType: unit.type,
      unitTypeLabel: unitTypeLabels[unit.type],
      minimum,
      count,
      shortfall,
      belowQuota: shortfall > 0,
    };
  });
  return rows.sort((a, b) => Number(b.belowQuota) - Number(a.belowQuota) || a.unitName.localeCompare(b.unitName, 'zh'));
}

export interface QuotaSummary {
  units: number;
  belowQuota: number;
  totalShortfall: number;
}

export function summarizeQuotas(rows: readonly QuotaRow<unknown>[]): QuotaSummary {
  const below = rows.filter((r) => r.belowQuota);
  return { units: rows.length, belowQuota: below.length, totalShortfall: below.reduce((sum, r) => sum + r.shortfall, 0) };
}

// /配额: each unit's submissions against its type's minimum, units below quota first. The office sees
// every unit; a liaison sees only their own units.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import type { QuotaRow, QuotaSummary } from '../src/domain/campaign/quotas.js';
import { button, card, header, md } from './kit.js';
import type { Card, CardElement } from './types.js';

/** A card stays well under Lark's 30 KB limit with this many table rows. */
export const QUOTA_CARD_MAX_ROWS = 100;

export interface QuotaCardView {
  campaign: { code: string; name: string };
  rows: readonly QuotaRow<number>[];
  summary: QuotaSummary;
  hasMinimum: boolean;
  /** 'all' for the office, 'own' for a liaison's own units. */
  scope: 'all' | 'own';
  at: Date;
}

function summaryLine(v: QuotaCardView): string {
  const { units, belowQuota, totalShortfall } = v.summary;
  const who = v.scope === 'all' ? `共 **${units}** 个参加单位` : `你负责的 **${units}** 个单位中`;
  if (units === 0) {
    return v.scope === 'all' ? '还没有可以参加本活动的单位，请先添加单位。' : '你负责的单位不在本活动的申报范围内，无需申报。';
  }
  if (!v.hasMinimum) return `${who}。本活动不设最低申报数量，下表为各单位的申报数。`;
  if (belowQuota === 0) return `${who}，全部已达到最低申报数量。`;
  return `${who}，<font color='red'>**${belowQuota} 个单位未达到最低申报数量**</font>，合计还差 ${totalShortfall} 项。`;
}

export function quotaCard(v: QuotaCardView): Card {
  const shown = v.rows.slice(0, QUOTA_CARD_MAX_ROWS);
  const elements: CardElement[] = [md(summaryLine(v))];
  if (shown.length > 0) {
    elements.push({
      tag: 'table',
      page_size: 10,
      columns: [
        { name: 'unit', display_name: '单位', data_type: 'text' },
        { name: 'type', display_name: '类型', data_type: 'text' },
        { name: 'count', display_name: '已申报', data_type: 'number' },
        { name: 'minimum', display_name: '最低', data_type: 'number' },
        { name: 'shortfall', display_name: '还差', data_type: 'number' },
        { name: 'status', display_name: '状态', data_type: 'lark_md' },
      ],
      rows: shown.map((r) => ({
        unit: r.unitName,
        type: r.unitTypeLabel,
        count: r.count,
        minimum: r.minimum,
        shortfall: r.shortfall,
        status: r.belowQuota ? "<font color='red'>未达标</font>" : "<font color='green'>已达标</font>",
      })),
    });
  }
  if (v.rows.length > shown.length) {
    elements.push(md(`另有 ${v.rows.length - shown.length} 个单位未在表中列出（未达标的单位排在最前）。`));
  }
  elements.push(
    md(`<font color='grey'>统计口径：已提交且未撤回的申报。统计时间：${formatChinaDateTime(v.at)}（北京时间）</font>`),
    button('刷新', { v: 1, a: 'campaign.quota', code: v.campaign.code }, { name: 'refresh_quota' }),
  );
  const title = v.scope === 'all' ? '配额完成情况' : '本单位配额完成情况';
  return card(header(title, v.summary.belowQuota > 0 ? 'orange' : 'green', `${v.campaign.code} · ${v.campaign.name}`), elements);
}

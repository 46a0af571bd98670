// The ranking card of a closed round (top of the list with flags, a VChart bar chart and the tie-break rule), the
// result of a cut, the published result for the notice group, and the export card.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { rankingRuleText } from '../src/domain/review/aggregate.js';
import { formatNumber } from '../src/domain/review/format.js';
import { card, escapeMd, header, hr, md } from './kit.js';
import type { Card, CardElement } from './types.js';

export interface RankedRowView {
  id: number;
  rank: number;
  trackingNo: string;
  title: string;
  unitName: string;
  reviews: number;
  quorumMet: boolean;
  weightedMean: number | null;
  median: number | null;
  normalized: number | null;
  votes: { recommend: number; not_recommend: number; abstain: number };
  disagreement: { scoreSpread: boolean; voteSplit: boolean };
}

export interface RankingCardView {
  campaign: { code: string; name: string };
  round: { label: string; quorum: number; closedAt: Date | null; overrideReason: string | null };
  items: readonly RankedRowView[];
  reviewers: readonly { name: string; flag: 'single_item' | 'zero_variance' | null }[];
  shortlist: { kind: 'none' } | { kind: 'advanced' | 'final'; kept: readonly number[]; nextLabel: string | null; decision: { decision: 'approved' | 'returned'; reason: string | null; leaderName: string } | null };
  next: { label: string } | null;
  cap: { rule: 'at_most' | 'top'; max: number; phaseLabel: string } | null;
}

export const RANKING_ROWS = 20;
export const CHART_BARS = 10;
const score = (x: number | null, digits = 2): string => (x === null ? '—' : formatNumber(x, digits));

function flags(i: RankedRowView): string {
  const f: string[] = [];
  if (i.disagreement.scoreSpread) f.push('⚠评分分歧');
  if (i.disagreement.voteSplit) f.push('⚠投票分裂');
  if (!i.quorumMet) f.push('未达法定份数');
  return f.join(' ');
}

/** A VChart bar spec of the top items' weighted means (LARK.md §4: chart_spec takes a VChart spec). */
export function rankingChartSpec(items: readonly RankedRowView[]): Record<string, unknown> {
  const values = items
    .filter((i) => i.weightedMean !== null)
    .slice(0, CHART_BARS)
    .map((i) => ({ item: `${i.rank}. ${i.trackingNo}`, score: Math.round((i.weightedMean ?? 0) * 100) / 100 }));
  return {
    type: 'bar',
    data: [{ id: 'ranking', values }],
    xField: 'item',
    yField: 'score',
    label: { visible: true },
    axes: [{ orient: 'left', title: { visible: true, text: '加权平均分' } }, { orient: 'bottom', label: { autoRotate: true } }],
  };
}

export function rankingCard(v: RankingCardView): Card {
  const kept = new Set(v.shortlist.kind === 'none' ? [] : v.shortlist.kept);
  const rows = v.items.slice(0, RANKING_ROWS).map((i) => ({
    rank: i.rank,
    item: `${i.trackingNo} ${i.title}`,
    normalized: score(i.normalized, 3),
    mean: score(i.weightedMean),
    median: score(i.median),
    votes: `${i.votes.recommend}/${i.votes.not_recommend}/${i.votes.abstain}`,
    reviews: i.reviews,
    flags: [kept.has(i.id) ? '入围' : '', flags(i)].filter(Boolean).join(' '),
  }));
  const flagged = v.reviewers.filter((r) => r.flag !== null).map((r) => `${escapeMd(r.name)}（${r.flag === 'single_item' ? '只评了1项' : '所有评分相同'}）`);
  const elements: CardElement[] = [];
  if (v.items.length === 0) elements.push(md('本轮没有成果。'));
  else {
    elements.push({
      tag: 'table',
      page_size: 10,
      columns: [
        { name: 'rank', display_name: '名次', data_type: 'number' },
        { name: 'item', display_name: '编号与标题', data_type: 'text' },
        { name: 'normalized', display_name: '标准化分', data_type: 'text' },
        { name: 'mean', display_name: '加权均分', data_type: 'text' },
        { name: 'median', display_name: '中位数', data_type: 'text' },
        { name: 'votes', display_name: '推荐/不推荐/弃权', data_type: 'text' },
        { name: 'reviews', display_name: '份数', data_type: 'number' },
        { name: 'flags', display_name: '标记', data_type: 'text' },
      ],
      rows,
    });
    if (v.items.length > RANKING_ROWS) elements.push(md(`<font color='grey'>仅显示前${RANKING_ROWS}名，共${v.items.length}项；完整排名请用“/导出”。</font>`));
    elements.push({ tag: 'chart', aspect_ratio: '16:9', chart_spec: rankingChartSpec(v.items) });
  }
  elements.push(md(`<font color='grey'>${rankingRuleText}分歧标记：加权得分的最高与最低之差超过满分区间的30%（⚠评分分歧），或推荐与不推荐各占三分之一以上（⚠投票分裂）。</font>`));
  if (flagged.length) elements.push(md(`<font color='grey'>以下评审专家的评分无法标准化，按0计入标准化分：${flagged.join('、')}。</font>`));
  if (v.round.overrideReason) elements.push(md(`**本轮为强制关闭**，理由：${escapeMd(v.round.overrideReason)}`));
  elements.push(hr(), md(nextStep(v)));
  const closed = v.round.closedAt ? `${formatChinaDateTime(v.round.closedAt)}关闭` : '';
  return card(header(`排名 · ${v.round.label}`, 'indigo', `${v.campaign.name} · ${closed}`), elements);
}

function nextStep(v: RankingCardView): string {
  const capText = v.cap ? `（“${v.cap.phaseLabel}”${v.cap.rule === 'top' ? `取前${v.cap.max}名` : `最多${v.cap.max}项`}）` : '';
  if (v.shortlist.kind === 'none') {
    const then = v.next ? `并开启“${v.next.label}”` : '作为最终名单';
    return `下一步：发送“/排名 入围 <数量> [每单位上限]”确定入围名单${capText}，${then}。`;
  }
  const d = v.shortlist.decision;
  const decision = d ? (d.decision === 'approved' ? `领导（${escapeMd(d.leaderName)}）已批准。` : `领导（${escapeMd(d.leaderName)}）已退回，理由：${escapeMd(d.reason ?? '')}。`) : '尚未报送或领导尚未答复。';
  const where = v.shortlist.nextLabel ? `，已进入“${v.shortlist.nextLabel}”` : '';
  return `已入围${v.shortlist.kept.length}项${where}。${decision}发送“/排名 报送”请领导审批，发送“/发布”公布结果。`;
}

export interface CutView {
  round: { label: string };
  kept: readonly { rank: number; trackingNo: string; title: string; unitName: string }[];
  cut: readonly { item: { trackingNo: string }; position: number; rule: string }[];
  next: { label: string } | null;
}

export function cutResultCard(v: CutView): Card {
  const kept = v.kept.map((i) => `${i.rank}. ${escapeMd(i.trackingNo)}\u3000${escapeMd(i.title)}（${escapeMd(i.unitName)}）`);
  const capped = v.cut.filter((c) => c.rule !== '排名在入围名额之外').map((c) => `第${c.position}名 ${escapeMd(c.item.trackingNo)}：${c.rule}`);
  const then = v.next ? `已开启“${v.next.label}”，评审专家沿用本轮名单；请发送“/评审 分配”分配评审任务。` : '这是本轮次的最终名单，入围成果已标记为“已推荐”。发送“/排名 报送”请领导审批。';
  return card(header(`入围名单 · ${v.round.label}`, 'green', `共入围${v.kept.length}项`), [
    md(kept.join('\n') || '（无）'),
    ...(capped.length ? [md(`**因每单位上限未入围**：\n${capped.join('\n')}`)] : []),
    md(then),
  ]);
}

export interface PublishedView {
  campaign: { name: string };
  round: { label: string };
  nextLabel: string | null;
  approvedBy: string | null;
  total: number;
  kept: readonly { rank: number; trackingNo: string; title: string; unitName: string }[];
}

/** Posted to the campaign's notice group: who made it, without scores. */
export function publishedResultCard(v: PublishedView): Card {
  const lines = v.kept.map((i, n) => `${n + 1}. ${escapeMd(i.title)}（${escapeMd(i.unitName)}，${escapeMd(i.trackingNo)}）`);
  const into = v.nextLabel ? `进入“${v.nextLabel}”` : '入选';
  return card(header(`评审结果公布 · ${v.round.label}`, 'red', v.campaign.name), [
    md(`“${v.round.label}”共评审${v.total}项，以下${v.kept.length}项${into}：\n${lines.join('\n')}`),
    ...(v.approvedBy ? [md(`<font color='grey'>名单已经领导（${escapeMd(v.approvedBy)}）批准。</font>`)] : []),
    md("<font color='grey'>各申报单位联络人已收到本单位成果的结果通知。</font>"),
  ]);
}

export function exportCard(v: { campaign: { code: string; name: string }; round: { label: string }; items: number; sheets: number; link: { url: string; expiresAt: Date } }): Card {
  return card(header(`导出 · ${v.round.label}`, 'turquoise', v.campaign.name), [
    md(`已生成“${v.round.label}”的评分明细表（XLSX）：${v.items}项成果、${v.sheets}份评审，包含每位评审专家的各项评分、加权得分、标准化得分、投票和评语，以及汇总排名。`),
    md(`[点击下载 XLSX](${v.link.url})\n链接仅限本人使用，${formatChinaDateTime(v.link.expiresAt)} 前有效，请勿转发；过期后请重新发送“/导出”。`),
  ]);
}

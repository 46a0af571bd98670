// /导出 (issue 5): an XLSX with every score, vote and comment of a closed round, plus the aggregated ranking, for
// the paperwork. The bot answers with a signed download link (src/http/download-links.ts); the download route
// calls exportRoundByLink.
import ExcelJS from 'exceljs';
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { rankingRuleText, reviewerZScore } from '../domain/review/aggregate.js';
import { voteLabels, weightedScore } from '../domain/review/scores.js';
import { recordAudit } from './audit.js';
import { campaignByCode } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { rankRound, shortlistOf, type RoundRanking } from './ranking.js';
import { latestClosedRoundOf, lockRound } from './review-rounds.js';

const round2 = (x: number | null): number | string => (x === null ? '' : Math.round(x * 1000) / 1000);

/** The workbook: 评分明细 (one row per sheet), 汇总排名 (one row per item, in rank order), 说明. */
export async function buildWorkbook(ranking: RoundRanking, keptIds: ReadonlySet<number>, now: Date): Promise<Buffer> {
  const { campaign, round, criteria, items, reviewers, sheets } = ranking;
  const wb = new ExcelJS.Workbook();
  wb.created = now;
  const byId = new Map(items.map((i) => [i.id, i]));
  const stats = new Map(reviewers.map((r) => [r.openId, r]));

  const detail = wb.addWorksheet('评分明细');
  detail.addRow(['申报编号', '标题', '申报单位', '评审专家', '评审专家 open_id', ...criteria.map((c) => `${c.label}（${c.scale.min}–${c.scale.max}）`), '加权得分', '标准化得分', '投票', '评语', '最后修改时间']);
  const ordered = [...sheets].sort((a, b) => (byId.get(a.submissionId)?.rank ?? 0) - (byId.get(b.submissionId)?.rank ?? 0) || (a.reviewerOpenId < b.reviewerOpenId ? -1 : 1));
  for (const s of ordered) {
    const item = byId.get(s.submissionId);
    const total = weightedScore(criteria, s.scores);
    const z = total === null ? null : reviewerZScore(total, stats.get(s.reviewerOpenId));
    detail.addRow([
      item?.trackingNo ?? '',
      item?.title ?? '',
      item?.unitName ?? '',
      stats.get(s.reviewerOpenId)?.name ?? s.reviewerOpenId,
      s.reviewerOpenId,
      ...criteria.map((c) => s.scores[c.key] ?? ''),
      round2(total),
      round2(z),
      voteLabels[s.vote],
      s.comment,
      formatChinaDateTime(s.updatedAt),
    ]);
  }

  const summary = wb.addWorksheet('汇总排名');
  summary.addRow(['排名', '申报编号', '标题', '申报单位', '评审份数', '达到法定份数', '加权平均分', '中位数', '标准化得分', '推荐', '不推荐', '弃权', '分差', '分歧标记', '入围']);
  for (const i of items) {
    const flags = [i.disagreement.scoreSpread ? '评分分歧大' : '', i.disagreement.voteSplit ? '投票分裂' : ''].filter(Boolean).join('、');
    summary.addRow([
      i.rank, i.trackingNo, i.title, i.unitName, i.reviews, i.quorumMet ? '是' : '否', round2(i.weightedMean), round2(i.median), round2(i.normalized),
      i.votes.recommend, i.votes.not_recommend, i.votes.abstain, round2(i.spread), flags, keptIds.has(i.id) ? '是' : '',
    ]);
  }

  const notes = wb.addWorksheet('说明');
  const lines: [string, string][] = [
    ['活动', `${campaign.name}（${campaign.code}）`],
    ['评审轮次', round.label],
    ['开启时间', formatChinaDateTime(round.openedAt)],
    ['关闭时间', round.closedAt ? formatChinaDateTime(round.closedAt) : ''],
    ['每项法定评审份数', String(round.quorum)],
    ['强制关闭理由', round.overrideReason ?? '（未强制关闭）'],
    ['排序规则', rankingRuleText],
    ['导出时间', formatChinaDateTime(now)],
  ];
  for (const line of lines) notes.addRow(line);
  for (const ws of [detail, summary, notes]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The XLSX of one closed round, audited as an export. */
export async function exportRound({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { campaign: RoundRanking['campaign']; round: RoundRanking['round'] }; actorOpenId: string | null }) {
  const ranking = await rankRound(ctx.db, input.campaign, input.round);
  const shortlist = await shortlistOf(ctx.db, input.round, ranking.items);
  const now = ctx.clock.now();
  const bytes = await buildWorkbook(ranking, new Set(shortlist.kind === 'none' ? [] : shortlist.kept), now);
  await recordAudit(ctx.db, { at: now, actorOpenId, action: 'review.export', entityType: 'review_round', entityId: String(input.round.id), after: { bytes: bytes.length, sheets: ranking.sheets.length } });
  return { fileName: `${input.campaign.code}-${input.round.label}-评分明细.xlsx`, bytes, ranking };
}

/** For the download route: the round named by a link, which must still belong to the campaign and be closed. */
export async function exportRoundByLink({ ctx, input }: { ctx: ServiceCtx; input: { campaignCode: string; roundId: number } }) {
  const campaign = await campaignByCode(ctx, input.campaignCode);
  const round = campaign && (await lockRound(ctx.db, input.roundId, 'share'));
  if (!campaign || !round || round.campaignId !== campaign.id) return undefined;
  return exportRound({ ctx, input: { campaign, round }, actorOpenId: null });
}

/** /导出: what the file of the newest closed round holds (the command adds the signed link). */
export async function exportSummary({ ctx, input }: { ctx: ServiceCtx; input: { campaignCode?: string | undefined } }) {
  const { campaign, round } = await latestClosedRoundOf(ctx, input.campaignCode);
  const ranking = await rankRound(ctx.db, campaign, round);
  return { campaign, round, items: ranking.items.length, sheets: ranking.sheets.length };
}

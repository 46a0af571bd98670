// /导出 (issue 5): an XLSX with every score, vote and comment of a closed round, plus the aggregated ranking, for
// the paperwork. The bot answers with a signed download link (src/http/download-links.ts); the download route
// calls exportRoundByLink.
import { formatChinaDateTime } from '../domain/campaign/china-time.js';
import { rankingRuleText, reviewerZScore } from '../domain/review/aggregate.js';
import { voteLabels, weightedScore } from '../domain/review/scores.js';
import { recordAudit } from './audit.js';
import { campaignByCode } from './campaigns.js';
import type { ServiceCtx } from './context.js';
import { rankRound, shortlistOf, type RoundRanking } from './ranking.js';
import { latestClosedRoundOf, lockRound } from './review-rounds.js';
import { writeXlsx, type SheetSpec } from './xlsx-writer.js';

const round2 = (x: number | null): number | string => (x === null ? '' : Math.round(x * 1000) / 1000);

/** The workbook: 评分明细 (one row per sheet), 汇总排名 (one row per item, in rank order), 说明. */
export async function buildWorkbook(ranking: RoundRanking, keptIds: ReadonlySet<number>, now: Date): Promise<Buffer> {
  const { campaign, round, criteria, items, reviewers, sheets } = ranking;
  const byId = new Map(items.map((i) => [i.id, i]));
  const stats = new Map(reviewers.map((r) => [r.openId, r]));
  const col = (header: string, width: number) => ({ header, width });

  const ordered = [...sheets].sort((a, b) => (byId.get(a.submissionId)?.rank ?? 0) - (byId.get(b.submissionId)?.rank ?? 0) || (a.reviewerOpenId < b.reviewerOpenId ? -1 : 1));
  const detail: SheetSpec = {
    name: '评分明细',
    columns: [
      col('申报编号', 14), col('标题', 30), col('申报单位', 18), col('评审专家', 10), col('评审专家 open_id', 20),
      ...criteria.map((c) => col(`${c.label}（${c.scale.min}–${c.scale.max}）`, 12)),
      col('加权得分', 10), col('标准化得分', 10), col('投票', 8), col('评语', 40), col('最后修改时间', 18),
    ],
    rows: ordered.map((s) => {
      const item = byId.get(s.submissionId);
      const total = weightedScore(criteria, s.scores);
      const z = total === null ? null : reviewerZScore(total, stats.get(s.reviewerOpenId));
      return [
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
      ];
    }),
  };

  const summary: SheetSpec = {
    name: '汇总排名',
    columns: [
      col('排名', 6), col('申报编号', 14), col('标题', 30), col('申报单位', 18), col('评审份数', 8), col('达到法定份数', 10), col('加权平均分', 10), col('中位数', 8),
      col('标准化得分', 10), col('推荐', 6), col('不推荐', 6), col('弃权', 6), col('分差', 6), col('分歧标记', 18), col('入围', 6),
    ],
    rows: items.map((i) => {
      const flags = [i.disagreement.scoreSpread ? '评分分歧大' : '', i.disagreement.voteSplit ? '投票分裂' : ''].filter(Boolean).join('、');
      return [
        i.rank, i.trackingNo, i.title, i.unitName, i.reviews, i.quorumMet ? '是' : '否', round2(i.weightedMean), round2(i.median), round2(i.normalized),
        i.votes.recommend, i.votes.not_recommend, i.votes.abstain, round2(i.spread), flags, keptIds.has(i.id) ? '是' : '',
      ];
    }),
  };

  const notes: SheetSpec = {
    name: '说明',
    columns: [col('项目', 18), col('内容', 60)],
    rows: [
      ['活动', `${campaign.name}（${campaign.code}）`],
      ['评审轮次', round.label],
      ['开启时间', formatChinaDateTime(round.openedAt)],
      ['关闭时间', round.closedAt ? formatChinaDateTime(round.closedAt) : ''],
      ['每项法定评审份数', String(round.quorum)],
      ['强制关闭理由', round.overrideReason ?? '（未强制关闭）'],
      ['排序规则', rankingRuleText],
      ['导出时间', formatChinaDateTime(now)],
    ],
  };
  return writeXlsx([detail, summary, notes], { creator: '改革创新助手', created: now });
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

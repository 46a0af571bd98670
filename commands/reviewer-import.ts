// The 评审专家 table of /导入 (detected by its header): names reviewers for the campaign's open round in bulk,
// the file counterpart of “/评审 专家 @某人”. All rows or none, answered with a summary card.
import { importGuideCard } from '../cards/import-summary.js';
import { card, escapeMd, header, hr, md } from '../cards/kit.js';
import type { Card } from '../cards/types.js';
import { fitLines, LIST_BYTES } from '../cards/units.js';
import { reviewerImportExample, reviewerImportFormat } from '../src/domain/review/reviewer-import.js';
import type { RowProblem } from '../src/domain/unit-import.js';
import { importReviewers, type ReviewerImportGroup } from '../src/services/reviewer-import.js';
import type { Table } from '../src/services/unit-import.js';
import { textNotice } from './review.js';
import type { CommandContext, Reply } from './types.js';

const LISTED = 30;
const names = (list: readonly string[]): string =>
  `${list.slice(0, LISTED).map(escapeMd).join('、')}${list.length > LISTED ? ` 等 ${list.length} 人` : ''}`;

export function reviewerImportDoneCard(v: { source: string; rowCount: number; groups: readonly ReviewerImportGroup[]; membershipsAdded: number }): Card {
  const sections = v.groups.map((g) =>
    [
      `**${escapeMd(g.campaignName)}**（${g.campaignCode}）· ${escapeMd(g.roundLabel)}`,
      `新增评审专家 **${g.added.length}** 人${g.added.length ? `：${names(g.added)}` : ''}`,
      ...(g.already.length ? [`已在名单中 ${g.already.length} 人：${names(g.already)}`] : []),
    ].join('\n'),
  );
  return card(header('评审专家导入完成', 'green', v.source), [
    md(`共 ${v.rowCount} 行；新登记所在单位 ${v.membershipsAdded} 人（评审时自动回避本单位的项目）。`),
    ...sections.map(md),
    hr(),
    md('下一步：发送“/评审 分配”把项目分给专家。'),
  ]);
}

export function reviewerImportRejectedCard(v: { source: string; rowCount: number; problems: readonly RowProblem[] }): Card {
  const { shown, omitted } = fitLines(v.problems.map((p) => `- **第${p.rowNumber}行**：${escapeMd(p.reason)}`), LIST_BYTES);
  const lines = omitted ? [...shown, `- ……还有 ${omitted} 行有问题，请先改正上面这些行`] : shown;
  return card(header('评审专家导入未完成：没有写入任何数据', 'red', v.source), [
    md(`共 ${v.rowCount} 行，其中 **${v.problems.length}** 行有问题。请改正下面这些行，然后重新发送整份表格（全部正确才会导入）：`),
    md(lines.join('\n')),
  ]);
}

function guide(problem: string): Reply {
  return { kind: 'card', card: importGuideCard([{ label: reviewerImportFormat.label, columns: reviewerImportFormat.columns, example: reviewerImportExample }], problem) };
}

function headerProblems(m: { missing: string[]; unknown: string[]; duplicate: string[] }): string {
  return [m.missing.length ? `缺少必填列：${m.missing.join('、')}` : '', m.unknown.length ? `不认识的列：${m.unknown.join('、')}` : '', m.duplicate.length ? `重复的列：${m.duplicate.join('、')}` : '']
    .filter(Boolean)
    .join('；');
}

export const reviewerImporter = {
  format: reviewerImportFormat,
  example: reviewerImportExample,
  async run(ctx: CommandContext, table: Table): Promise<Reply> {
    const result = await importReviewers({ ctx: ctx.svc, input: { table }, actorOpenId: ctx.actor.openId });
    switch (result.kind) {
      case 'badHeader':
        return guide(`“${table.source}”的表头有问题：${headerProblems(result)}`);
      case 'empty':
        return guide(`“${table.source}”只有表头，没有数据行。请在表头下面每行填写一位评审专家。`);
      case 'tooMany':
        return { kind: 'text', text: `一次最多导入 ${result.max} 行，“${table.source}”有 ${result.count} 行。请拆分后分批发送。` };
      case 'rejected':
        return { kind: 'card', card: reviewerImportRejectedCard({ source: table.source, rowCount: result.rowCount, problems: result.problems }) };
      case 'done': {
        // Same keys as “/评审 专家 @某人”, so someone named both ways is told once.
        const notify = result.groups.flatMap((g) =>
          g.addedOpenIds.map((openId) =>
            textNotice(`review:panel:${g.roundId}:${openId}`, 'review.panel', openId, `你被指定为“${g.campaignName}”“${g.roundLabel}”的评审专家。分配评审任务后你会收到评审卡片，也可以随时发送“/评审”查看。`),
          ),
        );
        return { kind: 'card', card: reviewerImportDoneCard({ source: table.source, ...result }), notify };
      }
    }
  },
};

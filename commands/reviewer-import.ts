// The 评审专家 table of /导入 (detected by its header): names reviewers for the campaign's open round in bulk,
// the file counterpart of “/评审 专家 @某人”. All rows or none, answered with a summary card.
import { importGuideCard } from '../cards/import-summary.js';
import { reviewerImportDoneCard, reviewerImportRejectedCard } from '../cards/reviewer-import.js';
import { reviewerImportExample, reviewerImportFormat } from '../src/domain/review/reviewer-import.js';
import { headerProblems } from '../src/domain/unit-import.js';
import { importReviewers } from '../src/services/reviewer-import.js';
import type { Table } from '../src/services/unit-import.js';
import { textNotice } from './review.js';
import type { CommandContext, Reply } from './types.js';

function guide(problem: string): Reply {
  return { kind: 'card', card: importGuideCard([{ label: reviewerImportFormat.label, columns: reviewerImportFormat.columns, example: reviewerImportExample }], problem) };
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

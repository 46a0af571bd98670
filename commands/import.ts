// /导入: bulk set-up from a table. A file message (CSV/XLSX) runs this command with the file
// attached; typed, the rows follow the command on their own lines. The header row decides what
// is imported: today the units table; a ledger-task import adds its format to `importFormats`.
import { z } from 'zod';
import { importDoneCard, importGuideCard, importRejectedCard, type ImportFormatView } from '../cards/import-summary.js';
import { detectFormat, headerProblems, unitImportFormat, type ImportFormat } from '../src/domain/unit-import.js';
import { importUnits, readTable, type Table } from '../src/services/unit-import.js';
import { defineCommand, type CommandContext, type Reply } from './types.js';
import { ledgerTaskImporter } from './ledger.js';
import { reviewerImporter } from './reviewer-import.js';

interface Importer {
  format: ImportFormat;
  example: string[][];
  run(ctx: CommandContext, table: Table): Promise<Reply>;
}

const unitImporter: Importer = {
  format: unitImportFormat,
  example: [
    ['平山区', '县区', '', '否', '否', 'ou_7d8a6e2f', '赵芳', ''],
    ['本溪高新区', '园区', '平山区', '否', '否', 'ou_3c1b9a40', '李明', 'ou_5e2d7c11:王刚;ou_9a4f0b23:刘洋'],
  ],
  async run(ctx, table) {
    const result = await importUnits({ ctx: ctx.svc, input: { table }, actorOpenId: ctx.actor.openId });
    switch (result.kind) {
      case 'badHeader':
        return guide(`“${table.source}”的表头有问题：${headerProblems(result)}`);
      case 'rejected':
        return { kind: 'card', card: importRejectedCard({ source: table.source, rowCount: result.rowCount, problems: result.problems }) };
      case 'done':
        return { kind: 'card', card: importDoneCard({ source: table.source, ...result }) };
    }
  },
};

/** Every table the bot can import, told apart by their header rows. */
const importers: readonly Importer[] = [unitImporter, ledgerTaskImporter, reviewerImporter];


function guide(problem?: string): Reply {
  const views: ImportFormatView[] = importers.map((i) => ({ label: i.format.label, columns: i.format.columns, example: i.example }));
  return { kind: 'card', card: importGuideCard(views, problem) };
}

/**
 * Pasted rows: the message after the command with its line breaks and tabs (ctx.text); without
 * it (a command re-run from a card), the words, one row each.
 */
export function pastedText(words: readonly string[], text?: string): string {
  return text && text.trim() ? text : words.join('\n');
}

export const importCommand = defineCommand({
  name: '导入',
  aliases: ['import'],
  summary: '批量建立或更新单位：发送 Excel/CSV 文件，或在“/导入”后粘贴表格',
  usage: '直接发送 .xlsx 或 .csv 文件；或发送“/导入”并从第二行起粘贴表格（从 Excel 复制，或各列用英文逗号分隔）',
  roles: ['admin'],
  args: z.array(z.string()),
  async run(ctx, words) {
    if (!ctx.attachment && words.length === 0) return guide();
    const table = await readTable(ctx.attachment ?? { text: pastedText(words, ctx.text) });
    const importer = detectFormat(table.header.cells, importers.map((i) => i.format));
    const chosen = importers.find((i) => i.format === importer);
    if (!chosen) {
      const seen = table.header.cells.map((c) => c.trim()).filter(Boolean);
      const pastedSpaces = !ctx.attachment && seen.length === 1 && !/[,，\t]/.test(seen[0] ?? '') && words.length > 1;
      return guide(
        pastedSpaces
          ? '粘贴的内容无法分列：请用制表符（从 Excel 直接复制）或英文逗号分隔各列后重新发送，或直接发送 Excel/CSV 文件。'
          : `无法识别“${table.source}”的表头（${seen.join('、') || '空'}）。请按下面的表头填写第一行。`,
      );
    }
    return chosen.run(ctx, table);
  },
});

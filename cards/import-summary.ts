// What a bulk import did: everything written (counts and names), or nothing written and why,
// row by row; and the guide that says which columns an import expects.
import type { Card } from './types.js';
import { card, escapeMd, header, hr, md } from './kit.js';
import { fitLines, LIST_BYTES } from './units.js';

/** Names listed before the card says "…N in all" (a card holds at most 30 KB). */
export const LISTED_NAMES = 30;

function names(label: string, list: readonly string[]): string {
  if (list.length === 0) return '';
  const shown = list.slice(0, LISTED_NAMES).map(escapeMd).join('、');
  return `**${label}**：${shown}${list.length > LISTED_NAMES ? ` 等 ${list.length} 个` : ''}`;
}

export interface ImportDoneView {
  source: string;
  rowCount: number;
  created: readonly string[];
  updated: readonly string[];
  unchanged: readonly string[];
  liaisonsSet: number;
  membersAdded: number;
}

export function importDoneCard(v: ImportDoneView): Card {
  const counts = `共 ${v.rowCount} 行：新建 **${v.created.length}** 个单位，更新 **${v.updated.length}** 个，无变化 **${v.unchanged.length}** 个；设置联络人 ${v.liaisonsSet} 次，新增成员 ${v.membersAdded} 人。`;
  const lists = [names('新建', v.created), names('更新', v.updated)].filter(Boolean).join('\n');
  return card(header('单位导入完成', 'green', v.source), [
    md(counts),
    ...(lists ? [md(lists)] : []),
    hr(),
    md('已有单位按名称更新，不会重复建立；表格里没有列出的成员不会被移除。发送“/单位 列表”查看结果。'),
  ]);
}

export interface ImportRejectedView {
  source: string;
  rowCount: number;
  problems: readonly { rowNumber: number; reason: string }[];
}

export function importRejectedCard(v: ImportRejectedView): Card {
  const { shown, omitted } = fitLines(
    v.problems.map((p) => `- **第${p.rowNumber}行**：${escapeMd(p.reason)}`),
    LIST_BYTES,
  );
  const lines = omitted ? [...shown, `- ……还有 ${omitted} 行有问题，请先改正上面这些行`] : shown;
  return card(header('单位导入未完成：没有写入任何数据', 'red', v.source), [
    md(`共 ${v.rowCount} 行，其中 **${v.problems.length}** 行有问题。请改正下面这些行，然后重新发送整份表格（全部正确才会导入）：`),
    md(lines.join('\n')),
  ]);
}

export interface ImportFormatView {
  label: string;
  columns: readonly { header: string; required: boolean }[];
  example: readonly string[][];
}

/** The columns each import expects; `problem` (red) says what was wrong with the table sent. */
export function importGuideCard(formats: readonly ImportFormatView[], problem?: string): Card {
  const sections = formats.map((f) => {
    const cols = f.columns.map((c) => `${escapeMd(c.header)}${c.required ? '（必填）' : ''}`).join('、');
    const example = [f.columns.map((c) => c.header), ...f.example].map((r) => r.map(escapeMd).join(',')).join('\n');
    return `**${escapeMd(f.label)}**的表头（第一行）依次为：\n${cols}\n\n示例：\n${example}`;
  });
  return card(header('批量导入', problem ? 'orange' : 'blue'), [
    ...(problem ? [md(`<font color='red'>${escapeMd(problem)}</font>`)] : []),
    md(sections.join('\n\n')),
    hr(),
    md('发送方式：把 Excel（.xlsx）或 CSV 文件直接发给我；或发送“/导入”，从第二行起粘贴表格内容（每行一个单位，各列用英文逗号分隔）。先检查全部行，有任何一行不对就都不导入。'),
  ]);
}

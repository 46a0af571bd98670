// The answers to a reviewer file sent to /导入: who was named in which round, or every row to fix (nothing written).
import { fitLines, LIST_BYTES } from './units.js';
import { card, escapeMd, header, hr, md } from './kit.js';
import type { Card } from './types.js';

export interface ReviewerImportGroupView {
  campaignCode: string;
  campaignName: string;
  roundLabel: string;
  added: readonly string[];
  already: readonly string[];
}

const LISTED = 30;
const names = (list: readonly string[]): string =>
  `${list.slice(0, LISTED).map(escapeMd).join('、')}${list.length > LISTED ? ` 等 ${list.length} 人` : ''}`;

export function reviewerImportDoneCard(v: { source: string; rowCount: number; groups: readonly ReviewerImportGroupView[]; membershipsAdded: number }): Card {
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

export function reviewerImportRejectedCard(v: { source: string; rowCount: number; problems: readonly { rowNumber: number; reason: string }[] }): Card {
  const { shown, omitted } = fitLines(v.problems.map((p) => `- **第${p.rowNumber}行**：${escapeMd(p.reason)}`), LIST_BYTES);
  const lines = omitted ? [...shown, `- ……还有 ${omitted} 行有问题，请先改正上面这些行`] : shown;
  return card(header('评审专家导入未完成：没有写入任何数据', 'red', v.source), [
    md(`共 ${v.rowCount} 行，其中 **${v.problems.length}** 行有问题。请改正下面这些行，然后重新发送整份表格（全部正确才会导入）：`),
    md(lines.join('\n')),
  ]);
}


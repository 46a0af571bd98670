// /我: who the bot thinks you are.
import type { Card } from './types.js';
import { card, escapeMd, header, md } from './kit.js';

export interface WhoamiView {
  openId: string;
  name: string | undefined;
  roleLabels: string[];
  units: { name: string; roleLabel: string }[];
}

export function whoamiCard(v: WhoamiView): Card {
  const unitLines = v.units.length ? v.units.map((u) => `- ${escapeMd(u.name)}（${u.roleLabel}）`).join('\n') : '未加入任何单位';
  return card(header('我的身份', 'turquoise'), [
    md(
      [
        `**姓名**：${v.name ? escapeMd(v.name) : '（未知）'}`,
        `**Open ID**：${escapeMd(v.openId)}`,
        `**角色**：${v.roleLabels.join('、')}`,
        `**所在单位**：\n${unitLines}`,
      ].join('\n'),
    ),
  ]);
}

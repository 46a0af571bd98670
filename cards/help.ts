// /帮助: the command list (from the command table) and one command's usage.
import type { Card } from './types.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';

export interface HelpEntry {
  name: string;
  aliases: readonly string[];
  summary: string;
  usage: string;
}

export function helpListCard(entries: readonly HelpEntry[]): Card {
  const lines = entries.map((e) => `- **/${escapeMd(e.name)}**\u3000${escapeMd(e.summary)}`);
  return card(header('改革创新助手 · 命令列表', 'blue', '发送“/帮助 命令名”查看用法'), [
    md(entries.length ? lines.join('\n') : '你目前没有可用的命令。'),
    hr(),
    md('在群里使用时请先 @我；私聊可直接发送命令。命令前的“/”可省略。'),
    ...entries.slice(0, 20).map((e, i) =>
      button(`用法：${e.name}`, { v: 1, a: 'help.usage', command: e.name }, { name: `usage_${i}`, type: 'text' }),
    ),
  ]);
}

export function helpUsageCard(entry: HelpEntry): Card {
  const aliases = entry.aliases.length ? entry.aliases.map((a) => `/${escapeMd(a)}`).join('、') : '无';
  return card(header(`命令：/${entry.name}`, 'wathet'), [
    md(`${escapeMd(entry.summary)}\n\n**用法**：${escapeMd(entry.usage)}\n**别名**：${aliases}`),
    hr(),
    button('返回命令列表', { v: 1, a: 'help.list' }, { name: 'back' }),
  ]);
}

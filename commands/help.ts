import { z } from 'zod';
import { helpListCard, helpUsageCard } from '../cards/help.js';
import { isAllowed } from '../src/domain/roles.js';
import { DomainError } from '../src/errors.js';
import { defineAction, defineCommand, type CommandInfo, type HandlerContext } from './types.js';

/** Only the commands this person may run: deny by default extends to the listing. */
function visible(ctx: HandlerContext): CommandInfo[] {
  return ctx.catalog.filter((c) => isAllowed(ctx.actor, c.roles));
}

function find(catalog: readonly CommandInfo[], word: string): CommandInfo | undefined {
  const w = word.replace(/^[/／]/, '').toLowerCase();
  return catalog.find((c) => c.name === w || c.aliases.some((a) => a.toLowerCase() === w));
}

export const help = defineCommand({
  name: '帮助',
  aliases: ['help', '命令'],
  summary: '列出你可以使用的命令，或查看某个命令的用法',
  usage: '/帮助 [命令名]',
  roles: ['public'],
  args: z
    .array(z.string())
    .max(2, { message: '最多写一个命令名' })
    .transform((w) => w.join(' ') || undefined),
  async run(ctx, commandName) {
    if (!commandName) return { kind: 'card', card: helpListCard(visible(ctx)) };
    const entry = find(ctx.catalog, commandName);
    if (!entry) throw new DomainError('command.unknown', { input: commandName });
    return { kind: 'card', card: helpUsageCard(entry) };
  },
});

export const helpUsageAction = defineAction({
  action: 'help.usage',
  roles: ['public'],
  async run(ctx, payload) {
    const entry = find(ctx.catalog, payload.command);
    if (!entry) return { toast: { type: 'error', content: '这个命令已不存在，请重新发送“/帮助”。' } };
    return { card: helpUsageCard(entry) };
  },
});

export const helpListAction = defineAction({
  action: 'help.list',
  roles: ['public'],
  async run(ctx) {
    return { card: helpListCard(visible(ctx)) };
  },
});

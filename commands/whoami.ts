import { z } from 'zod';
import { whoamiCard } from '../cards/whoami.js';
import { roleLabels } from '../src/domain/roles.js';
import { defineCommand } from './types.js';

export const whoami = defineCommand({
  name: '我',
  aliases: ['whoami', '我是谁'],
  summary: '查看机器人识别的你的身份和角色',
  usage: '/我',
  roles: ['public'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数' }),
  async run(ctx) {
    const { actor } = ctx;
    return {
      kind: 'card',
      card: whoamiCard({
        openId: actor.openId,
        name: actor.name,
        roleLabels: actor.roles.map((r) => roleLabels[r]),
        units: actor.units.map((u) => ({ name: u.unitName, roleLabel: roleLabels[u.role] })),
      }),
    };
  },
});

// /配额: who is below their submission quota. The office sees every unit; a liaison only the units
// they are liaison of (checked here on every call, so a forwarded card shows nobody else's rows).
import { z } from 'zod';
import { quotaCard } from '../cards/quotas.js';
import { DomainError } from '../src/errors.js';
import { findCampaign } from '../src/services/campaigns.js';
import { quotaReport } from '../src/services/quotas.js';
import type { Card } from '../cards/types.js';
import { defineAction, defineCommand, type HandlerContext } from './types.js';

const ROLES = ['admin', 'liaison'] as const;

async function quotaView(ctx: HandlerContext, code: string | undefined): Promise<Card> {
  const campaign = await findCampaign({ ctx: ctx.svc, code });
  const isAdmin = ctx.actor.roles.includes('admin');
  let unitIds: number[] | undefined;
  if (!isAdmin) {
    unitIds = ctx.actor.units.filter((u) => u.role === 'liaison').map((u) => u.unitId);
    if (unitIds.length === 0) throw new DomainError('quota.notLiaison', { code: campaign.code });
  }
  const report = await quotaReport(ctx.svc, campaign.id, unitIds);
  return quotaCard({ ...report, scope: isAdmin ? 'all' : 'own', at: ctx.now });
}

export const quota = defineCommand({
  name: '配额',
  aliases: ['quota', '配额情况'],
  summary: '查看各单位申报数是否达到最低数量（联络人只看本单位）',
  usage: '/配额 [活动代码]',
  roles: ROLES,
  args: z
    .array(z.string())
    .max(1, { message: '只需要写活动代码，例如 LN2022' })
    .refine((w) => w.every((x) => /^[A-Za-z][A-Za-z0-9]{1,15}$/.test(x)), { message: '活动代码只能由英文字母和数字组成，例如 LN2022' })
    .transform((w) => w[0]?.toUpperCase()),
  async run(ctx, code) {
    return { kind: 'card', card: await quotaView(ctx, code) };
  },
});

export const quotaRefreshAction = defineAction({
  action: 'campaign.quota',
  roles: ROLES,
  async run(ctx, payload) {
    return { card: await quotaView(ctx, payload.code) };
  },
});

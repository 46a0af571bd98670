// /奖励 设置 <编号> <一等奖|二等奖> [按金额|按比例]: the prize split form; its submit records the award.
import { z } from 'zod';
import { awardCard, awardFormCard, initialRows, readAwardForm, type SplitUnit } from '../cards/award-split.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { awardForm, saveAward } from '../src/services/awards.js';
import { defineAction, defineCommand } from './types.js';

const USAGE = '/奖励 设置 <编号> <一等奖|二等奖> [按金额|按比例]，例如 /奖励 设置 LN2022-本溪高新区-001 一等奖';
const units: Record<string, SplitUnit> = { 按金额: 'yuan', 金额: 'yuan', 元: 'yuan', 按比例: 'percent', 比例: 'percent', '%': 'percent' };

export const awardSet = defineCommand({
  name: '奖励 设置',
  aliases: ['award set', '奖励'],
  summary: '登记成果的奖项（一等奖20万元、二等奖15万元）并填写奖金分配，自动检查主创人不低于40%、县处级干部不超过20%',
  usage: USAGE,
  roles: ['admin'],
  args: z.array(z.string()).min(2, { message: '请写申报编号和奖项。' }).max(3, { message: '参数太多。' }),
  async run(ctx, [trackingNo = '', tier = '', unitWord]) {
    const unit = unitWord === undefined ? 'yuan' : units[unitWord];
    if (!unit) throw new DomainError('award.badUnit', { input: unitWord ?? '' });
    const form = await awardForm({ ctx: ctx.svc, input: { trackingNo, tier } });
    return { kind: 'card', card: awardFormCard(form, { unit, rows: initialRows(form, unit) }) };
  },
});

export const awardSaveAction = defineAction({
  action: 'award.save',
  roles: ['admin'],
  async run(ctx, p, form) {
    const { rows, awardees } = readAwardForm(form, p.n);
    const outcome = await saveAward({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { submissionId: p.s, tierKey: p.t, unit: p.u, awardees } });
    if (outcome.kind === 'invalid') {
      const problems = outcome.problems.map((x) => x.message);
      return { toast: { type: 'error', content: formatMessage('award.invalidToast') }, card: awardFormCard(outcome.form, { unit: p.u, rows, problems }) };
    }
    const content = formatMessage('award.savedToast', { trackingNo: outcome.form.submission.trackingNo, tier: outcome.form.tier.label });
    return { toast: { type: 'success', content }, card: awardCard(outcome.form) };
  },
});

export const awardCommands = [awardSet];
export const awardCardActions = [awardSaveAction];

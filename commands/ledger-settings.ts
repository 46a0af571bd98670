// /台账 设置 · 主要领导 · 督办规则: the office sets who gets a ledger's monthly digest and its escalation thresholds.
import { z } from 'zod';
import { ledgerSettingsCard } from '../cards/ledger-settings.js';
import { DomainError } from '../src/errors.js';
import { findLedger, ledgerById, ledgerSettings, updateLedgerSettings } from '../src/services/ledgers.js';
import { resolvePeople } from '../src/services/people.js';
import { defineCommand, type CommandContext, type Reply } from './types.js';

const ADMIN = ['admin'] as const;
const words = z.array(z.string());

/** The settings card of a ledger, after a change or on request. */
async function settingsReply(ctx: CommandContext, ledgerId: number): Promise<Reply> {
  const ledger = await ledgerById(ctx.svc.db, ledgerId);
  const s = await ledgerSettings(ctx.svc.db, ledger);
  return { kind: 'card', card: ledgerSettingsCard({ title: ledger.title, policy: s.policy, mainLeader: s.mainLeader, bound: ledger.noticeChatId !== null }) };
}

export const ledgerSettingsShow = defineCommand({
  name: '台账 设置',
  aliases: ['ledger settings'],
  summary: '查看台账的主要领导、督办规则和工作群，以及修改方法',
  usage: '/台账 设置 [台账名称]',
  roles: ADMIN,
  args: words,
  async run(ctx, w) {
    const ledger = await findLedger({ ctx: ctx.svc, title: w.join(' ') });
    return settingsReply(ctx, ledger.id);
  },
});

export const ledgerMainLeader = defineCommand({
  name: '台账 主要领导',
  aliases: ['ledger leader'],
  summary: '指定台账的主要领导（每月调度发给他）',
  usage: '/台账 主要领导 @某人 [台账名称]',
  roles: ADMIN,
  args: words,
  async run(ctx, w) {
    const { people, rest } = await resolvePeople({ ctx: ctx.svc, words: w, mentions: ctx.mentions });
    const [person, ...more] = people;
    if (!person || more.length) throw new DomainError('ledger.leaderNeedsOne');
    const ledger = await findLedger({ ctx: ctx.svc, title: rest.join(' ') });
    await updateLedgerSettings({ ctx: ctx.svc, ledgerId: ledger.id, input: { mainLeaderOpenId: person.openId }, actorOpenId: ctx.actor.openId });
    return settingsReply(ctx, ledger.id);
  },
});

export const ledgerPolicy = defineCommand({
  name: '台账 督办规则',
  aliases: ['ledger policy'],
  summary: '设置逾期几个工作日发提醒函、督办函和整改期限',
  usage: '/台账 督办规则 <提醒天数> <督办天数> <整改天数> [台账名称]，例如：/台账 督办规则 3 5 5',
  roles: ADMIN,
  args: words,
  async run(ctx, w) {
    const [reminder, supervision, rectify, ...title] = w;
    if (rectify === undefined) throw new DomainError('ledger.policyUsage');
    const ledger = await findLedger({ ctx: ctx.svc, title: title.join(' ') });
    const policy = { reminderAfterWorkdays: reminder, supervisionAfterWorkdays: supervision, rectifyWithinWorkdays: rectify };
    await updateLedgerSettings({ ctx: ctx.svc, ledgerId: ledger.id, input: { policy }, actorOpenId: ctx.actor.openId });
    return settingsReply(ctx, ledger.id);
  },
});

export const ledgerSettingsCommands = [ledgerSettingsShow, ledgerMainLeader, ledgerPolicy];

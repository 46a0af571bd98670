// /红榜 …: the red list (seed 002 measure 14): the office nominates a task, a unit or a person with a reason, publishes
// the list to the ledger's work group, and withdraws entries with a reason.
import { z } from 'zod';
import { redListCard, redListNoticeCard } from '../cards/red-list.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { findTaskByCode } from '../src/services/ledger-tasks.js';
import { findLedger, listLedgers } from '../src/services/ledgers.js';
import { resolvePeople } from '../src/services/people.js';
import { listRedList, nominate, publishRedList, withdrawRedListEntry, type RedListSubject } from '../src/services/red-list.js';
import { findUnit } from '../src/services/units.js';
import { defineCommand, type CommandContext } from './types.js';

const ADMIN = ['admin'] as const;
const TASK_CODE = /^RW\d{4}[A-Z]?-\d{3,5}$/i;
/** An optional ledger title: needed only while several ledgers are active (the error then lists them). */
const ledgerTitle = z
  .array(z.string())
  .max(10, { message: '只写一个台账名称' })
  .transform((w) => w.join(' ').trim() || undefined);

export const redListShow = defineCommand({
  name: '红榜',
  aliases: ['redlist', '红榜 列表'],
  summary: '查看改革“红榜”',
  usage: '/红榜 [台账名称]（只有一个进行中的台账时不用写）',
  roles: ['public'],
  args: ledgerTitle,
  async run(ctx, title) {
    const manage = ctx.actor.roles.includes('admin');
    const { id: ledgerId } = await findLedger({ ctx: ctx.svc, title });
    const { ledger, entries } = await listRedList({ ctx: ctx.svc, ledgerId, includeAll: manage });
    return { kind: 'card', card: redListCard(ledger.title, entries, manage) };
  },
});

/** A ledger title in front of the subject (it may hold spaces: the longest match wins); needed for units and people while several ledgers are active. */
async function ledgerInFront(ctx: CommandContext, words: readonly string[]): Promise<{ ledger: { id: number; title: string } | undefined; rest: string[] }> {
  const all = await listLedgers({ ctx: ctx.svc });
  for (let n = Math.min(words.length - 1, 10); n >= 1; n -= 1) {
    const ledger = all.find((l) => l.title === words.slice(0, n).join(' '));
    if (ledger) return { ledger, rest: words.slice(n) };
  }
  return { ledger: undefined, rest: [...words] };
}

/** The subject is the first word: a task code, @someone (or an open_id), or a unit name. */
async function subjectOf(ctx: CommandContext, words: readonly string[]): Promise<{ subject: RedListSubject; rest: string[] }> {
  const [first = '', ...rest] = words;
  if (first.startsWith('@') || first.startsWith('＠') || /^ou_/.test(first)) {
    const { people, rest: others } = await resolvePeople({ ctx: ctx.svc, words, mentions: ctx.mentions });
    const [person] = people;
    if (!person) throw new DomainError('redList.badSubject', { input: first });
    return { subject: { type: 'person', openId: person.openId, name: person.name ?? person.openId }, rest: others };
  }
  if (TASK_CODE.test(first)) {
    const task = await findTaskByCode(ctx.svc.db, first);
    return { subject: { type: 'task', taskId: task.id, ledgerId: task.ledgerId, name: `${task.code} ${task.title}` }, rest };
  }
  const unit = await findUnit({ ctx: ctx.svc, name: first });
  return { subject: { type: 'unit', unitId: unit.id, name: unit.name }, rest };
}

export const redListNominate = defineCommand({
  name: '红榜 提名',
  aliases: ['redlist nominate'],
  summary: '提名任务、单位或个人上红榜（写明理由）',
  usage: '/红榜 提名 [台账名称] <任务编号|单位名称|@某人> <理由>，例如：/红榜 提名 RW2026-003 企业开办时间压缩至1个工作日，经验全市推广（有多个进行中的台账时，提名单位或个人请在前面写台账名称）',
  roles: ADMIN,
  args: z.array(z.string()).min(1, { message: '请写提名对象和理由' }),
  async run(ctx, words) {
    const { ledger, rest: afterLedger } = await ledgerInFront(ctx, words);
    const { subject, rest } = await subjectOf(ctx, afterLedger);
    if (ledger && subject.type === 'task' && subject.ledgerId !== ledger.id) throw new DomainError('redList.taskElsewhere', { task: subject.name, title: ledger.title });
    const row = await nominate({ ctx: ctx.svc, input: { subject, reason: rest.join(' '), ...(ledger ? { ledgerId: ledger.id } : {}) }, actorOpenId: ctx.actor.openId });
    return { kind: 'text', text: formatMessage('redList.nominated', { name: row.subjectName, id: row.id }) };
  },
});

export const redListPublish = defineCommand({
  name: '红榜 发布',
  aliases: ['redlist publish'],
  summary: '把待发布的红榜提名通报到台账工作群',
  usage: '/红榜 发布 [台账名称]（只有一个进行中的台账时不用写）',
  roles: ADMIN,
  args: ledgerTitle,
  async run(ctx, title) {
    const { id: ledgerId } = await findLedger({ ctx: ctx.svc, title });
    const { ledger, chatId, published, all } = await publishRedList({ ctx: ctx.svc, input: { ledgerId }, actorOpenId: ctx.actor.openId });
    return {
      kind: 'text',
      text: formatMessage('redList.published', { count: published.length }),
      notify: [
        {
          key: `redList.publish:${ledger.id}:${published.map((p) => p.id).join(',')}`,
          kind: 'redList.notice',
          to: { chatId },
          message: { kind: 'card', card: redListNoticeCard(ledger.title, published, all, ctx.now) },
        },
      ],
    };
  },
});

export const redListWithdraw = defineCommand({
  name: '红榜 撤回',
  aliases: ['redlist withdraw'],
  summary: '撤回一条红榜（写明理由）',
  usage: '/红榜 撤回 <编号> <理由>，例如：/红榜 撤回 3 经核实成效数据有误',
  roles: ADMIN,
  args: z
    .array(z.string())
    .min(1, { message: '请写红榜条目编号和理由' })
    .transform(([id = '', ...rest], c) => {
      const n = Number(id.replace(/^#/, ''));
      if (!Number.isSafeInteger(n) || n <= 0) {
        c.addIssue({ code: 'custom', message: formatMessage('redList.badId') });
        return z.NEVER;
      }
      return { id: n, reason: rest.join(' ') };
    }),
  async run(ctx, { id, reason }) {
    const row = await withdrawRedListEntry({ ctx: ctx.svc, input: { entryId: id, reason }, actorOpenId: ctx.actor.openId });
    return { kind: 'text', text: formatMessage('redList.withdrawn', { id: row.id, name: row.subjectName, reason: row.withdrawReason ?? '' }) };
  },
});

export const redListCommands = [redListShow, redListNominate, redListPublish, redListWithdraw];

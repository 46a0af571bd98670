// /台账 …: the office creates reform ledgers, lists them and binds a work group; the ledger-task table format of /导入;
// and the card action that turns a confirmed campaign topic into a ledger task.
import { z } from 'zod';
import { ledgerListCard, taskCard, taskImportDoneCard, taskImportRejectedCard } from '../cards/ledger-task.js';
import { importGuideCard } from '../cards/import-summary.js';
import { taskImportExample, taskImportFormat } from '../src/domain/ledger/task-import.js';
import { headerProblems } from '../src/domain/unit-import.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { importTasks, taskFromSubmission } from '../src/services/ledger-import.js';
import { viewTask } from '../src/services/ledger-tasks.js';
import { bindLedgerChat, createLedger, findLedger, listLedgers } from '../src/services/ledgers.js';
import type { Table } from '../src/services/unit-import.js';
import { defineAction, defineCommand, type CommandContext, type Reply } from './types.js';

const ADMIN = ['admin'] as const;
const titleWords = z.array(z.string()).transform((w) => w.join(' ').trim() || undefined);

export const ledgerList = defineCommand({
  name: '台账 列表',
  aliases: ['台账', 'ledger', 'ledger list'],
  summary: '列出改革台账及其任务数',
  usage: '/台账 列表',
  roles: ['admin', 'leader'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数' }),
  async run(ctx) {
    const list = await listLedgers({ ctx: ctx.svc });
    return { kind: 'card', card: ledgerListCard(list.map((l) => ({ title: l.title, year: l.year, status: l.status, taskCount: l.taskCount, bound: l.noticeChatId !== null }))) };
  },
});

export const ledgerNew = defineCommand({
  name: '台账 新建',
  aliases: ['ledger new', '台账 创建'],
  summary: '新建一年的改革台账',
  usage: '/台账 新建 <台账名称>，例如：/台账 新建 2026年全面深化改革任务',
  roles: ADMIN,
  args: z.array(z.string()).min(1, { message: '请写台账名称，例如“2026年全面深化改革任务”' }).transform((w) => w.join(' ')),
  async run(ctx, title) {
    const row = await createLedger({ ctx: ctx.svc, input: { title }, actorOpenId: ctx.actor.openId });
    return { kind: 'text', text: formatMessage('ledger.created', { title: row.title, year: row.year }) };
  },
});

export const ledgerBind = defineCommand({
  name: '台账 绑定群',
  aliases: ['ledger bind'],
  summary: '在工作群里把本群设为台账的工作群（红榜通报、每日调度）',
  usage: '在群里 @我 发送：/台账 绑定群 [台账名称]',
  roles: ADMIN,
  args: titleWords,
  async run(ctx, title) {
    if (ctx.chat.type !== 'group') throw new DomainError('ledger.bindNeedsGroup');
    const ledger = await findLedger({ ctx: ctx.svc, title });
    const bound = await bindLedgerChat({ ctx: ctx.svc, ledgerId: ledger.id, chatId: ctx.chat.id, actorOpenId: ctx.actor.openId });
    return { kind: 'text', text: formatMessage(bound.changed ? 'ledger.boundGroup' : 'ledger.boundGroupAgain', { title: ledger.title }) };
  },
});


/** The ledger-task table of /导入 (detected by its header): all rows or none, with a summary card. */
export const ledgerTaskImporter = {
  format: taskImportFormat,
  example: taskImportExample,
  async run(ctx: CommandContext, table: Table): Promise<Reply> {
    const result = await importTasks({ ctx: ctx.svc, input: { table }, actorOpenId: ctx.actor.openId });
    switch (result.kind) {
      case 'badHeader':
        return {
          kind: 'card',
          card: importGuideCard([{ label: taskImportFormat.label, columns: taskImportFormat.columns, example: taskImportExample }], `“${table.source}”的表头有问题：${headerProblems(result)}`),
        };
      case 'rejected':
        return { kind: 'card', card: taskImportRejectedCard({ source: table.source, rowCount: result.rowCount, problems: result.problems }) };
      case 'done':
        return { kind: 'card', card: taskImportDoneCard({ source: table.source, ...result }) };
    }
  },
};

/** 转为台账任务 on a confirmed topic's card (wired by the campaign side). */
export const ledgerFromSubmissionAction = defineAction({
  action: 'ledger.fromSubmission',
  roles: ADMIN,
  async run(ctx, p) {
    const { created, task } = await taskFromSubmission({ ctx: ctx.svc, input: { submissionId: p.s, ledgerId: p.l }, actorOpenId: ctx.actor.openId });
    const view = await viewTask({ ctx: ctx.svc, viewer: ctx.actor, taskId: task.id });
    return {
      toast: { type: created ? 'success' : 'info', content: formatMessage(created ? 'task.fromSubmissionDone' : 'task.fromSubmissionAgain', { code: task.code }) },
      card: taskCard(view, ctx.now),
    };
  },
});

export const ledgerCommands = [ledgerList, ledgerNew, ledgerBind];
export const ledgerCardActions = [ledgerFromSubmissionAction];

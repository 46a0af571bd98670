// /台账 总览 (the dashboard card with charts) and /台账 导出 (the XLSX, through a signed, expiring download link).
import { z } from 'zod';
import { dashboardCard, exportCard } from '../cards/ledger-dashboard.js';
import { ledgerDashboard } from '../src/services/ledger-dashboard.js';
import { exportCounts } from '../src/services/ledger-export.js';
import { findLedger } from '../src/services/ledgers.js';
import { defineCommand } from './types.js';

const ledgerTitle = z
  .array(z.string())
  .max(10, { message: '只写一个台账名称' })
  .transform((w) => w.join(' ').trim() || undefined);

export const ledgerOverview = defineCommand({
  name: '台账 总览',
  aliases: ['台账总览'],
  summary: '台账总览：各单位任务状态、按时与逾期情况（图表）',
  usage: '/台账 总览 [台账名称]',
  // Leaders see the tasks they answer for, units their own; the service narrows the view.
  roles: ['admin', 'leader', 'liaison', 'member'],
  args: ledgerTitle,
  async run(ctx, title) {
    const ledger = await findLedger({ ctx: ctx.svc, title });
    const view = await ledgerDashboard({ ctx: ctx.svc, ledger, actor: ctx.actor });
    return { kind: 'card', card: dashboardCard(view) };
  },
});

export const ledgerExport = defineCommand({
  name: '台账 导出',
  aliases: ['台账导出'],
  summary: '导出台账 XLSX：任务（四个清单）、进展汇报、督办函件、问题库、红榜',
  usage: '/台账 导出 [台账名称]',
  roles: ['admin'],
  args: ledgerTitle,
  async run(ctx, title) {
    const ledger = await findLedger({ ctx: ctx.svc, title });
    const counts = await exportCounts(ctx.svc.db, ledger.id);
    const { url, expiresAt } = ctx.links.link({ kind: 'ledger', ledgerId: ledger.id }, ctx.actor.openId, ctx.now);
    return { kind: 'card', card: exportCard({ ledgerTitle: ledger.title, fileName: `${ledger.title}.xlsx`, url, expiresAt, counts }) };
  },
});

export const ledgerDashboardCommands = [ledgerOverview, ledgerExport];

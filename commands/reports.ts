// /汇报: the owner's progress reports (seed 004 每周查进度、每月作小节…) — what is due, the report card, submitting and
// correcting it on the card until the period's due time.
import { z } from 'zod';
import { reportDoneCard, reportFormCard, reportListCard } from '../cards/report.js';
import { formatMessage } from '../src/i18n/messages.js';
import { formValuesOf, listMyReports, openReport, submitReport } from '../src/services/progress-reports.js';
import { defineAction, defineCommand } from './types.js';

const ANYONE = ['public'] as const;

export const reportMine = defineCommand({
  name: '汇报',
  aliases: ['report', 'reports', '进展汇报'],
  summary: '查看并填报你负责的台账任务的进展汇报（进展情况、存在问题、对策建议）',
  usage: '/汇报',
  roles: ANYONE,
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数，发送“/汇报”即可' }),
  async run(ctx) {
    return { kind: 'card', card: reportListCard(await listMyReports({ ctx: ctx.svc, openId: ctx.actor.openId })) };
  },
});

export const reportListAction = defineAction({
  action: 'report.list',
  roles: ANYONE,
  async run(ctx) {
    return { card: reportListCard(await listMyReports({ ctx: ctx.svc, openId: ctx.actor.openId })) };
  },
});

export const reportOpenAction = defineAction({
  action: 'report.open',
  roles: ANYONE,
  async run(ctx, p) {
    const view = await openReport({ ctx: ctx.svc, openId: ctx.actor.openId, input: { taskId: p.t, periodKey: p.p } });
    if (!view.report) return { card: reportFormCard(view, ctx.now, { milestones: {} }) };
    if (p.edit && view.editable) return { card: reportFormCard(view, ctx.now, formValuesOf(view.report)) };
    return { card: reportDoneCard(view, ctx.now) };
  },
});

export const reportSubmitAction = defineAction({
  action: 'report.submit',
  roles: ANYONE,
  async run(ctx, p, form) {
    const outcome = await submitReport({ ctx: ctx.svc, openId: ctx.actor.openId, input: { taskId: p.t, periodKey: p.p, version: p.ver, form } });
    const period = outcome.view.period.label;
    switch (outcome.kind) {
      case 'invalid': {
        // A refused correction keeps the version it was based on; a refused new report stays a new one.
        const view = p.ver === 0 ? { ...outcome.view, report: undefined } : outcome.view;
        const count = Object.keys(outcome.errors).length;
        return { toast: { type: 'error', content: formatMessage('report.invalidToast', { count }) }, card: reportFormCard(view, ctx.now, outcome.values, outcome.errors) };
      }
      case 'created': {
        const late = outcome.view.report?.late ? '已过截止时间，记为迟报。' : '截止前仍可修改。';
        return { toast: { type: 'success', content: formatMessage('report.submittedToast', { period, late }) }, card: reportDoneCard(outcome.view, ctx.now) };
      }
      case 'corrected':
        return { toast: { type: 'success', content: formatMessage('report.correctedToast', { period }) }, card: reportDoneCard(outcome.view, ctx.now) };
      case 'duplicate':
        return { toast: { type: 'info', content: formatMessage('report.duplicateToast', { period }) }, card: reportDoneCard(outcome.view, ctx.now) };
    }
  },
});

export const reportCommands = [reportMine];
export const reportCardActions = [reportListAction, reportOpenAction, reportSubmitAction];

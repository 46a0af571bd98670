// /申报 (form card), /申报 详情 <编号>, /我的, and the form and submission card actions.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { submissionFormCard, type SubmissionFormCardView } from '../cards/submission-form.js';
import { mySubmissionsCard, submissionCard } from '../cards/submission.js';
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { readFormValues } from '../src/domain/campaign/submission-form.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import {
  checkWithdrawal,
  createSubmission,
  listMySubmissions,
  loadSubmissionForm,
  openSubmissionEdit,
  updateSubmission,
  viewSubmission,
  withdrawSubmission,
  type SettledOutcome,
} from '../src/services/submissions.js';
import { defineAction, defineCommand, type ActionResult } from './types.js';

/** A fresh key per form card: the database keeps one submission per key, so a double click creates one. */
export function newFormKey(): string {
  return randomBytes(12).toString('base64url');
}

const errorToast = (content: string) => ({ type: 'error' as const, content });

function invalid(view: SubmissionFormCardView): ActionResult {
  const count = Object.keys(view.errors).length;
  return { toast: errorToast(formatMessage('submission.invalidToast', { count })), card: submissionFormCard(view) };
}

function settled(outcome: SettledOutcome, doneToast: string): ActionResult {
  if (outcome.kind === 'closed') return { toast: errorToast(formatMessage('submission.closedToast')), card: submissionCard(outcome.submission) };
  return { toast: { type: 'success', content: doneToast }, card: submissionCard(outcome.submission) };
}

export const submit = defineCommand({
  name: '申报',
  aliases: ['submit'],
  summary: '填写申报表（选题或成果），提交后得到申报编号',
  usage: '/申报 [活动代码]',
  roles: ['liaison', 'member'],
  args: z
    .array(z.string())
    .max(1, { message: '最多写一个活动代码，例如“/申报 LN2022”。' })
    .transform((w) => w[0]),
  async run(ctx, code) {
    const form = await loadSubmissionForm({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, campaignCode: code });
    if (!form.window.open) throw new DomainError('submission.rule', { message: form.window.message });
    const only = form.units.length === 1 ? form.units[0] : undefined;
    return {
      kind: 'card',
      card: submissionFormCard({
        mode: { kind: 'create', formKey: newFormKey(), unitId: only?.id },
        form,
        values: { mainCreators: [ctx.actor.openId] },
        errors: {},
      }),
    };
  },
});

export const submitShow = defineCommand({
  name: '申报 详情',
  aliases: ['submit show', '申报详情'],
  summary: '按编号查看一条申报，截止前可修改或撤回',
  usage: '/申报 详情 <编号>，例如 /申报 详情 LN2022-本溪高新区-001',
  roles: ['liaison', 'member', 'admin'],
  args: z
    .array(z.string())
    .min(1, { message: '请写上申报编号。' })
    .max(1, { message: '只写一个申报编号。' })
    .transform((w) => w[0] ?? ''),
  async run(ctx, trackingNo) {
    const view = await viewSubmission({ ctx: ctx.svc, viewer: ctx.actor, trackingNo });
    return { kind: 'card', card: submissionCard(view) };
  },
});

export const my = defineCommand({
  name: '我的',
  aliases: ['my', 'mine'],
  summary: '查看你所在单位的申报、状态和编号',
  usage: '/我的',
  roles: ['liaison', 'member'],
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数。' }),
  async run(ctx) {
    const { units, items } = await listMySubmissions({ ctx: ctx.svc, actorOpenId: ctx.actor.openId });
    return { kind: 'card', card: mySubmissionsCard({ units, items: items.map((i) => ({ ...i, updatedAt: formatChinaDateTime(i.updatedAt) })) }) };
  },
});

export const submissionCreateAction = defineAction({
  action: 'submission.create',
  roles: ['liaison', 'member'],
  async run(ctx, p, formValue) {
    const values = readFormValues(formValue);
    const outcome = await createSubmission({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { campaignCode: p.c, formKey: p.k, unitId: p.u, values } });
    if (!outcome.ok) return invalid({ mode: { kind: 'create', formKey: p.k, unitId: p.u }, form: outcome.form, values, errors: outcome.errors });
    const { trackingNo } = outcome.submission;
    const toast = outcome.created
      ? { type: 'success' as const, content: formatMessage('submission.createdToast', { trackingNo }) }
      : { type: 'info' as const, content: formatMessage('submission.duplicateToast', { trackingNo }) };
    return { toast, card: submissionCard(outcome.submission) };
  },
});

export const submissionEditAction = defineAction({
  action: 'submission.edit',
  roles: ['liaison', 'member'],
  async run(ctx, p) {
    const opened = await openSubmissionEdit({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { submissionId: p.id, version: p.ver } });
    if (opened.kind === 'closed') return { toast: errorToast(formatMessage('submission.closedToast')), card: submissionCard(opened.submission) };
    const { submission: s } = opened;
    return {
      card: submissionFormCard({ mode: { kind: 'edit', submissionId: s.id, version: s.version, trackingNo: s.trackingNo }, form: opened.form, values: opened.values, errors: {} }),
    };
  },
});

export const submissionSaveAction = defineAction({
  action: 'submission.save',
  roles: ['liaison', 'member'],
  async run(ctx, p, formValue) {
    const values = readFormValues(formValue);
    const outcome = await updateSubmission({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { submissionId: p.id, version: p.ver, values } });
    if (outcome.kind !== 'invalid') return settled(outcome, formatMessage('submission.savedToast'));
    const mode = { kind: 'edit' as const, submissionId: p.id, version: p.ver, trackingNo: outcome.trackingNo };
    return invalid({ mode, form: outcome.form, values, errors: outcome.errors });
  },
});

export const submissionWithdrawAction = defineAction({
  action: 'submission.withdraw',
  roles: ['liaison', 'member'],
  async run(ctx, p) {
    const outcome = await checkWithdrawal({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { submissionId: p.id, version: p.ver } });
    if (outcome.kind === 'done') return { card: submissionCard(outcome.submission, { confirmWithdraw: true }) };
    return settled(outcome, '');
  },
});

export const submissionWithdrawConfirmAction = defineAction({
  action: 'submission.withdrawConfirm',
  roles: ['liaison', 'member'],
  async run(ctx, p) {
    const outcome = await withdrawSubmission({ ctx: ctx.svc, actorOpenId: ctx.actor.openId, input: { submissionId: p.id, version: p.ver } });
    return settled(outcome, formatMessage('submission.withdrawnToast'));
  },
});

export const submissionViewAction = defineAction({
  action: 'submission.view',
  roles: ['liaison', 'member', 'admin'],
  async run(ctx, p) {
    return { card: submissionCard(await viewSubmission({ ctx: ctx.svc, viewer: ctx.actor, submissionId: p.id })) };
  },
});

export const submissionCommands = [submit, submitShow, my];
export const submissionCardActions = [
  submissionCreateAction,
  submissionEditAction,
  submissionSaveAction,
  submissionWithdrawAction,
  submissionWithdrawConfirmAction,
  submissionViewAction,
];

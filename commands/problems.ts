// /问题 …: the problem library (seed 002 measure 11): register at once, the office routes to a unit, the unit answers,
// or the problem is put to the leaders (提请研究).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { problemCard, problemFormCard, problemListCard, type ProblemEventForm } from '../cards/problem.js';
import { problemEventLabels, problemStateLabels, type ProblemEvent } from '../src/domain/ledger/problem-state.js';
import type { Role } from '../src/domain/roles.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { changeProblem, listProblems, problemFormContext, registerProblem, viewProblem } from '../src/services/problems.js';
import { listUnits } from '../src/services/units.js';
import { defineAction, defineCommand, type ActionResult, type HandlerContext, type Notification } from './types.js';

const PEOPLE: readonly Role[] = ['admin', 'liaison', 'member', 'leader'];

export const problemRegister = defineCommand({
  name: '问题 登记',
  aliases: ['problem new'],
  summary: '登记一个推进中发现的问题（立即挂号），由办公室分办到责任单位',
  usage: '/问题 登记 [台账名称]（只有一个进行中的台账时不用写），发送后在卡片上填写',
  roles: PEOPLE,
  args: z
    .array(z.string())
    .max(10, { message: '只写一个台账名称，问题本身请在卡片上填写' })
    .transform((w) => w.join(' ').trim() || undefined),
  async run(ctx, ledgerTitle) {
    const c = await problemFormContext({ ctx: ctx.svc, actor: ctx.actor, ledger: { ledgerTitle } });
    return { kind: 'card', card: problemFormCard({ formKey: randomBytes(12).toString('base64url'), ledgerId: c.ledger.id, ledgerTitle: c.ledger.title, tasks: c.tasks, units: c.units, values: {}, errors: {} }) };
  },
});

export const problemList = defineCommand({
  name: '问题 列表',
  aliases: ['问题', 'problem list', '问题库'],
  summary: '查看问题库（办公室看全部，各单位看本单位的）',
  usage: '/问题 列表',
  roles: PEOPLE,
  args: z.array(z.string()).max(0, { message: '这个命令不需要参数' }),
  async run(ctx) {
    return { kind: 'card', card: problemListCard(await listProblems({ ctx: ctx.svc, viewer: ctx.actor })) };
  },
});

const problemId = z
  .array(z.string())
  .min(1, { message: '请写问题编号，例如 12' })
  .max(1, { message: '只写一个问题编号' })
  .transform((w, c) => {
    const n = Number((w[0] ?? '').replace(/^#/, ''));
    if (!Number.isSafeInteger(n) || n <= 0) {
      c.addIssue({ code: 'custom', message: formatMessage('problem.badId') });
      return z.NEVER;
    }
    return n;
  });

export const problemShow = defineCommand({
  name: '问题 详情',
  aliases: ['problem show'],
  summary: '查看一个问题并办理（分办、办结、提请研究）',
  usage: '/问题 详情 <编号>',
  roles: PEOPLE,
  args: problemId,
  async run(ctx, id) {
    return { kind: 'card', card: problemCard(await viewProblem({ ctx: ctx.svc, viewer: ctx.actor, problemId: id })) };
  },
});

export const problemRegisterAction = defineAction({
  action: 'problem.register',
  roles: PEOPLE,
  async run(ctx, p, form): Promise<ActionResult> {
    const outcome = await registerProblem({ ctx: ctx.svc, actor: ctx.actor, input: { formKey: p.k, ledgerId: p.l, form } });
    if (outcome.kind === 'invalid') {
      const { context: c, values, errors } = outcome;
      return {
        toast: { type: 'error', content: formatMessage('problem.invalidToast', { count: Object.keys(errors).length }) },
        card: problemFormCard({ formKey: p.k, ledgerId: c.ledger.id, ledgerTitle: c.ledger.title, tasks: c.tasks, units: c.units, values, errors }),
      };
    }
    const code = outcome.kind === 'created' ? 'problem.registeredToast' : 'problem.duplicateToast';
    return { toast: { type: outcome.kind === 'created' ? 'success' : 'info', content: formatMessage(code, { id: outcome.view.id }) }, card: problemCard(outcome.view) };
  },
});

export const problemViewAction = defineAction({
  action: 'problem.view',
  roles: PEOPLE,
  async run(ctx, p) {
    return { card: problemCard(await viewProblem({ ctx: ctx.svc, viewer: ctx.actor, problemId: p.id })) };
  },
});

async function unitChoices(ctx: HandlerContext) {
  return (await listUnits({ ctx: ctx.svc })).map((u) => ({ id: u.id, name: u.name }));
}

export const problemFormAction = defineAction({
  action: 'problem.form',
  roles: PEOPLE,
  async run(ctx, p) {
    const view = await viewProblem({ ctx: ctx.svc, viewer: ctx.actor, problemId: p.id });
    if (!view.allowed.includes(p.e)) throw new DomainError('problem.rule', { message: `你现在不能${problemEventLabels[p.e]}这个问题：它当前是“${problemStateLabels[view.state]}”。` });
    const form: ProblemEventForm = { event: p.e, values: {}, ...(p.e === 'assign' ? { units: await unitChoices(ctx) } : {}) };
    return { card: problemCard(view, form) };
  },
});

export const problemSubmitAction = defineAction({
  action: 'problem.submit',
  roles: PEOPLE,
  async run(ctx, p, form): Promise<ActionResult> {
    const unit = typeof form?.unit === 'string' ? form.unit : '';
    const typed = typeof form?.text === 'string' ? form.text.slice(0, 2010) : '';
    const event: ProblemEvent = p.e === 'assign' ? { type: 'assign', unitId: Number(unit) || 0 } : p.e === 'resolve' ? { type: 'resolve', resolution: typed } : { type: 'escalate', reason: typed };
    const change = await changeProblem({ ctx: ctx.svc, actor: ctx.actor, input: { problemId: p.id, event } });
    if (change.kind === 'invalid') {
      const retry: ProblemEventForm = { event: p.e, values: { unit, text: typed }, error: change.message, ...(p.e === 'assign' ? { units: await unitChoices(ctx) } : {}) };
      return { toast: { type: 'error', content: change.message }, card: problemCard(change.view, retry) };
    }
    const { view } = change;
    const notify: Notification[] = [];
    for (const openId of change.notifyOpenIds) {
      if (change.event.type === 'assign') {
        // The liaison's own view of the card (their buttons: 办结, 提请研究).
        const theirs = await viewProblem({ ctx: ctx.svc, viewer: { openId, roles: ['liaison'], units: [{ unitId: change.event.unitId, unitName: '', unitType: 'department', role: 'liaison' }] }, problemId: view.id });
        notify.push({ key: `problem.assign:${view.id}:${view.unit?.id ?? 0}:${openId}:${ctx.now.getTime()}`, kind: 'problem.assigned', to: { openId }, message: { kind: 'card', card: problemCard(theirs) } });
      } else if (change.event.type === 'escalate') {
        // The leader's view: the problem and the reason it is put to them; the office records what they decide.
        const theirs = await viewProblem({ ctx: ctx.svc, viewer: { openId, roles: ['leader'], units: [] }, problemId: view.id });
        notify.push({ key: `problem.escalate:${view.id}:n${change.escalation ?? 1}:${openId}`, kind: 'problem.escalated', to: { openId }, message: { kind: 'card', card: problemCard({ ...theirs, note: formatMessage('problem.escalatedNote') }) } });
      }
    }
    const toast = formatMessage('problem.changedToast', { id: view.id, event: problemEventLabels[change.event.type], state: problemStateLabels[view.state] });
    return { toast: { type: 'success', content: toast }, card: problemCard(view), notify };
  },
});

export const problemCommands = [problemRegister, problemList, problemShow];
export const problemCardActions = [problemRegisterAction, problemViewAction, problemFormAction, problemSubmitAction];

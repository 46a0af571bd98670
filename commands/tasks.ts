// /任务 …: my tasks, one task with its four lists and the state buttons its viewer may use, the /任务 新建 form, and
// the state changes on the task card (开始推进, 申请销号, 确认/退回销号, 留号, 恢复推进).
import { z } from 'zod';
import { taskCard, taskFormCard, taskListCard, type TaskEventForm, type TaskFormEvent } from '../cards/ledger-task.js';
import { closeRequestCard } from '../cards/task-close-request.js';
import { readTaskForm, validateTaskForm, type TaskFormValues } from '../src/domain/ledger/task-import.js';
import { cadenceLabels } from '../src/domain/ledger/periods.js';
import { taskEventLabels, taskStateLabels, taskTransitions, type TaskEvent } from '../src/domain/ledger/task-state.js';
import { DomainError } from '../src/errors.js';
import { formatMessage } from '../src/i18n/messages.js';
import { officeAdmins } from '../src/services/actors.js';
import { changeTaskState, createTask, listLedgerTasks, listMyTasks, staleTask, taskFormContext, viewTask, type StateChange, type TaskFormContext, type TaskView } from '../src/services/ledger-tasks.js';
import { findLedger } from '../src/services/ledgers.js';
import { defineAction, defineCommand, type ActionResult, type HandlerContext, type Notification } from './types.js';

const ANYONE = ['public'] as const;
const errorToast = (content: string) => ({ type: 'error' as const, content });

function formCard(c: TaskFormContext, values: TaskFormValues, errors: Parameters<typeof taskFormCard>[0]['errors']) {
  return taskFormCard({ ledger: { id: c.ledger.id, title: c.ledger.title }, units: c.lookups.units, owners: c.owners, leaders: c.leaders, values, errors });
}

export const taskMine = defineCommand({
  name: '任务',
  aliases: ['task', 'tasks', '我的任务'],
  summary: '列出与我有关的台账任务（我负责的、本单位牵头或配合的、我分管的）',
  usage: '/任务；查看某项任务：/任务 详情 <编号>（或 /任务 <编号>）',
  roles: ANYONE,
  args: z
    .array(z.string())
    .max(1, { message: '查看某项任务请发送“/任务 详情 RW2026-001”' })
    .transform((w) => w[0]),
  async run(ctx, code) {
    if (code !== undefined) return { kind: 'card', card: taskCard(await viewTask({ ctx: ctx.svc, viewer: ctx.actor, code }), ctx.now) };
    const list = await listMyTasks({ ctx: ctx.svc, actor: ctx.actor });
    return { kind: 'card', card: taskListCard('我的台账任务', list, '没有与你有关的台账任务。') };
  },
});

export const taskAll = defineCommand({
  name: '任务 全部',
  aliases: ['task all'],
  summary: '列出台账的全部任务（办公室）',
  usage: '/任务 全部 [台账名称]',
  roles: ['admin'],
  args: z.array(z.string()).transform((w) => w.join(' ').trim() || undefined),
  async run(ctx, title) {
    const ledger = await findLedger({ ctx: ctx.svc, title });
    const list = await listLedgerTasks({ ctx: ctx.svc, ledgerId: ledger.id });
    return { kind: 'card', card: taskListCard(`${ledger.title} · 全部任务`, list, '台账里还没有任务。发送“/任务 新建”或发送 Excel/CSV 文件导入。') };
  },
});

export const taskShow = defineCommand({
  name: '任务 详情',
  aliases: ['task show', '任务详情'],
  summary: '查看一项任务的四个清单（任务、责任、措施、结果），并办理状态',
  usage: '/任务 详情 <编号>，例如 /任务 详情 RW2026-001',
  roles: ANYONE,
  args: z
    .array(z.string())
    .min(1, { message: '请写任务编号，例如 RW2026-001' })
    .max(1, { message: '只写一个任务编号' })
    .transform((w) => w[0] ?? ''),
  async run(ctx, code) {
    return { kind: 'card', card: taskCard(await viewTask({ ctx: ctx.svc, viewer: ctx.actor, code }), ctx.now) };
  },
});

export const taskNew = defineCommand({
  name: '任务 新建',
  aliases: ['task new', '任务 登记'],
  summary: '用表单登记一项台账任务（牵头、配合单位，责任领导，专人，里程碑，汇报频次）',
  usage: '/任务 新建 [台账名称]；批量登记请直接发送 Excel/CSV 文件',
  roles: ['admin'],
  args: z.array(z.string()).transform((w) => w.join(' ').trim() || undefined),
  async run(ctx, title) {
    const c = await taskFormContext({ ctx: ctx.svc, ledgerTitle: title });
    return { kind: 'card', card: formCard(c, { cadences: ['monthly'] }, {}) };
  },
});

function ownerNotice(view: TaskView, actorOpenId: string, key: string, text: string): Notification[] {
  if (view.owner.openId === actorOpenId) return [];
  return [{ key, kind: 'task.notice', to: { openId: view.owner.openId }, message: { kind: 'text', text } }];
}

export const taskCreateAction = defineAction({
  action: 'task.create',
  roles: ['admin'],
  async run(ctx, p, form): Promise<ActionResult> {
    const c = await taskFormContext({ ctx: ctx.svc, ledgerId: p.l });
    const values = readTaskForm(form);
    const checked = validateTaskForm(values, c.lookups);
    if (!checked.ok) {
      return { toast: errorToast(formatMessage('task.invalidToast', { count: Object.keys(checked.errors).length })), card: formCard(c, values, checked.errors) };
    }
    const { created, task } = await createTask({ ctx: ctx.svc, input: { ledgerId: c.ledger.id, draft: checked.draft }, actorOpenId: ctx.actor.openId });
    const view = await viewTask({ ctx: ctx.svc, viewer: ctx.actor, taskId: task.id });
    if (!created) return { toast: { type: 'info', content: formatMessage('task.duplicate', { code: task.code }) }, card: taskCard(view, ctx.now) };
    const cadences = view.cadences.map((x) => cadenceLabels[x]).join('、');
    const text = `你已被指定为台账任务 ${view.code}“${view.title}”的专人（改革专员），请按${cadences}填报进展（发送“/汇报”）。发送“/任务 详情 ${view.code}”查看任务。`;
    return { toast: { type: 'success', content: formatMessage('task.createdToast', { code: task.code }) }, card: taskCard(view, ctx.now), notify: ownerNotice(view, ctx.actor.openId, `task.owner:${task.id}`, text) };
  },
});

export const taskViewAction = defineAction({
  action: 'task.view',
  roles: ANYONE,
  async run(ctx, p) {
    return { card: taskCard(await viewTask({ ctx: ctx.svc, viewer: ctx.actor, taskId: p.id }), ctx.now) };
  },
});

export const taskMineAction = defineAction({
  action: 'task.mine',
  roles: ANYONE,
  async run(ctx) {
    return { card: taskListCard('我的台账任务', await listMyTasks({ ctx: ctx.svc, actor: ctx.actor }), '没有与你有关的台账任务。') };
  },
});

/** A close request goes to every admin (but the requester) as a card with the 确认销号 / 退回 buttons; one per admin per request. */
async function closeRequestNotices(ctx: HandlerContext, view: TaskView): Promise<Notification[]> {
  const admins = (await officeAdmins(ctx.svc.db, ctx.configuredAdmins)).filter((openId) => openId !== ctx.actor.openId);
  const card = closeRequestCard({ ...view, requestedBy: { openId: ctx.actor.openId, name: ctx.actor.name }, requestedAt: ctx.now });
  return admins.map((openId) => ({ key: `task.closeRequest:${view.id}:v${view.version}:${openId}`, kind: 'task.closeRequest', to: { openId }, message: { kind: 'card', card } }));
}

/** The answer to a state change: the card as it now is, a toast, and a word to the owner about the office's decision. */
async function changed(ctx: HandlerContext, change: Extract<StateChange, { kind: 'done' }>): Promise<ActionResult> {
  const { view, transition } = change;
  const event = taskEventLabels[transition.event.type];
  let toast = formatMessage('task.changedToast', { code: view.code, event, state: taskStateLabels[view.state] });
  const decided = transition.event.type === 'confirm_close' || transition.event.type === 'reject_close' || transition.event.type === 'keep';
  const reason = view.stateReason ? `理由：${view.stateReason}` : '';
  const text = `台账任务 ${view.code}“${view.title}”已由办公室${event}，现在是“${taskStateLabels[view.state]}”。${reason}`;
  const notify: Notification[] = decided ? ownerNotice(view, ctx.actor.openId, `task.state:${view.id}:v${view.version}`, text) : [];
  if (transition.event.type === 'request_close') {
    const toOffice = await closeRequestNotices(ctx, view);
    if (toOffice.length) toast = formatMessage('task.closeRequestedToast', { code: view.code });
    notify.push(...toOffice);
  }
  return { toast: { type: 'success', content: toast }, card: taskCard(view, ctx.now), notify };
}

export const taskEventAction = defineAction({
  action: 'task.event',
  roles: ANYONE,
  async run(ctx, p) {
    const change = await changeTaskState({ ctx: ctx.svc, actor: ctx.actor, input: { taskId: p.id, version: p.ver, event: { type: p.e } } });
    if (change.kind === 'invalid') throw new DomainError('task.rule', { message: change.message });
    return changed(ctx, change);
  },
});

export const taskEventFormAction = defineAction({
  action: 'task.eventForm',
  roles: ANYONE,
  async run(ctx, p) {
    const view = await viewTask({ ctx: ctx.svc, viewer: ctx.actor, taskId: p.id });
    if (view.version !== p.ver) throw staleTask(view.state, p.e);
    if (!view.allowed.includes(p.e)) {
      const rule = taskTransitions[p.e];
      const mayEver = rule.by.some((r) => view.relations.includes(r));
      const who = { owner: '任务负责人', lead_liaison: '牵头单位联络人', admin: '办公室管理员' } as const;
      const message = mayEver ? `任务当前状态为“${taskStateLabels[view.state]}”，不能${taskEventLabels[p.e]}。` : `只有${rule.by.map((r) => who[r]).join('或')}可以${taskEventLabels[p.e]}。`;
      throw new DomainError('task.rule', { message });
    }
    return { card: taskCard(view, ctx.now, { event: p.e, values: {} }) };
  },
});

const str = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 2010) : '');
/** date_picker values arrive as "2026-06-30 +0800". */
const dateOf = (v: unknown): string => str(v).trim().replace(/\s+[+-]\d{2}:?\d{2}$/, '');

function eventOf(e: TaskFormEvent, form: Record<string, unknown> | undefined): { event: TaskEvent; values: TaskEventForm['values'] } {
  const summary = str(form?.summary);
  const reason = str(form?.reason);
  const nextReviewOn = dateOf(form?.next_review);
  if (e === 'request_close') return { event: { type: e, summary }, values: { summary } };
  if (e === 'reject_close') return { event: { type: e, reason }, values: { reason } };
  return { event: { type: e, reason, nextReviewOn }, values: { reason, nextReviewOn } };
}

export const taskEventSubmitAction = defineAction({
  action: 'task.eventSubmit',
  roles: ANYONE,
  async run(ctx, p, form) {
    const { event, values } = eventOf(p.e, form);
    const change = await changeTaskState({ ctx: ctx.svc, actor: ctx.actor, input: { taskId: p.id, version: p.ver, event } });
    if (change.kind === 'invalid') return { toast: errorToast(change.message), card: taskCard(change.view, ctx.now, { event: p.e, values, error: change.message }) };
    return changed(ctx, change);
  },
});

export const taskCommands = [taskMine, taskAll, taskShow, taskNew];
export const taskCardActions = [taskCreateAction, taskViewAction, taskMineAction, taskEventAction, taskEventFormAction, taskEventSubmitAction];

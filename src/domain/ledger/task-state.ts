// The task state machine (seed 002: 发现问题立即挂号、任务分办及时销号、长期工作备注留号).
//
//   registered (挂号) --start--> in_progress (推进中)
//   registered | in_progress | kept --request_close(result summary)--> close_requested (待确认销号)
//   close_requested --confirm_close--> closed (销号, final)
//   close_requested --reject_close(reason)--> in_progress
//   registered | in_progress | kept --keep(reason, next review date)--> kept (留号; on a kept task: a new date)
//   kept --resume--> in_progress
//
// Who: the owner (专人/改革专员) or the lead unit's liaison start, request closing and resume; only the office
// (admin) confirms or rejects a close and decides to keep a task open as long-term work; the admin may also start
// and resume. A refused move returns a Chinese message and a patch is only produced for a legal one.
import type { Actor } from '../roles.js';
import { fail, ok, type Result } from '../campaign/result.js';
import { formatChineseDate } from '../campaign/china-time.js';
import { isDate } from './calendar.js';

export const taskStates = ['registered', 'in_progress', 'close_requested', 'closed', 'kept'] as const;
export type TaskState = (typeof taskStates)[number];

export const taskStateLabels: Record<TaskState, string> = {
  registered: '已挂号',
  in_progress: '推进中',
  close_requested: '待确认销号',
  closed: '已销号',
  kept: '已留号',
};

/** How the actor stands to one task; a person may hold several relations. */
export type TaskRelation = 'owner' | 'lead_liaison' | 'admin';

export type TaskEvent =
  | { type: 'start' }
  | { type: 'request_close'; summary: string }
  | { type: 'confirm_close' }
  | { type: 'reject_close'; reason: string }
  | { type: 'keep'; reason: string; nextReviewOn: string }
  | { type: 'resume' };
export type TaskEventType = TaskEvent['type'];

export const taskEventLabels: Record<TaskEventType, string> = {
  start: '开始推进',
  request_close: '申请销号',
  confirm_close: '确认销号',
  reject_close: '退回销号申请',
  keep: '留号',
  resume: '恢复推进',
};

interface Rule {
  from: readonly TaskState[];
  to: TaskState;
  by: readonly TaskRelation[];
}

/** The whole machine as data: where each event may start, where it leads and who may fire it. */
export const taskTransitions: Record<TaskEventType, Rule> = {
  start: { from: ['registered'], to: 'in_progress', by: ['owner', 'lead_liaison', 'admin'] },
  request_close: { from: ['registered', 'in_progress', 'kept'], to: 'close_requested', by: ['owner', 'lead_liaison'] },
  confirm_close: { from: ['close_requested'], to: 'closed', by: ['admin'] },
  reject_close: { from: ['close_requested'], to: 'in_progress', by: ['admin'] },
  keep: { from: ['registered', 'in_progress', 'kept'], to: 'kept', by: ['admin'] },
  resume: { from: ['kept'], to: 'in_progress', by: ['owner', 'lead_liaison', 'admin'] },
};

const relationLabels: Record<TaskRelation, string> = { owner: '任务负责人', lead_liaison: '牵头单位联络人', admin: '办公室管理员' };

export const SUMMARY_MAX = 2000;
export const REASON_MAX = 500;

export type TaskFailureCode = 'forbidden' | 'illegal_transition' | 'summary_required' | 'reason_required' | 'too_long' | 'invalid_date' | 'review_date_not_future';

/** The columns a legal move sets on the task row (ledger_tasks.state, state_reason, next_review_on, actual_result). */
export interface TaskPatch {
  state: TaskState;
  stateReason: string | null;
  nextReviewOn: string | null;
  /** Only a close request writes the actual result (结果清单). */
  actualResult?: string;
}

export interface TaskTransition {
  from: TaskState;
  to: TaskState;
  event: TaskEvent;
  patch: TaskPatch;
}

/** The relations an actor holds to a task: its owner, the liaison of its lead unit, an admin. */
export function taskRelationsOf(
  actor: Pick<Actor, 'openId' | 'roles' | 'units'>,
  task: { ownerOpenId: string; leadUnitId: number | null },
): TaskRelation[] {
  const out: TaskRelation[] = [];
  if (actor.openId === task.ownerOpenId) out.push('owner');
  if (task.leadUnitId !== null && actor.units.some((u) => u.unitId === task.leadUnitId && u.role === 'liaison')) out.push('lead_liaison');
  if (actor.roles.includes('admin')) out.push('admin');
  return out;
}

function whoMay(rule: Rule): string {
  return rule.by.map((r) => relationLabels[r]).join('或');
}

function illegal(state: TaskState, type: TaskEventType): string {
  const head = `任务当前状态为“${taskStateLabels[state]}”，不能${taskEventLabels[type]}。`;
  if (state === 'closed') return `${head}已销号的任务不再变动；如需继续，请重新登记任务。`;
  if (state === 'close_requested') return `${head}销号申请正在等待办公室确认。`;
  if (type === 'confirm_close' || type === 'reject_close') return `${head}需要任务负责人先申请销号。`;
  if (type === 'resume') return `${head}只有已留号的任务需要恢复推进。`;
  return head;
}

function text(value: string, what: string, max: number, missing: TaskFailureCode, hint: string): Result<string, TaskFailureCode> {
  const trimmed = value.trim();
  if (trimmed === '') return fail(missing, hint);
  if ([...trimmed].length > max) return fail('too_long', `${what}不能超过 ${max} 字，请精简后再提交。`);
  return ok(trimmed);
}

/** The events the actor may fire now: the buttons a task card shows. */
export function allowedTaskEvents(state: TaskState, relations: readonly TaskRelation[]): TaskEventType[] {
  return (Object.keys(taskTransitions) as TaskEventType[]).filter((type) => {
    const rule = taskTransitions[type];
    return rule.from.includes(state) && rule.by.some((r) => relations.includes(r));
  });
}

/**
 * Applies `event` to a task in `state` for an actor with `relations`, on Beijing date `today` (yyyy-mm-dd, used to
 * check a next review date). Texts are trimmed; the returned event carries the trimmed values.
 */
export function transitionTask(
  state: TaskState,
  event: TaskEvent,
  relations: readonly TaskRelation[],
  today: string,
): Result<TaskTransition, TaskFailureCode> {
  const rule = taskTransitions[event.type];
  if (!rule.by.some((r) => relations.includes(r))) return fail('forbidden', `只有${whoMay(rule)}可以${taskEventLabels[event.type]}。`);
  if (!rule.from.includes(state)) return fail('illegal_transition', illegal(state, event.type));
  const done = (normalised: TaskEvent, patch: Omit<TaskPatch, 'state'>): Result<TaskTransition, TaskFailureCode> =>
    ok({ from: state, to: rule.to, event: normalised, patch: { state: rule.to, ...patch } });

  switch (event.type) {
    case 'start':
    case 'confirm_close':
    case 'resume':
      return done(event, { stateReason: null, nextReviewOn: null });
    case 'request_close': {
      const summary = text(event.summary, '完成情况', SUMMARY_MAX, 'summary_required', '申请销号需要填写完成情况（实际结果），请补充后再提交。');
      if (!summary.ok) return summary;
      return done({ type: 'request_close', summary: summary.value }, { stateReason: null, nextReviewOn: null, actualResult: summary.value });
    }
    case 'reject_close': {
      const reason = text(event.reason, '退回理由', REASON_MAX, 'reason_required', '退回销号申请需要填写理由，说明还需要完成什么。');
      if (!reason.ok) return reason;
      return done({ type: 'reject_close', reason: reason.value }, { stateReason: reason.value, nextReviewOn: null });
    }
    case 'keep': {
      const reason = text(event.reason, '留号理由', REASON_MAX, 'reason_required', '留号需要填写理由，例如“属长期性工作，需跨年度推进”。');
      if (!reason.ok) return reason;
      const next = event.nextReviewOn.trim();
      if (!isDate(next)) return fail('invalid_date', `下次复核日期“${next}”无法识别，请写成 2026-06-30 这样的日期。`);
      if (next <= today) return fail('review_date_not_future', `下次复核日期须晚于今天（${formatChineseDate(today)}），请重新选择。`);
      return done({ type: 'keep', reason: reason.value, nextReviewOn: next }, { stateReason: reason.value, nextReviewOn: next });
    }
  }
}

/** Tasks whose reports and milestones are chased (reminders, letters, overdue lists): not kept, closing or closed. */
export function isTracked(state: TaskState): boolean {
  return state === 'registered' || state === 'in_progress';
}

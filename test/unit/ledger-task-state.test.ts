import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/roles.js';
import {
  allowedTaskEvents,
  taskRelationsOf,
  taskStates,
  transitionTask,
  type TaskEvent,
  type TaskEventType,
  type TaskRelation,
  type TaskState,
} from '../../src/domain/ledger/task-state.js';

const today = '2026-03-10';
const everyone: TaskRelation[] = ['owner', 'lead_liaison', 'admin'];
const events: Record<TaskEventType, TaskEvent> = {
  start: { type: 'start' },
  request_close: { type: 'request_close', summary: '已出台实施方案并完成试点。' },
  confirm_close: { type: 'confirm_close' },
  reject_close: { type: 'reject_close', reason: '缺少试点评估报告。' },
  keep: { type: 'keep', reason: '属长期性工作。', nextReviewOn: '2026-06-30' },
  resume: { type: 'resume' },
};

/** Every legal move: [from, event, to]. Anything else is refused. */
const legal: [TaskState, TaskEventType, TaskState][] = [
  ['registered', 'start', 'in_progress'],
  ['registered', 'request_close', 'close_requested'],
  ['in_progress', 'request_close', 'close_requested'],
  ['kept', 'request_close', 'close_requested'],
  ['close_requested', 'confirm_close', 'closed'],
  ['close_requested', 'reject_close', 'in_progress'],
  ['registered', 'keep', 'kept'],
  ['in_progress', 'keep', 'kept'],
  ['kept', 'keep', 'kept'],
  ['kept', 'resume', 'in_progress'],
];

describe('the task state machine', () => {
  const all = taskStates.flatMap((s) => (Object.keys(events) as TaskEventType[]).map((e) => [s, e] as const));

  it.each(all)('%s --%s-->', (state, type) => {
    const result = transitionTask(state, events[type], everyone, today);
    const expected = legal.find(([from, e]) => from === state && e === type);
    if (expected) expect(result).toMatchObject({ ok: true, value: { from: state, to: expected[2], patch: { state: expected[2] } } });
    else expect(result).toMatchObject({ ok: false, code: 'illegal_transition' });
  });

  it.each<[TaskEventType, TaskRelation[]]>([
    ['start', ['owner', 'lead_liaison', 'admin']],
    ['request_close', ['owner', 'lead_liaison']],
    ['confirm_close', ['admin']],
    ['reject_close', ['admin']],
    ['keep', ['admin']],
    ['resume', ['owner', 'lead_liaison', 'admin']],
  ])('%s may be done by exactly %j', (type, allowed) => {
    const from = legal.find(([, e]) => e === type)?.[0] as TaskState;
    for (const relation of everyone) {
      const result = transitionTask(from, events[type], [relation], today);
      expect(result.ok).toBe(allowed.includes(relation));
    }
    expect(transitionTask(from, events[type], [], today)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('tells outsiders who may act, before looking at the state', () => {
    expect(transitionTask('closed', events.request_close, [], today)).toEqual({
      ok: false,
      code: 'forbidden',
      message: '只有任务负责人或牵头单位联络人可以申请销号。',
    });
    expect(transitionTask('close_requested', events.confirm_close, ['owner'], today)).toEqual({
      ok: false,
      code: 'forbidden',
      message: '只有办公室管理员可以确认销号。',
    });
  });

  it.each<[TaskState, TaskEventType, string]>([
    ['closed', 'request_close', '任务当前状态为“已销号”，不能申请销号。已销号的任务不再变动；如需继续，请重新登记任务。'],
    ['close_requested', 'request_close', '任务当前状态为“待确认销号”，不能申请销号。销号申请正在等待办公室确认。'],
    ['in_progress', 'confirm_close', '任务当前状态为“推进中”，不能确认销号。需要任务负责人先申请销号。'],
    ['in_progress', 'resume', '任务当前状态为“推进中”，不能恢复推进。只有已留号的任务需要恢复推进。'],
    ['in_progress', 'start', '任务当前状态为“推进中”，不能开始推进。'],
  ])('explains an illegal move: %s --%s-->', (state, type, message) => {
    expect(transitionTask(state, events[type], everyone, today)).toEqual({ ok: false, code: 'illegal_transition', message });
  });
});

describe('what each move writes', () => {
  it('a close request records the trimmed result summary as the actual result', () => {
    const result = transitionTask('in_progress', { type: 'request_close', summary: '  已完成。 ' }, ['owner'], today);
    expect(result).toEqual({
      ok: true,
      value: {
        from: 'in_progress',
        to: 'close_requested',
        event: { type: 'request_close', summary: '已完成。' },
        patch: { state: 'close_requested', stateReason: null, nextReviewOn: null, actualResult: '已完成。' },
      },
    });
  });

  it('a rejection records its reason and sends the task back to work', () => {
    const result = transitionTask('close_requested', events.reject_close, ['admin'], today);
    expect(result.ok && result.value.patch).toEqual({ state: 'in_progress', stateReason: '缺少试点评估报告。', nextReviewOn: null });
  });

  it('keeping records the reason and the next review date; resuming clears them', () => {
    const kept = transitionTask('in_progress', events.keep, ['admin'], today);
    expect(kept.ok && kept.value.patch).toEqual({ state: 'kept', stateReason: '属长期性工作。', nextReviewOn: '2026-06-30' });
    const resumed = transitionTask('kept', events.resume, ['owner'], today);
    expect(resumed.ok && resumed.value.patch).toEqual({ state: 'in_progress', stateReason: null, nextReviewOn: null });
  });
});

describe('bad input changes nothing and says what to fix', () => {
  it.each<[TaskState, TaskEvent, TaskRelation, string, string]>([
    ['in_progress', { type: 'request_close', summary: '   ' }, 'owner', 'summary_required', '申请销号需要填写完成情况（实际结果），请补充后再提交。'],
    ['in_progress', { type: 'request_close', summary: '很'.repeat(2001) }, 'owner', 'too_long', '完成情况不能超过 2000 字，请精简后再提交。'],
    ['close_requested', { type: 'reject_close', reason: '' }, 'admin', 'reason_required', '退回销号申请需要填写理由，说明还需要完成什么。'],
    ['in_progress', { type: 'keep', reason: '', nextReviewOn: '2026-06-30' }, 'admin', 'reason_required', '留号需要填写理由，例如“属长期性工作，需跨年度推进”。'],
    ['in_progress', { type: 'keep', reason: '长期', nextReviewOn: '2026/06/30' }, 'admin', 'invalid_date', '下次复核日期“2026/06/30”无法识别，请写成 2026-06-30 这样的日期。'],
    ['in_progress', { type: 'keep', reason: '长期', nextReviewOn: '2026-02-30' }, 'admin', 'invalid_date', '下次复核日期“2026-02-30”无法识别，请写成 2026-06-30 这样的日期。'],
    ['in_progress', { type: 'keep', reason: '长期', nextReviewOn: today }, 'admin', 'review_date_not_future', '下次复核日期须晚于今天（2026年3月10日），请重新选择。'],
  ])('%s + %j by %s -> %s', (state, event, relation, code, message) => {
    expect(transitionTask(state, event, [relation], today)).toEqual({ ok: false, code, message });
  });

  it('accepts a summary of exactly 2000 characters', () => {
    expect(transitionTask('in_progress', { type: 'request_close', summary: '很'.repeat(2000) }, ['owner'], today).ok).toBe(true);
  });
});

describe('relations and buttons', () => {
  const actor = (openId: string, roles: Actor['roles'], units: Actor['units'] = []): Actor => ({ openId, name: undefined, roles, units });
  const task = { ownerOpenId: 'ou_owner', leadUnitId: 3 };

  it('derives owner, lead liaison and admin from the actor', () => {
    expect(taskRelationsOf(actor('ou_owner', ['member']), task)).toEqual(['owner']);
    expect(taskRelationsOf(actor('ou_l', ['liaison'], [{ unitId: 3, unitName: '市发改委', unitType: 'department', role: 'liaison' }]), task)).toEqual(['lead_liaison']);
    expect(taskRelationsOf(actor('ou_m', ['member'], [{ unitId: 3, unitName: '市发改委', unitType: 'department', role: 'member' }]), task)).toEqual([]);
    expect(taskRelationsOf(actor('ou_x', ['liaison'], [{ unitId: 4, unitName: '兴庆区', unitType: 'county', role: 'liaison' }]), task)).toEqual([]);
    expect(taskRelationsOf(actor('ou_owner', ['admin']), { ownerOpenId: 'ou_owner', leadUnitId: null })).toEqual(['owner', 'admin']);
  });

  it('lists the moves a card may offer', () => {
    expect(allowedTaskEvents('in_progress', ['owner'])).toEqual(['request_close']);
    expect(allowedTaskEvents('registered', ['owner'])).toEqual(['start', 'request_close']);
    expect(allowedTaskEvents('close_requested', ['admin'])).toEqual(['confirm_close', 'reject_close']);
    expect(allowedTaskEvents('kept', ['admin'])).toEqual(['keep', 'resume']);
    expect(allowedTaskEvents('closed', everyone)).toEqual([]);
    expect(allowedTaskEvents('in_progress', [])).toEqual([]);
  });
});

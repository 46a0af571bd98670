import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/roles.js';
import {
  allowedProblemEvents,
  problemRelationsOf,
  problemStates,
  transitionProblem,
  type ProblemEvent,
  type ProblemEventType,
  type ProblemRelation,
  type ProblemState,
} from '../../src/domain/ledger/problem-state.js';

const events: Record<ProblemEventType, ProblemEvent> = {
  assign: { type: 'assign', unitId: 5 },
  resolve: { type: 'resolve', resolution: '已协调市自然资源局完成用地审批。' },
  escalate: { type: 'escalate', reason: '涉及跨部门事权，需市级层面协调。' },
};

/** Every legal move with who may make it. */
const legal: [ProblemState, ProblemEventType, ProblemState, ProblemRelation[]][] = [
  ['open', 'assign', 'assigned', ['admin']],
  ['assigned', 'assign', 'assigned', ['admin']],
  ['escalated', 'assign', 'assigned', ['admin']],
  ['assigned', 'resolve', 'resolved', ['unit_liaison', 'admin']],
  ['escalated', 'resolve', 'resolved', ['admin']],
  ['open', 'escalate', 'escalated', ['admin']],
  ['assigned', 'escalate', 'escalated', ['unit_liaison', 'admin']],
];

describe('the problem state machine', () => {
  const cases = problemStates.flatMap((s) => (Object.keys(events) as ProblemEventType[]).flatMap((e) => (['admin', 'unit_liaison'] as const).map((r) => [s, e, r] as const)));

  it.each(cases)('%s --%s--> by %s', (state, type, relation) => {
    const result = transitionProblem(state, 3, events[type], [relation]);
    const rule = legal.find(([from, e]) => from === state && e === type);
    if (rule && rule[3].includes(relation)) expect(result).toMatchObject({ ok: true, value: { from: state, to: rule[2], patch: { state: rule[2] } } });
    else if (rule) expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    else {
      const mayEver = legal.some(([, e, , by]) => e === type && by.includes(relation));
      expect(result).toMatchObject({ ok: false, code: mayEver ? 'illegal_transition' : 'forbidden' });
    }
  });

  it('refuses anyone without a relation', () => {
    for (const state of problemStates) {
      for (const event of Object.values(events)) expect(transitionProblem(state, 3, event, [])).toMatchObject({ ok: false, code: 'forbidden' });
    }
  });

  it('routing writes the unit; re-routing to the same unit is refused', () => {
    expect(transitionProblem('open', null, events.assign, ['admin'])).toMatchObject({ ok: true, value: { patch: { state: 'assigned', responsibleUnitId: 5 } } });
    expect(transitionProblem('assigned', 5, events.assign, ['admin'])).toEqual({ ok: false, code: 'same_unit', message: '问题已分办给该单位，请选择其他单位。' });
  });

  it('resolving writes the trimmed resolution; escalating keeps its reason on the event', () => {
    const resolved = transitionProblem('assigned', 3, { type: 'resolve', resolution: '  已解决。 ' }, ['unit_liaison']);
    expect(resolved).toMatchObject({ ok: true, value: { event: { resolution: '已解决。' }, patch: { state: 'resolved', resolution: '已解决。' } } });
    const escalated = transitionProblem('assigned', 3, events.escalate, ['unit_liaison']);
    expect(escalated).toMatchObject({ ok: true, value: { event: { type: 'escalate', reason: '涉及跨部门事权，需市级层面协调。' }, patch: { state: 'escalated' } } });
  });

  it.each<[ProblemState, ProblemEvent, ProblemRelation[], string, string]>([
    ['resolved', events.resolve, ['admin'], 'illegal_transition', '问题当前状态为“已解决”，不能办结。问题已解决；如又出现，请重新登记。'],
    ['open', events.resolve, ['admin'], 'illegal_transition', '问题当前状态为“待分办”，不能办结。请先分办给责任单位。'],
    ['escalated', events.resolve, ['unit_liaison'], 'forbidden', '只有办公室管理员可以办结这个问题。'],
    ['open', events.assign, ['unit_liaison'], 'forbidden', '只有办公室管理员可以分办这个问题。'],
    ['assigned', { type: 'resolve', resolution: ' ' }, ['unit_liaison'], 'text_required', '请填写办理结果。'],
    ['assigned', { type: 'escalate', reason: '' }, ['admin'], 'text_required', '请填写提请研究的理由（需要市级层面协调的事项）。'],
    ['assigned', { type: 'resolve', resolution: '好'.repeat(2001) }, ['admin'], 'too_long', '办理结果不能超过 2000 字，请精简后再提交。'],
  ])('%s + %j by %j -> %s', (state, event, relations, code, message) => {
    expect(transitionProblem(state, 3, event, relations)).toEqual({ ok: false, code, message });
  });
});

describe('problem relations and buttons', () => {
  const actor = (roles: Actor['roles'], units: Actor['units'] = []): Actor => ({ openId: 'ou_x', name: undefined, roles, units });

  it('an admin, or the liaison of the unit the problem is routed to', () => {
    expect(problemRelationsOf(actor(['admin']), { responsibleUnitId: null })).toEqual(['admin']);
    expect(problemRelationsOf(actor(['liaison'], [{ unitId: 3, unitName: '兴庆区', unitType: 'county', role: 'liaison' }]), { responsibleUnitId: 3 })).toEqual(['unit_liaison']);
    expect(problemRelationsOf(actor(['member'], [{ unitId: 3, unitName: '兴庆区', unitType: 'county', role: 'member' }]), { responsibleUnitId: 3 })).toEqual([]);
    expect(problemRelationsOf(actor(['liaison'], [{ unitId: 3, unitName: '兴庆区', unitType: 'county', role: 'liaison' }]), { responsibleUnitId: null })).toEqual([]);
  });

  it('lists the moves a card may offer', () => {
    expect(allowedProblemEvents('open', ['admin'])).toEqual(['assign', 'escalate']);
    expect(allowedProblemEvents('assigned', ['unit_liaison'])).toEqual(['resolve', 'escalate']);
    expect(allowedProblemEvents('escalated', ['unit_liaison'])).toEqual([]);
    expect(allowedProblemEvents('resolved', ['admin'])).toEqual([]);
  });
});

// The problem library's state machine (问题库, seed 002 measure 11: registered at once, routed to the responsible
// unit, solved, or put to the city's reform committee when it needs city-level coordination 提请研究).
//
//   open --assign(unit)--> assigned            (admin; also re-routes an assigned or escalated problem)
//   assigned --resolve(resolution)--> resolved  (the responsible unit's liaison, or the admin)
//   escalated --resolve(resolution)--> resolved (admin: records what the committee decided)
//   open | assigned --escalate(reason)--> escalated (admin; the responsible unit's liaison may ask from assigned)
import type { Actor } from '../roles.js';
import { fail, ok, type Result } from '../campaign/result.js';

export const problemStates = ['open', 'assigned', 'resolved', 'escalated'] as const;
export type ProblemState = (typeof problemStates)[number];

export const problemStateLabels: Record<ProblemState, string> = {
  open: '待分办',
  assigned: '已分办',
  resolved: '已解决',
  escalated: '提请研究',
};

export type ProblemRelation = 'admin' | 'unit_liaison';

export type ProblemEvent =
  | { type: 'assign'; unitId: number }
  | { type: 'resolve'; resolution: string }
  | { type: 'escalate'; reason: string };
export type ProblemEventType = ProblemEvent['type'];

export const problemEventLabels: Record<ProblemEventType, string> = { assign: '分办', resolve: '办结', escalate: '提请研究' };

interface Step {
  from: ProblemState;
  by: readonly ProblemRelation[];
}

/** Each event with the states it may start from and, for each, who may fire it. */
export const problemTransitions: Record<ProblemEventType, { to: ProblemState; steps: readonly Step[] }> = {
  assign: {
    to: 'assigned',
    steps: [
      { from: 'open', by: ['admin'] },
      { from: 'assigned', by: ['admin'] },
      { from: 'escalated', by: ['admin'] },
    ],
  },
  resolve: {
    to: 'resolved',
    steps: [
      { from: 'assigned', by: ['unit_liaison', 'admin'] },
      { from: 'escalated', by: ['admin'] },
    ],
  },
  escalate: {
    to: 'escalated',
    steps: [
      { from: 'open', by: ['admin'] },
      { from: 'assigned', by: ['unit_liaison', 'admin'] },
    ],
  },
};

export const PROBLEM_TEXT_MAX = 2000;

export type ProblemFailureCode = 'forbidden' | 'illegal_transition' | 'text_required' | 'too_long' | 'same_unit';

export interface ProblemTransition {
  from: ProblemState;
  to: ProblemState;
  event: ProblemEvent;
  /** Columns to set on the problems row. */
  patch: { state: ProblemState; responsibleUnitId?: number; resolution?: string };
}

/** How the actor stands to one problem: admin, or liaison of the unit it is routed to. */
export function problemRelationsOf(actor: Pick<Actor, 'roles' | 'units'>, problem: { responsibleUnitId: number | null }): ProblemRelation[] {
  const out: ProblemRelation[] = [];
  if (actor.roles.includes('admin')) out.push('admin');
  if (problem.responsibleUnitId !== null && actor.units.some((u) => u.unitId === problem.responsibleUnitId && u.role === 'liaison')) {
    out.push('unit_liaison');
  }
  return out;
}

export function allowedProblemEvents(state: ProblemState, relations: readonly ProblemRelation[]): ProblemEventType[] {
  return (Object.keys(problemTransitions) as ProblemEventType[]).filter((type) =>
    problemTransitions[type].steps.some((s) => s.from === state && s.by.some((r) => relations.includes(r))),
  );
}

function illegal(state: ProblemState, type: ProblemEventType): string {
  const head = `问题当前状态为“${problemStateLabels[state]}”，不能${problemEventLabels[type]}。`;
  if (state === 'resolved') return `${head}问题已解决；如又出现，请重新登记。`;
  if (type === 'resolve' && state === 'open') return `${head}请先分办给责任单位。`;
  return head;
}

function requiredText(value: string, what: string): Result<string, ProblemFailureCode> {
  const trimmed = value.trim();
  if (trimmed === '') return fail('text_required', `请填写${what}。`);
  if ([...trimmed].length > PROBLEM_TEXT_MAX) return fail('too_long', `${what}不能超过 ${PROBLEM_TEXT_MAX} 字，请精简后再提交。`);
  return ok(trimmed);
}

/** Applies `event` to a problem; `currentUnitId` is the unit it is routed to now (null while open). */
export function transitionProblem(
  state: ProblemState,
  currentUnitId: number | null,
  event: ProblemEvent,
  relations: readonly ProblemRelation[],
): Result<ProblemTransition, ProblemFailureCode> {
  const rule = problemTransitions[event.type];
  const step = rule.steps.find((s) => s.from === state);
  if (!step) {
    const anyone = rule.steps.some((s) => s.by.some((r) => relations.includes(r)));
    return anyone ? fail('illegal_transition', illegal(state, event.type)) : fail('forbidden', `你不能${problemEventLabels[event.type]}这个问题。`);
  }
  if (!step.by.some((r) => relations.includes(r))) {
    const who = step.by.map((r) => (r === 'admin' ? '办公室管理员' : '责任单位联络人')).join('或');
    return fail('forbidden', `只有${who}可以${problemEventLabels[event.type]}这个问题。`);
  }
  const to = rule.to;
  switch (event.type) {
    case 'assign':
      if (state === 'assigned' && currentUnitId === event.unitId) return fail('same_unit', '问题已分办给该单位，请选择其他单位。');
      return ok({ from: state, to, event, patch: { state: to, responsibleUnitId: event.unitId } });
    case 'resolve': {
      const resolution = requiredText(event.resolution, '办理结果');
      if (!resolution.ok) return resolution;
      return ok({ from: state, to, event: { type: 'resolve', resolution: resolution.value }, patch: { state: to, resolution: resolution.value } });
    }
    case 'escalate': {
      const reason = requiredText(event.reason, '提请研究的理由（需要市级层面协调的事项）');
      if (!reason.ok) return reason;
      return ok({ from: state, to, event: { type: 'escalate', reason: reason.value }, patch: { state: to } });
    }
  }
}

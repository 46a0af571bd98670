// The phase state machine. A phase is pending before it opens, open in [opensAt, closesAt), closed after.
// The office may open a pending phase early, close an open one early, reopen a closed one (only with a reason
// and a new deadline) and move a deadline. Time is always passed in; every change returns a new phase.
import { formatChinaDateTime, parseInstant, toChinaIso } from './china-time.js';
import { fail, ok, type Failure, type Result } from './result.js';
import { submissionKindLabels, type SubmissionKind, type TemplatePhase } from './template.js';

export type PhaseState = 'pending' | 'open' | 'closed';
export const phaseStateLabels: Record<PhaseState, string> = { pending: '未开始', open: '进行中', closed: '已截止' };

/** A manual change made by the office, kept on the phase so the schedule explains itself. */
export interface PhaseAction {
  action: 'open' | 'close' | 'reopen' | 'move_deadline';
  at: string;
  reason?: string;
  previousClosesAt?: string;
}

export type CampaignPhase = TemplatePhase & { history?: readonly PhaseAction[] };
/** The neighbour a change must keep its order with. */
export type PhaseWindow = Pick<TemplatePhase, 'label' | 'opensAt' | 'closesAt'>;

export type PhaseFailureCode =
  | 'already_open'
  | 'already_closed'
  | 'not_open'
  | 'use_reopen'
  | 'previous_not_closed'
  | 'next_phase_started'
  | 'reason_required'
  | 'invalid_date'
  | 'deadline_in_past'
  | 'deadline_before_open'
  | 'deadline_after_next_opens';

export type SubmitFailureCode = 'not_open_yet' | 'submission_closed' | 'no_submission_phase';

const ms = (instant: string): number => parseInstant(instant).getTime();
const when = (instant: string | Date): string => formatChinaDateTime(instant);

export function phaseState(phase: PhaseWindow, now: Date): PhaseState {
  const t = now.getTime();
  if (t < ms(phase.opensAt)) return 'pending';
  return t < ms(phase.closesAt) ? 'open' : 'closed';
}

/** The first phase open at `now`, if any. */
export function currentPhase<P extends PhaseWindow>(phases: readonly P[], now: Date): P | undefined {
  return phases.find((p) => phaseState(p, now) === 'open');
}

/** Whether units may hand in items now (optionally of one kind), with the phase that takes them. */
export function canSubmit<P extends PhaseWindow & Pick<TemplatePhase, 'submissionKind'>>(
  phases: readonly P[],
  now: Date,
  kind?: SubmissionKind,
): Result<P, SubmitFailureCode> {
  const taking = phases.filter((p) => p.submissionKind !== undefined && (kind === undefined || p.submissionKind === kind));
  const what = kind === undefined ? '申报' : `${submissionKindLabels[kind]}申报`;
  if (taking.length === 0) return fail('no_submission_phase', `本次活动没有${what}环节。`);
  const open = taking.find((p) => phaseState(p, now) === 'open');
  if (open) return ok(open);
  const next = taking.find((p) => phaseState(p, now) === 'pending');
  if (next) return fail('not_open_yet', `${what}尚未开始，“${next.label}”将于${when(next.opensAt)}开放，请届时再提交。`);
  const last = taking[taking.length - 1] as P;
  return fail('submission_closed', `${what}已于${when(last.closesAt)}截止，不能再提交。如有特殊情况，请联系办公室。`);
}

function withAction<P extends CampaignPhase>(phase: P, change: Partial<TemplatePhase>, action: PhaseAction): P {
  return { ...phase, ...change, history: [...(phase.history ?? []), action] };
}

function checkDeadline(
  phase: PhaseWindow,
  closesAt: Date,
  now: Date,
  next: PhaseWindow | undefined,
): Failure<PhaseFailureCode> | undefined {
  if (Number.isNaN(closesAt.getTime())) return fail('invalid_date', '新的截止时间无法识别，请重新选择日期和时间。');
  if (closesAt.getTime() <= now.getTime()) {
    return fail('deadline_in_past', `新的截止时间${when(closesAt)}不晚于当前时间${when(now)}，请选择以后的时间。`);
  }
  if (closesAt.getTime() <= ms(phase.opensAt)) {
    return fail('deadline_before_open', `新的截止时间${when(closesAt)}必须晚于“${phase.label}”的开始时间${when(phase.opensAt)}。`);
  }
  if (next && closesAt.getTime() > ms(next.opensAt)) {
    return fail(
      'deadline_after_next_opens',
      `新的截止时间${when(closesAt)}晚于下一阶段“${next.label}”的开始时间${when(next.opensAt)}。请选择更早的时间，或先推迟下一阶段。`,
    );
  }
  return undefined;
}

/** Opens a pending phase now. The phase before it, if given, must already be closed. */
export function openPhase<P extends CampaignPhase>(phase: P, now: Date, previous?: PhaseWindow): Result<P, PhaseFailureCode> {
  const state = phaseState(phase, now);
  if (state === 'open') return fail('already_open', `“${phase.label}”已经在进行中。`);
  if (state === 'closed') return fail('use_reopen', `“${phase.label}”已截止。如需重新开放，请使用“重新开放”并说明理由。`);
  const previousState = previous ? phaseState(previous, now) : 'closed';
  if (previous && previousState !== 'closed') {
    return fail(
      'previous_not_closed',
      `上一阶段“${previous.label}”${phaseStateLabels[previousState]}，请先让它结束，再开放“${phase.label}”。`,
    );
  }
  return ok(withAction(phase, { opensAt: toChinaIso(now) }, { action: 'open', at: toChinaIso(now) }));
}

/** Closes an open phase now, ahead of its deadline. */
export function closePhase<P extends CampaignPhase>(phase: P, now: Date): Result<P, PhaseFailureCode> {
  const state = phaseState(phase, now);
  if (state === 'pending') return fail('not_open', `“${phase.label}”尚未开始，不能关闭。如需调整时间，请修改开始或截止时间。`);
  if (state === 'closed') return fail('already_closed', `“${phase.label}”已经截止。`);
  const at = toChinaIso(now);
  return ok(withAction(phase, { closesAt: at }, { action: 'close', at, previousClosesAt: phase.closesAt }));
}

/** Reopens a closed phase until a new deadline. A reason is required and is kept in the phase history. */
export function reopenPhase<P extends CampaignPhase>(
  phase: P,
  request: { reason: string; closesAt: Date },
  now: Date,
  next?: PhaseWindow,
): Result<P, PhaseFailureCode> {
  const state = phaseState(phase, now);
  if (state !== 'closed') {
    return fail(state === 'open' ? 'already_open' : 'not_open', `只有已截止的阶段才能重新开放，“${phase.label}”目前${phaseStateLabels[state]}。`);
  }
  const reason = request.reason.trim();
  if (reason === '') return fail('reason_required', `重新开放“${phase.label}”必须填写理由，请补充后再提交。`);
  if (next && phaseState(next, now) !== 'pending') {
    return fail('next_phase_started', `下一阶段“${next.label}”已于${when(next.opensAt)}开始，不能再重新开放“${phase.label}”。`);
  }
  const problem = checkDeadline(phase, request.closesAt, now, next);
  if (problem) return problem;
  const action: PhaseAction = { action: 'reopen', at: toChinaIso(now), reason, previousClosesAt: phase.closesAt };
  return ok(withAction(phase, { closesAt: toChinaIso(request.closesAt) }, action));
}

/** Moves the deadline of a phase that has not closed yet. A closed phase needs `reopenPhase` (with a reason). */
export function moveDeadline<P extends CampaignPhase>(
  phase: P,
  newClosesAt: Date,
  now: Date,
  next?: PhaseWindow,
): Result<P, PhaseFailureCode> {
  if (phaseState(phase, now) === 'closed') {
    return fail('use_reopen', `“${phase.label}”已截止，不能直接修改截止时间。如需延期，请使用“重新开放”并说明理由。`);
  }
  const problem = checkDeadline(phase, newClosesAt, now, next);
  if (problem) return problem;
  const action: PhaseAction = { action: 'move_deadline', at: toChinaIso(now), previousClosesAt: phase.closesAt };
  return ok(withAction(phase, { closesAt: toChinaIso(newClosesAt) }, action));
}

/**
 * Applies a change to one phase of a campaign's ordered list, handing it the neighbours it must keep its order
 * with, e.g. `changePhase(phases, key, (p, { next }) => moveDeadline(p, date, now, next))`.
 */
export function changePhase<P extends CampaignPhase, C extends string>(
  phases: readonly P[],
  key: string,
  change: (phase: P, neighbours: { previous: P | undefined; next: P | undefined }) => Result<P, C>,
): Result<P[], C | 'unknown_phase'> {
  const index = phases.findIndex((p) => p.key === key);
  const phase = phases[index];
  if (phase === undefined) {
    return fail('unknown_phase', `没有找到阶段“${key}”。现有阶段：${phases.map((p) => p.label).join('、')}。`);
  }
  const result = change(phase, { previous: phases[index - 1], next: phases[index + 1] });
  if (!result.ok) return result;
  return ok(phases.map((p, i) => (i === index ? result.value : p)));
}

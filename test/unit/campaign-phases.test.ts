import { describe, expect, it } from 'vitest';
import {
  canSubmit,
  changePhase,
  closePhase,
  currentPhase,
  moveDeadline,
  openPhase,
  phaseState,
  reopenPhase,
  type CampaignPhase,
  type PhaseState,
} from '../../src/domain/campaign/phases.js';
import { templates } from '../../src/domain/campaign/templates/index.js';

const ln: readonly CampaignPhase[] = templates['liaoning-2022'].phases;
const cq: readonly CampaignPhase[] = templates['chongqing-2022'].phases;
const at = (beijing: string): Date => new Date(`${beijing}+08:00`);

function phase(phases: readonly CampaignPhase[], key: string): CampaignPhase {
  const found = phases.find((p) => p.key === key);
  if (!found) throw new Error(`no phase ${key}`);
  return found;
}

function value<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const topic = phase(ln, 'topic_submission'); // 2022-09-01 00:00:00 .. 2022-10-15 23:59:59
const selection = phase(ln, 'office_selection'); // 2022-10-16 00:00:00 .. 2022-10-23 23:59:59

describe('phaseState: pending before opensAt, open in [opensAt, closesAt), closed after', () => {
  it.each<[string, PhaseState]>([
    ['2022-08-31T23:59:59', 'pending'],
    ['2022-09-01T00:00:00', 'open'],
    ['2022-10-15T23:59:58', 'open'],
    ['2022-10-15T23:59:59', 'closed'],
    ['2023-01-01T00:00:00', 'closed'],
  ])('at %s the topic phase is %s', (now, expected) => {
    expect(phaseState(topic, at(now))).toBe(expected);
  });
});

describe('currentPhase', () => {
  it.each<[string, string | undefined]>([
    ['2022-08-01T00:00:00', undefined],
    ['2022-09-10T10:00:00', 'topic_submission'],
    ['2022-10-20T10:00:00', 'office_selection'],
    ['2022-10-31T12:00:00', 'leader_decision'],
    ['2022-12-01T10:00:00', 'implementation'],
    ['2023-03-15T10:00:00', 'evaluation'],
    ['2023-04-01T00:00:00', undefined],
  ])('at %s it is %s', (now, key) => {
    expect(currentPhase(ln, at(now))?.key).toBe(key);
  });
});

describe('canSubmit', () => {
  it.each<[readonly CampaignPhase[], string, 'topic' | 'achievement' | undefined, string, string]>([
    [ln, '2022-08-01T00:00:00', undefined, 'not_open_yet', '将于2022年9月1日 00:00开放'],
    [ln, '2022-10-20T00:00:00', undefined, 'submission_closed', '已于2022年10月15日 23:59截止'],
    [ln, '2022-09-10T00:00:00', 'achievement', 'no_submission_phase', '本次活动没有成果申报环节'],
    [cq, '2023-02-02T00:00:00', undefined, 'submission_closed', '已于2023年2月1日 23:59截止'],
  ])('refuses (%#) with a code and a Chinese message', (phases, now, kind, code, message) => {
    const result = canSubmit(phases, at(now), kind);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it.each<[readonly CampaignPhase[], string, string]>([
    [ln, '2022-09-01T00:00:00', 'topic_submission'],
    [ln, '2022-10-15T23:00:00', 'topic_submission'],
    [cq, '2023-02-01T23:59:00', 'declaration'],
  ])('accepts (%#) in the submission phase', (phases, now, key) => {
    expect(value(canSubmit(phases, at(now))).key).toBe(key);
  });
});

describe('manual open, close and reopen', () => {
  it('closes an open phase early, then opens the next one early', () => {
    const closed = value(closePhase(topic, at('2022-10-10T12:00:00')));
    expect(closed.closesAt).toBe('2022-10-10T12:00:00+08:00');
    expect(closed.history).toEqual([
      { action: 'close', at: '2022-10-10T12:00:00+08:00', previousClosesAt: '2022-10-15T23:59:59+08:00' },
    ]);
    expect(phaseState(closed, at('2022-10-10T12:00:00'))).toBe('closed');

    const opened = value(openPhase(selection, at('2022-10-10T12:30:00'), closed));
    expect(opened.opensAt).toBe('2022-10-10T12:30:00+08:00');
    expect(phaseState(opened, at('2022-10-10T12:30:00'))).toBe('open');
  });

  it.each<[string, () => { ok: boolean; code?: string; message?: string }, string, string]>([
    ['opening an open phase', () => openPhase(topic, at('2022-09-10T00:00:00')), 'already_open', '已经在进行中'],
    ['opening a closed phase', () => openPhase(topic, at('2022-10-20T00:00:00')), 'use_reopen', '请使用“重新开放”并说明理由'],
    ['opening while the previous phase runs', () => openPhase(selection, at('2022-10-10T00:00:00'), topic), 'previous_not_closed', '上一阶段“选题申报”进行中'],
    ['closing a pending phase', () => closePhase(selection, at('2022-10-10T00:00:00')), 'not_open', '尚未开始，不能关闭'],
    ['closing a closed phase', () => closePhase(topic, at('2022-10-20T00:00:00')), 'already_closed', '已经截止'],
    ['reopening an open phase', () => reopenPhase(topic, { reason: '延期', closesAt: at('2022-10-15T00:00:00') }, at('2022-09-10T00:00:00')), 'already_open', '目前进行中'],
  ])('refuses %s', (_name, run, code, message) => {
    const result = run();
    expect(result).toMatchObject({ ok: false, code });
    expect(result.message).toContain(message);
  });

  const closedEarly = value(closePhase(topic, at('2022-10-10T12:00:00')));
  const reopenAt = at('2022-10-11T09:00:00');

  it('reopens a closed phase with a reason and a new deadline, and keeps the reason', () => {
    const reopened = value(reopenPhase(closedEarly, { reason: ' 部分县区材料延误 ', closesAt: at('2022-10-14T18:00:00') }, reopenAt, selection));
    expect(reopened.closesAt).toBe('2022-10-14T18:00:00+08:00');
    expect(phaseState(reopened, reopenAt)).toBe('open');
    expect(reopened.history?.[1]).toEqual({
      action: 'reopen',
      at: '2022-10-11T09:00:00+08:00',
      reason: '部分县区材料延误',
      previousClosesAt: '2022-10-10T12:00:00+08:00',
    });
  });

  it.each<[string, string, string, string, string]>([
    ['without a reason', '  ', '2022-10-14T18:00:00', 'reason_required', '必须填写理由'],
    ['past the next phase start', '延期', '2022-10-16T08:00:00', 'deadline_after_next_opens', '晚于下一阶段“办公室遴选”的开始时间2022年10月16日 00:00'],
    ['with a deadline already gone', '延期', '2022-10-11T08:00:00', 'deadline_in_past', '不晚于当前时间'],
  ])('refuses to reopen %s', (_name, reason, closesAt, code, message) => {
    const result = reopenPhase(closedEarly, { reason, closesAt: at(closesAt) }, reopenAt, selection);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toContain(message);
  });

  it('refuses to reopen once the next phase has started', () => {
    const result = reopenPhase(topic, { reason: '补报', closesAt: at('2022-10-18T00:00:00') }, at('2022-10-17T00:00:00'), selection);
    expect(result).toMatchObject({ ok: false, code: 'next_phase_started' });
  });
});

describe('moveDeadline of the topic phase (next phase opens 2022-10-16 00:00)', () => {
  it.each<[string, Date, string, string]>([
    ['an earlier deadline', at('2022-10-12T18:00:00'), '2022-09-10T10:00:00', '2022-10-12T18:00:00+08:00'],
    ['a UTC instant, written back in Beijing time', new Date('2022-10-12T10:00:00Z'), '2022-09-10T10:00:00', '2022-10-12T18:00:00+08:00'],
    ['a deadline right at the next opening', at('2022-10-16T00:00:00'), '2022-09-10T10:00:00', '2022-10-16T00:00:00+08:00'],
    ['a deadline for a phase not yet open', at('2022-09-20T00:00:00'), '2022-08-01T00:00:00', '2022-09-20T00:00:00+08:00'],
  ])('accepts %s', (_name, newDate, now, closesAt) => {
    const moved = value(moveDeadline(topic, newDate, at(now), selection));
    expect(moved.closesAt).toBe(closesAt);
    expect(moved.history?.at(-1)).toMatchObject({ action: 'move_deadline', previousClosesAt: topic.closesAt });
    expect(topic.closesAt).toBe('2022-10-15T23:59:59+08:00');
  });

  it.each<[string, Date, string, string, string]>([
    ['in the past', at('2022-09-10T09:00:00'), '2022-09-10T10:00:00', 'deadline_in_past', '请选择以后的时间'],
    ['equal to now', at('2022-09-10T10:00:00'), '2022-09-10T10:00:00', 'deadline_in_past', '不晚于当前时间2022年9月10日 10:00'],
    ['before the phase opens', at('2022-08-20T00:00:00'), '2022-08-01T00:00:00', 'deadline_before_open', '必须晚于“选题申报”的开始时间2022年9月1日 00:00'],
    ['one second into the next phase', at('2022-10-16T00:00:01'), '2022-09-10T10:00:00', 'deadline_after_next_opens', '或先推迟下一阶段'],
    ['of a closed phase', at('2022-10-25T00:00:00'), '2022-10-20T00:00:00', 'use_reopen', '请使用“重新开放”并说明理由'],
    ['that is not a date', new Date('not a date'), '2022-09-10T10:00:00', 'invalid_date', '无法识别'],
  ])('refuses a deadline %s', (_name, newDate, now, code, message) => {
    const result = moveDeadline(topic, newDate, at(now), selection);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toContain(message);
  });
});

describe('changePhase applies a change with the right neighbours', () => {
  const now = at('2022-10-20T10:00:00');

  it('moves one deadline and leaves the other phases as they were', () => {
    const next = value(changePhase(ln, 'office_selection', (p, { next }) => moveDeadline(p, at('2022-10-22T18:00:00'), now, next)));
    expect(next[1]?.closesAt).toBe('2022-10-22T18:00:00+08:00');
    expect(next.filter((_, i) => i !== 1)).toEqual(ln.filter((_, i) => i !== 1));
  });

  it('passes the next phase, so order is kept', () => {
    const result = changePhase(ln, 'office_selection', (p, { next }) => moveDeadline(p, at('2022-10-25T00:00:00'), now, next));
    expect(result).toMatchObject({ ok: false, code: 'deadline_after_next_opens' });
  });

  it('names the phases it knows for an unknown key', () => {
    const result = changePhase(ln, 'nope', (p) => moveDeadline(p, at('2022-10-22T00:00:00'), now));
    expect(result).toMatchObject({ ok: false, code: 'unknown_phase' });
    expect(result.ok ? '' : result.message).toContain('选题申报、办公室遴选');
  });
});

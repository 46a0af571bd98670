import { describe, expect, it } from 'vitest';
import { chinaWorkCalendar } from '../../src/domain/ledger/calendar.js';
import {
  buildDailyDigest,
  buildMonthlyDigest,
  buildWeeklyLeaderDigests,
  deadlineVerdict,
  NO_LEAD_UNIT,
  type DigestInput,
  type DigestTask,
} from '../../src/domain/ledger/digest.js';

const cal = chinaWorkCalendar;
const bj = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

function task(id: number, state: DigestTask['state'], unit: [number, string] | null, leader: [string, string] | null, extra: Partial<DigestTask> = {}): DigestTask {
  return {
    id,
    code: `RW2026-00${id}`,
    title: `任务${id}`,
    state,
    leadUnitId: unit?.[0] ?? null,
    leadUnitName: unit?.[1] ?? null,
    ownerOpenId: `ou_owner_${id}`,
    ownerName: `专员${id}`,
    responsibleLeaderOpenId: leader?.[0] ?? null,
    responsibleLeaderName: leader?.[1] ?? null,
    nextReviewOn: null,
    ...extra,
  };
}

const drc: [number, string] = [1, '市发改委'];
const xq: [number, string] = [2, '兴庆区'];
const zhang: [string, string] = ['ou_zhang', '张副市长'];
const li: [string, string] = ['ou_li', '李副市长'];

const input: DigestInput = {
  tasks: [
    task(1, 'in_progress', drc, zhang),
    task(2, 'registered', xq, zhang),
    task(3, 'kept', xq, li, { nextReviewOn: '2026-03-09' }),
    task(4, 'closed', drc, li),
    task(5, 'close_requested', null, null),
  ],
  deadlines: [
    { taskId: 1, kind: 'report', label: '2026年第10周进展汇报', dueAt: bj('2026-03-06 18:00'), doneAt: null },
    { taskId: 1, kind: 'milestone', label: '里程碑：征求意见', dueAt: bj('2026-03-11 18:00'), doneAt: null },
    { taskId: 2, kind: 'report', label: '2026年第10周进展汇报', dueAt: bj('2026-03-06 18:00'), doneAt: bj('2026-03-06 10:00') },
    { taskId: 2, kind: 'milestone', label: '里程碑：完成调研', dueAt: bj('2026-03-02 18:00'), doneAt: null },
    { taskId: 2, kind: 'milestone', label: '里程碑：形成初稿', dueAt: bj('2026-03-13 18:00'), doneAt: null },
    { taskId: 3, kind: 'report', label: '2026年第10周进展汇报', dueAt: bj('2026-03-06 18:00'), doneAt: null },
    { taskId: 4, kind: 'milestone', label: '里程碑：印发文件', dueAt: bj('2026-03-03 18:00'), doneAt: bj('2026-03-04 09:00') },
    { taskId: 1, kind: 'milestone', label: '里程碑：报审', dueAt: bj('2026-03-16 18:00'), doneAt: null },
  ],
  changes: [
    { taskId: 1, at: bj('2026-03-05 15:00'), summary: '修改了措施清单' },
    { taskId: 1, at: bj('2026-03-06 15:00'), summary: '提交了销号前的材料' },
    { taskId: 2, at: bj('2026-03-08 11:00'), summary: '提交了2026年第10周进展汇报' },
    { taskId: 2, at: bj('2026-03-06 10:00'), summary: '开始推进' },
    { taskId: 2, at: bj('2026-03-09 08:00'), summary: '今天的变化' },
  ],
  letters: [
    { taskId: 2, kind: 'reminder', number: '提醒〔2026〕第1号', issuedAt: bj('2026-03-05 09:00'), acknowledgedAt: null },
    { taskId: 1, kind: 'supervision', number: '督办〔2026〕第1号', issuedAt: bj('2026-02-27 09:00'), acknowledgedAt: bj('2026-02-27 10:00') },
  ],
};

describe('daily digest (群内日调度), Monday 9 March 2026 09:00', () => {
  const digest = buildDailyDigest(input, bj('2026-03-09 09:00'), cal);

  it('lists changes since the previous working day (Friday to Sunday), per task in time order', () => {
    expect(digest.since).toBe('2026-03-06');
    expect(digest.changed.map((c) => [c.task.code, c.changes])).toEqual([
      ['RW2026-001', ['提交了销号前的材料']],
      ['RW2026-002', ['开始推进', '提交了2026年第10周进展汇报']],
    ]);
  });

  it('lists what is overdue on chased tasks, oldest first, with working days overdue', () => {
    expect(digest.overdue.map((o) => [o.task.code, o.label, o.overdueWorkdays])).toEqual([
      ['RW2026-002', '里程碑：完成调研', 5],
      ['RW2026-001', '2026年第10周进展汇报', 1],
    ]);
  });

  it('lists what falls due by Sunday, and kept tasks due for review', () => {
    expect(digest.dueThisWeek.map((d) => [d.task.code, d.label])).toEqual([
      ['RW2026-001', '里程碑：征求意见'],
      ['RW2026-002', '里程碑：形成初稿'],
    ]);
    expect(digest.reviewsDue.map((t) => t.code)).toEqual(['RW2026-003']);
  });

  it('counts', () => {
    expect(digest.counts).toEqual({
      tasks: 5,
      byState: { registered: 1, in_progress: 1, close_requested: 1, closed: 1, kept: 1 },
      changed: 2,
      overdue: 2,
      dueThisWeek: 2,
    });
  });

  it('after a holiday covers the whole break', () => {
    expect(buildDailyDigest(input, bj('2026-02-24 09:00'), cal).since).toBe('2026-02-14');
  });
});

describe('weekly digest per responsible leader (分管领导周调度)', () => {
  const digests = buildWeeklyLeaderDigests(input, bj('2026-03-09 09:00'), cal);

  it('one per leader, their tasks only; tasks without a leader are left out', () => {
    expect(digests.map((d) => [d.leaderName, d.counts])).toEqual([
      ['李副市长', { tasks: 2, byState: { registered: 0, in_progress: 0, close_requested: 0, closed: 1, kept: 1 }, overdue: 0, dueNextWeek: 0 }],
      ['张副市长', { tasks: 2, byState: { registered: 1, in_progress: 1, close_requested: 0, closed: 0, kept: 0 }, overdue: 2, dueNextWeek: 2 }],
    ]);
  });

  it('with the last seven days of changes and letters', () => {
    const zhangs = digests.find((d) => d.leaderOpenId === 'ou_zhang');
    expect(zhangs?.changed.map((c) => [c.task.code, c.changes.length])).toEqual([
      ['RW2026-001', 2],
      ['RW2026-002', 2],
    ]);
    expect(zhangs?.letters).toEqual([
      { task: expect.objectContaining({ code: 'RW2026-002' }), kind: 'reminder', number: '提醒〔2026〕第1号', issuedAt: bj('2026-03-05 09:00'), acknowledged: false },
    ]);
    expect(zhangs?.dueNextWeek.map((d) => d.label)).toEqual(['里程碑：征求意见', '里程碑：形成初稿']);
  });
});

describe('monthly digest (主要领导月调度)', () => {
  it('completion by lead unit, on time vs late, late tasks and letters, at the start of the next month', () => {
    const digest = buildMonthlyDigest(input, '2026-03', bj('2026-04-01 09:00'));
    expect([digest.startsOn, digest.endsOn]).toEqual(['2026-03-01', '2026-03-31']);
    expect(digest.units.map((u) => [u.unitName, u.tasks, u.closed, u.completionRate, u.onTime, u.late, u.pending])).toEqual([
      ['市发改委', 2, 1, 0.5, 0, 4, 0],
      [NO_LEAD_UNIT, 1, 0, 0, 0, 0, 0],
      ['兴庆区', 2, 0, 0, 1, 2, 0],
    ]);
    expect(digest.totals).toEqual({ tasks: 5, closed: 1, completionRate: 0.2, onTime: 1, late: 6, pending: 0 });
    expect(digest.lateTasks.map((t) => [t.task.code, t.items.map((i) => i.label)])).toEqual([
      ['RW2026-001', ['2026年第10周进展汇报', '里程碑：征求意见', '里程碑：报审']],
      ['RW2026-002', ['里程碑：完成调研', '里程碑：形成初稿']],
      ['RW2026-004', ['里程碑：印发文件']],
    ]);
    expect(digest.letters.map((l) => l.number)).toEqual(['提醒〔2026〕第1号']);
  });

  it('mid-month, deadlines still ahead are pending', () => {
    const digest = buildMonthlyDigest(input, '2026-03', bj('2026-03-09 09:00'));
    expect(digest.totals).toMatchObject({ onTime: 1, late: 3, pending: 3 });
  });

  it('February ends on the 28th; a month without anything due counts tasks only', () => {
    const digest = buildMonthlyDigest(input, '2026-02', bj('2026-03-09 09:00'));
    expect(digest.endsOn).toBe('2026-02-28');
    expect(digest.totals).toEqual({ tasks: 5, closed: 1, completionRate: 0.2, onTime: 0, late: 0, pending: 0 });
    expect(digest.letters.map((l) => l.number)).toEqual(['督办〔2026〕第1号']);
  });

  it('refuses a month that is not yyyy-mm', () => {
    expect(() => buildMonthlyDigest(input, '2026-3', bj('2026-03-09 09:00'))).toThrow(RangeError);
  });

  it.each<[Date | null, DigestTask['state'], string]>([
    [bj('2026-03-06 18:00'), 'in_progress', 'on_time'],
    [bj('2026-03-06 18:01'), 'in_progress', 'late'],
    [bj('2026-03-06 18:01'), 'closed', 'late'],
    [null, 'in_progress', 'late'],
    [null, 'kept', 'excused'],
  ])('a deadline due 6 March 18:00, done %s, task %s: %s', (doneAt, state, verdict) => {
    expect(deadlineVerdict({ dueAt: bj('2026-03-06 18:00'), doneAt }, state, bj('2026-03-09 09:00'))).toBe(verdict);
  });
});

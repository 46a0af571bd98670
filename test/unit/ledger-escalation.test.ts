import { describe, expect, it } from 'vitest';
import { chinaWorkCalendar } from '../../src/domain/ledger/calendar.js';
import {
  decideEscalations,
  defaultEscalationPolicy,
  milestoneTriggerKey,
  overdueWorkdays,
  parseEscalationPolicy,
  reportTriggerKey,
  type EscalationItem,
  type EscalationPolicy,
  type IssuedLetter,
  type LetterToIssue,
} from '../../src/domain/ledger/escalation.js';
import type { TaskState } from '../../src/domain/ledger/task-state.js';

const cal = chinaWorkCalendar;
/** 09:00 Beijing time on a date, when the escalation pass runs. */
const morning = (date: string): Date => new Date(`${date}T09:00:00+08:00`);
const at18 = (date: string): Date => new Date(`${date}T18:00:00+08:00`);

function item(dueOn: string, letters: IssuedLetter[] = [], extra: Partial<EscalationItem> = {}): EscalationItem {
  return {
    taskId: 7,
    taskState: 'in_progress',
    kind: 'report',
    triggerKey: reportTriggerKey('2026-W10'),
    label: '2026年第10周进展汇报',
    dueAt: at18(dueOn),
    letters,
    ...extra,
  };
}
const reminderOn = (date: string, number = '提醒〔2026〕第7号'): IssuedLetter => ({ kind: 'reminder', issuedAt: morning(date), number });
const kinds = (letters: LetterToIssue[]): string[] => letters.map((l) => l.kind);
const decide = (items: EscalationItem[], date: string, policy?: EscalationPolicy): LetterToIssue[] =>
  decideEscalations({ items }, morning(date), cal, policy);

describe('reminder letters (提醒函) at the threshold: overdue by 3 working days', () => {
  // Due Friday 6 March 2026 18:00; Monday 9 March is the 1st working day overdue, Wednesday 11 March the 3rd.
  it.each<[string, number, string[]]>([
    ['2026-03-06', 0, []],
    ['2026-03-09', 1, []],
    ['2026-03-10', 2, []],
    ['2026-03-11', 3, ['reminder']],
    ['2026-03-12', 4, ['reminder']],
  ])('on %s (overdue %i working days): %j', (date, overdue, expected) => {
    expect(overdueWorkdays(at18('2026-03-06'), date, cal)).toBe(overdue);
    expect(kinds(decide([item('2026-03-06')], date))).toEqual(expected);
  });

  it('counts the Spring Festival out: due Saturday 14 February, reminded on Thursday 26 February', () => {
    const due = item('2026-02-14');
    expect(kinds(decide([due], '2026-02-25'))).toEqual([]);
    expect(kinds(decide([due], '2026-02-26'))).toEqual(['reminder']);
    expect(kinds(decide([due], '2026-02-27'))).toEqual(['reminder']);
  });

  it('counts Mid-Autumn and National Day out: due Thursday 24 September, reminded on Wednesday 30 September', () => {
    const due = item('2026-09-24');
    expect(kinds(decide([due], '2026-09-29'))).toEqual([]);
    expect(kinds(decide([due], '2026-09-30'))).toEqual(['reminder']);
  });

  it('goes to the owner and the lead unit liaison, with a deadline the day before a supervision letter would be due', () => {
    const [letter] = decide([item('2026-03-06')], '2026-03-11');
    expect(letter).toEqual({
      kind: 'reminder',
      taskId: 7,
      triggerKey: 'report:2026-W10',
      year: 2026,
      issuedOn: '2026-03-11',
      overdueWorkdays: 3,
      rectifyByOn: '2026-03-17',
      rectifyBy: at18('2026-03-17'),
      to: ['owner', 'lead_liaison'],
      cc: [],
      reason: '2026年第10周进展汇报（应于2026年3月6日 18:00前完成）已逾期3个工作日。',
    });
  });
});

describe('supervision letters (督办函) at the threshold: still overdue 5 working days after the reminder', () => {
  const reminded = item('2026-03-06', [reminderOn('2026-03-11')]);

  it.each<[string, string[]]>([
    ['2026-03-11', []],
    ['2026-03-16', []],
    ['2026-03-17', []],
    ['2026-03-18', ['supervision']],
    ['2026-03-19', ['supervision']],
  ])('on %s: %j', (date, expected) => {
    expect(kinds(decide([reminded], date))).toEqual(expected);
  });

  it('goes to the lead unit (liaison and owner), copied to the responsible leader, rectify within 5 working days', () => {
    const [letter] = decide([reminded], '2026-03-18');
    expect(letter).toMatchObject({
      kind: 'supervision',
      issuedOn: '2026-03-18',
      overdueWorkdays: 8,
      rectifyByOn: '2026-03-25',
      rectifyBy: at18('2026-03-25'),
      to: ['lead_liaison', 'owner'],
      cc: ['responsible_leader'],
      reason: '2026年第10周进展汇报（应于2026年3月6日 18:00前完成）已逾期8个工作日，提醒函提醒〔2026〕第7号发出后仍未整改。',
    });
  });

  it('counts adjusted working weekends in: reminded 26 February, supervised on Wednesday 4 March', () => {
    const due = item('2026-02-14', [reminderOn('2026-02-26')]);
    expect(kinds(decide([due], '2026-03-03'))).toEqual([]);
    expect(kinds(decide([due], '2026-03-04'))).toEqual(['supervision']);
  });

  it('over National Day: reminded 30 September, supervised 13 October, rectify by 20 October', () => {
    const due = item('2026-09-24', [reminderOn('2026-09-30')]);
    expect(kinds(decide([due], '2026-10-12'))).toEqual([]);
    const [letter] = decide([due], '2026-10-13');
    expect(letter).toMatchObject({ kind: 'supervision', rectifyByOn: '2026-10-20' });
  });
});

describe('never twice, never for the wrong thing', () => {
  it('issues nothing on a day off, even past the threshold', () => {
    expect(decide([item('2026-03-06')], '2026-03-14')).toEqual([]);
    expect(decide([item('2026-02-06')], '2026-02-17')).toEqual([]);
    expect(kinds(decide([item('2026-03-06')], '2026-03-16'))).toEqual(['reminder']);
  });

  it('skips an item that already has the letter, or has both', () => {
    expect(decide([item('2026-03-06', [reminderOn('2026-03-16')])], '2026-03-17')).toEqual([]);
    const both: IssuedLetter[] = [reminderOn('2026-03-11'), { kind: 'supervision', issuedAt: morning('2026-03-18') }];
    expect(decide([item('2026-03-06', both)], '2026-04-30')).toEqual([]);
    expect(decide([item('2026-03-06', [{ kind: 'supervision', issuedAt: morning('2026-03-18') }])], '2026-04-30')).toEqual([]);
  });

  it('decides an item listed twice once', () => {
    expect(kinds(decide([item('2026-03-06'), item('2026-03-06')], '2026-03-11'))).toEqual(['reminder']);
  });

  it('keeps items of the same task apart by trigger key, and the same key of different tasks apart', () => {
    const milestone = item('2026-03-06', [], { kind: 'milestone', triggerKey: milestoneTriggerKey(12), label: '里程碑：完成方案起草' });
    const other = item('2026-03-06', [], { taskId: 8 });
    const letters = decide([item('2026-03-06'), milestone, other], '2026-03-11');
    expect(letters.map((l) => [l.taskId, l.triggerKey])).toEqual([
      [7, 'report:2026-W10'],
      [7, 'milestone:12'],
      [8, 'report:2026-W10'],
    ]);
  });

  it('leaves done items, items not yet due and tasks no longer chased alone', () => {
    expect(decide([item('2026-03-06', [], { doneAt: morning('2026-03-10') })], '2026-03-11')).toEqual([]);
    expect(decide([item('2026-03-06', [reminderOn('2026-03-11')], { doneAt: morning('2026-03-12') })], '2026-03-18')).toEqual([]);
    expect(decide([item('2026-03-20')], '2026-03-20')).toEqual([]);
    for (const taskState of ['kept', 'close_requested', 'closed'] satisfies TaskState[]) {
      expect(decide([item('2026-03-06', [], { taskState })], '2026-03-11')).toEqual([]);
    }
    expect(kinds(decide([item('2026-03-06', [], { taskState: 'registered' })], '2026-03-11'))).toEqual(['reminder']);
  });

  it('run day after day with its own letters fed back, issues exactly one reminder and one supervision letter', () => {
    const letters: IssuedLetter[] = [];
    const issued: [string, string][] = [];
    for (let d = new Date('2026-03-07T00:00:00Z'); d <= new Date('2026-04-30T00:00:00Z'); d = new Date(d.getTime() + 86_400_000)) {
      const date = d.toISOString().slice(0, 10);
      for (let run = 0; run < 2; run += 1) {
        for (const l of decide([item('2026-03-06', letters)], date)) {
          letters.push({ kind: l.kind, issuedAt: morning(date) });
          issued.push([l.kind, date]);
        }
      }
    }
    expect(issued).toEqual([
      ['reminder', '2026-03-11'],
      ['supervision', '2026-03-18'],
    ]);
  });
});

describe('thresholds per ledger', () => {
  it('uses a ledger policy of 1 / 1 / 1', () => {
    const fast: EscalationPolicy = { reminderAfterWorkdays: 1, supervisionAfterWorkdays: 1, rectifyWithinWorkdays: 1 };
    expect(decide([item('2026-03-06')], '2026-03-09', fast)).toMatchObject([{ kind: 'reminder', rectifyByOn: '2026-03-09' }]);
    expect(decide([item('2026-03-06', [reminderOn('2026-03-09')])], '2026-03-09', fast)).toEqual([]);
    expect(decide([item('2026-03-06', [reminderOn('2026-03-09')])], '2026-03-10', fast)).toMatchObject([{ kind: 'supervision', rectifyByOn: '2026-03-11' }]);
  });

  it('parses what the office types, defaults for blanks', () => {
    expect(parseEscalationPolicy({})).toEqual({ ok: true, value: defaultEscalationPolicy });
    expect(parseEscalationPolicy({ reminderAfterWorkdays: '2', supervisionAfterWorkdays: 10, rectifyWithinWorkdays: '' })).toEqual({
      ok: true,
      value: { reminderAfterWorkdays: 2, supervisionAfterWorkdays: 10, rectifyWithinWorkdays: 5 },
    });
  });

  it.each<[Partial<Record<keyof EscalationPolicy, unknown>>, string]>([
    [{ reminderAfterWorkdays: 0 }, '“逾期多少个工作日发提醒函”应为 1 到 30 之间的整数，当前为“0”。'],
    [{ supervisionAfterWorkdays: 31 }, '“提醒函发出后多少个工作日仍未整改发督办函”应为 1 到 30 之间的整数，当前为“31”。'],
    [{ rectifyWithinWorkdays: 2.5 }, '“督办函整改期限（工作日）”应为 1 到 30 之间的整数，当前为“2.5”。'],
    [{ reminderAfterWorkdays: '三' }, '“逾期多少个工作日发提醒函”应为 1 到 30 之间的整数，当前为“三”。'],
  ])('refuses %j', (input, message) => {
    expect(parseEscalationPolicy(input)).toEqual({ ok: false, code: 'invalid_policy', message });
  });
});

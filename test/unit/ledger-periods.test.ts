import { describe, expect, it } from 'vitest';
import { calendarWith, chinaWorkCalendar, weekdayCalendar } from '../../src/domain/ledger/calendar.js';
import {
  cadenceOfKey,
  parseCadences,
  periodContaining,
  periodLabel,
  periodsDueBy,
  periodsFor,
  periodsForAll,
  type ReportPeriod,
} from '../../src/domain/ledger/periods.js';

const cal = chinaWorkCalendar;
const brief = (ps: ReportPeriod[]): [string, string, string, string][] => ps.map((p) => [p.key, p.startsOn, p.endsOn, p.dueOn]);

describe('weekly periods across the Spring Festival 2026', () => {
  const weeks = periodsFor('weekly', '2026-02-01', '2026-03-08', cal);

  it('are due on the last working day of each ISO week; the all-holiday week asks for nothing', () => {
    expect(brief(weeks)).toEqual([
      // 2026-W05 (26 Jan – 1 Feb) fell due on Friday 30 January, before the range starts: not owed.
      ['2026-W06', '2026-02-02', '2026-02-08', '2026-02-06'],
      ['2026-W07', '2026-02-09', '2026-02-15', '2026-02-14'], // adjusted working Saturday
      // 2026-W08 (16–22 Feb) is all Spring Festival holiday: no report.
      ['2026-W09', '2026-02-23', '2026-03-01', '2026-02-28'], // adjusted working Saturday
      ['2026-W10', '2026-03-02', '2026-03-08', '2026-03-06'],
    ]);
  });

  it('are due at 18:00 Beijing time', () => {
    expect(weeks.map((p) => p.dueAt.toISOString())).toEqual([
      '2026-02-06T10:00:00.000Z',
      '2026-02-14T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-06T10:00:00.000Z',
    ]);
    expect(weeks.every((p) => p.cadence === 'weekly')).toBe(true);
  });

  it('differ from a plain Monday–Friday calendar exactly where the holidays are', () => {
    expect(brief(periodsFor('weekly', '2026-02-09', '2026-03-01', weekdayCalendar)).map((p) => p[3])).toEqual([
      '2026-02-13',
      '2026-02-20',
      '2026-02-27',
    ]);
  });
});

describe('periods across Mid-Autumn and National Day 2026', () => {
  it('weekly: an adjusted Sunday, a Friday holiday, a short week and an adjusted Saturday', () => {
    expect(brief(periodsFor('weekly', '2026-09-14', '2026-10-18', cal))).toEqual([
      ['2026-W38', '2026-09-14', '2026-09-20', '2026-09-20'], // adjusted working Sunday
      ['2026-W39', '2026-09-21', '2026-09-27', '2026-09-24'], // Friday 25 September is Mid-Autumn
      ['2026-W40', '2026-09-28', '2026-10-04', '2026-09-30'], // National Day from Thursday
      ['2026-W41', '2026-10-05', '2026-10-11', '2026-10-10'], // adjusted working Saturday
      ['2026-W42', '2026-10-12', '2026-10-18', '2026-10-16'],
    ]);
  });

  it('monthly, on the last working day of the month', () => {
    expect(brief(periodsFor('monthly', '2026-01-01', '2026-10-31', cal)).map((p) => [p[0], p[3]])).toEqual([
      ['2026-01', '2026-01-30'],
      ['2026-02', '2026-02-28'], // adjusted working Saturday
      ['2026-03', '2026-03-31'],
      ['2026-04', '2026-04-30'],
      ['2026-05', '2026-05-29'],
      ['2026-06', '2026-06-30'],
      ['2026-07', '2026-07-31'],
      ['2026-08', '2026-08-31'],
      ['2026-09', '2026-09-30'],
      ['2026-10', '2026-10-30'],
    ]);
  });

  it('quarterly, half-yearly and year-end', () => {
    expect(brief(periodsFor('quarterly', '2026-01-01', '2026-12-31', cal))).toEqual([
      ['2026-Q1', '2026-01-01', '2026-03-31', '2026-03-31'],
      ['2026-Q2', '2026-04-01', '2026-06-30', '2026-06-30'],
      ['2026-Q3', '2026-07-01', '2026-09-30', '2026-09-30'],
      ['2026-Q4', '2026-10-01', '2026-12-31', '2026-12-31'],
    ]);
    expect(brief(periodsFor('half_yearly', '2026-01-01', '2026-12-31', cal))).toEqual([
      ['2026-H1', '2026-01-01', '2026-06-30', '2026-06-30'],
      ['2026-H2', '2026-07-01', '2026-12-31', '2026-12-31'],
    ]);
    expect(brief(periodsFor('year_end', '2026-03-15', '2027-02-01', cal))).toEqual([
      ['2026', '2026-01-01', '2026-12-31', '2026-12-31'],
      ['2027', '2027-01-01', '2027-12-31', '2027-12-31'],
    ]);
  });
});

describe('which periods a task owes', () => {
  it('includes the first partial week when its report is due on or after the start', () => {
    expect(periodsFor('weekly', '2026-03-04', '2026-03-20', cal).map((p) => p.key)).toEqual(['2026-W10', '2026-W11', '2026-W12']);
    expect(periodsFor('weekly', '2026-03-07', '2026-03-20', cal).map((p) => p.key)).toEqual(['2026-W11', '2026-W12']);
    expect(periodsFor('monthly', '2026-03-31', '2026-04-01', cal).map((p) => p.key)).toEqual(['2026-03', '2026-04']);
  });

  it('crosses the year with ISO week-years', () => {
    const fake = calendarWith({ holidays: ['2027-01-01'] });
    expect(brief(periodsFor('weekly', '2026-12-21', '2027-01-10', fake))).toEqual([
      ['2026-W52', '2026-12-21', '2026-12-27', '2026-12-25'],
      ['2026-W53', '2026-12-28', '2027-01-03', '2026-12-31'],
      ['2027-W01', '2027-01-04', '2027-01-10', '2027-01-08'],
    ]);
  });

  it('merges several cadences by due time', () => {
    const all = periodsForAll(['monthly', 'weekly', 'monthly'], '2026-03-23', '2026-04-05', cal);
    expect(all.map((p) => [p.key, p.dueOn])).toEqual([
      ['2026-W13', '2026-03-27'],
      ['2026-03', '2026-03-31'],
      ['2026-W14', '2026-04-03'],
      ['2026-04', '2026-04-30'],
    ]);
    // Friday 31 July 2026 ends both a week and the month: the weekly report comes first.
    expect(periodsForAll(['monthly', 'weekly'], '2026-07-27', '2026-07-31', cal).map((p) => [p.key, p.dueOn])).toEqual([
      ['2026-W31', '2026-07-31'],
      ['2026-07', '2026-07-31'],
    ]);
  });

  it('lists what has come due by a moment, to the second', () => {
    const at = (iso: string): string[] => periodsDueBy(['weekly'], '2026-02-01', new Date(iso), cal).map((p) => p.key);
    expect(at('2026-02-14T17:59:59+08:00')).toEqual(['2026-W06']);
    expect(at('2026-02-14T18:00:00+08:00')).toEqual(['2026-W06', '2026-W07']);
    expect(at('2026-02-27T09:00:00+08:00')).toEqual(['2026-W06', '2026-W07']);
    expect(periodsDueBy(['weekly'], '2026-03-01', new Date('2026-02-27T09:00:00+08:00'), cal)).toEqual([]);
  });

  it('finds the period containing a date', () => {
    expect(periodContaining('weekly', '2026-02-11', cal)?.dueOn).toBe('2026-02-14');
    expect(periodContaining('weekly', '2026-02-18', cal)).toBeUndefined();
    expect(periodContaining('quarterly', '2026-08-15', cal)?.key).toBe('2026-Q3');
  });

  it('refuses dates that are not dates', () => {
    expect(() => periodsFor('weekly', '2026-02-30', '2026-03-01', cal)).toThrow(RangeError);
    expect(() => periodContaining('monthly', '2026/03/01', cal)).toThrow(RangeError);
  });
});

describe('period keys and labels', () => {
  it.each<[Parameters<typeof periodLabel>[0], string]>([
    [{ cadence: 'weekly', key: '2026-W07' }, '2026年第7周'],
    [{ cadence: 'monthly', key: '2026-03' }, '2026年3月'],
    [{ cadence: 'quarterly', key: '2026-Q1' }, '2026年第一季度'],
    [{ cadence: 'quarterly', key: '2026-Q4' }, '2026年第四季度'],
    [{ cadence: 'half_yearly', key: '2026-H2' }, '2026年下半年'],
    [{ cadence: 'year_end', key: '2026' }, '2026年度'],
  ])('%j reads %s', (period, label) => {
    expect(periodLabel(period)).toBe(label);
    expect(cadenceOfKey(period.key)).toBe(period.cadence);
  });

  it.each(['2026-W00', '2026-W54', '2025-W53', '2026-13', '2026-Q5', '2026-H3', '26', '2026-3'])('%s is no period key', (key) => {
    expect(cadenceOfKey(key)).toBeUndefined();
  });

  it('accepts week 53 only in long ISO years', () => {
    expect(cadenceOfKey('2026-W53')).toBe('weekly');
    expect(cadenceOfKey('2020-W53')).toBe('weekly');
  });
});

describe('parseCadences', () => {
  it.each<[string, string[]]>([
    ['每周', ['weekly']],
    ['每周、每月', ['weekly', 'monthly']],
    ['月报，周报', ['weekly', 'monthly']],
    ['monthly, Weekly; quarterly', ['weekly', 'monthly', 'quarterly']],
    ['每季度 / 半年 / 年底', ['quarterly', 'half_yearly', 'year_end']],
    ['每周、每周', ['weekly']],
  ])('%j -> %j', (text, expected) => {
    expect(parseCadences(text)).toEqual({ ok: true, value: expected });
  });

  it('names the word it cannot read and lists the choices', () => {
    const result = parseCadences('每周、每旬');
    expect(result).toMatchObject({ ok: false, code: 'unknown_cadence' });
    expect(result.ok ? '' : result.message).toBe('汇报频次“每旬”无法识别，应为每周、每月、每季度、每半年、年底之一（可填多个，用顿号分隔）。');
    expect(parseCadences('constructor')).toMatchObject({ ok: false, code: 'unknown_cadence' });
  });

  it('asks for a cadence when there is none', () => {
    expect(parseCadences(' 、 ')).toMatchObject({ ok: false, code: 'cadence_required' });
  });
});

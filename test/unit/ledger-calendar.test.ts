import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkdays,
  calendarWith,
  chinaDateOf,
  chinaInstantOn,
  chinaWorkCalendar,
  isoWeekday,
  knowsHolidaysOf,
  isoWeekMonday,
  isoWeekOf,
  lastDayOfMonth,
  lastWorkdayIn,
  previousWorkday,
  weekdayCalendar,
  workdaysBetween,
} from '../../src/domain/ledger/calendar.js';

describe('the official calendar (chinese-days)', () => {
  it.each<[string, boolean, string]>([
    ['2026-02-13', true, 'Friday before the Spring Festival'],
    ['2026-02-14', true, 'adjusted working Saturday (春节调休)'],
    ['2026-02-15', false, 'Spring Festival holiday starts (Sunday)'],
    ['2026-02-17', false, 'Spring Festival (Tuesday)'],
    ['2026-02-23', false, 'Spring Festival holiday ends (Monday)'],
    ['2026-02-24', true, 'back to work'],
    ['2026-02-28', true, 'adjusted working Saturday after the Spring Festival'],
    ['2026-03-07', false, 'an ordinary Saturday'],
    ['2026-09-20', true, 'adjusted working Sunday before National Day'],
    ['2026-09-25', false, 'Mid-Autumn Festival (Friday)'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-07', false, 'National Day holiday ends'],
    ['2026-10-08', true, 'back to work'],
    ['2026-10-10', true, 'adjusted working Saturday after National Day'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(chinaWorkCalendar.isWorkday(date)).toBe(expected);
  });

  it('does not depend on the host time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'America/Los_Angeles';
      // Dates not asked before in this file, so the answers are not cached ones.
      expect(chinaWorkCalendar.isWorkday('2026-05-09')).toBe(true); // adjusted working Saturday (Labour Day)
      expect(chinaWorkCalendar.isWorkday('2026-05-05')).toBe(false); // Labour Day holiday (Tuesday)
      expect(chinaWorkCalendar.isWorkday('2026-05-06')).toBe(true);
      expect(chinaWorkCalendar.isWorkday('2026-05-10')).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('refuses text that is not a date', () => {
    expect(() => chinaWorkCalendar.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => chinaWorkCalendar.isWorkday('20260214')).toThrow(RangeError);
  });
});

describe('knowing whether holiday data exists for a year', () => {
  it('says yes for 2026 and no for a calendar that treats New Year’s Day as a working day', () => {
    expect(knowsHolidaysOf(2026)).toBe(true);
    expect(knowsHolidaysOf(2026, weekdayCalendar)).toBe(false);
  });
});

describe('calendar-date arithmetic', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('knows ISO weekdays and weeks, incl. the week-year around New Year', () => {
    expect(isoWeekday('2026-02-14')).toBe(6);
    expect(isoWeekday('2026-02-15')).toBe(7);
    expect(isoWeekday('2026-02-16')).toBe(1);
    expect(isoWeekOf('2026-02-14')).toEqual({ year: 2026, week: 7 });
    expect(isoWeekOf('2026-01-01')).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOf('2025-12-29')).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOf('2026-12-31')).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf('2027-01-03')).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf('2027-01-04')).toEqual({ year: 2027, week: 1 });
    expect(isoWeekMonday(2026, 7)).toBe('2026-02-09');
    expect(isoWeekMonday(2026, 1)).toBe('2025-12-29');
    expect(isoWeekMonday(2026, 53)).toBe('2026-12-28');
  });

  it('finds month ends', () => {
    expect(lastDayOfMonth(2026, 2)).toBe('2026-02-28');
    expect(lastDayOfMonth(2024, 2)).toBe('2024-02-29');
    expect(lastDayOfMonth(2026, 12)).toBe('2026-12-31');
  });

  it('converts between Beijing dates and instants', () => {
    expect(chinaDateOf(new Date('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(chinaDateOf(new Date('2026-02-13T15:59:59Z'))).toBe('2026-02-13');
    expect(chinaInstantOn('2026-02-14').toISOString()).toBe('2026-02-14T10:00:00.000Z');
    expect(chinaInstantOn('2026-02-14', 9, 30).toISOString()).toBe('2026-02-14T01:30:00.000Z');
  });
});

describe('working-day arithmetic over the 2026 holidays', () => {
  const cal = chinaWorkCalendar;

  it('adds working days over the Spring Festival, using the adjusted Saturdays', () => {
    expect(addWorkdays('2026-02-13', 1, cal)).toBe('2026-02-14');
    expect(addWorkdays('2026-02-13', 2, cal)).toBe('2026-02-24');
    expect(addWorkdays('2026-02-24', 4, cal)).toBe('2026-02-28');
    expect(addWorkdays('2026-02-24', 5, cal)).toBe('2026-03-02');
    expect(() => addWorkdays('2026-02-24', 0, cal)).toThrow(RangeError);
  });

  it('adds working days over Mid-Autumn and National Day', () => {
    expect(addWorkdays('2026-09-24', 1, cal)).toBe('2026-09-28');
    expect(addWorkdays('2026-09-30', 1, cal)).toBe('2026-10-08');
    expect(addWorkdays('2026-10-09', 1, cal)).toBe('2026-10-10');
  });

  it('counts working days in (after, upTo]', () => {
    expect(workdaysBetween('2026-02-13', '2026-02-24', cal)).toBe(2);
    expect(workdaysBetween('2026-02-13', '2026-02-13', cal)).toBe(0);
    expect(workdaysBetween('2026-02-24', '2026-02-13', cal)).toBe(0);
    expect(workdaysBetween('2026-09-24', '2026-10-10', cal)).toBe(6);
    expect(workdaysBetween('2026-02-13', '2026-02-24', weekdayCalendar)).toBe(7);
  });

  it('crosses New Year', () => {
    expect(addWorkdays('2025-12-31', 1, cal)).toBe('2026-01-04'); // 1–3 January off, Sunday 4 January adjusted
    expect(addWorkdays('2026-12-31', 1, weekdayCalendar)).toBe('2027-01-01');
    expect(workdaysBetween('2025-12-31', '2027-01-04', weekdayCalendar)).toBe(263);
  });

  it('counts like a day-by-day walk for any pair of dates in 2025–2027', () => {
    const walk = (after: string, upTo: string): number => {
      let n = 0;
      for (let d = addDays(after, 1); d <= upTo; d = addDays(d, 1)) if (cal.isWorkday(d)) n += 1;
      return n;
    };
    for (let i = 0; i < 60; i += 1) {
      const after = addDays('2025-01-01', (i * 37) % 1000);
      const upTo = addDays(after, (i * 53) % 400);
      expect(workdaysBetween(after, upTo, cal)).toBe(walk(after, upTo));
    }
  });

  it('finds the previous and the last working day', () => {
    expect(previousWorkday('2026-02-24', cal)).toBe('2026-02-14');
    expect(previousWorkday('2026-10-08', cal)).toBe('2026-09-30');
    expect(previousWorkday('2026-03-09', cal)).toBe('2026-03-06');
    expect(lastWorkdayIn('2026-02-16', '2026-02-22', cal)).toBeUndefined();
    expect(lastWorkdayIn('2026-09-14', '2026-09-20', cal)).toBe('2026-09-20');
  });

  it('builds fakes from a base calendar', () => {
    const fake = calendarWith({ holidays: ['2026-03-06'], workdays: ['2026-03-07'] });
    expect(fake.isWorkday('2026-03-05')).toBe(true);
    expect(fake.isWorkday('2026-03-06')).toBe(false);
    expect(fake.isWorkday('2026-03-07')).toBe(true);
    expect(fake.isWorkday('2026-03-08')).toBe(false);
  });
});

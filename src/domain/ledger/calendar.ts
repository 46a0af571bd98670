// Working days and calendar-date arithmetic for the ledger. Dates are 'yyyy-mm-dd' strings meaning a day in
// Beijing time; instants are Dates. Pure: nothing here reads the clock.
//
// The official calendar (holidays and adjusted working weekends, 调休) comes from the `chinese-days` package
// behind the one-method WorkCalendar interface, so tests and other callers can pass a fake.
import chineseDays from 'chinese-days';
import { isCalendarDate } from '../campaign/china-time.js';

export interface WorkCalendar {
  /** True when `date` (yyyy-mm-dd) is a working day. */
  isWorkday(date: string): boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const OFFSET_MS = 8 * 60 * 60 * 1000;

function fields(date: string): [number, number, number] {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date (yyyy-mm-dd): ${date}`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function utcMs(date: string): number {
  const [y, m, d] = fields(date);
  return Date.UTC(y, m - 1, d);
}

/** True when `text` is a real yyyy-mm-dd date. */
export function isDate(text: string): boolean {
  return isCalendarDate(text);
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(utcMs(date) + days * DAY_MS);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const day = new Date(utcMs(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The ISO 8601 week a date belongs to; the week-year may differ from the calendar year around New Year. */
export function isoWeekOf(date: string): { year: number; week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((utcMs(thursday) - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { year, week };
}

/** Monday of an ISO week. */
export function isoWeekMonday(year: number, week: number): string {
  const jan4 = `${year}-01-04`;
  return addDays(jan4, 1 - isoWeekday(jan4) + (week - 1) * 7);
}

/** The last day of a month, 1-based. */
export function lastDayOfMonth(year: number, month: number): string {
  return fromUtcMs(Date.UTC(year, month, 0));
}

/** The Beijing calendar date of an instant. */
export function chinaDateOf(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant at a Beijing wall-clock time on a date (default 18:00, the office's close of business). */
export function chinaInstantOn(date: string, hour = 18, minute = 0): Date {
  return new Date(utcMs(date) + hour * 3_600_000 + minute * 60_000 - OFFSET_MS);
}

// Working-day counts per calendar and year, cumulative by day of the year (table[i] = working days among the first
// i days), built on first use: counting over months then costs a few lookups instead of a walk day by day.
// Calendars are treated as immutable: their answers are cached per calendar object.
const yearTables = new WeakMap<WorkCalendar, Map<number, Uint16Array>>();

function yearTable(calendar: WorkCalendar, year: number): Uint16Array {
  let byYear = yearTables.get(calendar);
  if (!byYear) {
    byYear = new Map();
    yearTables.set(calendar, byYear);
  }
  let table = byYear.get(year);
  if (!table) {
    const days = Math.round((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS);
    table = new Uint16Array(days + 1);
    let d = `${String(year).padStart(4, '0')}-01-01`;
    for (let i = 0; i < days; i += 1, d = addDays(d, 1)) table[i + 1] = (table[i] ?? 0) + (calendar.isWorkday(d) ? 1 : 0);
    byYear.set(year, table);
  }
  return table;
}

/** 1 for 1 January. */
function dayOfYear(date: string): number {
  return Math.round((utcMs(date) - Date.UTC(Number(date.slice(0, 4)), 0, 1)) / DAY_MS) + 1;
}

/** Working days from 1 January up to and including `date`. */
function workdaysIntoYear(date: string, calendar: WorkCalendar): number {
  return yearTable(calendar, Number(date.slice(0, 4)))[dayOfYear(date)] ?? 0;
}

function workdaysInYear(year: number, calendar: WorkCalendar): number {
  const table = yearTable(calendar, year);
  return table[table.length - 1] ?? 0;
}

/** The last working day in [start, end], or undefined when there is none. */
export function lastWorkdayIn(start: string, end: string, calendar: WorkCalendar): string | undefined {
  for (let d = end; d >= start; d = addDays(d, -1)) if (calendar.isWorkday(d)) return d;
  return undefined;
}

/** The `n`-th working day after `date` (n ≥ 1); `date` itself never counts. */
export function addWorkdays(date: string, n: number, calendar: WorkCalendar): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`working days to add must be a positive integer: ${n}`);
  let year = Number(date.slice(0, 4));
  let table = yearTable(calendar, year);
  let day = dayOfYear(date);
  for (let left = n; left > 0; ) {
    day += 1;
    if (day >= table.length) {
      year += 1;
      table = yearTable(calendar, year);
      day = 1;
    }
    if ((table[day] ?? 0) > (table[day - 1] ?? 0)) left -= 1;
  }
  return fromUtcMs(Date.UTC(year, 0, day));
}

/** The last working day strictly before `date`. Searches back a year at most (then gives up with a RangeError). */
export function previousWorkday(date: string, calendar: WorkCalendar): string {
  for (let d = addDays(date, -1), i = 0; i < 366; d = addDays(d, -1), i += 1) if (calendar.isWorkday(d)) return d;
  throw new RangeError(`no working day in the year before ${date}`);
}

/** How many working days lie in (after, upTo]: after itself is excluded, upTo included. 0 when upTo ≤ after. */
export function workdaysBetween(after: string, upTo: string, calendar: WorkCalendar): number {
  if (upTo <= after) return 0;
  const from = Number(after.slice(0, 4));
  const to = Number(upTo.slice(0, 4));
  if (from === to) return workdaysIntoYear(upTo, calendar) - workdaysIntoYear(after, calendar);
  let total = workdaysInYear(from, calendar) - workdaysIntoYear(after, calendar);
  for (let y = from + 1; y < to; y += 1) total += workdaysInYear(y, calendar);
  return total + workdaysIntoYear(upTo, calendar);
}

/** Monday to Friday, no holidays: the plainest fake. */
export const weekdayCalendar: WorkCalendar = {
  isWorkday: (date) => isoWeekday(date) <= 5,
};

/** A fake calendar: `base` with extra days off and extra (adjusted) working days. */
export function calendarWith(
  changes: { holidays?: readonly string[]; workdays?: readonly string[] },
  base: WorkCalendar = weekdayCalendar,
): WorkCalendar {
  const off = new Set(changes.holidays ?? []);
  const on = new Set(changes.workdays ?? []);
  return { isWorkday: (date) => on.has(date) || (!off.has(date) && base.isWorkday(date)) };
}

const officialCache = new Map<string, boolean>();

/**
 * The official calendar of mainland China from `chinese-days` (State Council holiday notices, incl. adjusted
 * working weekends). Years the package has no data for fall back to Monday–Friday. The package reads local-time
 * fields of the Date it gets, so we hand it local midnight of the date: the answer does not depend on the host's
 * time zone.
 */
export const chinaWorkCalendar: WorkCalendar = {
  isWorkday(date: string): boolean {
    const cached = officialCache.get(date);
    if (cached !== undefined) return cached;
    const [y, m, d] = fields(date);
    const answer = chineseDays.isWorkday(new Date(y, m - 1, d));
    officialCache.set(date, answer);
    return answer;
  },
};

/**
 * Whether the calendar knows the official holidays of `year`. New Year's Day is a statutory holiday every year, so a
 * calendar that calls it a working day has no data for that year (and falls back to Monday–Friday).
 */
export function knowsHolidaysOf(year: number, calendar: WorkCalendar = chinaWorkCalendar): boolean {
  return !calendar.isWorkday(`${year}-01-01`);
}

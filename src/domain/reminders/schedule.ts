// When reminders go out. A reminder is due `offset` days before a deadline at the campaign's send
// time (Beijing). Decent hours: only 08:00–21:00 on official working days; anything else is deferred
// to the next allowed moment. Exception: on the deadline's own day the working-day rule is waived
// (a Sunday deadline still gets its on-the-day reminder). A moment that could only be deferred past
// the deadline is dropped. Pure: `now` and the calendar come in as arguments.
import { addDays, atChinaMinutes, chinaDay, chinaMinutes, type WorkCalendar } from './calendar.js';
import { DECENT_FROM_MINUTES, DECENT_UNTIL_MINUTES, timeMinutes } from './settings.js';

export interface ReminderMoment {
  offset: number;
  at: Date;
}

/** The longest stretch of non-working days we look across (Spring Festival plus weekends is ~9). */
const MAX_DEFERRAL_DAYS = 31;

const inDecentHours = (at: Date): boolean => {
  const m = chinaMinutes(at);
  return m >= DECENT_FROM_MINUTES && m < DECENT_UNTIL_MINUTES;
};

const clampMinutes = (m: number): number => Math.min(Math.max(m, DECENT_FROM_MINUTES), DECENT_UNTIL_MINUTES - 1);

/** May a message about `deadline` be pushed at `at`? */
export function isAllowedMoment(at: Date, deadline: Date, calendar: WorkCalendar): boolean {
  if (at.getTime() >= deadline.getTime() || !inDecentHours(at)) return false;
  const day = chinaDay(at);
  return day === chinaDay(deadline) || calendar.isWorkday(day);
}

/**
 * The first allowed moment at or after `at`: later the same day as soon as the hours allow, or on
 * the next allowed day at `preferredTime` (HH:MM, clamped into decent hours). Undefined when no
 * allowed moment is left before the deadline.
 */
export function nextAllowedMoment(at: Date, deadline: Date, calendar: WorkCalendar, preferredTime: string): Date | undefined {
  if (isAllowedMoment(at, deadline, calendar)) return at;
  const startDay = chinaDay(at);
  const lastDay = chinaDay(deadline);
  const preferred = clampMinutes(timeMinutes(preferredTime));
  for (let i = 0; i <= MAX_DEFERRAL_DAYS; i++) {
    const day = addDays(startDay, i);
    if (day > lastDay) return undefined;
    const candidate =
      i === 0 ? (chinaMinutes(at) < DECENT_FROM_MINUTES ? atChinaMinutes(day, DECENT_FROM_MINUTES) : undefined) : atChinaMinutes(day, preferred);
    if (candidate && isAllowedMoment(candidate, deadline, calendar)) return candidate;
  }
  return undefined;
}

/**
 * The send moments for one deadline, earliest first. Two offsets that land on the same day (e.g. the
 * Saturday one deferred to Monday, the deadline day) are one reminder: the smaller offset stays.
 * Moments before `notBefore` (the phase's opening) are left out.
 */
export function reminderMoments(
  deadline: Date,
  settings: { offsets: readonly number[]; time: string },
  calendar: WorkCalendar,
  notBefore?: Date,
): ReminderMoment[] {
  const deadlineDay = chinaDay(deadline);
  const byDay = new Map<string, ReminderMoment>();
  for (const offset of [...new Set(settings.offsets)].sort((a, b) => a - b)) {
    const day = addDays(deadlineDay, -offset);
    let nominal = atChinaMinutes(day, timeMinutes(settings.time));
    // On the day itself, a send time at or after the deadline moves to the start of the decent hours.
    if (offset === 0 && nominal.getTime() >= deadline.getTime()) nominal = atChinaMinutes(day, DECENT_FROM_MINUTES);
    const at = nextAllowedMoment(nominal, deadline, calendar, settings.time);
    if (!at || (notBefore && at.getTime() < notBefore.getTime())) continue;
    const key = chinaDay(at);
    if (!byDay.has(key)) byDay.set(key, { offset, at });
  }
  return [...byDay.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * What to plan at `now` out of a deadline's moments: those ahead within `horizonMs`, plus the most
 * recent one that passed less than `catchUpMs` ago and was never planned (the campaign was created
 * late, a deadline moved, the app was down). A late one goes out at the next allowed moment.
 */
export function momentsToPlan(
  moments: readonly ReminderMoment[],
  now: Date,
  opts: { horizonMs: number; catchUpMs: number; deadline: Date; calendar: WorkCalendar; preferredTime: string },
): ReminderMoment[] {
  const t = now.getTime();
  const ahead = moments.filter((m) => m.at.getTime() >= t && m.at.getTime() <= t + opts.horizonMs);
  const passed = moments.filter((m) => m.at.getTime() < t);
  const latest = passed.at(-1);
  if (!latest || t - latest.at.getTime() > opts.catchUpMs) return ahead;
  const at = nextAllowedMoment(now, opts.deadline, opts.calendar, opts.preferredTime);
  // A late reminder that would only go out on the same day as the next one is that one.
  if (!at || ahead.some((m) => chinaDay(m.at) === chinaDay(at))) return ahead;
  return [{ offset: latest.offset, at }, ...ahead];
}

/** The daily progress moments of an open phase on the days in [from, until]: the send time on allowed days. */
export function dailyMoments(
  phase: { opensAt: Date; closesAt: Date },
  range: { from: Date; until: Date },
  calendar: WorkCalendar,
  time: string,
): { day: string; at: Date }[] {
  const out: { day: string; at: Date }[] = [];
  const minutes = clampMinutes(timeMinutes(time));
  for (let day = chinaDay(range.from); day <= chinaDay(range.until); day = addDays(day, 1)) {
    const at = atChinaMinutes(day, minutes);
    if (at.getTime() < phase.opensAt.getTime() || at.getTime() < range.from.getTime() || at.getTime() > range.until.getTime()) continue;
    if (isAllowedMoment(at, phase.closesAt, calendar)) out.push({ day, at });
  }
  return out;
}

// Beijing calendar days and the official working-day calendar (holidays and adjusted working
// weekends) from the `chinese-days` package, which ships the State Council's schedule as data.
// Pure: no clock reads; every instant comes in as an argument.
import { chinaWorkCalendar, type WorkCalendar } from '../ledger/calendar.js';

export type { WorkCalendar };

const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The official calendar: 法定节假日 off, 调休 weekends on; years the package does not cover yet fall back to
 * Monday–Friday. One calendar serves reminders and the ledger (src/domain/ledger/calendar.ts).
 */
export const officialCalendar: WorkCalendar = chinaWorkCalendar;

const pad = (n: number) => String(n).padStart(2, '0');

/** The Beijing calendar day of an instant: 2026-10-01. */
export function chinaDay(at: Date): string {
  const local = new Date(at.getTime() + OFFSET_MS);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}

/** Minutes since Beijing midnight. */
export function chinaMinutes(at: Date): number {
  const local = new Date(at.getTime() + OFFSET_MS);
  return local.getUTCHours() * 60 + local.getUTCMinutes();
}

/** The instant of a Beijing day at a number of minutes after midnight. */
export function atChinaMinutes(day: string, minutes: number): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + minutes * 60_000);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole Beijing calendar days from `from` to `to` (0 on the same day). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(`${chinaDay(to)}T00:00:00Z`) - Date.parse(`${chinaDay(from)}T00:00:00Z`)) / DAY_MS);
}

// Instants and calendar dates in China Standard Time (UTC+08:00, no daylight saving). Pure: never reads the clock.
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant written with an explicit +08:00 offset, seconds optional: 2022-10-31T23:59:59+08:00. */
export const chinaInstantPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?\+08:00$/;
/** A calendar date: 2021-01-01. */
export const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** True when the text is a real calendar date (no 2022-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = calendarDatePattern.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** True when the text is an instant with a +08:00 offset whose fields are in range. */
export function isChinaInstant(text: string): boolean {
  const m = chinaInstantPattern.exec(text);
  if (!m) return false;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6] ?? '0');
  return isCalendarDate(`${m[1]}-${m[2]}-${m[3]}`) && hour < 24 && minute < 60 && second < 60;
}

export function parseInstant(text: string): Date {
  return new Date(text);
}

/** Writes an instant as Beijing wall-clock time with the +08:00 offset, to the second. */
export function toChinaIso(instant: Date): string {
  const local = new Date(instant.getTime() + OFFSET_MS);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${date}T${time}+08:00`;
}

/** 2022年10月31日 23:59 (Beijing time), for messages. */
export function formatChinaDateTime(instant: Date | string): string {
  const at = typeof instant === 'string' ? parseInstant(instant) : instant;
  const local = new Date(at.getTime() + OFFSET_MS);
  const date = `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
  return `${date} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/** 2021-01-01 -> 2021年1月1日, for messages. Text that is not a date comes back unchanged. */
export function formatChineseDate(date: string): string {
  const m = calendarDatePattern.exec(date);
  if (!m) return date;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

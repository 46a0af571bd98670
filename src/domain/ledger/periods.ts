// Report periods (seed 004: 每周查进度、每月作小节、每季有调度、半年大检查、年底考核通报).
//
// Rules:
// - Periods are calendar periods: the ISO week (Monday–Sunday, keyed by ISO week-year: 2026-W07), the month
//   (2026-03), the quarter (2026-Q1), the half year (2026-H1) and the year (2026, the year-end report).
// - A report is due at 18:00 Beijing time on the LAST WORKING DAY of its period, per the official calendar. For a
//   week that is usually Friday; when the week ends with an adjusted working Saturday or Sunday (调休上班) that day
//   is the due date (2026-W07 is due Saturday 14 February, before the Spring Festival); when Friday is a holiday it
//   is the last working day before it (2026-W39 is due Thursday 24 September, Mid-Autumn Festival).
// - A period without any working day (2026-W08, the Spring Festival week) asks for no report.
// - periodsFor(from, to) lists the periods that overlap [from, to] and are due on or after `from`: a task that
//   starts on the Saturday after its week's Friday does not owe that week.
import { fail, ok, type Result } from '../campaign/result.js';
import { addDays, chinaDateOf, chinaInstantOn, isDate, isoWeekMonday, isoWeekOf, lastDayOfMonth, lastWorkdayIn, type WorkCalendar } from './calendar.js';

export const cadences = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'year_end'] as const;
export type Cadence = (typeof cadences)[number];

export const cadenceLabels: Record<Cadence, string> = {
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  half_yearly: '每半年',
  year_end: '年底',
};

export interface ReportPeriod {
  cadence: Cadence;
  /** 2026-W07 / 2026-03 / 2026-Q1 / 2026-H1 / 2026: unique per task together with the task (progress_reports). */
  key: string;
  startsOn: string;
  endsOn: string;
  /** The last working day of the period. */
  dueOn: string;
  /** 18:00 Beijing time on dueOn. */
  dueAt: Date;
}

/** The hour (Beijing time) at which reports are due. */
export const REPORT_DUE_HOUR = 18;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The period of `cadence` that contains `date`, before working days are looked at. */
function bounds(cadence: Cadence, date: string): { key: string; startsOn: string; endsOn: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (cadence) {
    case 'weekly': {
      const w = isoWeekOf(date);
      const monday = isoWeekMonday(w.year, w.week);
      return { key: `${w.year}-W${pad(w.week)}`, startsOn: monday, endsOn: addDays(monday, 6) };
    }
    case 'monthly':
      return { key: `${year}-${pad(month)}`, startsOn: `${year}-${pad(month)}-01`, endsOn: lastDayOfMonth(year, month) };
    case 'quarterly': {
      const q = Math.ceil(month / 3);
      return { key: `${year}-Q${q}`, startsOn: `${year}-${pad(q * 3 - 2)}-01`, endsOn: lastDayOfMonth(year, q * 3) };
    }
    case 'half_yearly': {
      const h = month <= 6 ? 1 : 2;
      return { key: `${year}-H${h}`, startsOn: `${year}-${h === 1 ? '01' : '07'}-01`, endsOn: lastDayOfMonth(year, h * 6) };
    }
    case 'year_end':
      return { key: `${year}`, startsOn: `${year}-01-01`, endsOn: `${year}-12-31` };
  }
}

function withDue(cadence: Cadence, b: { key: string; startsOn: string; endsOn: string }, calendar: WorkCalendar): ReportPeriod | undefined {
  const dueOn = lastWorkdayIn(b.startsOn, b.endsOn, calendar);
  if (dueOn === undefined) return undefined;
  return { cadence, ...b, dueOn, dueAt: chinaInstantOn(dueOn, REPORT_DUE_HOUR) };
}

/** The period of `cadence` containing `date`; undefined when that period has no working day. */
export function periodContaining(cadence: Cadence, date: string, calendar: WorkCalendar): ReportPeriod | undefined {
  if (!isDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  return withDue(cadence, bounds(cadence, date), calendar);
}

/** Every report period of `cadence` overlapping [from, to] (yyyy-mm-dd, inclusive) and due on or after `from`, in order. */
export function periodsFor(cadence: Cadence, from: string, to: string, calendar: WorkCalendar): ReportPeriod[] {
  if (!isDate(from) || !isDate(to)) throw new RangeError(`periods need calendar dates: ${from} .. ${to}`);
  const out: ReportPeriod[] = [];
  for (let day = from; day <= to; ) {
    const b = bounds(cadence, day);
    const period = withDue(cadence, b, calendar);
    if (period && period.dueOn >= from) out.push(period);
    day = addDays(b.endsOn, 1);
  }
  return out;
}

/** The periods of several cadences, merged and ordered by due time (then by cadence order). */
export function periodsForAll(list: readonly Cadence[], from: string, to: string, calendar: WorkCalendar): ReportPeriod[] {
  const rank = (c: Cadence): number => cadences.indexOf(c);
  return [...new Set(list)]
    .flatMap((c) => periodsFor(c, from, to, calendar))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || rank(a.cadence) - rank(b.cadence));
}

/** Periods from `from` whose report has come due by `now` (dueAt ≤ now): what an owner owes at this moment. */
export function periodsDueBy(list: readonly Cadence[], from: string, now: Date, calendar: WorkCalendar): ReportPeriod[] {
  const today = chinaDateOf(now);
  if (today < from) return [];
  return periodsForAll(list, from, today, calendar).filter((p) => p.dueAt.getTime() <= now.getTime());
}

const chineseNumerals = ['一', '二', '三', '四'];

/** 2026年第7周 / 2026年3月 / 2026年第一季度 / 2026年上半年 / 2026年度 (年底). */
export function periodLabel(period: Pick<ReportPeriod, 'cadence' | 'key'>): string {
  const year = period.key.slice(0, 4);
  const rest = period.key.slice(5);
  switch (period.cadence) {
    case 'weekly':
      return `${year}年第${Number(rest.slice(1))}周`;
    case 'monthly':
      return `${year}年${Number(rest)}月`;
    case 'quarterly':
      return `${year}年第${chineseNumerals[Number(rest.slice(1)) - 1] ?? rest}季度`;
    case 'half_yearly':
      return `${year}年${rest === 'H1' ? '上' : '下'}半年`;
    case 'year_end':
      return `${year}年度`;
  }
}

const keyPatterns: Record<Cadence, RegExp> = {
  weekly: /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/,
  monthly: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  half_yearly: /^(\d{4})-H([12])$/,
  year_end: /^(\d{4})$/,
};

/** The cadence a period key belongs to, or undefined for text that is no period key (2026-W54 included). */
export function cadenceOfKey(key: string): Cadence | undefined {
  const found = cadences.find((c) => keyPatterns[c].test(key));
  if (found !== 'weekly') return found;
  const year = Number(key.slice(0, 4));
  const week = Number(key.slice(6));
  return isoWeekOf(isoWeekMonday(year, week)).year === year ? 'weekly' : undefined;
}

const cadenceWords = new Map<string, Cadence>(Object.entries({
  weekly: 'weekly', week: 'weekly', '每周': 'weekly', '周': 'weekly', '周报': 'weekly',
  monthly: 'monthly', month: 'monthly', '每月': 'monthly', '月': 'monthly', '月报': 'monthly',
  quarterly: 'quarterly', quarter: 'quarterly', '每季': 'quarterly', '每季度': 'quarterly', '季度': 'quarterly', '季': 'quarterly', '季报': 'quarterly',
  half_yearly: 'half_yearly', 'half-yearly': 'half_yearly', '每半年': 'half_yearly', '半年': 'half_yearly', '半年报': 'half_yearly',
  year_end: 'year_end', 'year-end': 'year_end', yearly: 'year_end', '年底': 'year_end', '年度': 'year_end', '每年': 'year_end', '年终': 'year_end', '年报': 'year_end',
} satisfies Record<string, Cadence>));

/**
 * Reads the cadence column of an import or a form: one or several of 每周、每月、每季度、每半年、年底 (or the English
 * names), separated by 、，,;； / or spaces. Duplicates collapse; the result follows the canonical order.
 */
export function parseCadences(text: string): Result<Cadence[], 'cadence_required' | 'unknown_cadence'> {
  const words = text.split(/[、，,;；/\s]+/).filter((w) => w !== '');
  if (words.length === 0) return fail('cadence_required', `请填写汇报频次：${cadences.map((c) => cadenceLabels[c]).join('、')}（可填多个）。`);
  const found = new Set<Cadence>();
  for (const word of words) {
    const cadence = cadenceWords.get(word.toLowerCase());
    if (cadence === undefined) {
      return fail('unknown_cadence', `汇报频次“${word}”无法识别，应为${cadences.map((c) => cadenceLabels[c]).join('、')}之一（可填多个，用顿号分隔）。`);
    }
    found.add(cadence);
  }
  return ok(cadences.filter((c) => found.has(c)));
}

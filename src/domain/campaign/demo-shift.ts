// Moves a template's phase dates to "now" for a demo, so a newcomer can hand in a topic right away.
// The anchor phase (e.g. 选题申报) gets exactly the window asked for, aligned to Beijing days; phases
// before it move with its start and phases after it with its end, so every other phase keeps its
// duration and every gap and the order stay as the template has them. Pure: `now` is passed in.
import { parseInstant, toChinaIso } from './china-time.js';
import { fail, ok, type Result } from './result.js';
import type { TemplatePhase } from './template.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface DemoWindow {
  /** Key of the phase that must be open at `now`. */
  anchorKey: string;
  /** It opened at 00:00 Beijing time this many days before `now`'s Beijing date. */
  openedDaysAgo: number;
  /** It closes at 23:59:59 Beijing time this many days after `now`'s Beijing date. */
  closesInDays: number;
}

export const liaoningDemoWindow: DemoWindow = { anchorKey: 'topic_submission', openedDaysAgo: 20, closesInDays: 10 };

/** 00:00 Beijing time of the Beijing calendar day that contains `at`. */
export function startOfChinaDay(at: Date): Date {
  const local = at.getTime() + CHINA_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - CHINA_OFFSET_MS);
}

export type PhaseDates = Pick<TemplatePhase, 'key' | 'opensAt' | 'closesAt'>;

/** The new opensAt/closesAt of every phase, keyed by phase key, in the same +08:00 form as templates. */
export function shiftPhasesAround(
  phases: readonly PhaseDates[],
  now: Date,
  window: DemoWindow,
): Result<Record<string, { opensAt: string; closesAt: string }>, 'unknown_phase' | 'invalid_window'> {
  const index = phases.findIndex((p) => p.key === window.anchorKey);
  const anchor = phases[index];
  if (anchor === undefined) return fail('unknown_phase', `没有标识为 ${window.anchorKey} 的阶段，无法生成演示日期。`);
  if (window.openedDaysAgo < 0 || window.closesInDays < 0) return fail('invalid_window', '演示阶段必须已经开始且尚未截止。');

  const today = startOfChinaDay(now).getTime();
  const opensAt = today - window.openedDaysAgo * DAY_MS;
  const closesAt = today + (window.closesInDays + 1) * DAY_MS - 1000;
  const beforeShift = opensAt - parseInstant(anchor.opensAt).getTime();
  const afterShift = closesAt - parseInstant(anchor.closesAt).getTime();

  const shifted: Record<string, { opensAt: string; closesAt: string }> = {};
  phases.forEach((p, i) => {
    if (i === index) {
      shifted[p.key] = { opensAt: toChinaIso(new Date(opensAt)), closesAt: toChinaIso(new Date(closesAt)) };
      return;
    }
    const by = i < index ? beforeShift : afterShift;
    shifted[p.key] = {
      opensAt: toChinaIso(new Date(parseInstant(p.opensAt).getTime() + by)),
      closesAt: toChinaIso(new Date(parseInstant(p.closesAt).getTime() + by)),
    };
  });
  return ok(shifted);
}

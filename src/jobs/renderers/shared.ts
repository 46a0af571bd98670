// What every reminder renderer checks at send time, in this order: the deadline still stands, the
// person did not mute it (unless it is mandatory), and now is a decent moment (else: wait until one).
import type { Db } from '../../../db/types.js';
import { officialCalendar, type WorkCalendar } from '../../domain/reminders/calendar.js';
import { isAllowedMoment, nextAllowedMoment } from '../../domain/reminders/schedule.js';
import type { Deadline, DeadlineSource } from '../../services/reminder-sources.js';
import { loadDeadline } from '../../services/reminder-views.js';
import type { ItemOutcome } from '../outbox-sender.js';

export interface RendererOptions {
  calendar?: WorkCalendar;
  /** The deadline sources to ask; default every registered one. */
  sources?: readonly DeadlineSource[];
}

export type Gate = { ok: true; deadline: Deadline } | { ok: false; outcome: Exclude<ItemOutcome, { kind: 'include' }> };

export async function gate(
  db: Db,
  params: Record<string, unknown>,
  now: Date,
  opts: RendererOptions & { muted?: ReadonlySet<number> },
): Promise<Gate> {
  const found = await loadDeadline(db, params, now);
  if (!found.ok) return { ok: false, outcome: { kind: 'skip', skip: 'done', reason: found.reason } };
  const d = found.deadline;
  if (opts.muted?.has(d.campaign.id) && !d.mandatory) {
    return { ok: false, outcome: { kind: 'skip', skip: 'muted', reason: '已关闭本活动的提醒' } };
  }
  const calendar = opts.calendar ?? officialCalendar;
  if (!isAllowedMoment(now, d.closesAt, calendar)) {
    const until = nextAllowedMoment(now, d.closesAt, calendar, d.settings.time);
    if (!until) return { ok: false, outcome: { kind: 'skip', skip: 'done', reason: '截止前已没有可推送的时段' } };
    return { ok: false, outcome: { kind: 'defer', until, reason: '免打扰时段或非工作日，顺延发送' } };
  }
  return { ok: true, deadline: d };
}

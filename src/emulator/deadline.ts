// The deadline the console's "快进到截止前 3 天" aims at: the earliest closing time of a phase
// that is open now, over the active campaigns (read through the campaign service), and the moment
// the bot's 3-days-before reminder is due for it (the campaign's send time on a working day, as the
// reminder schedule has it), so a jump lands just after that reminder is due.
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { formatChinaDateTime, parseInstant } from '../domain/campaign/china-time.js';
import { phaseState } from '../domain/campaign/phases.js';
import { officialCalendar } from '../domain/reminders/calendar.js';
import { reminderMoments } from '../domain/reminders/schedule.js';
import { reminderSettingsOf } from '../domain/reminders/settings.js';
import { listCampaigns } from '../services/campaigns.js';

export interface UpcomingDeadline {
  campaignCode: string;
  campaignName: string;
  phaseLabel: string;
  closesAt: string;
  /** Beijing time, for the page. */
  closesAtText: string;
  /** Just after the 3-days-before reminder is due (or 3 days before the deadline when none is scheduled). */
  threeDaysBefore: string;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export async function nextDeadline(db: Db, clock: Clock): Promise<UpcomingDeadline | undefined> {
  const now = clock.now();
  let best: UpcomingDeadline | undefined;
  let bestAt = Infinity;
  for (const c of await listCampaigns({ ctx: { db, clock } })) {
    if (c.status !== 'active') continue;
    for (const p of c.definition.phases) {
      if (phaseState(p, now) !== 'open') continue;
      const at = parseInstant(p.closesAt).getTime();
      if (at < bestAt) {
        bestAt = at;
        const moments = reminderMoments(new Date(at), reminderSettingsOf(c.definition), officialCalendar, parseInstant(p.opensAt));
        const due = moments.find((m) => m.offset <= 3)?.at.getTime();
        const threeDaysBefore = new Date(due !== undefined ? due + 60_000 : at - 3 * DAY_MS).toISOString();
        best = { campaignCode: c.code, campaignName: c.name, phaseLabel: p.label, closesAt: new Date(at).toISOString(), closesAtText: formatChinaDateTime(p.closesAt), threeDaysBefore };
      }
    }
  }
  return best;
}

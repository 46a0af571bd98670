// The minute job that plans deadline reminders (src/services/reminders.ts). Every instance runs it;
// planning is idempotent (unique keys, ON CONFLICT DO NOTHING), so ten planners plan each row once.
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { WorkCalendar } from '../domain/reminders/calendar.js';
import type { Logger } from '../log.js';
import { pruneBuckets } from '../services/rate-limit.js';
import { planReminders, type PlanReport } from '../services/reminders.js';
import type { Job } from './tick.js';

export interface ReminderPlannerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  adminOpenIds: readonly string[];
  horizonMs?: number;
  calendar?: WorkCalendar;
}

/** Idle per-recipient rate-limit buckets are removed after this long. */
const BUCKET_IDLE_MS = 10 * 60 * 1000;

export interface ReminderPlanner extends Job {
  run(): Promise<PlanReport>;
}

export function reminderPlannerJob(o: ReminderPlannerOptions): ReminderPlanner {
  return {
    name: 'reminders',
    async run() {
      const started = Date.now();
      const report = await planReminders(
        { db: o.db, clock: o.clock },
        {
          now: o.clock.now(),
          adminOpenIds: o.adminOpenIds,
          ...(o.horizonMs !== undefined ? { horizonMs: o.horizonMs } : {}),
          ...(o.calendar ? { calendar: o.calendar } : {}),
        },
      );
      await pruneBuckets(o.db, BUCKET_IDLE_MS);
      if (report.planned || report.dropped) o.log.info({ ...report, ms: Date.now() - started }, 'reminders planned');
      return report;
    },
  };
}

// The clock tick. node-cron only wakes us each minute; what is due lives in the database, so a
// missed or doubled tick changes nothing. Tests call the same jobs with a controlled clock.
import cron from 'node-cron';
import type { Logger } from '../log.js';

export interface Job {
  name: string;
  run(): Promise<unknown>;
}

export interface Ticker {
  stop(): void;
  /** Runs every job once now (the emulator's time travel, tests). */
  runNow(): Promise<void>;
}

export function startTicker(jobs: readonly Job[], log: Logger): Ticker {
  let busy = false;
  const runAll = async () => {
    if (busy) return; // a slow tick is not stacked on itself
    busy = true;
    try {
      for (const job of jobs) {
        await job.run().catch((err: unknown) => log.error({ err, job: job.name }, 'tick job failed'));
      }
    } finally {
      busy = false;
    }
  };
  const task = cron.schedule('* * * * *', () => void runAll(), { noOverlap: true });
  return { stop: () => void task.stop(), runNow: runAll };
}

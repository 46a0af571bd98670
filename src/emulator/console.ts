// The local emulator console, composed: routes for the browser, the demo data, and the demo
// controls (time travel, reset). app.ts creates it in emulator mode only and attaches the running
// parts (tick jobs, inbound pipeline) once they exist.
import type { Hono } from 'hono';
import type { CommandInfo } from '../../commands/types.js';
import type { Db } from '../../db/types.js';
import { ManualClock, type Clock } from '../clock.js';
import type { LarkConfig } from '../config.js';
import type { FakeLark } from '../fake-lark/index.js';
import type { Logger } from '../log.js';
import type { ClockInfo } from './control-routes.js';
import { nextDeadline } from './deadline.js';
import { demoGroup, demoPeople } from './demo-people.js';
import { seedDemo } from './demo-seed.js';
import { ConsoleEvents } from './events.js';
import { resetDemoData } from './reset.js';
import { emulatorRoutes } from './routes.js';

export const BOT_NAME = '改革创新助手';

export interface EmulatorOptions {
  fake: FakeLark;
  lark: LarkConfig;
  webhookPath: string;
  log: Logger;
  clock: Clock;
  db: Db;
  commands: readonly CommandInfo[];
}

export interface EmulatorRuntime {
  /** Runs every tick job once (reminders, digests, the outbox). */
  runJobs(): Promise<void>;
  /** Waits for in-flight inbound work. */
  drain(): Promise<void>;
}

export interface EmulatorConsole {
  routes: Hono;
  /** Loads the demo data (idempotent), or with reset: wipes everything first. */
  seed(opts: { reset: boolean }): Promise<void>;
  attach(runtime: EmulatorRuntime): void;
  /** Ends the browsers' live streams so the server can close. */
  close(): void;
}

export function createEmulator(opts: EmulatorOptions): EmulatorConsole {
  const { fake, clock, db, log } = opts;
  const events = new ConsoleEvents(fake, BOT_NAME);
  const manual = clock instanceof ManualClock ? clock : undefined;
  let runtime: EmulatorRuntime | undefined;

  const clockInfo = async (): Promise<ClockInfo> => ({
    now: clock.now().toISOString(),
    adjustable: manual !== undefined,
    deadline: (await nextDeadline(db, clock)) ?? null,
  });

  const routes = emulatorRoutes({
    fake,
    lark: opts.lark,
    webhookPath: opts.webhookPath,
    log,
    clock,
    events,
    commands: opts.commands,
    clockInfo,
    async presetTarget() {
      const deadline = await nextDeadline(db, clock);
      if (!deadline) return { error: '现在没有正在进行、有截止时间的阶段，无法“快进到截止前 3 天”。可以在时间框里直接选一个时刻。' };
      const target = new Date(deadline.threeDaysBefore);
      if (target.getTime() <= clock.now().getTime()) {
        return { error: `“${deadline.phaseLabel}”将于 ${deadline.closesAtText} 截止，现在离截止已不足 3 天。` };
      }
      return target;
    },
    async travelTo(at) {
      if (!manual) return;
      manual.jumpTo(at);
      log.info({ now: at.toISOString() }, 'emulator: clock moved');
      events.publish({ type: 'clock', data: { now: clock.now().toISOString() } });
      await runtime?.runJobs();
    },
    async reset() {
      await runtime?.drain();
      // Back to real time first: the demo campaign's dates are laid around "now".
      manual?.jumpTo(new Date());
      await resetDemoData(db, clock);
      fake.reset();
      fake.addGroup(demoGroup.chatId, demoGroup.name, demoPeople.map((p) => p.openId));
      events.clear();
      log.info('emulator: demo data reset');
      events.publish({ type: 'reset', data: { now: clock.now().toISOString() } });
    },
  });

  return {
    routes,
    async seed({ reset }) {
      if (reset) await resetDemoData(db, clock);
      else await seedDemo(db, clock);
    },
    attach(r) {
      runtime = r;
    },
    close() {
      events.publish({ type: 'shutdown', data: {} });
    },
  };
}

// Emulator-only controls for demos, shown in the office admin's view: time travel (move the
// emulator's clock forward, then run the tick jobs once so deadline pushes, digests and escalation
// letters arrive as they would) and a reset that reloads the demo data. None of this exists when
// the bot runs against real Lark.
import { Hono } from 'hono';
import { z } from 'zod';
import { demoPeople } from './demo-people.js';
import type { UpcomingDeadline } from './deadline.js';

export interface ClockInfo {
  now: string;
  /** False when the app runs on a clock the console cannot move. */
  adjustable: boolean;
  deadline: UpcomingDeadline | null;
}

export interface ControlDeps {
  clockInfo(): Promise<ClockInfo>;
  /** Moves the clock to `at` (only forward) and runs the tick jobs once. */
  travelTo(at: Date): Promise<void>;
  /** Preset target: three days before the next deadline of an open phase. */
  presetTarget(preset: 'deadline-3d'): Promise<Date | { error: string }>;
  reset(): Promise<void>;
}

const clockSchema = z.union([
  z.object({ from: z.string(), to: z.iso.datetime({ offset: true }) }),
  z.object({ from: z.string(), preset: z.literal('deadline-3d') }),
]);
const resetSchema = z.object({ from: z.string() });

const isAdmin = (openId: string) => demoPeople.some((p) => p.openId === openId && p.role === 'admin');
const adminOnly = '只有办公室管理员（王主任）可以使用这个演示控制。';

export function controlRoutes(deps: ControlDeps): Hono {
  const app = new Hono();
  let busy = false;

  app.get('/emulator/api/clock', async (c) => c.json(await deps.clockInfo()));

  app.post('/emulator/api/clock', async (c) => {
    const parsed = clockSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: '时间格式不对，请在时间框里选一个日期和时间，例如 2025-05-01 09:00。' }, 400);
    if (!isAdmin(parsed.data.from)) return c.json({ error: adminOnly }, 403);
    const info = await deps.clockInfo();
    if (!info.adjustable) return c.json({ error: '这个模拟器的时钟不能调整。' }, 409);
    let target: Date;
    if ('preset' in parsed.data) {
      const preset = await deps.presetTarget(parsed.data.preset);
      if ('error' in preset) return c.json({ error: preset.error }, 400);
      target = preset;
    } else target = new Date(parsed.data.to);
    if (target.getTime() <= new Date(info.now).getTime()) {
      return c.json({ error: '模拟时间只能往后拨：请选一个晚于当前模拟时间的时刻。要回到开始，请用“重置演示数据”。' }, 400);
    }
    if (busy) return c.json({ error: '上一次调整还在进行，请稍候再试。' }, 409);
    busy = true;
    try {
      await deps.travelTo(target);
    } finally {
      busy = false;
    }
    return c.json(await deps.clockInfo());
  });

  app.post('/emulator/api/reset', async (c) => {
    const parsed = resetSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !isAdmin(parsed.data.from)) return c.json({ error: adminOnly }, 403);
    if (busy) return c.json({ error: '上一次操作还在进行，请稍候再试。' }, 409);
    busy = true;
    try {
      await deps.reset();
    } finally {
      busy = false;
    }
    return c.json({ ok: true, clock: await deps.clockInfo() });
  });

  return app;
}

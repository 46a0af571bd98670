// Reminder fan-out against a fake Lark that enforces Lark's real send quotas (50/s and 1,000/min
// per app, 5/s per chat; src/fake-lark/quota.ts): N recipients, one or several sender instances
// (each with its own postgres.js pool) sharing the PostgreSQL rate limiter. Reports the achieved
// rate against the allowed sustained rate (min(50/s, 1,000/min) = 16.7/s), duplicates and 429s.
// Also: how long planning takes for many pending items.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import postgres from 'postgres';
import { openDatabase, openMemoryDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import type { Db } from '../db/types.js';
import { outbox, unitMembers, units, users } from '../db/schema/index.js';
import { ManualClock } from '../src/clock.js';
import { OutboxSender } from '../src/jobs/outbox-sender.js';
import { reminderRenderers } from '../src/jobs/renderers/index.js';
import { createLarkClient } from '../src/lark/client.js';
import { SdkMessenger } from '../src/lark/sdk-messenger.js';
import { startQuotaFakeLark, larkQuotaRules } from '../src/fake-lark/index.js';
import { createCampaign } from '../src/services/campaigns.js';
import { RateLimiter, larkQuotas } from '../src/services/rate-limit.js';
import { planReminders } from '../src/services/reminders.js';

const log = pino({ level: 'silent' });
const APP = { appId: 'cli_c0c0c0c0c0c0c0c0', appSecret: 'bench-secret' };
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** A Tuesday morning, inside decent hours, one hour after the "3 days before" moment. */
const NOW = new Date('2026-11-17T10:00:00+08:00');

async function freshPostgres(): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), log });
  await migrateDatabase(database, log);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** A campaign whose topic phase closes on 2026-11-20 and `n` county units, each with its own liaison and no submission. */
async function seed(database: Database, clock: ManualClock, n: number): Promise<string[]> {
  const db: Db = database.db;
  const DAY = 24 * 3600_000;
  const later = (d: number) => new Date(Date.parse('2026-12-21T00:00:00+08:00') + d * DAY).toISOString().replace('Z', '').slice(0, 19) + '+08:00';
  await createCampaign({
    ctx: { db, clock },
    input: {
      templateId: 'liaoning-2022',
      code: 'LN2026',
      overrides: {
        phasePatches: {
          topic_submission: { opensAt: '2026-11-01T00:00:00+08:00', closesAt: '2026-11-20T23:59:59+08:00' },
          office_selection: { opensAt: later(0), closesAt: later(6) },
          leader_decision: { opensAt: later(7), closesAt: later(13) },
          implementation: { opensAt: later(14), closesAt: later(20) },
          evaluation: { opensAt: later(21), closesAt: later(27) },
        },
      },
    },
    actorOpenId: null,
  });
  const ids = Array.from({ length: n }, (_, i) => `ou_fan${String(i).padStart(6, '0')}`);
  for (let i = 0; i < n; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db.insert(users).values(chunk.map((openId, j) => ({ openId, name: `联络人${i + j}` })));
    const made = await db.insert(units).values(chunk.map((_, j) => ({ name: `县区${i + j}`, type: 'county' as const }))).returning({ id: units.id });
    await db.insert(unitMembers).values(made.map((u, j) => ({ unitId: u.id, userOpenId: chunk[j] as string, role: 'liaison' as const })));
  }
  return ids;
}

export interface FanoutResult {
  recipients: number;
  instances: number;
  sent: number;
  seconds: number;
  achievedPerS: number;
  allowedPerS: number;
  duplicates: number;
  answered429: number;
  unhandled429: number;
  planMs: number;
}

export async function benchFanout(instances: number, n: number): Promise<FanoutResult> {
  const fake = await startQuotaFakeLark(APP);
  const { database, url, drop } = await freshPostgres();
  const clock = new ManualClock(NOW);
  const pools: Database[] = [];
  try {
    const ids = await seed(database, clock, n);
    const planStarted = performance.now();
    await planReminders({ db: database.db, clock }, { now: clock.now() });
    const planMs = performance.now() - planStarted;
    for (let i = 0; i < instances; i++) pools.push(i === 0 ? database : await openDatabase({ databaseUrl: url, dataDir: tmpdir(), log }));
    const senders = pools.map(
      (p) =>
        new OutboxSender({
          db: p.db,
          messenger: new SdkMessenger(createLarkClient({ ...APP, domain: fake.url }), log),
          clock,
          log,
          ...reminderRenderers(),
          limiter: new RateLimiter(p.db, { limits: larkQuotas }),
        }),
    );
    const started = performance.now();
    const sent = (await Promise.all(senders.map((s) => s.drain()))).reduce((a, b) => a + b, 0);
    const accepted = fake.quota.accepted;
    const seconds = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000 || (performance.now() - started) / 1000;
    const duplicates = ids.reduce((sum, id) => sum + Math.max(0, fake.messagesTo(id).length - 1), 0);
    const rows = await database.db.select({ status: outbox.status }).from(outbox);
    const allowedPerS = Math.min(larkQuotaRules.appPerSecond, larkQuotaRules.appPerMinute / 60);
    return {
      recipients: n,
      instances,
      sent,
      seconds,
      achievedPerS: (accepted.length - 1) / seconds,
      allowedPerS,
      duplicates,
      answered429: fake.quota.rejected.length,
      unhandled429: rows.filter((r) => r.status !== 'sent').length,
      planMs,
    };
  } finally {
    for (const p of pools.slice(1)) await p.close();
    await drop();
    await fake.close();
  }
}

export interface PlanningResult {
  driver: 'pglite' | 'postgres';
  pending: number;
  firstMs: number;
  planned: number;
  againMs: number;
}

/** Time to plan reminders for `n` pending items (n liaisons below quota at one moment), then the no-op re-plan. */
export async function benchPlanning(driver: 'pglite' | 'postgres', n: number): Promise<PlanningResult> {
  const clock = new ManualClock(NOW);
  const fresh = driver === 'postgres' ? await freshPostgres() : undefined;
  const database = fresh?.database ?? (await openMemoryDatabase(log));
  try {
    if (!fresh) await migrateDatabase(database, log);
    await seed(database, clock, n);
    const t0 = performance.now();
    const first = await planReminders({ db: database.db, clock }, { now: clock.now() });
    const firstMs = performance.now() - t0;
    const t1 = performance.now();
    await planReminders({ db: database.db, clock }, { now: clock.now() });
    return { driver, pending: n, firstMs, planned: first.planned, againMs: performance.now() - t1 };
  } finally {
    if (fresh) await fresh.drop();
    else await database.close();
  }
}

/** The reminder section of `npm run bench`: BENCH_FANOUT_N recipients (default 2,000), BENCH_PLAN_N pending items (default 50,000). */
export async function printReminderBench(): Promise<void> {
  const n = Number(process.env.BENCH_FANOUT_N ?? 2000);
  const planN = Number(process.env.BENCH_PLAN_N ?? 50_000);
  console.log('\n| reminder fan-out (PostgreSQL, fake Lark enforcing 50/s, 1,000/min, 5/s per chat) | recipients | sent | seconds | achieved ÷ allowed (16.7/s) | duplicates | 429 answered | unhandled 429 (rows not sent) | goal |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const instances of [1, 4]) {
    const r = await benchFanout(instances, n);
    const ratio = r.achievedPerS / r.allowedPerS;
    const met = ratio >= 0.9 && r.duplicates === 0 && r.unhandled429 === 0 ? 'met' : 'NOT met';
    console.log(`| ${instances} instance${instances > 1 ? 's' : ''} | ${r.recipients} | ${r.sent} | ${r.seconds.toFixed(1)} | ${r.achievedPerS.toFixed(2)}/s ÷ ${r.allowedPerS.toFixed(2)}/s = ${ratio.toFixed(2)} | ${r.duplicates} | ${r.answered429} | ${r.unhandled429} | ≥ 0.9, 0, 0: ${met} |`);
  }
  console.log('\n| reminder planning | pending items | rows planned | first plan | re-plan (nothing new) |');
  console.log('|---|---|---|---|---|');
  for (const driver of ['postgres', 'pglite'] as const) {
    const p = await benchPlanning(driver, planN);
    console.log(`| ${driver} | ${p.pending} | ${p.planned} | ${(p.firstMs / 1000).toFixed(2)} s | ${(p.againMs / 1000).toFixed(2)} s |`);
  }
}

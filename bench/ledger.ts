// Ledger at scale on PostgreSQL: 2,000 tasks in 100 units, weekly reports over a whole year (52 periods), most
// handed in (some late), some never. Measured at 30 December 2026, 09:30:
// - the planning pass: which report reminders are due and which letters the policy calls for (read-only), p99;
// - the daily digest of the 100 units (loaded and built), p99;
// - the export of the whole ledger to XLSX, and the longest stretch it held the event loop.
// Runs in a database of its own, dropped afterwards. `npx tsx bench/ledger.ts` runs it alone.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import postgres from 'postgres';
import { openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { ledgers, ledgerTasks, progressReports, taskUnits, unitMembers, units, users } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import { ManualClock } from '../src/clock.js';
import { chinaWorkCalendar as cal } from '../src/domain/ledger/calendar.js';
import { defaultEscalationPolicy } from '../src/domain/ledger/escalation.js';
import { periodsFor } from '../src/domain/ledger/periods.js';
import { letterNotices } from '../src/jobs/ledger-escalation.js';
import { decideLedgerLetters, runEscalationPass } from '../src/services/escalation.js';
import { dailyDigestOf, loadDigestInput } from '../src/services/ledger-digests.js';
import { buildDailyDigest } from '../src/domain/ledger/digest.js';
import { exportLedger } from '../src/services/ledger-export.js';
import { dueReportReminders } from '../src/services/report-reminders.js';
import { fmt, summarize, type Summary } from './stats.js';

const TASKS = 2000;
const UNITS = 100;
const NOW = new Date('2026-12-30T09:30:00+08:00');
const N = Number(process.env.BENCH_LEDGER_N ?? 30);
const log = pino({ level: 'silent' });

async function seed(db: Db): Promise<typeof ledgers.$inferSelect> {
  const at = new Date('2026-01-04T09:00:00+08:00');
  const [ledger] = await db.insert(ledgers).values({ title: '2026年全面深化改革任务', year: 2026, policy: defaultEscalationPolicy, noticeChatId: 'oc_bench', createdAt: at }).returning();
  if (!ledger) throw new Error('no ledger');
  await db.insert(users).values(Array.from({ length: UNITS }, (_, u) => ({ openId: `ou_l${u}`, name: `联络人${u}` })));
  await db.insert(users).values(Array.from({ length: TASKS }, (_, i) => ({ openId: `ou_o${i}`, name: `专员${i}` })));
  const unitRows = await db.insert(units).values(Array.from({ length: UNITS }, (_, u) => ({ name: `单位${u}`, type: 'department' as const }))).returning({ id: units.id });
  await db.insert(unitMembers).values(unitRows.map((u, i) => ({ unitId: u.id, userOpenId: `ou_l${i}`, role: 'liaison' as const })));
  const taskRows = await db
    .insert(ledgerTasks)
    .values(Array.from({ length: TASKS }, (_, i) => ({ ledgerId: ledger.id, code: `RW2026-${String(i + 1).padStart(4, '0')}`, title: `改革任务${i + 1}`, ownerOpenId: `ou_o${i}`, responsibleLeaderOpenId: `ou_leader${i % 12}`, cadences: ['weekly' as const], createdAt: at, updatedAt: at })))
    .returning({ id: ledgerTasks.id });
  await db.insert(taskUnits).values(taskRows.map((t, i) => ({ taskId: t.id, unitId: unitRows[i % UNITS]!.id, role: 'lead' as const })));
  const periods = periodsFor('weekly', '2026-01-04', '2026-12-29', cal).filter((p) => p.dueAt.getTime() < NOW.getTime());
  let batch: (typeof progressReports.$inferInsert)[] = [];
  for (const [i, t] of taskRows.entries()) {
    for (const [k, p] of periods.entries()) {
      const r = (i * 31 + k * 17) % 100;
      if (r < 2) continue; // never handed in
      const late = r < 8;
      const submittedAt = new Date(p.dueAt.getTime() + (late ? 2 * 86_400_000 : -3 * 3_600_000));
      batch.push({ taskId: t.id, cadence: 'weekly', periodKey: p.key, dueAt: p.dueAt, progress: '按计划推进，完成阶段性目标', problems: '无', suggestions: '无', percentComplete: Math.min(100, k * 2), milestoneStatus: [], late, submittedBy: `ou_o${i}`, submittedAt });
      if (batch.length === 1000) {
        await db.insert(progressReports).values(batch);
        batch = [];
      }
    }
  }
  if (batch.length) await db.insert(progressReports).values(batch);
  return ledger;
}

async function time(n: number, fn: () => Promise<unknown>): Promise<Summary> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** Markdown rows in bench/run.ts's table (ratios against the webhook baseline do not apply: —). */
export async function benchLedger(): Promise<string[]> {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  const name = `bench_ledger_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), log });
  try {
    await migrateDatabase(database, log);
    const db = database.db;
    const ledger = await seed(db);
    const clock = new ManualClock(NOW);
    // The catch-up pass issues the year's letters once (each letter in its own transaction with its outbox rows).
    const started = performance.now();
    const first = await runEscalationPass({ db, clock }, { now: NOW, notices: letterNotices });
    const firstMs = performance.now() - started;
    // A bulk-loaded database has no statistics yet; autovacuum would have analysed a live one long since.
    await db.execute(sql`vacuum analyze`);
    const planning = await time(N, async () => {
      await dueReportReminders(db, NOW, cal);
      await decideLedgerLetters(db, ledger, NOW, cal, { full: false });
    });
    const fullPlanning = await time(N, () => decideLedgerLetters(db, ledger, NOW, cal, { full: true }));
    const digest = await time(N, () => dailyDigestOf(db, ledger, NOW, cal));
    const input = await loadDigestInput(db, ledger, NOW, cal, { deadlinesUntil: new Date('2027-01-04T00:00:00+08:00'), since: new Date('2026-12-16T00:00:00+08:00') });
    const built = await time(N, async () => buildDailyDigest(input, NOW, cal));
    let bytes = 0;
    // While exporting, the process still has webhooks to answer: the longest stretch the event loop was held.
    const held = monitorEventLoopDelay({ resolution: 10 });
    held.enable();
    const exporting = await time(Math.min(N, 5), async () => (bytes = (await exportLedger(db, ledger, NOW)).bytes.length));
    held.disable();
    const reports = await db.$count(progressReports);
    const row = (label: string, s: Summary, goal: string, limit: number) =>
      `| ${label} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | — | — | ${goal}: ${s.p99 < limit ? 'met' : 'NOT met'} |`;
    return [
      row(`ledger planning pass, minute run (reminders due + letters to issue, policy window), ${TASKS} tasks × ${reports} reports, postgres`, planning, 'p99 < 200 ms', 200),
      row(`ledger planning pass, first run of the day (whole year), postgres`, fullPlanning, 'p99 < 200 ms', 200),
      row(`daily digest, ${UNITS} units / ${TASKS} tasks, built from loaded data`, built, 'p99 < 100 ms', 100),
      row(`daily digest, ${UNITS} units / ${TASKS} tasks, loaded from postgres and built`, digest, 'p99 < 100 ms', 100),
      row(`export of the whole ledger to XLSX (${Math.round(bytes / 1024)} KB), postgres`, exporting, 'p99 < 2 s', 2000),
      `| (longest event-loop block during those exports, warm-up included) | ${exporting.n + 3} | — | ${fmt(held.max / 1e6)} (max) | — | — | — |`,
      `| (catch-up pass issuing ${first.issued.length} letters with their outbox rows, once) | 1 | ${fmt(firstMs)} | — | — | — | — |`,
    ];
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

/** Prints the ledger table (bench/run.ts calls this after the webhook table). */
export async function printLedgerBench(): Promise<void> {
  const rows = await benchLedger();
  console.log('\n| ledger scenario | n | p50 | p99 | — | — | goal |\n|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
}

if (process.argv[1]?.endsWith('ledger.ts')) {
  printLedgerBench().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

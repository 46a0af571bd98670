// `npm run bench`: performance goals as ratios against a baseline measured in the same run.
// Results are printed as a markdown table; docs/performance.md records them with the machine.
import os from 'node:os';
import { fmt } from './stats.js';
import { benchBareDispatcher, benchBot } from './webhook-roundtrip.js';
import { printReminderBench } from './reminders-fanout.js';

const N = Number(process.env.BENCH_N ?? 300);

async function main(): Promise<void> {
  console.log(`reform-desk bench — ${new Date().toISOString()} — node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  const bare = await benchBareDispatcher(N);
  const rows: string[] = [];
  const row = (name: string, s: { p50: number; p99: number; n: number }, goal: string) =>
    rows.push(`| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${(s.p50 / bare.p50).toFixed(2)}× | ${(s.p99 / bare.p99).toFixed(2)}× | ${goal} |`);
  row('bare EventDispatcher echo (baseline)', bare, '—');
  for (const driver of ['pglite', 'postgres'] as const) {
    const s = await benchBot(driver, N);
    const ok = s.p99 < 100 && s.p99 / bare.p99 <= 3 ? 'met' : 'NOT met';
    row(`signed /帮助 round trip, ${driver}`, s, `p99 < 100 ms and ≤ 3× bare: ${ok}`);
  }
  console.log('\n| scenario | n | p50 | p99 | p50 ÷ bare | p99 ÷ bare | goal |\n|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
  await (await import('./submit.js')).printSubmitBench(N);
  await printReminderBench();
  await (await import('./review.js')).printReviewBench(N);
  await (await import('./ledger.js')).printLedgerBench();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

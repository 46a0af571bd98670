// Review benchmarks (issue 5).
// 1. Vote callback: a signed, encrypted card.action.trigger carrying a score sheet (review.submit) POSTed to the
//    app running in this process, until the callback answer (toast + updated card) comes back: signature,
//    decryption, dedupe, actor, round share lock, assignment and deadline checks, validation, upsert under the row
//    lock, audit row, card rebuild. Every click changes the sheet (the worst case: an UPDATE and an audit row).
//    Baseline: the SDK's own adaptDefault + EventDispatcher answering the same callback with a toast.
//    Goal: p99 < 50 ms; the ratio to the baseline is reported.
// 2. Ranking: aggregateReviews over 10,000 submissions × 5 reviewers (normalization, medians, flags, sort).
//    Goal: < 100 ms. Also the same ranking read from the database (rankRound), for information.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as lark from '@larksuiteoapi/node-sdk';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import postgres from 'postgres';
import { openDatabase, openMemoryDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { reviewAssignments, reviewRounds, reviews, roundItems, submissions, units } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import { ManualClock } from '../src/clock.js';
import { parseConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { aggregateReviews, type ReviewInput } from '../src/domain/review/aggregate.js';
import { votes } from '../src/domain/review/scores.js';
import { startFakeLark, type RunningFakeLark } from '../src/fake-lark/index.js';
import { createCampaign } from '../src/services/campaigns.js';
import { rankRound } from '../src/services/ranking.js';
import { addRoundReviewers, assignRound, openReviewTrack } from '../src/services/review-rounds.js';
import { fmt, summarize, type Summary } from './stats.js';

const log = pino({ level: 'silent' });
const APP_ID = 'cli_d0d0d0d0d0d0d0d0';
const SECRET = 'bench-secret';
const ENCRYPT_KEY = 'bench-encrypt-key';
const signing = { encryptKey: ENCRYPT_KEY };
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REVIEWER = 'ou_bench_reviewer';

async function freshPostgres(): Promise<{ database: Database; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), log });
  return {
    database,
    async drop() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

async function openDriver(driver: 'pglite' | 'postgres') {
  if (driver === 'pglite') {
    const database = await openMemoryDatabase(log);
    return { database, drop: () => database.close() };
  }
  return freshPostgres();
}

/** A campaign with 40 achievements from 4 units, one open 初评 round, the bench reviewer assigned to every item. */
async function seedRound(db: Db, clock: ManualClock, items = 40): Promise<{ roundId: number }> {
  const ctx = { db, clock };
  const campaign = await createCampaign({ ctx, input: { templateId: 'liaoning-2022' }, actorOpenId: null });
  for (let u = 0; u < 4; u++) {
    const [unit] = await db.insert(units).values({ name: `基准单位${u}`, type: 'department' }).returning();
    for (let i = 0; i < items / 4; i++) {
      await db
        .insert(submissions)
        .values({ campaignId: campaign.id, unitId: unit!.id, seq: i + 1, trackingNo: `LN2022-基准单位${u}-${i + 1}`, kind: 'achievement', title: `成果${u}-${i}`, fields: {}, mainCreators: [], formKey: `b${u}-${i}`, submittedBy: 'ou_bench', createdAt: clock.now(), updatedAt: clock.now() });
    }
  }
  const opened = await db.transaction((tx) => openReviewTrack({ ctx: { db: tx, clock }, actorOpenId: 'ou_bench_admin', input: { stage: 'achievement' } }));
  await db.transaction((tx) => addRoundReviewers({ ctx: { db: tx, clock }, actorOpenId: 'ou_bench_admin', input: { people: [REVIEWER, 'ou_r2', 'ou_r3'].map((openId) => ({ openId, name: undefined })) } }));
  await db.transaction((tx) => assignRound({ ctx: { db: tx, clock }, actorOpenId: 'ou_bench_admin', input: { k: 3 } }));
  return { roundId: opened.round.id };
}

const sheet = (i: number) => {
  const s = String(i % 11);
  return { s_solves_real_problems: s, s_withstands_practice: s, s_public_gain: s, s_replicable: s, vote: votes[i % 3], comment: `第${i}次` };
};

async function measureClicks(fake: RunningFakeLark, url: string, messageId: string, n: number, value: (i: number) => { value: unknown; formValue?: Record<string, unknown> }): Promise<Summary> {
  const samples: number[] = [];
  const warmup = 30;
  for (let i = 0; i < n + warmup; i++) {
    const started = performance.now();
    const r = await fake.clickCard(url, { operator: REVIEWER, messageId, ...value(i) }, signing);
    if (r.status !== 200 || r.toast?.type === 'error') throw new Error(`callback answered ${r.status} ${JSON.stringify(r.toast)}`);
    if (i >= warmup) samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export async function benchVoteCallback(driver: 'pglite' | 'postgres', n: number): Promise<Summary> {
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET });
  const { database, drop } = await openDriver(driver);
  const clock = new ManualClock();
  const config = parseConfig({ LARK_APP_ID: APP_ID, LARK_APP_SECRET: SECRET, LARK_DOMAIN: fake.url, LARK_TRANSPORT: 'http', LARK_ENCRYPT_KEY: ENCRYPT_KEY, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await startApp({ config, database, clock, log, tick: false });
  try {
    const { roundId } = await seedRound(database.db, clock);
    const [target] = await database.db.select().from(reviewAssignments).where(and(eq(reviewAssignments.roundId, roundId), eq(reviewAssignments.reviewerOpenId, REVIEWER))).limit(1);
    if (!target) throw new Error('the bench reviewer has no assignment');
    const sent = await fake.sendText(app.webhookUrl, { from: REVIEWER, text: '/评审' }, signing);
    await app.pipeline.drain();
    return await measureClicks(fake, app.webhookUrl, sent.message.message_id, n, (i) => ({
      value: { v: 1, a: 'review.submit', r: roundId, s: target.submissionId, o: REVIEWER },
      formValue: sheet(i),
    }));
  } finally {
    await app.close();
    await drop();
    await fake.close();
  }
}

/** The baseline: the SDK's adaptor and EventDispatcher answering card.action.trigger with a toast. */
export async function benchBareCallback(n: number): Promise<Summary> {
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET });
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
    'im.message.receive_v1': () => ({}),
    'card.action.trigger': () => ({ toast: { type: 'success', content: 'ok' } }),
  } as Record<string, (data: unknown) => unknown>);
  const server = http.createServer(lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/events`;
  try {
    const sent = await fake.sendText(url, { from: REVIEWER, text: 'hi' }, signing);
    return await measureClicks(fake, url, sent.message.message_id, n, (i) => ({ value: { v: 1, a: 'review.submit', i } }));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  }
}

/** 10,000 submissions × 5 reviewers from a pool of 250, deterministic pseudo-random scores. */
function rankingInput(items = 10_000, perItem = 5) {
  const criteria = ['a', 'b', 'c', 'd'].map((key) => ({ key, label: key, weight: 1, scale: { min: 0, max: 10 } }));
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const list = Array.from({ length: items }, (_, i) => ({ id: i + 1, trackingNo: `LN2022-单位${i % 100}-${i}`, submittedAt: new Date(1_700_000_000_000 + i * 1000) }));
  const reviewsIn: ReviewInput<number>[] = [];
  for (const item of list) {
    for (let r = 0; r < perItem; r++) {
      const reviewer = `ou_r${(item.id * 7 + r * 53) % 250}`;
      const s = () => Math.round(rnd() * 100) / 10;
      reviewsIn.push({ itemId: item.id, reviewerOpenId: reviewer, scores: { a: s(), b: s(), c: s(), d: s() }, vote: votes[Math.floor(rnd() * 3)] ?? 'abstain' });
    }
  }
  return { criteria, items: list, reviews: reviewsIn, quorum: perItem };
}

export function benchRanking(runs = 20): Summary {
  const input = rankingInput();
  aggregateReviews(input);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    aggregateReviews(input);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** The same ranking read back from PGlite through rankRound (informational: includes reading 50,000 rows). */
export async function benchRankRound(runs = 5): Promise<Summary> {
  const database = await openMemoryDatabase(log);
  await migrateDatabase(database, log);
  const clock = new ManualClock(new Date('2023-03-01T10:00:00+08:00'));
  const db = database.db;
  const campaign = await createCampaign({ ctx: { db, clock }, input: { templateId: 'liaoning-2022' }, actorOpenId: null });
  const [unit] = await db.insert(units).values({ name: '基准单位', type: 'department' }).returning();
  const input = rankingInput();
  const [round] = await db.insert(reviewRounds).values({ campaignId: campaign.id, key: 'initial_review', label: '初评', state: 'closed', k: 5, quorum: 5, openedAt: clock.now(), closedAt: clock.now() }).returning();
  const ids: number[] = [];
  for (let i = 0; i < input.items.length; i += 1000) {
    const rows = await db
      .insert(submissions)
      .values(input.items.slice(i, i + 1000).map((it) => ({ campaignId: campaign.id, unitId: unit!.id, seq: it.id, trackingNo: it.trackingNo, kind: 'achievement' as const, title: `成果${it.id}`, fields: {}, mainCreators: [], formKey: `k${it.id}`, submittedBy: 'ou_bench', createdAt: it.submittedAt, updatedAt: it.submittedAt })))
      .returning({ id: submissions.id });
    ids.push(...rows.map((r) => r.id));
  }
  await db.insert(roundItems).values(ids.map((submissionId) => ({ roundId: round!.id, submissionId })));
  const criteria = ['solves_real_problems', 'withstands_practice', 'public_gain', 'replicable'];
  for (let i = 0; i < input.reviews.length; i += 2000) {
    const batch = input.reviews.slice(i, i + 2000);
    const keyOf = (r: ReviewInput<number>) => ({ roundId: round!.id, submissionId: ids[r.itemId - 1]!, reviewerOpenId: r.reviewerOpenId });
    await db.insert(reviewAssignments).values(batch.map((r) => ({ ...keyOf(r), assignedAt: clock.now() }))).onConflictDoNothing();
    await db
      .insert(reviews)
      .values(batch.map((r) => ({ ...keyOf(r), scores: Object.fromEntries(criteria.map((c, j) => [c, Object.values(r.scores)[j] ?? 0])), vote: r.vote === 'not_recommend' ? ('reject' as const) : r.vote, submittedAt: clock.now(), updatedAt: clock.now() })))
      .onConflictDoNothing();
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await rankRound(db, campaign, round!);
    samples.push(performance.now() - started);
  }
  await database.close();
  return summarize(samples);
}

/** Prints the review rows (called from bench/run.ts). */
export async function printReviewBench(n: number): Promise<void> {
  const bare = await benchBareCallback(n);
  const rows = [`| bare EventDispatcher card callback (baseline) | ${bare.n} | ${fmt(bare.p50)} | ${fmt(bare.p99)} | 1.00× | 1.00× | — |`];
  for (const driver of ['pglite', 'postgres'] as const) {
    const s = await benchVoteCallback(driver, n);
    const ok = s.p99 < 50 ? 'met' : 'NOT met';
    rows.push(`| vote callback (review.submit), ${driver} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${(s.p50 / bare.p50).toFixed(2)}× | ${(s.p99 / bare.p99).toFixed(2)}× | p99 < 50 ms: ${ok} |`);
  }
  const ranking = benchRanking();
  rows.push(`| ranking 10,000 × 5 (aggregateReviews) | ${ranking.n} | ${fmt(ranking.p50)} | ${fmt(ranking.p99)} | — | — | < 100 ms: ${ranking.p99 < 100 ? 'met' : 'NOT met'} |`);
  const fromDb = await benchRankRound();
  rows.push(`| ranking 10,000 × 5 read from PGlite (rankRound) | ${fromDb.n} | ${fmt(fromDb.p50)} | ${fmt(fromDb.p99)} | — | — | information |`);
  console.log('\n| review scenario | n | p50 | p99 | p50 ÷ bare | p99 ÷ bare | goal |\n|---|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
}

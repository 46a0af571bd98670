// Issue "campaigns, units and submissions": the submit path (a form callback → the confirmation
// card in the callback's answer) beside a bare card-callback handler, and /配额 over 500 units and
// 5,000 submissions, on PGlite and PostgreSQL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { pino } from 'pino';
import type { Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { createMemoryDatabase, createServerDatabase } from '../test/helpers/db.js';
import { submissions, units } from '../db/schema/index.js';
import type { Db } from '../db/types.js';
import { ManualClock } from '../src/clock.js';
import { parseConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { startFakeLark } from '../src/fake-lark/index.js';
import { createCampaign } from '../src/services/campaigns.js';
import { quotaReport } from '../src/services/quotas.js';
import { ensureUnit, setUnitMember } from '../src/services/units.js';
import { fmt, summarize, type Summary } from './stats.js';

const APP_ID = 'cli_c0c0c0c0c0c0c0c0';
const SECRET = 'bench-secret';
const ENCRYPT_KEY = 'bench-encrypt-key';
const OPEN = new Date('2022-09-10T10:00:00+08:00');
const log = pino({ level: 'silent' });
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh database per measurement (PostgreSQL: a scratch database dropped afterwards), migrated. */
async function open(driver: 'pglite' | 'postgres'): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  const made = driver === 'pglite' ? await createMemoryDatabase() : await createServerDatabase(pgUrl);
  await migrateDatabase(made.database, log);
  return made;
}

const filled = (i: number) => ({
  kind: 'topic',
  title: `企业开办“一日办结” ${i}`,
  direction: 'reform_opening',
  problem: '企业开办要跑多个部门、多次提交材料',
  innovation: '一窗受理、并联审批、证照同发',
  mainCreators: ['ou_li'],
});

/** Each iteration submits a fresh form (its own form key) and waits for the confirmation card. */
async function benchSubmit(driver: 'pglite' | 'postgres', n: number): Promise<Summary> {
  const clock = new ManualClock();
  clock.jumpTo(OPEN);
  // Signatures are checked against the app's clock, so the fake signs with the same clock.
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET, now: () => clock.now() });
  const { database, cleanup } = await open(driver);
  const config = parseConfig({ LARK_APP_ID: APP_ID, LARK_APP_SECRET: SECRET, LARK_DOMAIN: fake.url, LARK_TRANSPORT: 'http', LARK_ENCRYPT_KEY: ENCRYPT_KEY, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await startApp({ config, database, log, clock, tick: false });
  const code = `B${randomBytes(3).toString('hex').toUpperCase()}`;
  await database.db.transaction(async (tx) => {
    const ctx = { db: tx, clock };
    await createCampaign({ ctx, input: { templateId: 'liaoning-2022', code }, actorOpenId: null });
    const unit = await ensureUnit({ ctx, input: { name: `压测单位${code}`, type: 'park' }, actorOpenId: null });
    await setUnitMember({ ctx, input: { unitId: unit.id, openId: 'ou_li', name: '李明', role: 'liaison' }, actorOpenId: null });
  });
  try {
    const form = await fake.sendText(app.webhookUrl, { from: 'ou_li', text: `/申报 ${code}` }, { encryptKey: ENCRYPT_KEY });
    await app.pipeline.drain();
    const card = fake.botMessages().find((m) => m.parent_id === form.message.message_id);
    if (!card?.card) throw new Error(`no form card: ${JSON.stringify(fake.botMessages().map((m) => m.text ?? m.content).slice(-2))}`);
    const form0 = card.card.body.elements.find((e) => e.tag === 'form');
    const button = form0?.tag === 'form' ? form0.elements.find((e) => e.tag === 'button' && e.name === 'submit') : undefined;
    const submitValue = button?.tag === 'button' ? button.behaviors?.[0]?.value : undefined;
    if (!submitValue) throw new Error('the form has no submit button');
    const samples: number[] = [];
    for (let i = 0; i < n + 20; i++) {
      // The form's own submit payload, with a fresh form key: each iteration is a new submission.
      const value = { ...submitValue, k: randomBytes(12).toString('hex') };
      const started = performance.now();
      const res = await fake.clickCard(app.webhookUrl, { operator: 'ou_li', messageId: card.message_id, value, formValue: filled(i) }, { encryptKey: ENCRYPT_KEY });
      const ms = performance.now() - started;
      if (res.toast?.type !== 'success') throw new Error(`submit ${i} failed: ${JSON.stringify(res.toast)} ${(JSON.stringify(res.card).match(/red[^\\]*/g) ?? []).join(" ")}`);
      if (i >= 20) samples.push(ms);
    }
    return summarize(samples);
  } finally {
    await app.close();
    await cleanup();
    await fake.close();
  }
}

/** The baseline: the SDK's EventDispatcher answering card.action.trigger with a toast, nothing else. */
async function benchBareCallback(n: number): Promise<Summary> {
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET });
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
    'card.action.trigger': async () => ({ toast: { type: 'success', content: 'ok' } }),
  });
  const server = http.createServer(lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/events`;
  try {
    // The fake needs a message to click on; a user's message in the same store serves.
    const { message } = await fake.sendText(url, { from: 'ou_li', text: 'hi' }, { encryptKey: ENCRYPT_KEY });
    const samples: number[] = [];
    for (let i = 0; i < n + 20; i++) {
      const started = performance.now();
      await fake.clickCard(url, { operator: 'ou_li', messageId: message.message_id, value: { v: 1 } }, { encryptKey: ENCRYPT_KEY });
      if (i >= 20) samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  }
}

/** /配额's query over 500 units and 5,000 submissions. */
async function benchQuota(driver: 'pglite' | 'postgres', runs: number): Promise<Summary> {
  const { database, cleanup } = await open(driver);
  const clock = new ManualClock(OPEN);
  const db: Db = database.db;
  const ctx = { db, clock };
  try {
    const code = `Q${randomBytes(3).toString('hex').toUpperCase()}`;
    const campaign = await createCampaign({ ctx, input: { templateId: 'liaoning-2022', code }, actorOpenId: null });
    const types = ['county', 'park', 'department', 'organisation'] as const;
    const made = await db
      .insert(units)
      .values(Array.from({ length: 500 }, (_, i) => ({ name: `${code}-单位${i}`, type: types[i % 4] ?? 'county', createdAt: OPEN })))
      .returning({ id: units.id });
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      campaignId: campaign.id, unitId: made[i % 500]?.id ?? 0, seq: Math.floor(i / 500) + 1, trackingNo: `${code}-${i}`, kind: 'topic' as const,
      title: 't', fields: {}, mainCreators: [], formKey: `${code}-${i}`, submittedBy: 'ou_x', createdAt: OPEN, updatedAt: OPEN,
    }));
    for (let i = 0; i < rows.length; i += 1000) await db.insert(submissions).values(rows.slice(i, i + 1000));
    const samples: number[] = [];
    for (let i = 0; i < runs + 5; i++) {
      const started = performance.now();
      const report = await quotaReport(ctx, campaign.id);
      if (report.rows.length < 500) throw new Error('quota report incomplete');
      if (i >= 5) samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    await cleanup();
  }
}

export async function printSubmitBench(n: number): Promise<void> {
  const bare = await benchBareCallback(n);
  const lines = [`| bare card callback (baseline) | ${bare.n} | ${fmt(bare.p50)} | ${fmt(bare.p99)} | 1.00× |`];
  for (const driver of ['pglite', 'postgres'] as const) {
    const s = await benchSubmit(driver, Math.min(n, 200));
    lines.push(`| submit: form callback → confirmation card, ${driver} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${(s.p99 / bare.p99).toFixed(2)}× |`);
  }
  for (const driver of ['pglite', 'postgres'] as const) {
    const s = await benchQuota(driver, 50);
    lines.push(`| /配额 query, 500 units × 5,000 submissions, ${driver} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} | — |`);
  }
  console.log('\n| submissions | n | p50 | p99 | p99 ÷ bare |\n|---|---|---|---|---|');
  console.log(lines.join('\n'));
}

// Several instances on one database (on PostgreSQL each with its own postgres.js pool): ten planners
// and senders on the same schedule deliver each reminder exactly once; a sender that dies mid-drain
// loses and duplicates nothing; the shared rate limiter keeps all of them under the configured quota.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { outbox, submissions, unitMembers, units, campaigns } from '../../db/schema/index.js';
import { openDatabase, type Database } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { OutboxSender } from '../../src/jobs/outbox-sender.js';
import { reminderRenderers } from '../../src/jobs/renderers/index.js';
import { createLarkClient } from '../../src/lark/client.js';
import { SdkMessenger, larkUuid } from '../../src/lark/sdk-messenger.js';
import { claimDueOutbox, enqueueOutbox } from '../../src/services/outbox.js';
import { RateLimiter, takeTokens, type RateLimits } from '../../src/services/rate-limit.js';
import { planReminders } from '../../src/services/reminders.js';
import { startQuotaFakeLark, type QuotaEnforcer, type RunningFakeLark } from '../fakes/index.js';
import { createTestDatabase, dbKind, queryRows, silentLog, type TestDatabase } from '../helpers/db.js';
import { addUnit, createTestCampaign } from '../helpers/reminder-fixtures.js';

const APP = { appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's' };
const bj = (s: string) => new Date(`${s}+08:00`);
const clock = new ManualClock(bj('2026-11-17T10:00:00'));
const LIMITS: RateLimits = { appPerSecond: 10, appPerMinute: 600, recipientPerSecond: 5, headroom: 0.9 };

let t: TestDatabase;
let fake: RunningFakeLark & { quota: QuotaEnforcer };
/** Ten "instances": on PostgreSQL each has its own connection pool; PGlite is one process, so they share it. */
let instances: Database[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startQuotaFakeLark(APP, { appPerSecond: LIMITS.appPerSecond, appPerMinute: LIMITS.appPerMinute, chatPerSecond: LIMITS.recipientPerSecond });
  if (t.database.driver === 'postgres') {
    const [row] = await queryRows(t.database, 'select current_database() as name');
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${String(row?.name)}`;
    instances = await Promise.all(Array.from({ length: 10 }, () => openDatabase({ databaseUrl: url.toString(), dataDir: tmpdir(), log: silentLog })));
  } else {
    instances = Array.from({ length: 10 }, () => t.database);
  }
});
afterAll(async () => {
  if (t.database.driver === 'postgres') await Promise.all(instances.map((d) => d.close()));
  await fake.close();
  await t.cleanup();
});
afterEach(async () => {
  fake.assertNoUnmodeled();
  fake.reset();
  fake.quota.accepted.length = 0;
  fake.quota.rejected.length = 0;
  const db = t.database.db;
  await db.delete(outbox);
  await db.delete(submissions);
  await db.delete(unitMembers);
  await db.delete(units);
  await db.delete(campaigns);
});

const messenger = () => new SdkMessenger(createLarkClient({ ...APP, domain: fake.url }), silentLog, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
const senderOn = (database: Database, limits?: RateLimits) =>
  new OutboxSender({ db: database.db, messenger: messenger(), clock, log: silentLog, ...reminderRenderers(), limiter: new RateLimiter(database.db, limits ? { limits } : {}), batch: 5 });

async function liaisons(n: number): Promise<string[]> {
  await createTestCampaign(t.database.db, clock, 'LN2026', { opensAt: '2026-11-01T00:00:00+08:00', closesAt: '2026-11-20T23:59:59+08:00' });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const openId = `ou_l${String(i).padStart(3, '0')}`;
    await addUnit(t.database.db, `测试县区${i}`, 'county', { openId, name: `联络人${i}` });
    ids.push(openId);
  }
  return ids;
}

const perRecipient = (ids: readonly string[]) => ids.map((id) => fake.messagesTo(id).length);

describe(`reminders across instances (${dbKind})`, () => {
  it('ten planners and ten senders on the same schedule deliver each reminder exactly once', async () => {
    const ids = await liaisons(60);
    const plans = await Promise.all(instances.map((d) => planReminders({ db: d.db, clock }, { now: clock.now() })));
    expect(plans.reduce((sum, p) => sum + p.planned, 0)).toBe(60);
    const sent = await Promise.all(instances.map((d) => senderOn(d, LIMITS).drain()));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(60);
    expect(perRecipient(ids)).toEqual(ids.map(() => 1));
    const rows = await t.database.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(fake.quota.rejected).toEqual([]);
  });

  it('a sender killed mid-drain (claimed, some even delivered, never recorded) loses nothing and duplicates nothing', async () => {
    const ids = await liaisons(20);
    await planReminders({ db: t.database.db, clock }, { now: clock.now() });
    // The dead sender: claims 12 rows with a 30 s lease, delivers 5 of them, and dies before recording anything.
    const claimed = await claimDueOutbox(t.database.db, { now: clock.now(), limit: 12, leaseMs: 30_000 });
    expect(claimed).toHaveLength(12);
    const m = messenger();
    for (const row of claimed.slice(0, 5)) await m.send({ openId: row.recipient }, { kind: 'text', text: '截止提醒' }, larkUuid(`outbox:${row.key}`));

    // While the lease holds, other senders leave those rows alone.
    expect(await senderOn(instances[1]!, LIMITS).drain()).toBe(8);
    expect((await t.database.db.select().from(outbox)).filter((r) => r.status === 'claimed')).toHaveLength(12);

    clock.advance(31_000);
    expect(await senderOn(instances[2]!, LIMITS).drain()).toBe(12);
    expect(perRecipient(ids)).toEqual(ids.map(() => 1));
    const rows = await t.database.db.select().from(outbox);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The five delivered before the crash were sent again with the same uuid: Lark (the fake) answered with the first message.
    const resent = claimed.slice(0, 5).map((r) => larkUuid(`outbox:${r.key}`));
    const posts = fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages' && resent.includes((c.body as { uuid: string }).uuid));
    expect(posts).toHaveLength(10);
  });

  it('the shared limiter keeps four senders under the configured app and per-chat rates (timestamps at the fake)', async () => {
    const db = t.database.db;
    const items = [
      ...Array.from({ length: 40 }, (_, i) => ({ key: `rate:${i}`, to: `ou_r${i}` })),
      ...Array.from({ length: 12 }, (_, i) => ({ key: `same:${i}`, to: 'ou_same' })),
    ];
    await enqueueOutbox(db, items.map((i) => ({ key: i.key, kind: 'test', to: { openId: i.to }, payload: { kind: 'text', text: i.key }, dueAt: clock.now() })), clock.now());
    const sent = await Promise.all(instances.slice(0, 4).map((d) => senderOn(d, LIMITS).drain()));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(52);
    expect(fake.quota.rejected).toEqual([]);
    expect(fake.quota.maxInWindow(1000)).toBeLessThanOrEqual(LIMITS.appPerSecond);
    const same = fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages' && (c.body as { receive_id: string }).receive_id === 'ou_same').map((c) => c.at.getTime());
    expect(same).toHaveLength(12);
    for (let i = 0; i + LIMITS.recipientPerSecond < same.length; i++) {
      expect((same[i + LIMITS.recipientPerSecond] as number) - (same[i] as number)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('a send still rate-limited after the messenger waited out its resets goes back to planned, not failed', async () => {
    const db = t.database.db;
    await enqueueOutbox(db, [{ key: 'limited', kind: 'test', to: { openId: 'ou_limited' }, payload: { kind: 'text', text: 'x' }, dueAt: clock.now() }], clock.now());
    fake.injectFault({ method: 'POST', pathIncludes: '/im/v1/messages', status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '1' }, times: 5 });
    const quick = new SdkMessenger(createLarkClient({ ...APP, domain: fake.url }), silentLog, { sleep: () => Promise.resolve() });
    const s = () => new OutboxSender({ db, messenger: quick, clock, log: silentLog });
    expect(await s().drain()).toBe(0);
    const [row] = await db.select().from(outbox);
    expect(row?.status).toBe('planned');
    expect(row?.attempts).toBe(0);
    expect(row?.lastError).toContain('限流');
    expect(row?.dueAt.getTime()).toBe(clock.now().getTime() + 60_000);
    clock.advance(60_000);
    // The fake counts the five refused attempts against the chat's 5/s quota too: let that second pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await s().drain()).toBe(1);
    expect(fake.messagesTo('ou_limited')).toHaveLength(1);
  });

  it('takes from every bucket or from none, and says how long to wait', async () => {
    const db = t.database.db;
    const a = { key: 'test:a', capacity: 2, rate: 0.001 };
    const b = { key: 'test:b', capacity: 1, rate: 0.001 };
    expect(await takeTokens(db, [a, b])).toEqual({ ok: true });
    const refused = await takeTokens(db, [a, b]);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.waitMs).toBeGreaterThan(900_000);
    // `a` kept its second token: the refusal took nothing.
    expect(await takeTokens(db, [a])).toEqual({ ok: true });
    expect((await takeTokens(db, [a])).ok).toBe(false);
  });
});

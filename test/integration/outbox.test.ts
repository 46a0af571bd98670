// The outbox on real SQL, and the sender against the fake Lark through the real SDK.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.js';
import { ManualClock } from '../../src/clock.js';
import { OutboxSender } from '../../src/jobs/outbox-sender.js';
import { createLarkClient } from '../../src/lark/client.js';
import { SdkMessenger } from '../../src/lark/sdk-messenger.js';
import { claimDueOutbox, enqueueOutbox, type OutboxItem } from '../../src/services/outbox.js';
import { startFakeLark, type RunningFakeLark } from '../fakes/index.js';
import { createTestDatabase, dbKind, silentLog, type TestDatabase } from '../helpers/db.js';

let t: TestDatabase;
let fake: RunningFakeLark;
const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeLark({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's' });
});
afterAll(async () => {
  await fake.close();
  await t.cleanup();
});
afterEach(async () => {
  fake.assertNoUnmodeled();
  await t.database.db.delete(outbox);
});

const item = (key: string, openId = 'ou_x'): OutboxItem => ({ key, kind: 'test', to: { openId }, payload: { kind: 'text', text: `hi ${key}` }, dueAt: clock.now() });

function sender(): OutboxSender {
  const messenger = new SdkMessenger(createLarkClient({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 's', domain: fake.url }), silentLog, { sleep: () => Promise.resolve() });
  return new OutboxSender({ db: t.database.db, messenger, clock, log: silentLog });
}

describe(`outbox (${dbKind})`, () => {
  it('plans a key once however often it is enqueued', async () => {
    expect(await enqueueOutbox(t.database.db, [item('a'), item('b')], clock.now())).toBe(2);
    expect(await enqueueOutbox(t.database.db, [item('a'), item('c')], clock.now())).toBe(1);
    expect(await t.database.db.select().from(outbox)).toHaveLength(3);
  });

  it('claims only due rows, and reclaims a row whose lease ran out', async () => {
    await enqueueOutbox(t.database.db, [item('now'), { ...item('later'), dueAt: new Date(clock.now().getTime() + 60_000) }], clock.now());
    const first = await claimDueOutbox(t.database.db, { now: clock.now(), limit: 10, leaseMs: 30_000 });
    expect(first.map((r) => r.key)).toEqual(['now']);
    expect(await claimDueOutbox(t.database.db, { now: clock.now(), limit: 10, leaseMs: 30_000 })).toEqual([]);
    const afterLease = await claimDueOutbox(t.database.db, { now: new Date(clock.now().getTime() + 31_000), limit: 10, leaseMs: 30_000 });
    expect(afterLease.map((r) => r.key).sort()).toEqual(['now']);
    expect(afterLease[0]?.attempts).toBe(2);
  });

  it('never hands the same row to two concurrent claimers', async () => {
    await enqueueOutbox(t.database.db, Array.from({ length: 40 }, (_, i) => item(`c${i}`)), clock.now());
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => t.database.db.transaction((tx) => claimDueOutbox(tx, { now: clock.now(), limit: 10, leaseMs: 30_000 }))),
    );
    const keys = claims.flat().map((r) => r.key);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
  });

  it('sends each row once with a key-derived uuid, and records sent and failed rows', async () => {
    fake.addGroup('oc_ok', 'ok', []);
    await enqueueOutbox(t.database.db, [item('s1', 'ou_s1'), item('s2', 'ou_s2'), { ...item('gone'), to: { chatId: 'oc_missing' } }], clock.now());
    const before = fake.botMessages().length;
    expect(await sender().drain()).toBe(2);
    expect(await sender().drain()).toBe(0);
    expect(fake.botMessages().length - before).toBe(2);
    const rows = await t.database.db.select().from(outbox);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.s1?.status).toBe('sent');
    expect(byKey.s1?.larkMessageId).toMatch(/^om_/);
    expect(byKey.gone?.status).toBe('failed');
    expect(byKey.gone?.lastError).toContain('230002');
  });

  it('puts a row back for a later retry when Lark keeps failing with 5xx', async () => {
    fake.injectFault({ method: 'POST', pathIncludes: '/im/v1/messages', status: 500, times: 10 });
    await enqueueOutbox(t.database.db, [item('retry', 'ou_r')], clock.now());
    expect(await sender().drain()).toBe(0);
    const [row] = await t.database.db.select().from(outbox).where(eq(outbox.key, 'retry'));
    expect(row?.status).toBe('planned');
    expect(row?.dueAt.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(row?.lastError).toContain('500');
  });
});

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { migrateDatabase, migrationsFolder } from '../../db/migrate.js';
import { auditLog, inboundEvents } from '../../db/schema/index.js';
import { recordAudit } from '../../src/services/audit.js';
import { claimInbound } from '../../src/services/inbound-events.js';
import { createTestDatabase, dbKind, queryRows, rejectionText, silentLog, type TestDatabase } from '../helpers/db.js';
import { getTableName, isTable } from 'drizzle-orm';
import * as schema from '../../db/schema/index.js';

/** Every table the schema declares: the committed migrations must create exactly these. */
const schemaTables = Object.values(schema)
  .filter((v) => isTable(v))
  .map((t) => getTableName(t))
  .sort();

const at = new Date('2026-03-02T09:00:00+08:00');
const committedMigrations = readMigrationFiles({ migrationsFolder });

/** What migrating leaves behind: the applied migrations, the tables, the audit trigger. */
async function schemaState(database: Database) {
  return {
    migrations: await queryRows(database, 'select hash, created_at from drizzle.__drizzle_migrations order by id'),
    tables: (await queryRows(database, "select table_name from information_schema.tables where table_schema = 'public' order by table_name")).map(
      (r) => r['table_name'],
    ),
    auditTriggers: await queryRows(database, "select tgname from pg_trigger where tgname = 'audit_log_append_only'"),
  };
}

async function expectOneSetOfMigrations(database: Database) {
  const state = await schemaState(database);
  expect(state.migrations).toHaveLength(committedMigrations.length);
  expect(state.tables).toEqual(schemaTables);
  expect(state.auditTriggers).toHaveLength(1);
  return state;
}

describe(`the database handle (${dbKind})`, () => {
  it('answers a ping while open, not after close, and closes idempotently', async () => {
    const { database, cleanup } = await createTestDatabase({ migrate: false });
    expect(database.driver).toBe(dbKind);
    expect(await database.ping()).toBe(true);
    await database.close();
    expect(await database.ping()).toBe(false);
    await cleanup();
  });
});

describe(`migrations (${dbKind})`, () => {
  it('apply to an empty database, then re-apply as a no-op', async () => {
    const { database, cleanup } = await createTestDatabase({ migrate: false });
    try {
      await migrateDatabase(database, silentLog);
      const first = await expectOneSetOfMigrations(database);
      await migrateDatabase(database, silentLog);
      expect(await schemaState(database)).toEqual(first);
    } finally {
      await cleanup();
    }
  });

  // On PostgreSQL each call migrates on its own session, so only the advisory lock keeps them
  // apart. A PGlite instance is one session, so there the calls are queued in-process instead.
  const concurrently = dbKind === 'postgres' ? 'from three sessions at once on a fresh PostgreSQL database' : 'three times at once on one fresh PGlite instance';
  it(`apply exactly once when started ${concurrently}`, async () => {
    const { database, cleanup } = await createTestDatabase({ migrate: false });
    try {
      await Promise.all([1, 2, 3].map(() => migrateDatabase(database, silentLog)));
      await expectOneSetOfMigrations(database);
    } finally {
      await cleanup();
    }
  });
});

/** A migrations folder whose only migration creates a table, then fails. */
async function brokenMigrationsFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'broken-migrations-'));
  await mkdir(join(folder, 'meta'));
  const entry = { idx: 0, version: '7', when: 1, tag: '0000_broken', breakpoints: true };
  await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries: [entry] }));
  await writeFile(join(folder, '0000_broken.sql'), 'CREATE TABLE half_built (id integer);\n--> statement-breakpoint\nSELECT * FROM no_such_table;');
  return folder;
}

describe(`a failing migration (${dbKind})`, () => {
  it('throws, rolls back, and releases the lock so a later migration can run', async () => {
    const { database, cleanup } = await createTestDatabase({ migrate: false });
    const broken = await brokenMigrationsFolder();
    try {
      expect(await rejectionText(migrateDatabase(database, silentLog, { migrationsFolder: broken }))).toMatch(/no_such_table/);
      expect(await queryRows(database, "select 1 from information_schema.tables where table_name = 'half_built'")).toEqual([]);
      expect(await queryRows(database, "select 1 from pg_locks where locktype = 'advisory'")).toEqual([]);
      await migrateDatabase(database, silentLog);
      await expectOneSetOfMigrations(database);
    } finally {
      await rm(broken, { recursive: true, force: true });
      await cleanup();
    }
  });
});

describe(`inbound events and the audit log (${dbKind})`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it('claims an event once: the first claim is true, a redelivery false', async () => {
    const { db } = test.database;
    const claim = { dedupeKey: 'msg:om_once', eventId: 'ev_1', kind: 'message', at };
    expect(await claimInbound(db, claim)).toBe(true);
    expect(await claimInbound(db, { ...claim, eventId: 'ev_1_redelivered' })).toBe(false);
    const rows = await db.select().from(inboundEvents).where(eq(inboundEvents.dedupeKey, 'msg:om_once'));
    expect(rows).toEqual([{ dedupeKey: 'msg:om_once', eventId: 'ev_1', kind: 'message', receivedAt: at }]);
  });

  it('leaves the event unclaimed when the transaction applying it rolls back', async () => {
    const { db } = test.database;
    const claim = { dedupeKey: 'evt:rolled_back', eventId: 'rolled_back', kind: 'card_action', at };
    const failure = new Error('the effects failed');
    await expect(
      db.transaction(async (tx) => {
        expect(await claimInbound(tx, claim)).toBe(true);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await db.transaction((tx) => claimInbound(tx, claim))).toBe(true);
  });

  it('gives exactly one of 20 concurrent claims of the same key, each in its own transaction', async () => {
    const { db } = test.database;
    const claim = { dedupeKey: 'msg:om_race', eventId: 'ev_race', kind: 'message', at };
    const results = await Promise.all(Array.from({ length: 20 }, () => db.transaction((tx) => claimInbound(tx, claim))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const [row] = await db.select({ n: count() }).from(inboundEvents).where(eq(inboundEvents.dedupeKey, 'msg:om_race'));
    expect(row?.n).toBe(1);
  });

  it('records audit rows and rejects UPDATE and DELETE on them', async () => {
    const { db } = test.database;
    await recordAudit(db, {
      at,
      actorOpenId: 'ou_admin',
      action: 'role.grant',
      entityType: 'user',
      entityId: 'ou_audited',
      after: { role: 'reviewer' },
      reason: 'appointed by the office',
    });
    const written = await db.select().from(auditLog).where(eq(auditLog.entityId, 'ou_audited'));
    expect(written).toMatchObject([
      { at, actorOpenId: 'ou_admin', action: 'role.grant', entityType: 'user', before: null, after: { role: 'reviewer' }, reason: 'appointed by the office' },
    ]);

    expect(await rejectionText(db.update(auditLog).set({ reason: 'rewritten' }).where(eq(auditLog.entityId, 'ou_audited')))).toMatch(
      /audit_log is append-only/,
    );
    expect(await rejectionText(db.delete(auditLog).where(eq(auditLog.entityId, 'ou_audited')))).toMatch(/audit_log is append-only/);
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, 'ou_audited'))).toEqual(written);
  });
});

// A migrated, isolated database per caller: a fresh PostgreSQL database on the server named by
// TEST_DATABASE_URL (so test files can run in parallel), otherwise an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { pino } from 'pino';
import postgres from 'postgres';
import { openDatabase, openMemoryDatabase, type Database } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';

const serverUrl = process.env.TEST_DATABASE_URL || undefined;

/** Which driver this run uses; put it in test names so a report says what ran. */
export const dbKind: Database['driver'] = serverUrl ? 'postgres' : 'pglite';

export const silentLog = pino({ level: 'silent' });

export interface TestDatabase {
  database: Database;
  cleanup(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the committed migrations (default true); false gives an empty database. */
  migrate?: boolean;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { database, cleanup } = serverUrl ? await createServerDatabase(serverUrl) : await createMemoryDatabase();
  if (options.migrate ?? true) {
    try {
      await migrateDatabase(database, silentLog);
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  return { database, cleanup };
}

export async function createMemoryDatabase(): Promise<TestDatabase> {
  const database = await openMemoryDatabase(silentLog);
  return { database, cleanup: () => database.close() };
}

/** A fresh, empty database on the server at `url` (not migrated), dropped by cleanup(). */
export async function createServerDatabase(url: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(url, (admin) => admin.unsafe(`create database ${name}`));
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  // dataDir is unused with a databaseUrl; tmpdir() just satisfies the option.
  const database = await openDatabase({ databaseUrl: databaseUrl.toString(), dataDir: tmpdir(), log: silentLog });
  return {
    database,
    async cleanup() {
      await database.close();
      await withAdmin(url, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdmin(url: string, work: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await work(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Raw SQL on either driver, rows only: for assertions about the schema itself. */
export async function queryRows(database: Database, text: string): Promise<Array<Record<string, unknown>>> {
  if (database.driver === 'postgres') return [...(await database.db.$client.unsafe<Array<Record<string, unknown>>>(text))];
  return (await database.db.$client.query<Record<string, unknown>>(text)).rows;
}

/** The messages along an error's cause chain (drizzle wraps the driver's error in its own). */
export async function rejectionText(work: PromiseLike<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    const messages: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' <- ');
  }
  throw new Error('expected the database to reject this, but it succeeded');
}

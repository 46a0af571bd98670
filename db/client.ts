// Opens the database: postgres.js when DATABASE_URL is set, otherwise an embedded PGlite in the
// data folder. PGlite is a single-process database, so the folder is guarded by a lock file.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres, { type Options, type Sql } from 'postgres';
import type { Logger } from 'pino';
import lockfile from 'proper-lockfile';
import * as schema from './schema/index.js';
import type { Db, Schema } from './types.js';

interface DatabaseBase {
  /** What services take; the driver-specific `db` below is assignable to it. */
  db: Db;
  /** True when a trivial query round-trips; false (and a warning in the log) otherwise. */
  ping(): Promise<boolean>;
  /** Idempotent. For PGlite it also releases the data folder lock. */
  close(): Promise<void>;
}

export interface PgliteDatabaseHandle extends DatabaseBase {
  driver: 'pglite';
  db: PgliteDatabase<Schema> & { $client: PGlite };
}

export interface PostgresDatabaseHandle extends DatabaseBase {
  driver: 'postgres';
  db: PostgresJsDatabase<Schema> & { $client: Sql };
  /**
   * A new client with exactly one connection, for work that must stay on one session
   * (a session-level advisory lock). The caller ends it.
   */
  openSingleConnection(): Sql;
}

/** Narrow on `driver` when driver-specific access is needed (only db/migrate.ts does). */
export type Database = PgliteDatabaseHandle | PostgresDatabaseHandle;

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  log: Logger;
}

/** Operator-facing: another process (or another open in this one) already owns the data folder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly lockPath: string,
  ) {
    super(
      `The data folder "${dataDir}" is already in use by another reform-desk process (lock: ${lockPath}). ` +
        'The embedded database (PGlite) can only be opened by one process at a time. ' +
        'Stop the other process, or point DATA_DIR at a different folder, or set DATABASE_URL to use a PostgreSQL server. ' +
        `If no other process is running, the lock is stale and is released automatically within ${LOCK_STALE_MS / 1000} seconds.`,
    );
    this.name = 'DataDirLockedError';
  }
}

// proper-lockfile refreshes the lock's mtime every STALE/2; a lock older than this is from a dead process.
const LOCK_STALE_MS = 10_000;

const postgresOptions: Options<Record<string, never>> = {
  max: 10,
  idle_timeout: 30,
  connect_timeout: 10,
  // IF NOT EXISTS and friends emit notices; they are not problems and would flood stdout.
  onnotice: () => {},
  connection: { application_name: 'reform-desk' },
};

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.log) : openPgliteFolder(options.dataDir, options.log);
}

/** PGlite in memory, no lock: for tests and benches. */
export async function openMemoryDatabase(log?: Logger): Promise<PgliteDatabaseHandle> {
  const client = await PGlite.create();
  return pgliteHandle(client, log, async () => {});
}

function openPostgres(databaseUrl: string, log: Logger): PostgresDatabaseHandle {
  const sql = postgres(databaseUrl, postgresOptions);
  const db = drizzlePostgres(sql, { schema });
  // Connections open lazily; the URL is not logged because it may carry a password.
  log.info('using the PostgreSQL server from DATABASE_URL');
  return {
    driver: 'postgres',
    db,
    ping: () => pingWith(() => sql`select 1`, log),
    close: once(() => sql.end({ timeout: 5 })),
    openSingleConnection: () => postgres(databaseUrl, { ...postgresOptions, max: 1 }),
  };
}

async function openPgliteFolder(dataDir: string, log: Logger): Promise<PgliteDatabaseHandle> {
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true });
  const lockPath = join(folder, 'reform-desk.lock');
  const release = await lockDataDir(folder, lockPath, log);
  try {
    const client = await PGlite.create({ dataDir: join(folder, 'pglite') });
    log.info({ dataDir: folder }, 'opened embedded database (PGlite)');
    return pgliteHandle(client, log, release);
  } catch (err) {
    await release();
    throw err;
  }
}

async function lockDataDir(folder: string, lockPath: string, log: Logger): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(folder, {
      lockfilePath: lockPath,
      stale: LOCK_STALE_MS,
      retries: 0,
      // Another process may now take the folder and write to the same files: stopping is the only safe move.
      onCompromised: (err) => {
        log.fatal({ err, dataDir: folder }, 'lost the data folder lock; stopping to avoid two processes writing the database');
        throw err;
      },
    });
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ELOCKED') throw new DataDirLockedError(folder, lockPath);
    throw err;
  }
}

function pgliteHandle(client: PGlite, log: Logger | undefined, releaseLock: () => Promise<void>): PgliteDatabaseHandle {
  const db = drizzlePglite(client, { schema });
  return {
    driver: 'pglite',
    db,
    ping: () => pingWith(() => client.query('select 1'), log),
    close: once(async () => {
      try {
        await client.close();
      } finally {
        await releaseLock();
      }
    }),
  };
}

async function pingWith(query: () => Promise<unknown>, log: Logger | undefined): Promise<boolean> {
  try {
    await query();
    return true;
  } catch (err) {
    log?.warn({ err }, 'database ping failed');
    return false;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

// Applies the committed migrations at start-up. Many processes may start at once against one
// PostgreSQL server, so the migration runs under an advisory lock held on the very session that
// migrates. Any failure throws: the caller stops the process rather than run on a half-built schema.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { Logger } from 'pino';
import type { Database, PgliteDatabaseHandle, PostgresDatabaseHandle } from './client.js';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Fixed and arbitrary; it only has to differ from any other advisory lock key used on the server.
const MIGRATION_LOCK_KEY = '7215403991268314001';

/** One database session, as raw SQL: the lock statements must run exactly where the migration runs. */
type Session = (text: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

export interface MigrateOptions {
  /** Defaults to the committed db/migrations; tests point it elsewhere. */
  migrationsFolder?: string;
}

export async function migrateDatabase(database: Database, log: Logger, options: MigrateOptions = {}): Promise<void> {
  const folder = options.migrationsFolder ?? migrationsFolder;
  const started = Date.now();
  if (database.driver === 'pglite') await migratePgliteSerially(database, folder, log);
  else await migratePostgresLocked(database, folder, log);
  log.info({ driver: database.driver, ms: Date.now() - started }, 'database migrations applied');
}

async function migratePostgresLocked(database: PostgresDatabaseHandle, folder: string, log: Logger): Promise<void> {
  // The pool hands each statement to any of its connections; a max:1 client keeps lock and
  // migration on one session.
  const connection = database.openSingleConnection();
  try {
    const session: Session = (text) => connection.unsafe(text);
    await withMigrationLock(session, log, () => migratePostgres(drizzle(connection), { migrationsFolder: folder }));
  } finally {
    await connection.end({ timeout: 5 });
  }
}

// A PGlite instance is one session, and a session-level advisory lock is re-entrant within its
// session, so it cannot keep apart two calls sharing an instance: those are queued in-process.
// (The data folder lock already keeps other processes out.)
const pgliteQueues = new WeakMap<PgliteDatabaseHandle, Promise<void>>();

function migratePgliteSerially(database: PgliteDatabaseHandle, folder: string, log: Logger): Promise<void> {
  const client = database.db.$client;
  const session: Session = async (text) => (await client.query<Record<string, unknown>>(text)).rows;
  const run = () => withMigrationLock(session, log, () => migratePglite(database.db, { migrationsFolder: folder }));
  const previous = pgliteQueues.get(database) ?? Promise.resolve();
  // The queue only orders the runs; each run's own error still reaches its caller through `current`.
  const current = previous.then(run, run);
  pgliteQueues.set(database, current.catch(() => undefined));
  return current;
}

async function withMigrationLock(session: Session, log: Logger, migrate: () => Promise<void>): Promise<void> {
  const [row] = await session(`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as locked`);
  if (row?.['locked'] !== true) {
    log.info('another process is migrating the database; waiting for it to finish');
    await session(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  }
  const unlock = () => session(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
  try {
    await migrate();
  } catch (err) {
    // Report the migration's error, not a follow-on failure to unlock (ending a session unlocks too).
    await unlock().catch((unlockErr: unknown) => log.warn({ err: unlockErr }, 'could not release the migration lock after a failed migration'));
    throw err;
  }
  await unlock();
}

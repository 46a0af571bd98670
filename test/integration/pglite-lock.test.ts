// PGlite is single-process: the data folder lock must turn a second open into a clear error.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, openDatabase } from '../../db/client.js';
import { migrateDatabase } from '../../db/migrate.js';
import { queryRows, silentLog } from '../helpers/db.js';

const clientModule = fileURLToPath(new URL('../../db/client.ts', import.meta.url));

/** Another Node process opening the folder; prints the error's name and message. */
async function openInAnotherProcess(dataDir: string): Promise<string> {
  const script = `
    import { pino } from 'pino';
    const { openDatabase } = await import(${JSON.stringify(clientModule)});
    try {
      const database = await openDatabase({ dataDir: ${JSON.stringify(dataDir)}, log: pino({ level: 'silent' }) });
      await database.close();
      console.log('opened');
    } catch (err) {
      console.log(err.name + ': ' + err.message);
    }`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  return stdout.trim();
}

// Creating a PGlite folder runs initdb (seconds), and the second case starts another Node process.
describe('the PGlite data folder lock', { timeout: 60_000 }, () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reform-desk-data-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second open of the same folder in this process, and allows it after close', async () => {
    const first = await openDatabase({ dataDir, log: silentLog });
    const second = openDatabase({ dataDir, log: silentLog });
    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(dataDir);
    await expect(second).rejects.toThrow(/DATA_DIR.*DATABASE_URL/);

    await migrateDatabase(first, silentLog);
    await first.close();

    const reopened = await openDatabase({ dataDir, log: silentLog });
    try {
      expect(reopened.driver).toBe('pglite');
      expect(await reopened.ping()).toBe(true);
      // The data outlived the first process's handle: it is stored in the folder.
      expect(await queryRows(reopened, "select 1 from information_schema.tables where table_name = 'audit_log'")).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });

  it('refuses the folder to a second process while this one holds it', async () => {
    const held = await openDatabase({ dataDir, log: silentLog });
    try {
      expect(await openInAnotherProcess(dataDir)).toMatch(/^DataDirLockedError: The data folder ".*" is already in use/);
    } finally {
      await held.close();
    }
    expect(await openInAnotherProcess(dataDir)).toBe('opened');
  });
});

// Wipes the emulator's database and loads the demo data again (the console's reset button and
// `npm start -- --reset`). One transaction: every table the schema declares is truncated and the
// demo seeded, so a failure leaves the old data untouched. Emulator mode only: app.ts never wires
// this up when real Lark credentials are configured.
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { seedDemo } from './demo-seed.js';

/** Every table in db/schema (the migration bookkeeping lives in its own schema and stays). */
export function schemaTableNames(): string[] {
  const names: string[] = [];
  for (const t of Object.values(schema) as unknown[]) if (is(t, PgTable)) names.push(getTableName(t));
  return names.sort();
}

export async function resetDemoData(db: Db, clock: Clock): Promise<void> {
  const tables = schemaTableNames()
    .map((name) => `"${name.replace(/"/g, '""')}"`)
    .join(', ');
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`truncate table ${tables} restart identity cascade`));
    await seedDemo(tx, clock);
  });
}

import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

export type Schema = typeof schema;

/** Either driver (PGlite or postgres.js), or a transaction on it: services take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';

/** What every service verb gets: the database (or the current transaction) and the clock. */
export interface ServiceCtx {
  db: Db;
  clock: Clock;
}

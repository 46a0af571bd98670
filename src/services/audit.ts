import { auditLog } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';

export interface AuditEntry {
  at: Date;
  /** Null for what the system does on its own (scheduled jobs). */
  actorOpenId: string | null;
  /** Dotted verb, e.g. "role.grant". */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | undefined;
}

/** Appends one row to the audit log (append-only: the database rejects UPDATE and DELETE). */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: entry.at,
    actorOpenId: entry.actorOpenId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
  });
}

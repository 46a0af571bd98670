import { inboundEvents } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';

export interface InboundClaim {
  /** "msg:<message_id>" for messages, "evt:<event_id>" otherwise (see db/schema/inbound-events.ts). */
  dedupeKey: string;
  eventId: string;
  kind: string;
  at: Date;
}

/**
 * Claims an inbound event for processing: true for exactly one caller per dedupe key.
 * Call it inside the transaction that applies the event's effects, so a rolled-back attempt
 * leaves the key unclaimed and Lark's redelivery is processed, while a committed one is never redone.
 */
export async function claimInbound(db: Db, claim: InboundClaim): Promise<boolean> {
  const inserted = await db
    .insert(inboundEvents)
    .values({ dedupeKey: claim.dedupeKey, eventId: claim.eventId, kind: claim.kind, receivedAt: claim.at })
    .onConflictDoNothing({ target: inboundEvents.dedupeKey })
    .returning({ dedupeKey: inboundEvents.dedupeKey });
  return inserted.length === 1;
}

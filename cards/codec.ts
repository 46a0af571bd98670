// One codec for every button and form payload the bot puts on a card. Versioned, so a card sent
// by an older release either still parses or fails politely ("card.stale"), never crashes.
// Each feature declares its payloads in cards/actions/<feature>.ts; they are joined here.
import { z } from 'zod';
import { campaignActions } from './actions/campaigns.js';
import { helpActions } from './actions/help.js';
import { declarationActions } from './actions/declarations.js';
import { recommendationActions } from './actions/recommendations.js';
import { submissionActions } from './actions/submissions.js';
import { unitActions } from './actions/units.js';
import { reminderActions } from './actions/reminders.js';
import { letterActions } from './actions/letters.js';
import { ledgerActions } from './actions/ledger.js';
import { reviewActions } from './actions/review.js';

const v1 = z.discriminatedUnion('a', [
  ...helpActions,
  ...reviewActions,
  ...campaignActions,
  ...submissionActions,
  ...recommendationActions,
  ...declarationActions,
  ...unitActions,
  ...reminderActions,
  ...letterActions,
  ...ledgerActions,
]);

export type CardAction = z.infer<typeof v1>;
export type CardActionName = CardAction['a'];

/** The value stored in the button's callback behaviour. */
export function encodeAction(action: CardAction): Record<string, unknown> {
  return { ...action };
}

/** Parses a callback value from Lark. Returns undefined for anything forged, stale or unknown. */
export function decodeAction(value: unknown): CardAction | undefined {
  const parsed = v1.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

// One codec for every button and form payload the bot puts on a card. Versioned, so a card sent
// by an older release either still parses or fails politely ("card.stale"), never crashes.
import { z } from 'zod';

const v1 = z.discriminatedUnion('a', [
  z.object({ v: z.literal(1), a: z.literal('help.usage'), command: z.string().min(1).max(40) }),
  z.object({ v: z.literal(1), a: z.literal('help.list') }),
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

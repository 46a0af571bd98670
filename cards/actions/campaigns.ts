// Button and form payloads of the campaign cards (detail, list, quota). Codes and phase keys are
// re-checked by the handlers: a payload only says what the user clicked, never what they may do.
import { z } from 'zod';

const code = z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/);
const phaseKey = z.string().regex(/^[a-z][a-z0-9_]*$/).max(60);

export const campaignActions = [
  z.object({ v: z.literal(1), a: z.literal('campaign.show'), code }),
  z.object({ v: z.literal(1), a: z.literal('campaign.phase'), code, phase: phaseKey, op: z.enum(['open', 'close']) }),
  /** The detail card's form: phase, new deadline and reason arrive in form_value. */
  z.object({ v: z.literal(1), a: z.literal('campaign.deadline'), code }),
  z.object({ v: z.literal(1), a: z.literal('campaign.quota'), code }),
] as const;

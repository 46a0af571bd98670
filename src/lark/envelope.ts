// The outer shapes of what Lark POSTs to a webhook (LARK.md §1). The event body stays unknown here:
// normalize.ts gives it meaning per event type.
import { z } from 'zod';

export const larkEventHeaderSchema = z.object({
  event_id: z.string().min(1),
  event_type: z.string().min(1),
  // Milliseconds in one doc, microseconds in another: kept as an opaque string, whichever JSON type arrives.
  create_time: z.union([z.string(), z.number()]).transform(String),
  token: z.string(),
  app_id: z.string(),
  tenant_key: z.string(),
});

/** A v2 ("schema":"2.0") event or callback envelope. */
export const larkEnvelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: larkEventHeaderSchema,
  event: z.record(z.string(), z.unknown()),
});

export type LarkEnvelope = z.infer<typeof larkEnvelopeSchema>;

/** Sent when the callback URL is saved in the console; answered with `{challenge}`. */
export const urlVerificationSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string(),
  token: z.string().optional(),
});

export type UrlVerification = z.infer<typeof urlVerificationSchema>;

/** The whole body when an Encrypt Key is configured. */
export const encryptedBodySchema = z.object({
  encrypt: z.string(),
});

// Payloads of the /推荐 cards. Ids are only claims: the services check every one of them.
import { z } from 'zod';

const id = z.int().positive().max(2_147_483_647);

export const recommendationActions = [
  /** The submit button of a recommendation form: `k` is the form key minted with the card; `c` the campaign it feeds, if any. */
  z.object({ v: z.literal(1), a: z.literal('recommend.submit'), k: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), c: id.optional() }),
  /** Back to (or refresh) the office's list of pending recommendations. */
  z.object({ v: z.literal(1), a: z.literal('recommend.list') }),
  /** 分派: shows the unit choice for one recommendation; its submit button is `recommend.assign`. */
  z.object({ v: z.literal(1), a: z.literal('recommend.assignForm'), id }),
  z.object({ v: z.literal(1), a: z.literal('recommend.assign'), id }),
  /** 不采纳: asks for the reason; its submit button is `recommend.decline`. */
  z.object({ v: z.literal(1), a: z.literal('recommend.declineForm'), id }),
  z.object({ v: z.literal(1), a: z.literal('recommend.decline'), id }),
] as const;

// Payloads of the Chongqing declaration cards (/激励申报, /审核, /审核 确认). Ids are only claims:
// the services check the campaign, the unit and the caller's right to the declaration every time.
import { z } from 'zod';

const id = z.int().positive().max(2_147_483_647);

export const declarationActions = [
  /** The submit button of a declaration form: `k` is the form key minted with the card; `u` the unit when the liaison has only one. */
  z.object({ v: z.literal(1), a: z.literal('declare.submit'), c: id, k: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/), u: id.optional() }),
  /** A lead department's list of declarations waiting for review (also the way back from a return form). */
  z.object({ v: z.literal(1), a: z.literal('declare.reviewList'), c: id }),
  z.object({ v: z.literal(1), a: z.literal('declare.recommend'), id }),
  /** 退回: asks for the reason; its submit button is `declare.return`. */
  z.object({ v: z.literal(1), a: z.literal('declare.returnForm'), id }),
  z.object({ v: z.literal(1), a: z.literal('declare.return'), id }),
  /** The office's list of recommended declarations. */
  z.object({ v: z.literal(1), a: z.literal('declare.confirmList'), c: id }),
  z.object({ v: z.literal(1), a: z.literal('declare.confirm'), id }),
  /** 全部确认: exactly the declarations shown on the card, never ones the office has not seen. */
  z.object({ v: z.literal(1), a: z.literal('declare.confirmAll'), c: id, ids: z.array(id).min(1).max(20) }),
] as const;

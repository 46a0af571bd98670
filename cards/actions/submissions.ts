// Payloads of the /申报 cards. Ids and versions are only claims: the service checks every one of them.
import { z } from 'zod';

const id = z.int().positive().max(2_147_483_647);
const version = z.int().positive().max(2_147_483_647);
const campaignCode = z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/);

export const submissionActions = [
  /** The submit button of a new form: `k` is the form key minted when the card was built (one submission per key). */
  z.object({
    v: z.literal(1),
    a: z.literal('submission.create'),
    c: campaignCode,
    k: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    /** The unit when the person is in only one (otherwise it is chosen on the form). */
    u: id.optional(),
  }),
  /** 修改: the form pre-filled from the submission as of version `ver`. */
  z.object({ v: z.literal(1), a: z.literal('submission.edit'), id, ver: version }),
  /** The submit button of an edit form, based on version `ver`. */
  z.object({ v: z.literal(1), a: z.literal('submission.save'), id, ver: version }),
  /** 撤回: asks for confirmation on the card. */
  z.object({ v: z.literal(1), a: z.literal('submission.withdraw'), id, ver: version }),
  z.object({ v: z.literal(1), a: z.literal('submission.withdrawConfirm'), id, ver: version }),
  /** Back to the submission card (cancel an edit or a withdrawal). */
  z.object({ v: z.literal(1), a: z.literal('submission.view'), id }),
] as const;

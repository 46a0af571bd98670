// Payloads of the review, ranking, leader-approval and award cards. Ids and the reviewer's open id are only
// claims: the services check every one of them against the operator and the database.
import { z } from 'zod';

const id = z.int().positive().max(2_147_483_647);
const openId = z.string().regex(/^ou_[A-Za-z0-9_-]{1,80}$/);
/** A review card: round `r`, submission `s`, made out to reviewer `o`. */
const reviewRef = { r: id, s: id, o: openId };
/** A shortlist as sent to the leaders: round `r` and a digest `d` of the names on it, so a stale card is refused. */
const shortlistRef = { r: id, d: z.string().regex(/^[0-9a-f]{16}$/) };

export const reviewActions = [
  /** Opens (or re-shows) the review card. */
  z.object({ v: z.literal(1), a: z.literal('review.open'), ...reviewRef }),
  /** The submit button of the score sheet form. */
  z.object({ v: z.literal(1), a: z.literal('review.submit'), ...reviewRef }),
  /** 修改: the score sheet pre-filled with what was given. */
  z.object({ v: z.literal(1), a: z.literal('review.edit'), ...reviewRef }),
  /** 回避: asks for confirmation (and an optional reason) on the card. */
  z.object({ v: z.literal(1), a: z.literal('review.recuse'), ...reviewRef }),
  z.object({ v: z.literal(1), a: z.literal('review.recuseConfirm'), ...reviewRef }),
  /** The operator's own list of reviews (/评审). */
  z.object({ v: z.literal(1), a: z.literal('review.list') }),
  /** Leader approval card: 批准, 退回 (asks for a reason), the return form's submit, back to the list. */
  z.object({ v: z.literal(1), a: z.literal('leader.approve'), ...shortlistRef }),
  z.object({ v: z.literal(1), a: z.literal('leader.returnForm'), ...shortlistRef }),
  z.object({ v: z.literal(1), a: z.literal('leader.return'), ...shortlistRef }),
  z.object({ v: z.literal(1), a: z.literal('leader.view'), ...shortlistRef }),
  /** The prize split form's submit: submission `s`, tier key `t`, amounts in yuan or percent. */
  z.object({
    v: z.literal(1),
    a: z.literal('award.save'),
    s: id,
    t: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
    u: z.enum(['yuan', 'percent']),
    n: z.int().min(1).max(20),
  }),
] as const;

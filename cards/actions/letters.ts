import { z } from 'zod';

const letterId = z.int().positive().max(2_147_483_647);

export const letterActions = [
  /** 已收到: the recipient acknowledges the letter (recorded once). */
  z.object({ v: z.literal(1), a: z.literal('letter.ack'), l: letterId }),
  /** Opens the rectification plan form (整改方案). */
  z.object({ v: z.literal(1), a: z.literal('letter.plan_form'), l: letterId }),
  /** The plan form's submit button; measures and date arrive in form_value. */
  z.object({ v: z.literal(1), a: z.literal('letter.plan'), l: letterId }),
  /** Shows the letter card again (from the form's 返回, or from the list). */
  z.object({ v: z.literal(1), a: z.literal('letter.view'), l: letterId }),
  /** Refreshes the /督办 列表 card. */
  z.object({ v: z.literal(1), a: z.literal('letter.list') }),
] as const;

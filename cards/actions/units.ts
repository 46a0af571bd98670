import { z } from 'zod';

export const unitActions = [
  /** Re-renders the unit list, optionally only one type of unit. */
  z.object({ v: z.literal(1), a: z.literal('units.list'), type: z.enum(['county', 'park', 'department', 'organisation']).optional() }),
] as const;

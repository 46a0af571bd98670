import { z } from 'zod';

export const helpActions = [
  z.object({ v: z.literal(1), a: z.literal('help.usage'), command: z.string().min(1).max(40) }),
  z.object({ v: z.literal(1), a: z.literal('help.list') }),
] as const;

import { z } from 'zod';

export const reminderActions = [
  /** Mute (on) or unmute a campaign's reminders for the one who clicks. */
  z.object({ v: z.literal(1), a: z.literal('reminder.mute'), c: z.int().positive(), on: z.boolean() }),
  /** The reminder card's "去申报" button: opens the /申报 form for that campaign. */
  z.object({ v: z.literal(1), a: z.literal('reminder.open_submit'), c: z.string().regex(/^[A-Z][A-Z0-9]{1,15}$/) }),
] as const;

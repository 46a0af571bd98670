import type * as lark from '@larksuiteoapi/node-sdk';
import { z } from 'zod';

const botInfoSchema = z.object({ code: z.number(), msg: z.string().optional(), bot: z.object({ open_id: z.string(), app_name: z.string().optional() }).optional() });

/** The bot's own open_id, to tell whether a group message @-mentions it (LARK.md §2). */
export async function fetchBotOpenId(client: lark.Client): Promise<string> {
  const raw: unknown = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
  const parsed = botInfoSchema.safeParse(raw);
  if (!parsed.success || parsed.data.code !== 0 || !parsed.data.bot) {
    throw new Error(`could not read the bot's identity from /open-apis/bot/v3/info: ${JSON.stringify(raw).slice(0, 200)}`);
  }
  return parsed.data.bot.open_id;
}

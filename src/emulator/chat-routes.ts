// What a console user does, turned into what Lark would send the bot: a text (with @mentions) or a
// file message as a signed im.message.receive_v1 event, a click or a form submit as a signed
// card.action.trigger callback. All of it goes to the bot's own webhook over HTTP, through the fake.
import { Hono } from 'hono';
import { z } from 'zod';
import type { LarkConfig } from '../config.js';
import type { FakeLark, FakeMention } from '../fake-lark/index.js';
import type { Logger } from '../log.js';
import { demoPeople } from './demo-people.js';

export interface ChatDeps {
  fake: FakeLark;
  lark: LarkConfig;
  webhookPath: string;
  log: Logger;
}

/** The emulator refuses bigger uploads itself; the bot has its own (smaller) limit and says so. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const sendSchema = z.object({ from: z.string().min(1), chatId: z.string().optional(), text: z.string().trim().min(1).max(10_000) });
const fileSchema = z.object({
  from: z.string().min(1),
  fileName: z.string().trim().min(1).max(200),
  /** base64 of the file's bytes */
  data: z.string().max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4),
});
const clickSchema = z.object({
  from: z.string().min(1),
  messageId: z.string().min(1),
  value: z.unknown(),
  formValue: z.record(z.string(), z.unknown()).optional(),
  name: z.string().optional(),
  tag: z.string().optional(),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
  inputValue: z.string().optional(),
  checked: z.boolean().optional(),
});

const known = (openId: string) => demoPeople.some((p) => p.openId === openId);

/**
 * "@李明" typed in the console becomes a Lark mention: the text gets the @_user_N placeholder and the
 * event lists the person, exactly as the Lark client sends a picked mention.
 */
export function typedMentions(text: string, firstKey: number): { text: string; mentions: FakeMention[] } {
  const mentions: FakeMention[] = [];
  let out = text;
  const byLongestName = [...demoPeople].sort((a, b) => b.name.length - a.name.length);
  for (const p of byLongestName) {
    if (!out.includes(`@${p.name}`)) continue;
    const key = `@_user_${firstKey + mentions.length}`;
    out = out.split(`@${p.name}`).join(key);
    mentions.push({ key, openId: p.openId, name: p.name });
  }
  return { text: out, mentions };
}

export function chatRoutes(deps: ChatDeps): Hono {
  const { fake, lark } = deps;
  const app = new Hono();
  // The bot's webhook on this same server, reached over HTTP exactly as Lark would reach it.
  const target = () => `${lark.domain}${deps.webhookPath}`;
  const signing = () => ({ encryptKey: lark.encryptKey, verificationToken: lark.verificationToken });
  const rejected = (status: number, body: unknown) => deps.log.warn({ status, body }, 'emulator: the bot rejected an event');

  app.post('/emulator/api/send', async (c) => {
    const parsed = sendSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !known(parsed.data.from)) return c.json({ error: '请求格式不对：需要发送人和消息内容。' }, 400);
    const { from, chatId } = parsed.data;
    const group = chatId !== undefined;
    // In a group the bot's own mention takes @_user_1, so people start at 2.
    const { text, mentions } = typedMentions(parsed.data.text, group ? 2 : 1);
    const res = await fake.sendText(
      target(),
      group ? { from, text, mentions, chatType: 'group', chatId, mentionBot: true } : { from, text, mentions, chatType: 'p2p' },
      signing(),
    );
    if (res.status !== 200) rejected(res.status, res.body);
    return c.json({ ok: res.status === 200, messageId: res.message.message_id });
  });

  app.post('/emulator/api/send-file', async (c) => {
    const parsed = fileSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !known(parsed.data.from)) {
      return c.json({ error: `文件没有发出：请选择一个不超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB 的文件。` }, 400);
    }
    const bytes = new Uint8Array(Buffer.from(parsed.data.data, 'base64'));
    if (bytes.byteLength === 0) return c.json({ error: '文件是空的，请检查后重新发送。' }, 400);
    // Files go to the bot in the p2p chat: in a group it only hears messages that @ it, and a file cannot.
    const res = await fake.sendFile(target(), { from: parsed.data.from, fileName: parsed.data.fileName, bytes, chatType: 'p2p' }, signing());
    if (res.status !== 200) rejected(res.status, res.body);
    return c.json({ ok: res.status === 200, messageId: res.message.message_id });
  });

  app.post('/emulator/api/click', async (c) => {
    const parsed = clickSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !known(parsed.data.from)) return c.json({ error: '请求格式不对。' }, 400);
    const { from, messageId, value, formValue, name, tag, option, options, inputValue, checked } = parsed.data;
    if (!fake.findMessage(messageId)) return c.json({ error: '找不到这条消息，请刷新页面。' }, 404);
    try {
      const res = await fake.clickCard(
        target(),
        { operator: from, messageId, value, formValue, actionName: name, tag, option, options, inputValue, checked },
        signing(),
      );
      if (res.status !== 200) rejected(res.status, res.body);
      if (!res.answeredInTime) return c.json({ ok: false, toast: { type: 'error', content: '机器人 3 秒内没有响应，飞书会提示“请求超时（200341）”。' } });
      return c.json({ ok: res.status === 200, toast: res.toast, updated: res.card !== undefined });
    } catch (err) {
      // The fake refuses a returned card that Lark would refuse; show it rather than swallow it.
      deps.log.error({ err }, 'emulator: card callback answer rejected');
      return c.json({ ok: false, toast: { type: 'error', content: `飞书拒绝了机器人返回的卡片：${err instanceof Error ? err.message : String(err)}` } });
    }
  });

  return app;
}

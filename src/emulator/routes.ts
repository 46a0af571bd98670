// The emulator console's HTTP side. It has no side door into the bot: what a user types or clicks
// becomes a signed Lark event delivered to the bot's own webhook, and what the bot sends is read
// back from the fake Lark's message store and streamed to the browser (SSE).
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { LarkConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { FakeLark, FakeMessage } from '../fake-lark/index.js';
import { demoGroup, demoPeople } from './demo-people.js';

const publicDir = new URL('./public/', import.meta.url);
const assets: Record<string, string> = {
  '/': 'index.html',
  '/emulator/console.js': 'console.js',
  '/emulator/card-render.js': 'card-render.js',
  '/emulator/console.css': 'console.css',
};
const contentTypes: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

export interface EmulatorDeps {
  fake: FakeLark;
  lark: LarkConfig;
  /** Path of the bot's webhook on this same server. */
  webhookPath: string;
  log: Logger;
  clock: Clock;
}

/** What the browser needs of a message. */
function view(m: FakeMessage, seq: number) {
  const peer = m.chat_type === 'p2p' ? m.chat_id.replace(/^oc_p2p_/, '') : undefined;
  return { messageId: m.message_id, chatId: m.chat_id, chatType: m.chat_type, peer, sender: m.sender, text: m.text, card: m.card, seq };
}

const sendSchema = z.object({ from: z.string().min(1), chatId: z.string().optional(), text: z.string().min(1).max(10_000) });
const clickSchema = z.object({
  from: z.string().min(1),
  messageId: z.string().min(1),
  value: z.unknown(),
  formValue: z.record(z.string(), z.unknown()).optional(),
  name: z.string().optional(),
});

export function emulatorRoutes(deps: EmulatorDeps): Hono {
  const { fake, lark } = deps;
  const app = new Hono();
  fake.addGroup(demoGroup.chatId, demoGroup.name, demoPeople.map((p) => p.openId));
  const seqOf = new Map<string, number>();
  const seq = (m: FakeMessage) => {
    if (!seqOf.has(m.message_id)) seqOf.set(m.message_id, seqOf.size + 1);
    return seqOf.get(m.message_id) ?? 0;
  };
  // The bot's webhook on this same server, reached over HTTP exactly as Lark would reach it.
  const target = () => `${lark.domain}${deps.webhookPath}`;
  const signing = () => ({ encryptKey: lark.encryptKey, verificationToken: lark.verificationToken });
  const known = (openId: string) => demoPeople.some((p) => p.openId === openId);

  for (const [path, file] of Object.entries(assets)) {
    app.get(path, async (c) => {
      const body = await readFile(new URL(file, publicDir), 'utf8');
      return c.body(body, 200, { 'content-type': contentTypes[file.split('.').pop() ?? ''] ?? 'text/plain' });
    });
  }

  app.get('/emulator/api/bootstrap', (c) =>
    c.json({
      people: demoPeople.map(({ openId, name, title, role }) => ({ openId, name, title, role })),
      groups: [{ ...demoGroup, members: demoPeople.map((p) => p.openId) }],
      messages: fake.messages.map((m) => view(m, seq(m))),
      now: deps.clock.now().toISOString(),
    }),
  );

  app.get('/emulator/api/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const off = fake.onChange(({ message }) => {
        queue.push(JSON.stringify(view(message, seq(message))));
        wake?.();
      });
      stream.onAbort(off);
      while (!stream.aborted) {
        const next = queue.shift();
        if (next !== undefined) await stream.writeSSE({ data: next });
        else await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 15_000)));
      }
      off();
    }),
  );

  app.post('/emulator/api/send', async (c) => {
    const parsed = sendSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !known(parsed.data.from)) return c.json({ error: '请求格式不对：需要发送人和消息内容。' }, 400);
    const { from, chatId, text } = parsed.data;
    const res = await fake.sendText(
      target(),
      chatId ? { from, text, chatType: 'group', chatId, mentionBot: true } : { from, text, chatType: 'p2p' },
      signing(),
    );
    if (res.status !== 200) deps.log.warn({ status: res.status, body: res.body }, 'emulator: bot rejected an event');
    return c.json({ ok: res.status === 200, messageId: res.message.message_id });
  });

  app.post('/emulator/api/click', async (c) => {
    const parsed = clickSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success || !known(parsed.data.from)) return c.json({ error: '请求格式不对。' }, 400);
    const { from, messageId, value, formValue, name } = parsed.data;
    if (!fake.findMessage(messageId)) return c.json({ error: '找不到这条消息。' }, 404);
    const res = await fake.clickCard(target(), { operator: from, messageId, value, formValue, actionName: name }, signing());
    return c.json({ ok: res.status === 200, toast: res.toast });
  });

  return app;
}

// The emulator console's HTTP side. It has no side door into the bot: what a user types or clicks
// becomes a signed Lark event delivered to the bot's own webhook (chat-routes.ts), and what the bot
// sends is read back from the fake Lark's message store and streamed to the browser (SSE, here).
// The page is plain ES modules served as they are: no build step, nothing fetched from the internet.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { CommandInfo } from '../../commands/types.js';
import type { Clock } from '../clock.js';
import type { LarkConfig } from '../config.js';
import { isAllowed, type Role } from '../domain/roles.js';
import type { FakeLark } from '../fake-lark/index.js';
import type { Logger } from '../log.js';
import { chatRoutes } from './chat-routes.js';
import { controlRoutes, type ControlDeps } from './control-routes.js';
import { demoGroup, demoPeople, type DemoPerson } from './demo-people.js';
import type { ConsoleEvent, ConsoleEvents } from './events.js';

const publicDir = new URL('./public/', import.meta.url);
const contentTypes: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
/** VChart's self-contained browser build, served from node_modules (no CDN). */
const vchartPath = createRequire(import.meta.url).resolve('@visactor/vchart/build/index.min.js');

export interface EmulatorDeps extends ControlDeps {
  fake: FakeLark;
  lark: LarkConfig;
  /** Path of the bot's webhook on this same server. */
  webhookPath: string;
  log: Logger;
  clock: Clock;
  events: ConsoleEvents;
  /** The command table, for the "/" menu (read, never copied). */
  commands: readonly CommandInfo[];
}

/** A demo person's roles as the command table names them (liaisons get theirs from the unit in the database). */
const rolesOf = (p: DemoPerson): Role[] => ['public', p.role];

function commandsFor(commands: readonly CommandInfo[], person: DemoPerson | undefined) {
  return commands
    .filter((c) => !person || isAllowed({ roles: rolesOf(person) }, c.roles))
    .map(({ name, aliases, summary, usage }) => ({ name, aliases: [...aliases], summary, usage }));
}

export function emulatorRoutes(deps: EmulatorDeps): Hono {
  const { fake, events } = deps;
  const app = new Hono();
  fake.addGroup(demoGroup.chatId, demoGroup.name, demoPeople.map((p) => p.openId));

  const files = readdirSync(publicDir).filter((f) => /^[a-z-]+\.(html|js|css)$/.test(f));
  const serve = (file: string) => async () => {
    const body = await readFile(new URL(file, publicDir), 'utf8');
    return new Response(body, { headers: { 'content-type': contentTypes[file.split('.').pop() ?? ''] ?? 'text/plain', 'cache-control': 'no-cache' } });
  };
  app.get('/', serve('index.html'));
  app.get('/favicon.ico', (c) => c.body(null, 204));
  for (const file of files) app.get(`/emulator/${file}`, serve(file));
  let vchart: Promise<string> | undefined;
  app.get('/emulator/vendor/vchart.js', async (c) => {
    vchart ??= readFile(vchartPath, 'utf8');
    return c.body(await vchart, 200, { 'content-type': contentTypes.js ?? '', 'cache-control': 'max-age=3600' });
  });

  app.get('/emulator/api/bootstrap', async (c) => {
    const person = demoPeople.find((p) => p.openId === c.req.query('as'));
    return c.json({
      people: demoPeople.map(({ openId, name, title, role }) => ({ openId, name, title, role })),
      groups: [{ ...demoGroup, members: demoPeople.map((p) => p.openId) }],
      messages: events.messages(),
      commands: commandsFor(deps.commands, person),
      clock: await deps.clockInfo(),
    });
  });

  app.get('/emulator/api/commands', (c) => {
    const person = demoPeople.find((p) => p.openId === c.req.query('as'));
    return c.json({ commands: commandsFor(deps.commands, person) });
  });

  app.get('/emulator/api/stream', (c) =>
    streamSSE(c, async (stream) => {
      const queue: ConsoleEvent[] = [];
      let wake: (() => void) | undefined;
      const off = events.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      stream.onAbort(() => {
        off();
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      while (!stream.aborted) {
        const next = queue.shift();
        if (next?.type === 'shutdown') break;
        if (next) await stream.writeSSE({ event: next.type, data: JSON.stringify(next.data) });
        else {
          await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, 15_000)));
          // A comment line keeps an idle stream open through proxies; the browser ignores it.
          if (!queue.length && !stream.aborted) await stream.write(': ping\n\n');
        }
      }
      off();
    }),
  );

  app.route('/', chatRoutes(deps));
  app.route('/', controlRoutes(deps));
  return app;
}

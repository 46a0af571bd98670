// Composition root: database, HTTP server, Lark client, bot and transport, wired once.
// Tests, the bench and src/main.ts all start the app through startApp().
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { cardActionTable, commandTable } from '../commands/table.js';
import { openDatabase, type Database } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import { ManualClock, systemClock, type Clock } from './clock.js';
import type { Config, LarkConfig } from './config.js';
import { healthRoute } from './http/health.js';
import { createDownloadLinks, downloadKey } from './http/download-links.js';
import { downloadRoute } from './http/downloads.js';
import { createLogger, type Logger } from './log.js';
import { fetchBotOpenId } from './lark/bot-info.js';
import { createLarkClient } from './lark/client.js';
import { InboundPipeline } from './lark/pipeline.js';
import { SdkMessenger } from './lark/sdk-messenger.js';
import { larkWebhookRoute } from './lark/webhook.js';
import { startLongConnection, type LongConnection } from './lark/ws.js';
import { Bot } from './router/bot.js';
import { OutboxSender } from './jobs/outbox-sender.js';
import { startTicker } from './jobs/tick.js';
import { reminderPlannerJob, type ReminderPlanner } from './jobs/reminder-planner.js';
import { reminderRenderers } from './jobs/renderers/index.js';
import { ledgerEscalationJob, type LedgerEscalationJob } from './jobs/ledger-escalation.js';
import { ledgerDigestJob, type LedgerDigestJob } from './jobs/ledger-digests.js';
import { RateLimiter, type RateLimits } from './services/rate-limit.js';
import { createFakeLark, type FakeLark } from './fake-lark/index.js';
import { createEmulator } from './emulator/console.js';
import { demoAdminOpenIds } from './emulator/demo-seed.js';

export interface StartOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** Use an already open database (tests); otherwise one is opened from the config. */
  database?: Database;
  /** false: no minute tick (tests drive jobs themselves). */
  tick?: boolean;
  /** Messenger retry pacing (tests shorten waits). */
  messengerSleep?: (ms: number) => Promise<void>;
  /** Lark send quotas shared by all instances (default: Lark's published 50/s, 1,000/min, 5/s per chat). */
  rateLimits?: RateLimits;
  /** Emulator only (`npm start -- --reset`): wipe the database and load the demo data again. */
  resetDemo?: boolean;
}

export interface RunningApp {
  url: string;
  webhookUrl: string;
  lark: LarkConfig;
  database: Database;
  pipeline: InboundPipeline;
  sender: OutboxSender;
  /** The deadline reminder planner (the minute tick runs it; tests call run() with a moved clock). */
  planner: ReminderPlanner;
  /** The ledger's chase (report reminders, 提醒函 → 督办函) and its dispatch digests; the tick runs them, tests call run(). */
  ledgerEscalation: LedgerEscalationJob;
  ledgerDigests: LedgerDigestJob;
  /** Only in emulator mode: the in-process fake Lark the console talks through. */
  fake: FakeLark | undefined;
  close(): Promise<void>;
}

function emulatorLarkConfig(): LarkConfig {
  return {
    appId: 'cli_e0e0e0e0e0e0e0e0',
    appSecret: randomBytes(16).toString('hex'),
    domain: '', // set once the server listens
    transport: 'http',
    encryptKey: randomBytes(16).toString('hex'),
    verificationToken: randomBytes(8).toString('hex'),
  };
}

export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const { config } = opts;
  const emulator = config.mode === 'emulator';
  // The emulator's clock can be moved forward from the console (time travel for demos).
  const clock = opts.clock ?? (emulator ? new ManualClock() : systemClock);
  const log = opts.log ?? createLogger(config.logLevel);
  const ownsDatabase = !opts.database;
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log }));
  await migrateDatabase(database, log);

  const lark = config.lark ? { ...config.lark } : emulatorLarkConfig();
  const adminOpenIds = emulator ? [...config.adminOpenIds, ...demoAdminOpenIds] : config.adminOpenIds;
  // The webhook route exists before the pipeline (the port must be known first); nothing is
  // delivered to it until start-up completes.
  const ready: { pipeline?: InboundPipeline } = {};

  const http = new Hono();
  http.route('/', healthRoute(() => database.ping()));
  // /导出 and /台账 导出 download links: signed with a key derived from the Lark credentials, verified here.
  const linkKey = downloadKey(lark);
  http.route('/', downloadRoute({ db: database.db, clock, log, key: linkKey }));
  if (lark.transport === 'http') {
    http.route(
      '/',
      larkWebhookRoute({
        encryptKey: lark.encryptKey,
        verificationToken: lark.verificationToken,
        clock,
        log,
        onEnvelope: (env) => {
          if (!ready.pipeline) throw new Error('not ready');
          return ready.pipeline.handleEnvelope(env);
        },
      }),
    );
  }
  const fake = emulator ? createFakeLark({ appId: lark.appId, appSecret: lark.appSecret, now: () => clock.now() }) : undefined;
  const emulatorConsole = fake ? createEmulator({ fake, lark, webhookPath: '/lark/events', log, clock, db: database.db, commands: commandTable }) : undefined;
  if (fake && emulatorConsole) {
    http.route('/', emulatorConsole.routes);
    http.route('/', fake.app);
  }

  const server = await listen(http, config.port);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  if (emulator) lark.domain = url;
  const links = createDownloadLinks(config.publicUrl ?? url, linkKey);

  const client = createLarkClient({ appId: lark.appId, appSecret: lark.appSecret, domain: lark.domain });
  const messenger = new SdkMessenger(client, log, opts.messengerSleep ? { sleep: opts.messengerSleep } : {});
  const botOpenId = await fetchBotOpenId(client);
  const bot = new Bot({ files: messenger, db: database.db, clock, log, adminOpenIds, commands: commandTable, actions: cardActionTable, links });
  const sender = new OutboxSender({ db: database.db, messenger, clock, log, ...reminderRenderers(), limiter: new RateLimiter(database.db, opts.rateLimits ? { limits: opts.rateLimits } : {}) });
  const planner = reminderPlannerJob({ db: database.db, clock, log, adminOpenIds });
  const ledgerEscalation = ledgerEscalationJob({ db: database.db, clock, log });
  const ledgerDigests = ledgerDigestJob({ db: database.db, clock, log });
  const pipeline = new InboundPipeline({ bot, messenger, log, botOpenId: () => botOpenId, onNotified: () => sender.kick() });
  ready.pipeline = pipeline;
  if (emulatorConsole) await emulatorConsole.seed({ reset: opts.resetDemo === true });

  const ticker = opts.tick === false ? undefined : startTicker([planner, ledgerEscalation, ledgerDigests, { name: 'outbox', run: () => sender.kick() }], log);
  emulatorConsole?.attach({ runJobs: async () => void (await (ticker ? ticker.runNow() : planner.run()), await sender.kick()), drain: () => pipeline.drain() });

  let ws: LongConnection | undefined;
  if (lark.transport === 'ws') ws = await startLongConnection(lark, pipeline, log);

  return {
    url,
    webhookUrl: `${url}/lark/events`,
    lark,
    database,
    pipeline,
    fake,
    sender,
    planner,
    ledgerEscalation,
    ledgerDigests,
    async close() {
      ticker?.stop();
      ws?.close();
      emulatorConsole?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets (the SDK's, browsers') would hold close() open.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await pipeline.drain();
      await sender.kick();
      if (ownsDatabase) await database.close();
    },
  };
}

function listen(app: Hono, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, () => resolve(server));
    server.once('error', reject);
  });
}

// A signed /帮助 webhook round trip, from the event POST until the reply reaches the fake Lark,
// through the whole app (signature, decryption, dedupe + command in one transaction, card reply
// through the real SDK); and the same for a bare EventDispatcher handler that only echoes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { pino } from 'pino';
import { parseConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { createMemoryDatabase, createServerDatabase } from '../test/helpers/db.js';
import { startFakeLark, type RunningFakeLark } from '../src/fake-lark/index.js';
import type { FakeMessage } from '../src/fake-lark/index.js';
import { summarize, type Summary } from './stats.js';

const APP_ID = 'cli_b0b0b0b0b0b0b0b0';
const SECRET = 'bench-secret';
const ENCRYPT_KEY = 'bench-encrypt-key';
const signing = { encryptKey: ENCRYPT_KEY };

/** Resolves when the bot's reply to `messageId` shows up at the fake. */
function replyTo(fake: RunningFakeLark, messageId: string): Promise<FakeMessage> {
  return new Promise((resolve) => {
    const off = fake.onChange(({ type, message }) => {
      if (type === 'created' && message.sender === 'bot' && message.parent_id === messageId) {
        off();
        resolve(message);
      }
    });
  });
}

async function measure(fake: RunningFakeLark, url: string, n: number, warmup: number): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const messageId = `om_bench_${Date.now()}_${i}_${Math.random().toString(36).slice(2)}`;
    const started = performance.now();
    const reply = replyTo(fake, messageId);
    const res = await fake.sendText(url, { from: `ou_bench_${i % 50}`, text: '/帮助', messageId }, signing);
    if (res.status !== 200) throw new Error(`bot answered ${res.status}`);
    await reply;
    if (i >= warmup) samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export async function benchBot(driver: 'pglite' | 'postgres', n: number): Promise<Summary> {
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET });
  const log = pino({ level: 'silent' });
  const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const { database, cleanup } = driver === 'pglite' ? await createMemoryDatabase() : await createServerDatabase(pgUrl);
  const config = parseConfig({ LARK_APP_ID: APP_ID, LARK_APP_SECRET: SECRET, LARK_DOMAIN: fake.url, LARK_TRANSPORT: 'http', LARK_ENCRYPT_KEY: ENCRYPT_KEY, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await startApp({ config, database, log, tick: false });
  try {
    return await measure(fake, app.webhookUrl, n, 30);
  } finally {
    await app.close();
    await cleanup();
    await fake.close();
  }
}

/** The baseline: the SDK's own adaptor and EventDispatcher, echoing through the same SDK client. */
export async function benchBareDispatcher(n: number): Promise<Summary> {
  const fake = await startFakeLark({ appId: APP_ID, appSecret: SECRET });
  const client = new lark.Client({ appId: APP_ID, appSecret: SECRET, domain: fake.url, cache: new lark.DefaultCache(), loggerLevel: lark.LoggerLevel.error });
  const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, loggerLevel: lark.LoggerLevel.error }).register({
    'im.message.receive_v1': (data) => {
      void client.im.v1.message.reply({ path: { message_id: data.message.message_id }, data: { msg_type: 'text', content: JSON.stringify({ text: 'echo' }) } });
      return {};
    },
  });
  const server = http.createServer(lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/events`;
  try {
    return await measure(fake, url, n, 30);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.close();
  }
}

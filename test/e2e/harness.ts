// Starts the composed app exactly as production does (real SDK, webhook transport, signed and
// encrypted events) against the fake Lark server, on PGlite or TEST_DATABASE_URL.
import { pino } from 'pino';
import { ManualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { startFakeLark, type RunningFakeLark } from '../fakes/index.js';
import { createTestDatabase } from '../helpers/db.js';

export const ADMIN = 'ou_admin_1';
export const ENCRYPT_KEY = 'e2e-encrypt-key';
export const VERIFICATION_TOKEN = 'e2e-verification-token';

export interface TestBot {
  app: RunningApp;
  fake: RunningFakeLark;
  clock: ManualClock;
  /** Delivery options that sign and encrypt like Lark. */
  signing: { encryptKey: string; verificationToken: string };
  stop(): Promise<void>;
}

export async function startTestBot(opts: { now?: Date } = {}): Promise<TestBot> {
  const fake = await startFakeLark({ appId: 'cli_a1b2c3d4e5f6a7b8', appSecret: 'secret', botOpenId: 'ou_bot', botName: '改革创新助手' });
  const { database, cleanup } = await createTestDatabase({ migrate: false });
  // The clock runs in real time unless a test pins it: signatures are checked against it too.
  const clock = new ManualClock();
  if (opts.now) clock.jumpTo(opts.now);
  const config = parseConfig({
    LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8',
    LARK_APP_SECRET: 'secret',
    LARK_DOMAIN: fake.url,
    LARK_TRANSPORT: 'http',
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    PORT: '0',
    ADMIN_OPEN_IDS: ADMIN,
  });
  const app = await startApp({ config, clock, database, log: pino({ level: 'silent' }), tick: false });
  return {
    app,
    fake,
    clock,
    signing: { encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN },
    async stop() {
      await app.close();
      await fake.close();
      await cleanup();
    },
  };
}

// `npm start`: parse config, start the app, stop cleanly on SIGTERM/SIGINT.
// `npm start -- --reset` (emulator only): wipe the local database and load the demo data again.
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startApp } from './app.js';
import { chinaDateOf, knowsHolidaysOf } from './domain/ledger/calendar.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const resetDemo = process.argv.slice(2).includes('--reset');
  if (resetDemo && config.mode !== 'emulator') {
    console.error('--reset only applies to the local emulator (no LARK_APP_ID set); it never wipes a Lark deployment.');
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const app = await startApp({ config, log, resetDemo });
  const where = config.mode === 'emulator' ? `local emulator: open ${app.url}/ in a browser` : `connected to Lark (${config.lark?.transport})`;
  // The holiday data ships with the chinese-days package; a year it lacks silently becomes Monday–Friday.
  const year = Number(chinaDateOf(new Date()).slice(0, 4));
  const missing = [year, year + 1].filter((y) => !knowsHolidaysOf(y));
  if (missing.length) log.warn({ years: missing }, 'no official holiday data for these years: working days fall back to Monday–Friday; update the chinese-days package');
  console.log(`reform-desk ready in ${((Date.now() - started) / 1000).toFixed(1)} s${resetDemo ? ' (demo data reset)' : ''} — ${where}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining in-flight work');
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`reform-desk failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

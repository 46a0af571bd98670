// `npm start` as a process: emulator mode on PGlite, a clean exit on SIGTERM, bad config refused.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reform-desk-proc-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(tsx, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${out}`)), 45_000);
    child.stdout.on('data', () => {
      const m = /open (http:\/\/\S+?)\/ in a browser/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    void exited.then(() => reject(new Error(`exited early:\n${out}`)));
  });
  // A test that expects an early exit never awaits `ready`; keep its rejection handled.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => out };
}

describe('the process', () => {
  it('starts the emulator with no configuration, serves the console, and exits 0 on SIGTERM', async () => {
    const p = start({ PORT: '0', DATA_DIR: dataDir });
    const url = await p.ready;
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('改革创新助手');
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', database: 'ok' });
    const boot = (await (await fetch(`${url}/emulator/api/bootstrap`)).json()) as { people: { openId: string }[] };
    expect(boot.people.map((x) => x.openId)).toContain('ou_demo_admin');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('refuses bad configuration with one readable list and exit code 2', async () => {
    const p = start({ PORT: 'eighty', LARK_TRANSPORT: 'pigeon', DATA_DIR: dataDir });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('Invalid configuration');
    expect(p.output()).toContain('PORT');
    expect(p.output()).toContain('LARK_TRANSPORT');
  });
});

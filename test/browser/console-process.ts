// Starts the app the way `npm start` does (tsx src/main.ts, no Lark credentials: emulator mode on
// PGlite) on a free port, and measures how long it takes to be ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { shotDir } from './console-page.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ConsoleProcess {
  url: string;
  /** From spawn to the "ready" line, in ms (includes loading TypeScript through tsx). */
  readyMs: number;
  /** What the app itself reports (startApp: database, migrations, demo data). */
  reportedSeconds: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export function startConsoleProcess(opts: { dataDir: string; args?: string[] }): Promise<ConsoleProcess> {
  const started = performance.now();
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts', ...(opts.args ?? [])], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', DATA_DIR: opts.dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console was not ready in 90 s:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ready in ([\d.]+) s.*open (http:\/\/\S+?)\/ in a browser/.exec(out);
      if (!m?.[1] || !m[2]) return;
      clearTimeout(timer);
      resolve({
        url: m[2],
        readyMs: Math.round(performance.now() - started),
        reportedSeconds: Number(m[1]),
        child,
        output: () => out,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => reject(new Error(`the console exited early (${code}):\n${out}`)));
  });
}

/** Debian's Chromium, launched the way this workplace allows (no sandbox, no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=zh-CN'],
  });
}

/** A new tab as `openId`, live (SSE connected) and without page errors; dialogs are accepted. */
export async function openConsoleAs(browser: Browser, url: string, openId: string, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${url}/?as=${openId}`);
  await page.locator('body.live').waitFor();
  await expect.poll(() => page.locator('#who').inputValue()).toBe(openId);
  expect(errors).toEqual([]);
  return page;
}

/**
 * One console process on a fresh data folder and one Chromium for a test file, started before its tests and
 * stopped after them. `openAs` opens a tab as a demo user; `url()` is the console's address once it is up.
 */
export function consoleForFile(name: string, height = 900): { openAs(openId: string): Promise<Page>; url(): string } {
  let app: ConsoleProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), `reform-desk-${name}-`));
    await mkdir(shotDir, { recursive: true });
    app = await startConsoleProcess({ dataDir });
    console.log(`console ready ${app.readyMs} ms after spawn (startApp itself: ${app.reportedSeconds} s)`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const started = () => {
    if (!app || !browser) throw new Error('the console is not up: call consoleForFile at the top of a test file');
    return { app, browser };
  };
  return {
    openAs: (openId) => openConsoleAs(started().browser, started().app.url, openId, height),
    url: () => started().app.url,
  };
}

import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('config', () => {
  it('defaults to the emulator on embedded PGlite', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ mode: 'emulator', lark: undefined, port: 3000, databaseUrl: undefined, dataDir: './data', timeZone: 'Asia/Shanghai', adminOpenIds: [] });
  });

  it('connects to Lark with credentials, resolving domain aliases', () => {
    const c = parseConfig({ LARK_APP_ID: 'cli_a1b2c3d4e5f6a7b8', LARK_APP_SECRET: 's', LARK_DOMAIN: 'lark', ADMIN_OPEN_IDS: 'ou_1, ou_2,' });
    expect(c.mode).toBe('lark');
    expect(c.lark).toMatchObject({ domain: 'https://open.larksuite.com', transport: 'ws' });
    expect(c.adminOpenIds).toEqual(['ou_1', 'ou_2']);
    expect(parseConfig({ LARK_APP_ID: 'a', LARK_APP_SECRET: 'b' }).lark?.domain).toBe('https://open.feishu.cn');
    expect(parseConfig({ LARK_APP_ID: 'a', LARK_APP_SECRET: 'b', LARK_DOMAIN: 'http://127.0.0.1:9999' }).lark?.domain).toBe('http://127.0.0.1:9999');
  });

  it('lists every problem at once in one readable error', () => {
    try {
      parseConfig({ LARK_APP_ID: 'a', PORT: 'eighty', LARK_TRANSPORT: 'carrier-pigeon', DATABASE_URL: 'mysql://x', TZ: 'Mars/Olympus', LOG_LEVEL: 'loud' });
      expect.unreachable('parseConfig should throw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const key of ['PORT', 'LARK_TRANSPORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(problems).toContain(key);
    }
  });

  it('requires the secret with the id, and a signing key or token for webhooks', () => {
    expect(() => parseConfig({ LARK_APP_ID: 'a' })).toThrow(/LARK_APP_SECRET/);
    expect(() => parseConfig({ LARK_APP_ID: 'a', LARK_APP_SECRET: 'b', LARK_TRANSPORT: 'http' })).toThrow(/LARK_ENCRYPT_KEY/);
    expect(() => parseConfig({ TZ: 'Mars/Olympus' })).toThrow(/TZ/);
  });
});

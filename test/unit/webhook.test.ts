import { Buffer } from 'node:buffer';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { LarkEnvelope } from '../../src/lark/envelope.js';
import { LarkEventShapeError } from '../../src/lark/normalize.js';
import { larkWebhookRoute, type LarkWebhookOptions } from '../../src/lark/webhook.js';

const ENCRYPT_KEY = 'enc-key-for-tests';
const TOKEN = 'verification-token-for-tests';
const NOW = new Date('2026-03-01T08:00:00Z');
const NOW_SECONDS = String(Math.floor(NOW.getTime() / 1000));
const PATH = '/lark/events';

// --- a tiny Lark: how it encrypts and signs, written from LARK.md §1 independently of src/lark ---

function encrypt(key: string, plain: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

function sign(key: string, timestamp: string, nonce: string, body: string): string {
  return createHash('sha256').update(timestamp + nonce + key + body, 'utf8').digest('hex');
}

interface LarkRequestOptions {
  encryptKey?: string;
  /** Sign with this key (defaults to encryptKey); set false to send no signature headers. */
  signWith?: string | false;
  timestamp?: string;
  signature?: string;
  tamper?: (body: string) => string;
}

function larkRequest(payload: unknown, opts: LarkRequestOptions = {}): RequestInit {
  const plain = JSON.stringify(payload);
  let body = opts.encryptKey ? JSON.stringify({ encrypt: encrypt(opts.encryptKey, plain) }) : plain;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signKey = opts.signWith ?? opts.encryptKey;
  if (signKey) {
    const timestamp = opts.timestamp ?? NOW_SECONDS;
    const nonce = randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = opts.signature ?? sign(signKey, timestamp, nonce, body);
  }
  if (opts.tamper) body = opts.tamper(body);
  return { method: 'POST', headers, body };
}

function messageEnvelope(token = TOKEN, eventId = 'ev_1'): LarkEnvelope {
  return {
    schema: '2.0',
    header: { event_id: eventId, event_type: 'im.message.receive_v1', create_time: '1608725989000', token, app_id: 'cli_x', tenant_key: 't' },
    event: { message: { message_id: 'om_1' } },
  };
}

const challenge = (token = TOKEN): Record<string, string> => ({ challenge: 'ch-123', token, type: 'url_verification' });

// --- the app under test, with every log line captured ---

type LogLine = Record<string, unknown> & { level: number; msg: string };

function setup(overrides: Partial<LarkWebhookOptions> = {}) {
  const lines: LogLine[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const received: LarkEnvelope[] = [];
  const app = larkWebhookRoute({
    encryptKey: ENCRYPT_KEY,
    verificationToken: TOKEN,
    clock: new ManualClock(NOW),
    log,
    onEnvelope: async (env) => {
      received.push(env);
      return { toast: { type: 'success', content: 'ok' } };
    },
    ...overrides,
  });
  const send = async (init: RequestInit) => {
    const res = await app.request(PATH, init);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const warnings = () => lines.filter((l) => l.level === 40);
  const errors = () => lines.filter((l) => l.level >= 50);
  return { app, send, received, lines, warnings, errors };
}

/** Exactly one warn line, no other lines, and no secret in any of them. */
function expectOneRejectionLine(t: ReturnType<typeof setup>, reason: RegExp): void {
  expect(t.warnings()).toHaveLength(1);
  expect(t.lines).toHaveLength(1);
  expect(String(t.warnings()[0]?.reason)).toMatch(reason);
  const logged = JSON.stringify(t.lines);
  expect(logged).not.toContain(ENCRYPT_KEY);
  expect(logged).not.toContain(TOKEN);
}

describe('larkWebhookRoute with an Encrypt Key', () => {
  it('passes a valid signed, encrypted event to onEnvelope once and answers with its result', async () => {
    const t = setup();
    const res = await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }));
    expect(res).toEqual({ status: 200, body: { toast: { type: 'success', content: 'ok' } } });
    expect(t.received).toEqual([messageEnvelope()]);
    expect(t.lines).toHaveLength(0);
  });

  it('answers {} when onEnvelope returns nothing', async () => {
    const t = setup({ onEnvelope: async () => undefined });
    expect(await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }))).toEqual({ status: 200, body: {} });
  });

  it('accepts a signed plain-text event', async () => {
    const t = setup();
    expect((await t.send(larkRequest(messageEnvelope(), { signWith: ENCRYPT_KEY }))).status).toBe(200);
    expect(t.received).toHaveLength(1);
  });

  it('rejects a forged signature with 401 and passes nothing on', async () => {
    const t = setup();
    const res = await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY, signWith: 'attacker-key' }));
    expect(res.status).toBe(401);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /signature/);
  });

  it('rejects a body changed after signing', async () => {
    const t = setup();
    const init = larkRequest(messageEnvelope(), { signWith: ENCRYPT_KEY, tamper: (b) => b.replace('om_1', 'om_2') });
    expect((await t.send(init)).status).toBe(401);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /signature/);
  });

  it('rejects stale and future timestamps even when correctly signed', async () => {
    for (const offset of [-301, 301]) {
      const t = setup();
      const init = larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY, timestamp: String(Number(NOW_SECONDS) + offset) });
      expect((await t.send(init)).status).toBe(401);
      expect(t.received).toHaveLength(0);
      expectOneRejectionLine(t, /timestamp/);
    }
  });

  it('rejects an event without signature headers', async () => {
    const t = setup();
    expect((await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY, signWith: false }))).status).toBe(401);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /signature/);
  });

  it('rejects incomplete signature headers', async () => {
    const t = setup();
    const init = larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY });
    const headers = new Headers(init.headers);
    headers.delete('x-lark-request-nonce');
    expect((await t.send({ ...init, headers })).status).toBe(401);
    expectOneRejectionLine(t, /incomplete/);
  });

  it('answers an unsigned garbage ciphertext like any unsigned request (no padding oracle)', async () => {
    const t = setup();
    const garbage = { method: 'POST', body: JSON.stringify({ encrypt: randomBytes(48).toString('base64') }) };
    expect(await t.send(garbage)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expectOneRejectionLine(t, /unsigned/);
  });

  it('answers a signed garbage ciphertext with 400', async () => {
    const t = setup();
    const init = larkRequest({ encrypt: 'AAAA' }, { signWith: ENCRYPT_KEY });
    expect((await t.send(init)).status).toBe(400);
    expectOneRejectionLine(t, /decrypt/);
  });

  it('rejects a body over the limit with 413 while streaming (no Content-Length)', async () => {
    const t = setup({ maxBodyBytes: 1024 });
    const big = new TextEncoder().encode('x'.repeat(4096));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 512) controller.enqueue(big.subarray(i, i + 512));
        controller.close();
      },
    });
    const res = await t.app.request(PATH, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /^body too large$/);
  });

  it('rejects a declared Content-Length over the default 1 MB limit with 413', async () => {
    const t = setup();
    const init = larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY });
    const headers = new Headers(init.headers);
    headers.set('content-length', String(1024 * 1024 + 1));
    expect((await t.send({ ...init, headers })).status).toBe(413);
    expectOneRejectionLine(t, /declared/);
  });

  it('rejects a real body over the default 1 MB limit with 413', async () => {
    const t = setup();
    const res = await t.send({ method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expectOneRejectionLine(t, /too large/);
  });

  it('rejects malformed JSON with 400 once the signature holds', async () => {
    const t = setup();
    const body = '{"schema": "2.0",';
    const nonce = 'n';
    const init: RequestInit = {
      method: 'POST',
      body,
      headers: { 'x-lark-request-timestamp': NOW_SECONDS, 'x-lark-request-nonce': nonce, 'x-lark-signature': sign(ENCRYPT_KEY, NOW_SECONDS, nonce, body) },
    };
    expect((await t.send(init)).status).toBe(400);
    expectOneRejectionLine(t, /not JSON/);
  });

  it('rejects a signed body that is not a v2 envelope with 400', async () => {
    const t = setup();
    const res = await t.send(larkRequest({ uuid: 'x', event: {}, type: 'event_callback' }, { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(400);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /envelope/);
  });

  it('rejects a signed event whose header.token is wrong with 401', async () => {
    const t = setup();
    const res = await t.send(larkRequest(messageEnvelope('wrong-token'), { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(401);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /token/);
  });

  it('answers an encrypted, unsigned url_verification in plain JSON', async () => {
    const t = setup();
    const res = await t.send(larkRequest(challenge(), { encryptKey: ENCRYPT_KEY, signWith: false }));
    expect(res).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    expect(t.received).toHaveLength(0);
  });

  it('answers an encrypted, signed url_verification', async () => {
    const t = setup();
    expect(await t.send(larkRequest(challenge(), { encryptKey: ENCRYPT_KEY }))).toEqual({ status: 200, body: { challenge: 'ch-123' } });
  });

  it('rejects a url_verification with the wrong token with 401', async () => {
    const t = setup();
    const res = await t.send(larkRequest(challenge('wrong'), { encryptKey: ENCRYPT_KEY, signWith: false }));
    expect(res.status).toBe(401);
    expectOneRejectionLine(t, /token/);
  });

  it('answers 500 when onEnvelope throws, logging one error line', async () => {
    const t = setup({
      onEnvelope: async () => {
        throw new Error('database is down');
      },
    });
    const res = await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }));
    expect(res.status).toBe(500);
    expect(t.lines).toHaveLength(1);
    expect(t.errors()).toHaveLength(1);
    expect(t.errors()[0]).toMatchObject({ eventId: 'ev_1', eventType: 'im.message.receive_v1' });
  });

  it('answers 500 when onEnvelope throws synchronously', async () => {
    const t = setup({
      onEnvelope: () => {
        throw new Error('not ready');
      },
    });
    expect((await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }))).status).toBe(500);
    expect(t.errors()).toHaveLength(1);
  });

  it('answers 400 when onEnvelope finds the event body malformed', async () => {
    const t = setup({
      onEnvelope: async () => {
        throw new LarkEventShapeError('im.message.receive_v1', 'message.chat_id: Invalid input');
      },
    });
    expect((await t.send(larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }))).status).toBe(400);
    expectOneRejectionLine(t, /malformed event/);
  });

  it('serves only POST /lark/events', async () => {
    const t = setup();
    expect((await t.app.request(PATH, { method: 'GET' })).status).toBe(404);
    expect((await t.app.request('/other', larkRequest(messageEnvelope(), { encryptKey: ENCRYPT_KEY }))).status).toBe(404);
    expect(t.received).toHaveLength(0);
  });
});

describe('larkWebhookRoute without an Encrypt Key', () => {
  const plainSetup = (overrides: Partial<LarkWebhookOptions> = {}) => setup({ encryptKey: undefined, ...overrides });

  it('checks header.token when a verification token is configured', async () => {
    const t = plainSetup();
    expect((await t.send(larkRequest(messageEnvelope()))).status).toBe(200);
    expect(t.received).toHaveLength(1);

    const bad = plainSetup();
    expect((await bad.send(larkRequest(messageEnvelope('forged')))).status).toBe(401);
    expect(bad.received).toHaveLength(0);
    expectOneRejectionLine(bad, /token/);
  });

  it('ignores signature headers it cannot check', async () => {
    const t = plainSetup();
    expect((await t.send(larkRequest(messageEnvelope(), { signWith: 'whatever' }))).status).toBe(200);
  });

  it('answers a plain url_verification and checks its token', async () => {
    const t = plainSetup();
    expect(await t.send(larkRequest(challenge()))).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    const bad = plainSetup();
    expect((await bad.send(larkRequest(challenge('nope')))).status).toBe(401);
    expectOneRejectionLine(bad, /token/);
  });

  it('rejects malformed JSON with 400', async () => {
    const t = plainSetup();
    expect((await t.send({ method: 'POST', body: 'not json' })).status).toBe(400);
    expect(t.received).toHaveLength(0);
    expectOneRejectionLine(t, /not JSON/);
  });

  it('rejects an encrypted body it has no key for with 400', async () => {
    const t = plainSetup();
    expect((await t.send(larkRequest(messageEnvelope(), { encryptKey: 'some-key', signWith: false }))).status).toBe(400);
    expectOneRejectionLine(t, /no encrypt key/);
  });

  it('passes any event on when neither key nor token is configured', async () => {
    const t = plainSetup({ verificationToken: undefined });
    expect((await t.send(larkRequest(messageEnvelope('anything')))).status).toBe(200);
    expect(t.received).toHaveLength(1);
  });
});

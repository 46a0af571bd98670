// POST /lark/events: the HTTP transport for Lark events and card callbacks. Everything that reaches
// onEnvelope has passed our own checks (size, freshness, signature over the raw bytes, token, shape);
// everything else is answered with a status and exactly one warn line, and nothing is passed on.
import { Buffer } from 'node:buffer';
import { Hono, type Context } from 'hono';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { encryptedBodySchema, larkEnvelopeSchema, urlVerificationSchema, type LarkEnvelope } from './envelope.js';
import { LarkEventShapeError } from './normalize.js';
import { constantTimeEqual, decryptPayload, isFresh, LarkDecryptError, verifySignature } from './signature.js';

export const LARK_EVENTS_PATH = '/lark/events';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const SIGNATURE_WINDOW_SECONDS = 300;

export interface LarkWebhookOptions {
  /** With a key, events must be signed and fresh; the body may be encrypted. */
  encryptKey?: string | undefined;
  /** With a token, header.token (events) and token (URL verification) must match it. */
  verificationToken?: string | undefined;
  clock: Clock;
  log: Logger;
  maxBodyBytes?: number;
  /** Its result becomes the 200 body (card callbacks answer `{toast, card}`); undefined becomes `{}`. */
  onEnvelope: (env: LarkEnvelope) => Promise<unknown>;
}

type RejectStatus = 400 | 401 | 413;

/** A refusal decided while checking a request; turned into a response and one log line at the top. */
class Rejection extends Error {
  constructor(
    readonly status: RejectStatus,
    readonly reason: string,
    readonly details: Record<string, string | number> = {},
  ) {
    super(reason);
    this.name = 'Rejection';
  }
}

const ERROR_BODY: Record<RejectStatus | 500, string> = {
  400: 'bad request',
  401: 'unauthorized',
  413: 'payload too large',
  500: 'internal error',
};

type Accepted = { kind: 'challenge'; challenge: string } | { kind: 'envelope'; envelope: LarkEnvelope };

/** A Hono sub-app serving POST /lark/events; mount it with `app.route('/', larkWebhookRoute(opts))`. */
export function larkWebhookRoute(opts: LarkWebhookOptions): Hono {
  const app = new Hono();
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const reject = (c: Context, rejection: Rejection): Response => {
    opts.log.warn({ status: rejection.status, reason: rejection.reason, ...rejection.details }, 'lark webhook request rejected');
    return c.json({ error: ERROR_BODY[rejection.status] }, rejection.status);
  };

  app.post(LARK_EVENTS_PATH, async (c) => {
    let accepted: Accepted;
    try {
      accepted = await acceptRequest(c.req.raw, opts, maxBodyBytes);
    } catch (err) {
      if (err instanceof Rejection) return reject(c, err);
      opts.log.error({ err }, 'lark webhook request check failed unexpectedly');
      return c.json({ error: ERROR_BODY[500] }, 500);
    }
    if (accepted.kind === 'challenge') return c.json({ challenge: accepted.challenge });

    const { event_id: eventId, event_type: eventType } = accepted.envelope.header;
    try {
      const answer = (await opts.onEnvelope(accepted.envelope)) ?? {};
      return c.json(answer);
    } catch (err) {
      if (err instanceof LarkEventShapeError) {
        return reject(c, new Rejection(400, 'malformed event body', { eventId, eventType, detail: err.reason }));
      }
      // 500 makes Lark redeliver (15 s, 5 min, 1 h, 6 h); deduplication downstream absorbs the repeats.
      opts.log.error({ err, eventId, eventType }, 'lark event handler failed');
      return c.json({ error: ERROR_BODY[500] }, 500);
    }
  });

  return app;
}

async function acceptRequest(req: Request, opts: LarkWebhookOptions, maxBodyBytes: number): Promise<Accepted> {
  const rawBody = await readBodyCapped(req, maxBodyBytes);
  const { encryptKey } = opts;
  if (!encryptKey) return interpretBody(rawBody, opts, { signed: false });

  const headers = readSignatureHeaders(req.headers);
  if (headers === 'incomplete') throw new Rejection(401, 'incomplete signature headers');
  if (headers === 'absent') {
    // Lark does not sign URL verification (the official Go SDK skips the check for it), so an unsigned
    // body may still be a challenge. Every other outcome is the same 401: distinct answers for "cannot
    // decrypt" and "decrypted but unsigned" would be a padding oracle on captured ciphertexts.
    try {
      return await interpretBody(rawBody, opts, { signed: false, challengeOnly: true });
    } catch (err) {
      if (err instanceof Rejection) throw new Rejection(401, `unsigned request: ${err.reason}`, err.details);
      throw err;
    }
  }
  if (!isFresh(headers.timestamp, opts.clock.now(), SIGNATURE_WINDOW_SECONDS)) {
    throw new Rejection(401, 'timestamp missing, malformed or outside the window', { windowSeconds: SIGNATURE_WINDOW_SECONDS });
  }
  if (!verifySignature({ ...headers, encryptKey, rawBody })) throw new Rejection(401, 'signature mismatch');
  return interpretBody(rawBody, opts, { signed: true });
}

interface BodyMode {
  signed: boolean;
  /** Unsigned while an Encrypt Key is set: only URL verification may pass. */
  challengeOnly?: boolean;
}

function interpretBody(rawBody: Buffer, opts: LarkWebhookOptions, mode: BodyMode): Accepted {
  let body = parseJson(rawBody.toString('utf8'), 'body is not JSON');

  const encrypted = encryptedBodySchema.safeParse(body);
  if (encrypted.success) {
    if (!opts.encryptKey) throw new Rejection(400, 'encrypted body but no encrypt key configured');
    let plain: string;
    try {
      plain = decryptPayload(opts.encryptKey, encrypted.data.encrypt);
    } catch (err) {
      if (err instanceof LarkDecryptError) throw new Rejection(400, 'cannot decrypt body', { detail: err.reason });
      throw err;
    }
    body = parseJson(plain, 'decrypted body is not JSON');
  }

  if (isUrlVerification(body)) {
    const verification = urlVerificationSchema.safeParse(body);
    if (!verification.success) throw new Rejection(400, 'malformed url_verification body');
    checkToken(verification.data.token, opts.verificationToken, {});
    return { kind: 'challenge', challenge: verification.data.challenge };
  }
  if (mode.challengeOnly) throw new Rejection(401, 'missing signature headers');

  const envelope = larkEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new Rejection(400, 'not a v2 event envelope', { detail: envelope.error.issues.map((i) => i.path.join('.') || '(root)').join(', ') });
  }
  const { event_id: eventId, event_type: eventType } = envelope.data.header;
  checkToken(envelope.data.header.token, opts.verificationToken, { eventId, eventType });
  return { kind: 'envelope', envelope: envelope.data };
}

function checkToken(received: string | undefined, expected: string | undefined, details: Record<string, string>): void {
  if (expected === undefined) return;
  if (received === undefined || !constantTimeEqual(received, expected)) {
    throw new Rejection(401, 'verification token mismatch', details);
  }
}

function isUrlVerification(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'url_verification';
}

function parseJson(text: string, reason: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Rejection(400, reason);
  }
}

type SignatureHeaders = { timestamp: string; nonce: string; signature: string };

function readSignatureHeaders(headers: Headers): SignatureHeaders | 'absent' | 'incomplete' {
  const timestamp = headers.get('x-lark-request-timestamp');
  const nonce = headers.get('x-lark-request-nonce');
  const signature = headers.get('x-lark-signature');
  if (timestamp === null && nonce === null && signature === null) return 'absent';
  if (timestamp === null || nonce === null || signature === null) return 'incomplete';
  return { timestamp, nonce, signature };
}

/**
 * Reads the raw bytes, refusing more than maxBytes: first by the declared Content-Length, then by
 * counting while reading (the header can be absent or lie), so an oversized body is never buffered whole.
 */
async function readBodyCapped(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    throw new Rejection(413, 'declared body too large', { declaredBytes: Number(declared), maxBytes });
  }
  if (req.body === null) return Buffer.alloc(0);

  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await reader.read().catch(() => {
      throw new Rejection(400, 'body could not be read');
    });
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      // The request is refused either way; a failed cancel only means the stream was already closed.
      await reader.cancel().catch(() => undefined);
      throw new Rejection(413, 'body too large', { maxBytes });
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks, total);
}

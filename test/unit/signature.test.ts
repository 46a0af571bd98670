import { Buffer } from 'node:buffer';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  constantTimeEqual,
  decryptPayload,
  isFresh,
  LarkDecryptError,
  verifySignature,
} from '../../src/lark/signature.js';

const key = 'test-encrypt-key';
const timestamp = '1700000000';
const nonce = 'n0nce';
const rawBody = Buffer.from('{"encrypt":"abc","note":"中文"}', 'utf8');

/** Computed independently of the code under test, straight from LARK.md §1. */
function expectedSignature(ts: string, n: string, k: string, body: Buffer): string {
  return createHash('sha256').update(Buffer.concat([Buffer.from(ts + n + k, 'utf8'), body])).digest('hex');
}

function encrypt(encryptKey: string, plain: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

describe('computeSignature / verifySignature', () => {
  const signature = expectedSignature(timestamp, nonce, key, rawBody);

  it('matches sha256(timestamp + nonce + key + raw body) in lower-case hex', () => {
    expect(computeSignature(timestamp, nonce, key, rawBody)).toBe(signature);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts a good signature', () => {
    expect(verifySignature({ timestamp, nonce, signature, encryptKey: key, rawBody })).toBe(true);
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(rawBody.toString('utf8').replace('abc', 'abd'), 'utf8');
    expect(verifySignature({ timestamp, nonce, signature, encryptKey: key, rawBody: tampered })).toBe(false);
  });

  it('rejects a body that parses to the same JSON but differs in bytes', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8')), null, 1), 'utf8');
    expect(verifySignature({ timestamp, nonce, signature, encryptKey: key, rawBody: reformatted })).toBe(false);
  });

  it('rejects the wrong key', () => {
    expect(verifySignature({ timestamp, nonce, signature, encryptKey: 'other-key', rawBody })).toBe(false);
  });

  it('rejects a changed timestamp or nonce', () => {
    expect(verifySignature({ timestamp: '1700000001', nonce, signature, encryptKey: key, rawBody })).toBe(false);
    expect(verifySignature({ timestamp, nonce: 'other', signature, encryptKey: key, rawBody })).toBe(false);
  });

  it('rejects signatures of the wrong length or empty without throwing', () => {
    expect(verifySignature({ timestamp, nonce, signature: signature.slice(0, 10), encryptKey: key, rawBody })).toBe(false);
    expect(verifySignature({ timestamp, nonce, signature: '', encryptKey: key, rawBody })).toBe(false);
    expect(verifySignature({ timestamp, nonce, signature: signature + '00', encryptKey: key, rawBody })).toBe(false);
  });

  it('constantTimeEqual compares strings of any length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('isFresh', () => {
  const now = new Date(1_700_000_000_000);
  const at = (offsetSeconds: number): string => String(1_700_000_000 + offsetSeconds);

  it('accepts timestamps within ±300 s', () => {
    expect(isFresh(at(0), now)).toBe(true);
    expect(isFresh(at(-300), now)).toBe(true);
    expect(isFresh(at(300), now)).toBe(true);
  });

  it('rejects a stale timestamp (−301 s)', () => {
    expect(isFresh(at(-301), now)).toBe(false);
  });

  it('rejects a future timestamp (+301 s)', () => {
    expect(isFresh(at(301), now)).toBe(false);
  });

  it('rejects non-numeric timestamps', () => {
    for (const ts of ['', 'abc', '1700000000.5', '-1700000000', ' 1700000000', '1.7e9', '0x6553f100']) {
      expect(isFresh(ts, now), ts).toBe(false);
    }
  });

  it('honours a custom window', () => {
    expect(isFresh(at(-10), now, 5)).toBe(false);
    expect(isFresh(at(-5), now, 5)).toBe(true);
  });
});

describe('decryptPayload', () => {
  it('decrypts the LARK.md test vector', () => {
    expect(decryptPayload('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('round-trips a longer UTF-8 payload', () => {
    const plain = JSON.stringify({ challenge: '挑战', pad: 'x'.repeat(100) });
    expect(decryptPayload(key, encrypt(key, plain))).toBe(plain);
  });

  const decryptError = (encrypted: string, encryptKey = key): LarkDecryptError => {
    try {
      decryptPayload(encryptKey, encrypted);
    } catch (err) {
      if (err instanceof LarkDecryptError) return err;
      throw err;
    }
    throw new Error('expected a LarkDecryptError');
  };

  it('throws a typed error for text that is not base64', () => {
    expect(decryptError('not base64 at all!').reason).toBe('not_base64');
    expect(decryptError('').reason).toBe('not_base64');
  });

  it('throws a typed error for ciphertext of the wrong length', () => {
    expect(decryptError(randomBytes(16).toString('base64')).reason).toBe('bad_length');
    expect(decryptError(randomBytes(40).toString('base64')).reason).toBe('bad_length');
  });

  it('throws a typed error for the wrong key', () => {
    // A fixed IV keeps this deterministic: a random one could, rarely, give valid padding under the wrong key.
    const encrypted = encrypt(key, 'hello world', Buffer.alloc(16, 7));
    expect(() => decryptPayload('wrong key', encrypted)).toThrow(LarkDecryptError);
  });

  it('throws a typed error for garbage ciphertext', () => {
    let failures = 0;
    for (let i = 0; i < 20; i++) {
      try {
        decryptPayload(key, randomBytes(48).toString('base64'));
      } catch (err) {
        expect(err).toBeInstanceOf(LarkDecryptError);
        failures++;
      }
    }
    // Random bytes occasionally end in valid padding and valid UTF-8; nearly all must fail, none may crash.
    expect(failures).toBeGreaterThan(15);
  });
});

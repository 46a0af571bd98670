// Our own checks for Lark webhooks. The SDK signs JSON.stringify(parsed) instead of the raw bytes and
// checks no timestamp, so we verify the exact bytes that arrived and reject replays outside a window.
import { Buffer } from 'node:buffer';
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { TextDecoder } from 'node:util';

/** hex(sha256(timestamp + nonce + encryptKey + rawBody)), the X-Lark-Signature value (LARK.md §1). */
export function computeSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody).digest('hex');
}

/**
 * Compares two strings in time independent of where they differ and of their lengths: both sides are
 * hashed to 32 bytes first, so timingSafeEqual never sees buffers of different sizes.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

export interface SignatureInput {
  timestamp: string;
  nonce: string;
  signature: string;
  encryptKey: string;
  rawBody: Buffer;
}

export function verifySignature({ timestamp, nonce, signature, encryptKey, rawBody }: SignatureInput): boolean {
  const expected = computeSignature(timestamp, nonce, encryptKey, rawBody);
  // Lark sends lower-case hex; accepting either case costs nothing and weakens nothing.
  return constantTimeEqual(expected, signature.trim().toLowerCase());
}

/**
 * Whether a Unix timestamp in seconds lies within ±windowSeconds of now. Rejects anything that is not a
 * plain non-negative integer, so "1e9", "-5", "12.5" or "" never pass.
 */
export function isFresh(timestampSeconds: string, now: Date, windowSeconds = 300): boolean {
  if (!/^\d{1,15}$/.test(timestampSeconds)) return false;
  const skewMs = Math.abs(now.getTime() - Number(timestampSeconds) * 1000);
  return skewMs <= windowSeconds * 1000;
}

export class LarkDecryptError extends Error {
  constructor(readonly reason: 'not_base64' | 'bad_length' | 'bad_key_or_padding' | 'not_utf8') {
    super(`cannot decrypt Lark payload: ${reason}`);
    this.name = 'LarkDecryptError';
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;

/**
 * Decrypts the `encrypt` field of a Lark body: key = sha256(encryptKey), IV = first 16 bytes of the
 * base64-decoded value, AES-256-CBC with PKCS#7 padding over the rest. Throws LarkDecryptError on anything
 * that is not a well-formed ciphertext under this key, never a raw crypto error.
 */
export function decryptPayload(encryptKey: string, encrypted: string): string {
  // Buffer.from(…, 'base64') silently skips invalid characters, so check the alphabet first.
  if (!BASE64.test(encrypted)) throw new LarkDecryptError('not_base64');
  const bytes = Buffer.from(encrypted, 'base64');
  if (bytes.length < IV_BYTES + BLOCK_BYTES || (bytes.length - IV_BYTES) % BLOCK_BYTES !== 0) {
    throw new LarkDecryptError('bad_length');
  }
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, bytes.subarray(0, IV_BYTES));
    plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES)), decipher.final()]);
  } catch {
    // The only failure left here is a padding check, which is what a wrong key or tampered bytes produce.
    throw new LarkDecryptError('bad_key_or_padding');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw new LarkDecryptError('not_utf8');
  }
}

// Lark's webhook encryption and signature (LARK.md §1), written here so the fake does not
// depend on the code it tests.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const aesKey = (encryptKey: string): Buffer => createHash('sha256').update(encryptKey, 'utf8').digest();

/** AES-256-CBC with key sha256(encryptKey); a random 16-byte IV is prepended; base64. */
export function encryptEvent(encryptKey: string, plaintext: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const raw = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** X-Lark-Signature: lower-case hex sha256(timestamp + nonce + encryptKey + rawBody). */
export function signEvent(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody, 'utf8').digest('hex');
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

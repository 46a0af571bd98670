// Signed, expiring download links for the files the bot hands out (/导出: a closed review round; /台账 导出: a
// ledger). Messages cannot carry our files, so the bot answers with a link whose token is the capability: what to
// download, who asked and an expiry, signed with HMAC-SHA256 under a key derived from the app's Lark credentials.
// Every instance of the app accepts it and nothing is stored. One signer and one route (src/http/downloads.ts)
// serve every kind of file.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Download, DownloadLinks } from '../../commands/types.js';
import type { LarkConfig } from '../config.js';

export type { Download, DownloadLinks };

export const DOWNLOAD_PATH = '/downloads';

/** How long a link works: a round's scores are sealed paperwork (a day); a ledger changes by the hour. */
export const downloadTtlMs: Record<Download['kind'], number> = { ledger: 30 * 60 * 1000, round: 24 * 60 * 60 * 1000 };

export interface DownloadClaims {
  download: Download;
  openId: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** The signing key: never the app secret itself (and the encrypt key, when there is one, rotates it too). */
export function downloadKey(lark: Pick<LarkConfig, 'appSecret' | 'encryptKey'>): Buffer {
  return createHmac('sha256', lark.appSecret).update(`reform-desk/downloads/v1/${lark.encryptKey ?? ''}`).digest();
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const mac = (key: Buffer, body: string): Buffer => createHmac('sha256', key).update(body).digest();

export function signDownloadToken(key: Buffer, claims: DownloadClaims): string {
  const d = claims.download;
  const what = d.kind === 'ledger' ? { k: 'l', l: d.ledgerId } : { k: 'r', c: d.campaignCode, r: d.roundId };
  const body = b64(JSON.stringify({ ...what, u: claims.openId, e: claims.exp }));
  return `${body}.${b64(mac(key, body))}`;
}

export type TokenCheck = { ok: true; claims: DownloadClaims } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'expired'; download: Download };

const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;

function downloadOf(p: Record<string, unknown>): Download | undefined {
  if (p.k === 'l' && isId(p.l)) return { kind: 'ledger', ledgerId: p.l };
  if (p.k === 'r' && typeof p.c === 'string' && isId(p.r)) return { kind: 'round', campaignCode: p.c, roundId: p.r };
  return undefined;
}

export function verifyDownloadToken(key: Buffer, token: string, now: Date): TokenCheck {
  const invalid = { ok: false, reason: 'invalid' } as const;
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(sig)) return invalid;
  // Compare the canonical text, not decoded bytes: base64url's last character carries spare bits, so
  // decoding would accept several spellings of one signature.
  const given = Buffer.from(sig);
  const expected = Buffer.from(mac(key, body).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!parsed || typeof parsed !== 'object') return invalid;
  const p = parsed as Record<string, unknown>;
  const download = downloadOf(p);
  if (!download || typeof p.u !== 'string' || typeof p.e !== 'number') return invalid;
  if (now.getTime() > p.e) return { ok: false, reason: 'expired', download };
  return { ok: true, claims: { download, openId: p.u, exp: p.e } };
}

/** The signer commands get through their context; `baseUrl` is where users reach this app (PUBLIC_URL). */
export function createDownloadLinks(baseUrl: string, key: Buffer): DownloadLinks {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    link(download, openId, now) {
      const expiresAt = new Date(now.getTime() + downloadTtlMs[download.kind]);
      return { url: `${base}${DOWNLOAD_PATH}/${signDownloadToken(key, { download, openId, exp: expiresAt.getTime() })}`, expiresAt };
    },
  };
}

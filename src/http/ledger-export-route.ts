// GET /ledger/export/:token: the XLSX of a ledger, for a link the bot handed to an admin (/台账 导出). The token is
// the capability: ledger id, who asked and an expiry, signed with HMAC-SHA256 under a secret derived from the
// app's Lark credentials, so every instance of the app accepts it and nothing is stored. Tampered, foreign or
// expired tokens get a Chinese page saying what to do, never a file.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import type { LarkConfig } from '../config.js';
import type { Logger } from '../log.js';
import { exportLedger } from '../services/ledger-export.js';
import { ledgerById } from '../services/ledgers.js';

export const EXPORT_PATH = '/ledger/export';
/** How long a download link works. */
export const EXPORT_LINK_TTL_MS = 30 * 60 * 1000;

export interface ExportClaims {
  ledgerId: number;
  openId: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** The signing key: HMAC of a fixed label under the app secret (and the encrypt key when there is one). */
export function ledgerExportSecret(lark: Pick<LarkConfig, 'appSecret' | 'encryptKey'>): Buffer {
  return createHmac('sha256', lark.appSecret).update(`reform-desk/ledger-export/v1/${lark.encryptKey ?? ''}`).digest();
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');
const mac = (secret: Buffer, body: string): Buffer => createHmac('sha256', secret).update(body).digest();

export function signExportToken(secret: Buffer, claims: ExportClaims): string {
  const body = b64(JSON.stringify({ l: claims.ledgerId, u: claims.openId, e: claims.exp }));
  return `${body}.${b64(mac(secret, body))}`;
}

export type TokenCheck = { ok: true; claims: ExportClaims } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyExportToken(secret: Buffer, token: string, now: Date): TokenCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(sig)) return { ok: false, reason: 'invalid' };
  // Compare the canonical text, not decoded bytes: base64url's last character carries spare bits, so
  // decoding would accept several spellings of one signature.
  const given = Buffer.from(sig);
  const expected = Buffer.from(mac(secret, body).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!parsed || typeof parsed !== 'object') return { ok: false, reason: 'invalid' };
  const { l, u, e } = parsed as Record<string, unknown>;
  if (typeof l !== 'number' || !Number.isSafeInteger(l) || typeof u !== 'string' || typeof e !== 'number') return { ok: false, reason: 'invalid' };
  if (now.getTime() > e) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { ledgerId: l, openId: u, exp: e } };
}

export interface ExportLinks {
  /** A download link for `openId`, valid EXPORT_LINK_TTL_MS from `now`. */
  link(ledgerId: number, openId: string, now: Date): { url: string; expiresAt: Date };
}

// Commands get links through here: the app installs the signer once it knows its own address (src/app.ts).
let installed: ExportLinks | undefined;

export function installExportLinks(baseUrl: string, secret: Buffer): ExportLinks {
  const base = baseUrl.replace(/\/+$/, '');
  installed = {
    link(ledgerId, openId, now) {
      const expiresAt = new Date(now.getTime() + EXPORT_LINK_TTL_MS);
      return { url: `${base}${EXPORT_PATH}/${signExportToken(secret, { ledgerId, openId, exp: expiresAt.getTime() })}`, expiresAt };
    },
  };
  return installed;
}

/** The links of the running app, or undefined before it is up (the command then says the service is off). */
export function exportLinks(): ExportLinks | undefined {
  return installed;
}

function page(status: 403 | 404 | 410 | 500, message: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>台账导出</title><p style="font:16px sans-serif;margin:2em">${message}</p>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

export function ledgerExportRoute(o: { db: Db; clock: Clock; log: Logger; secret: Buffer }): Hono {
  const app = new Hono();
  app.get(`${EXPORT_PATH}/:token`, async (c) => {
    const check = verifyExportToken(o.secret, c.req.param('token'), o.clock.now());
    if (!check.ok) {
      return check.reason === 'expired'
        ? page(410, '下载链接已过期。请在飞书中重新发送“/台账 导出”获取新链接。')
        : page(403, '下载链接无效。请在飞书中发送“/台账 导出”获取下载链接。');
    }
    try {
      const ledger = await ledgerById(o.db, check.claims.ledgerId).catch(() => undefined);
      if (!ledger) return page(404, '这个台账已不存在。');
      const file = await exportLedger(o.db, ledger, o.clock.now());
      o.log.info({ ledgerId: ledger.id, user: check.claims.openId, bytes: file.bytes.length }, 'ledger exported');
      return new Response(new Uint8Array(file.bytes), {
        status: 200,
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="ledger-${ledger.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          'cache-control': 'no-store',
        },
      });
    } catch (err) {
      o.log.error({ err }, 'ledger export failed');
      return page(500, '导出失败，已记录。请稍后再试。');
    }
  });
  return app;
}

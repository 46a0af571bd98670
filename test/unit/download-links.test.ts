// The one signer of download links (src/http/download-links.ts): a token names what to fetch (a ledger or a review
// round), who asked and an expiry; nothing else verifies.
import { describe, expect, it } from 'vitest';
import { createDownloadLinks, DOWNLOAD_PATH, downloadKey, downloadTtlMs, signDownloadToken, verifyDownloadToken, type Download } from '../../src/http/download-links.js';

const key = downloadKey({ appSecret: 'app-secret', encryptKey: 'ek' });
const now = new Date('2026-03-20T02:00:00Z');
const ledger: Download = { kind: 'ledger', ledgerId: 4 };
const round: Download = { kind: 'round', campaignCode: 'LN2022', roundId: 7 };
const sign = (download: Download, exp = now.getTime() + 60_000) => signDownloadToken(key, { download, openId: 'ou_admin', exp });
const bodyOf = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');

describe('download link tokens', () => {
  it.each([ledger, round])('verify their own token (%o) until it expires', (download) => {
    const token = sign(download);
    expect(verifyDownloadToken(key, token, now)).toEqual({ ok: true, claims: { download, openId: 'ou_admin', exp: now.getTime() + 60_000 } });
    expect(verifyDownloadToken(key, token, new Date(now.getTime() + 60_001))).toEqual({ ok: false, reason: 'expired', download });
  });

  it('refuse a token signed with another key, a changed body, or junk', () => {
    const token = sign(ledger);
    expect(verifyDownloadToken(downloadKey({ appSecret: 'app-secret', encryptKey: undefined }), token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [, sig] = token.split('.');
    for (const claims of [{ k: 'l', l: 5, u: 'ou_admin', e: now.getTime() + 60_000 }, { k: 'r', c: 'LN2022', r: 4, u: 'ou_admin', e: now.getTime() + 60_000 }]) {
      expect(verifyDownloadToken(key, `${bodyOf(claims)}.${sig}`, now)).toEqual({ ok: false, reason: 'invalid' });
    }
    for (const junk of ['', 'abc', 'a.b.c', `${token}x`, '%%.%%']) expect(verifyDownloadToken(key, junk, now).ok).toBe(false);
  });

  it('refuse a well-signed token that names no file', () => {
    for (const download of [{ kind: 'ledger', ledgerId: 0 }, { kind: 'round', campaignCode: 'LN2022', roundId: -1 }, { kind: 'ledger', ledgerId: 1.5 }] as Download[]) {
      expect(verifyDownloadToken(key, sign(download), now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('accept only the canonical spelling of the signature', () => {
    // A 32-byte MAC is 43 base64url characters; the last one carries 2 spare bits, so its
    // neighbours decode to the same bytes. Such a respelling must still be refused.
    const token = sign(round);
    const [body, sig = ''] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(sig.at(-1) ?? 'A') ^ 1] ?? 'A';
    const respelled = `${body}.${sig.slice(0, -1)}${twin}`;
    expect(Buffer.from(respelled.split('.')[1] ?? '', 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(verifyDownloadToken(key, respelled, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('links live under the public address for their kind’s time', () => {
    const links = createDownloadLinks('https://reform.example.gov.cn/', key);
    const l = links.link(ledger, 'ou_admin', now);
    expect(l.url.startsWith(`https://reform.example.gov.cn${DOWNLOAD_PATH}/`)).toBe(true);
    expect(l.expiresAt.getTime() - now.getTime()).toBe(downloadTtlMs.ledger);
    const token = l.url.split('/').at(-1) ?? '';
    expect(verifyDownloadToken(key, token, now)).toMatchObject({ ok: true, claims: { download: ledger } });
    expect(links.link(round, 'ou_admin', now).expiresAt.getTime() - now.getTime()).toBe(downloadTtlMs.round);
  });
});

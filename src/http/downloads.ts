// GET /downloads/<token>: the files behind the links the bot hands out (src/http/download-links.ts): a closed
// review round's scores (/导出) or a whole ledger (/台账 导出). Tampered, foreign or expired tokens get a Chinese
// page saying what to do, never a file; a round exports only once closed (its scores stay sealed until then).
import { Hono } from 'hono';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { userMessageFor } from '../errors.js';
import type { Logger } from '../log.js';
import { exportLedger } from '../services/ledger-export.js';
import { ledgerById } from '../services/ledgers.js';
import { exportRoundByLink } from '../services/review-export.js';
import { DOWNLOAD_PATH, verifyDownloadToken, type Download } from './download-links.js';

/** The command that hands out a fresh link, for the refusal pages. */
const askAgain: Record<Download['kind'], string> = { ledger: '/台账 导出', round: '/导出' };

function page(status: 403 | 404 | 409 | 410 | 500, message: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>改革创新助手 · 下载</title><p style="font:16px sans-serif;margin:2em">${message}</p>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

function xlsx(bytes: Uint8Array, asciiName: string, fileName: string): Response {
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      'cache-control': 'no-store',
    },
  });
}

async function fetchFile(deps: { db: Db; clock: Clock }, d: Download): Promise<Response> {
  if (d.kind === 'ledger') {
    const ledger = await ledgerById(deps.db, d.ledgerId).catch(() => undefined);
    if (!ledger) return page(404, '这个台账已不存在。');
    const file = await exportLedger(deps.db, ledger, deps.clock.now());
    return xlsx(file.bytes, `ledger-${ledger.id}.xlsx`, file.fileName);
  }
  const input = { campaignCode: d.campaignCode, roundId: d.roundId };
  const done = await deps.db.transaction((tx) => exportRoundByLink({ ctx: { db: tx, clock: deps.clock }, input }));
  if (!done) return page(404, '没有这个评审轮次。');
  return xlsx(done.bytes, `round-${d.roundId}.xlsx`, done.fileName);
}

export function downloadRoute(deps: { db: Db; clock: Clock; log: Logger; key: Buffer }): Hono {
  const app = new Hono();
  app.get(`${DOWNLOAD_PATH}/:token`, async (c) => {
    const check = verifyDownloadToken(deps.key, c.req.param('token'), deps.clock.now());
    if (!check.ok) {
      return check.reason === 'expired'
        ? page(410, `下载链接已过期。请回到飞书重新发送“${askAgain[check.download.kind]}”获取新链接。`)
        : page(403, '下载链接无效。请回到飞书发送“/导出”或“/台账 导出”获取下载链接。');
    }
    const { download, openId } = check.claims;
    try {
      const res = await fetchFile(deps, download);
      deps.log.info({ download, user: openId, status: res.status }, 'download');
      return res;
    } catch (err) {
      const { text, expected } = userMessageFor(err);
      if (!expected) deps.log.error({ err, download }, 'download failed');
      return expected ? page(409, `${text}（可回到飞书重新发送“${askAgain[download.kind]}”）`) : page(500, '导出失败，已记录。请稍后再试。');
    }
  });
  return app;
}

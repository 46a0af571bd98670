// GET /exports/<campaign>/<round>.xlsx?token=…: the XLSX behind /导出. The token is an HMAC of campaign, round
// and expiry under a key derived from the app secret (src/services/review-export.ts); nothing is stored, the
// route recomputes it. Only closed rounds export: the scores stay sealed until then.
import { Hono } from 'hono';
import type { Db } from '../../db/types.js';
import type { Clock } from '../clock.js';
import { userMessageFor } from '../errors.js';
import type { Logger } from '../log.js';
import { checkExportToken, configureExportLinks, deriveExportKey, exportRoundByLink } from '../services/review-export.js';

const refusals = {
  malformed: '下载链接不完整，请回到飞书重新发送“/导出”获取新链接。',
  forged: '下载链接无效，请回到飞书重新发送“/导出”获取新链接。',
  expired: '下载链接已过期（24小时内有效），请回到飞书重新发送“/导出”获取新链接。',
} as const;

export function exportDownloadRoute(deps: { db: Db; clock: Clock; appSecret: string; log: Logger }): Hono {
  const key = deriveExportKey(deps.appSecret);
  // Commands sign links with the same key.
  configureExportLinks(key);
  const app = new Hono();
  app.get('/exports/:campaign/:file', async (c) => {
    const campaignCode = c.req.param('campaign');
    const file = /^([1-9]\d{0,8})\.xlsx$/.exec(c.req.param('file'));
    if (!file) return c.text('没有这个文件。', 404);
    const roundId = Number(file[1]);
    const check = checkExportToken(key, campaignCode, roundId, c.req.query('token') ?? '', deps.clock.now());
    if (check !== 'ok') return c.text(refusals[check], check === 'expired' ? 410 : 403);
    try {
      const done = await deps.db.transaction((tx) => exportRoundByLink({ ctx: { db: tx, clock: deps.clock }, input: { campaignCode, roundId } }));
      if (!done) return c.text('没有这个评审轮次。', 404);
      return new Response(new Uint8Array(done.bytes), {
        status: 200,
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(done.fileName)}`,
          'cache-control': 'no-store',
        },
      });
    } catch (err) {
      const { text, expected } = userMessageFor(err);
      if (!expected) deps.log.error({ err }, 'export download failed');
      return c.text(text, expected ? 409 : 500);
    }
  });
  return app;
}

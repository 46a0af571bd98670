// Lark's send quotas, enforced in front of a fake Lark (LARK.md §6): per app 50/s and 1,000/min,
// per user or group chat 5/s, counted over sliding windows in real time. Over the limit the answer
// is Lark's: HTTP 429 {code: 99991400} with x-ogw-ratelimit-limit / -reset for the app quota, and
// 400 {code: 230020} for a chat. For benches and tests that check a sender stays under the quotas.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFakeLark, type FakeLark } from './fake-lark.js';
import { p2pChatId } from './message-store.js';
import type { RunningFakeLark } from './server.js';
import type { FakeLarkOptions } from './types.js';

export interface QuotaRules {
  appPerSecond: number;
  appPerMinute: number;
  chatPerSecond: number;
}

export const larkQuotaRules: QuotaRules = { appPerSecond: 50, appPerMinute: 1000, chatPerSecond: 5 };

export interface QuotaRejection {
  at: number;
  scope: 'app-second' | 'app-minute' | 'chat';
  target: string;
}

/** Sliding-window counters of accepted sends; `check` admits and records one send, or refuses it. */
export class QuotaEnforcer {
  /** Arrival times (ms) of every accepted send, in order. */
  readonly accepted: number[] = [];
  readonly rejected: QuotaRejection[] = [];
  private readonly byChat = new Map<string, number[]>();

  constructor(readonly rules: QuotaRules = larkQuotaRules) {}

  check(target: string, now = Date.now()): { ok: true } | { ok: false; scope: QuotaRejection['scope']; resetS: number; limit: number } {
    const inWindow = (times: readonly number[], windowMs: number) => times.filter((t) => t > now - windowMs);
    const lastMinute = inWindow(this.accepted.slice(-this.rules.appPerMinute - 1), 60_000);
    const lastSecond = inWindow(lastMinute, 1000);
    const chat = inWindow(this.byChat.get(target) ?? [], 1000);
    const refuse = (scope: QuotaRejection['scope'], times: number[], windowMs: number, limit: number) => {
      this.rejected.push({ at: now, scope, target });
      return { ok: false as const, scope, limit, resetS: Math.max(1, Math.ceil(((times[0] ?? now) + windowMs - now) / 1000)) };
    };
    if (lastSecond.length >= this.rules.appPerSecond) return refuse('app-second', lastSecond, 1000, this.rules.appPerSecond);
    if (lastMinute.length >= this.rules.appPerMinute) return refuse('app-minute', lastMinute, 60_000, this.rules.appPerMinute);
    if (chat.length >= this.rules.chatPerSecond) return refuse('chat', chat, 1000, this.rules.chatPerSecond);
    this.accepted.push(now);
    this.byChat.set(target, [...chat, now]);
    return { ok: true };
  }

  /** The most sends accepted in any window of `windowMs` (what a checker compares with the quota). */
  maxInWindow(windowMs: number): number {
    let best = 0;
    let start = 0;
    for (let end = 0; end < this.accepted.length; end++) {
      while ((this.accepted[end] as number) - (this.accepted[start] as number) >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}

const SEND = /^\/open-apis\/im\/v1\/messages$/;
const REPLY = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/;
const PATCH = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/;

/** The chat a send, reply or PATCH goes to; undefined for requests the quotas do not cover. */
async function targetOf(fake: FakeLark, req: Request): Promise<string | undefined> {
  const url = new URL(req.url);
  if (req.method === 'POST' && SEND.test(url.pathname)) {
    const body = (await req.clone().json().catch(() => ({}))) as { receive_id?: unknown };
    const id = typeof body.receive_id === 'string' ? body.receive_id : '';
    return url.searchParams.get('receive_id_type') === 'open_id' ? p2pChatId(id) : id;
  }
  const reply = req.method === 'POST' ? REPLY.exec(url.pathname) : null;
  const patch = req.method === 'PATCH' ? PATCH.exec(url.pathname) : null;
  const messageId = reply?.[1] ?? patch?.[1];
  if (messageId) return fake.findMessage(messageId)?.chat_id ?? messageId;
  if (req.method === 'POST' && url.pathname === '/open-apis/interactive/v1/card/update') return 'card-update';
  return undefined;
}

export function withQuota(fake: FakeLark, enforcer: QuotaEnforcer): (req: Request) => Promise<Response> {
  return async (req) => {
    const target = await targetOf(fake, req);
    if (target !== undefined) {
      const verdict = enforcer.check(target);
      if (!verdict.ok) {
        const app = verdict.scope !== 'chat';
        const body = app ? { code: 99991400, msg: 'request trigger frequency limit' } : { code: 230020, msg: 'This chat is being rate limited.' };
        return new Response(JSON.stringify(body), {
          status: app ? 429 : 400,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-ogw-ratelimit-limit': String(verdict.limit),
            'x-ogw-ratelimit-reset': String(verdict.resetS),
          },
        });
      }
    }
    return fake.app.fetch(req);
  };
}

/** A fake Lark on 127.0.0.1 that enforces the quotas; `quota` holds what was accepted and refused. */
export async function startQuotaFakeLark(options: FakeLarkOptions, rules: QuotaRules = larkQuotaRules): Promise<RunningFakeLark & { quota: QuotaEnforcer }> {
  const fake = createFakeLark(options);
  const quota = new QuotaEnforcer(rules);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: withQuota(fake, quota), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  return Object.assign(fake, { url: `http://127.0.0.1:${port}`, close, quota });
}

// The one way to build a Lark SDK client: its own token cache, a request timeout, SDK logs into pino.
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../log.js';

export interface LarkClientOptions {
  appId: string;
  appSecret: string;
  /** Base URL: https://open.feishu.cn, https://open.larksuite.com, or a fake's http://127.0.0.1:PORT. */
  domain: string;
  /** Per request; the SDK has none of its own (LARK.md §5). */
  timeoutMs?: number;
  /** Gets a summary of the SDK's own logs at debug; without it they are dropped (see sdkLogger). */
  logger?: Logger;
}

// The SDK's shared axios instance. Its response interceptor returns resp.data, which is what
// HttpInstance promises and what axios's own typing cannot express.
const sdkHttp = lark.defaultHttpInstance as unknown as lark.HttpInstance;

// Remembered per client so a rejected token can be evicted without reaching into SDK internals.
const tokenCaches = new WeakMap<lark.Client, { cache: lark.Cache; appId: string }>();

export function createLarkClient(opts: LarkClientOptions): lark.Client {
  // Not the module-global internalCache: clients for different domains (a fake and the real
  // Lark) must never hand each other's tokens around.
  const cache = new lark.DefaultCache();
  const client = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    cache,
    loggerLevel: lark.LoggerLevel.error,
    httpInstance: withTimeout(sdkHttp, opts.timeoutMs ?? 10_000),
    logger: sdkLogger(opts.logger),
  });
  tokenCaches.set(client, { cache, appId: opts.appId });
  return client;
}

/** Drops the cached tenant token so the next call fetches a fresh one (the SDK never evicts a rejected token). */
export async function forgetTenantToken(client: lark.Client): Promise<void> {
  const entry = tokenCaches.get(client);
  if (!entry) return;
  // An entry that expired at epoch+1 ms reads back as absent.
  await entry.cache.set(lark.CTenantAccessToken, undefined, 1, { namespace: entry.appId });
}

/**
 * Wraps the SDK's shared axios instance (whose interceptor unwraps resp.data) and adds a
 * timeout to each request, leaving the shared instance's defaults alone.
 */
function withTimeout(base: lark.HttpInstance, timeoutMs: number): lark.HttpInstance {
  const timed = <D>(opts?: lark.HttpRequestOptions<D>): lark.HttpRequestOptions<D> => ({ ...opts, timeout: opts?.timeout ?? timeoutMs });
  return {
    request: (opts) => base.request(timed(opts)),
    get: (url, opts) => base.get(url, timed(opts)),
    delete: (url, opts) => base.delete(url, timed(opts)),
    head: (url, opts) => base.head(url, timed(opts)),
    options: (url, opts) => base.options(url, timed(opts)),
    post: (url, data, opts) => base.post(url, data, timed(opts)),
    put: (url, data, opts) => base.put(url, data, timed(opts)),
    patch: (url, data, opts) => base.patch(url, data, timed(opts)),
  };
}

/**
 * The SDK logs every failure it rethrows, raw axios errors included (their request carries the
 * bearer token), to the console by default. Callers get those failures as errors anyway, so
 * keep at most a short summary at debug.
 */
function sdkLogger(log: Logger | undefined): lark.Logger {
  const write = (...msg: unknown[]) => log?.debug({ sdk: msg.map(summarize) }, 'lark sdk');
  return { error: write, warn: write, info: write, debug: write, trace: write };
}

function summarize(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value.slice(0, 500);
  try {
    return JSON.stringify(value).slice(0, 500);
  } catch {
    return String(value);
  }
}

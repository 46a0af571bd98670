// Messenger over the Lark SDK, adding what the SDK lacks (LARK.md §5, §6): one error shape,
// retries for rate limits, 5xx and network failures (same uuid, so a retry never sends twice).
import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Card } from '../../cards/types.js';
import type { Logger } from '../log.js';
import { forgetTenantToken } from './client.js';
import { LarkApiError, type Messenger, type OutboundMessage, type Recipient } from './messenger.js';

const UUID_MAX = 50;
const RATE_LIMIT_CODES = new Set([99991400, 230020]);
// Missing, invalid or expired tenant token: refetch once.
const TOKEN_CODES = new Set([99991661, 99991663, 99991668]);
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const RATE_LIMIT_MAX_WAIT_S = 60;

/** Lark's uuid is at most 50 characters: longer keys become a 50-character sha256 digest. */
export function larkUuid(key: string): string {
  return key.length <= UUID_MAX ? key : createHash('sha256').update(key, 'utf8').digest('hex').slice(0, UUID_MAX);
}

export interface SdkMessengerOptions {
  /** Injected by tests so retries do not wait for real. */
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  random?: () => number;
}

interface LarkBody {
  code?: number;
  msg?: string;
}

interface Failure {
  httpStatus: number | undefined;
  larkCode: number | undefined;
  larkMsg: string;
  /** No HTTP answer at all: refused, reset, timed out. */
  network: boolean;
  rateLimitResetS: number | undefined;
}

type Plan = { kind: 'wait'; ms: number } | { kind: 'refresh-token' } | undefined;

export class SdkMessenger implements Messenger {
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly random: () => number;

  constructor(
    private readonly client: lark.Client,
    private readonly log: Logger,
    opts: SdkMessengerOptions = {},
  ) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.random = opts.random ?? Math.random;
  }

  async send(to: Recipient, message: OutboundMessage, uuid: string): Promise<{ messageId: string }> {
    const [receiveIdType, receiveId] = 'openId' in to ? (['open_id', to.openId] as const) : (['chat_id', to.chatId] as const);
    const res = await this.call('send', () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: receiveIdType },
        data: { receive_id: receiveId, ...contentOf(message), uuid: larkUuid(uuid) },
      }),
    );
    return { messageId: messageIdOf(res.data?.message_id) };
  }

  async reply(messageId: string, message: OutboundMessage, uuid: string): Promise<{ messageId: string }> {
    const res = await this.call('reply', () =>
      this.client.im.v1.message.reply({ path: { message_id: messageId }, data: { ...contentOf(message), uuid: larkUuid(uuid) } }),
    );
    return { messageId: messageIdOf(res.data?.message_id) };
  }

  async updateCard(messageId: string, card: Card): Promise<void> {
    await this.call('updateCard', () =>
      this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
    );
  }

  async delayUpdateCard(token: string, card: Card): Promise<void> {
    // The SDK has no method for this endpoint.
    await this.call('delayUpdateCard', () =>
      this.client.request<LarkBody | undefined>({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } }),
    );
  }

  async downloadFile(messageId: string, fileKey: string): Promise<Uint8Array> {
    const res = await this.call('downloadFile', async () => {
      const file = await this.client.im.v1.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type: 'file' } });
      return { code: 0, file };
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res.file.getReadableStream()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }

  /** Runs one SDK call until it succeeds, fails for good, or runs out of attempts. */
  private async call<T extends LarkBody | undefined>(op: string, fn: () => Promise<T>): Promise<T> {
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      let failure: Failure;
      try {
        const res = await fn();
        if (res?.code === undefined || res.code === 0) return res;
        // A 2xx answer can still carry a Lark error code.
        failure = { httpStatus: 200, larkCode: res.code, larkMsg: res.msg ?? '', network: false, rateLimitResetS: undefined };
      } catch (err) {
        const f = failureOf(err);
        if (!f) throw err;
        failure = f;
      }
      const plan = this.plan(failure, attempt, tokenRefreshed);
      const { httpStatus, larkCode, larkMsg } = failure;
      if (!plan) throw new LarkApiError(httpStatus, larkCode, larkMsg, false);
      if (attempt >= this.maxAttempts) throw new LarkApiError(httpStatus, larkCode, larkMsg, true);
      let waitMs = 0;
      if (plan.kind === 'refresh-token') {
        tokenRefreshed = true;
        await forgetTenantToken(this.client);
      } else {
        waitMs = plan.ms;
      }
      this.log.warn({ op, attempt, httpStatus, larkCode, larkMsg, waitMs }, 'lark call failed; retrying');
      if (waitMs > 0) await this.sleep(waitMs);
    }
  }

  private plan(f: Failure, attempt: number, tokenRefreshed: boolean): Plan {
    if (f.httpStatus === 429 || (f.larkCode !== undefined && RATE_LIMIT_CODES.has(f.larkCode))) {
      const seconds = Math.min(RATE_LIMIT_MAX_WAIT_S, Math.max(0, f.rateLimitResetS ?? 1));
      return { kind: 'wait', ms: seconds * 1000 };
    }
    if (f.network || (f.httpStatus !== undefined && f.httpStatus >= 500)) {
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      return { kind: 'wait', ms: Math.round(ceiling / 2 + (this.random() * ceiling) / 2) };
    }
    if (!tokenRefreshed && f.larkCode !== undefined && TOKEN_CODES.has(f.larkCode)) return { kind: 'refresh-token' };
    return undefined;
  }
}

function contentOf(message: OutboundMessage): { msg_type: 'text' | 'interactive'; content: string } {
  return message.kind === 'text'
    ? { msg_type: 'text', content: JSON.stringify({ text: message.text }) }
    : { msg_type: 'interactive', content: JSON.stringify(message.card) };
}

function messageIdOf(id: string | undefined): string {
  if (!id) throw new LarkApiError(200, 0, 'the answer carried no message_id', false);
  return id;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Both SDK failure shapes as one; undefined for errors that are not Lark's (bugs are rethrown as they are). */
function failureOf(err: unknown): Failure | undefined {
  if (isRecord(err) && err.isAxiosError === true) {
    const response = isRecord(err.response) ? err.response : undefined;
    if (!response) {
      const reason = typeof err.code === 'string' ? err.code : 'network error';
      return { httpStatus: undefined, larkCode: undefined, larkMsg: `${reason}: ${String(err.message)}`, network: true, rateLimitResetS: undefined };
    }
    const data = isRecord(response.data) ? response.data : {};
    const headers = isRecord(response.headers) ? response.headers : {};
    const reset = Number(headers['x-ogw-ratelimit-reset']);
    return {
      httpStatus: typeof response.status === 'number' ? response.status : undefined,
      larkCode: typeof data.code === 'number' ? data.code : undefined,
      larkMsg: typeof data.msg === 'string' ? data.msg : String(err.message),
      network: false,
      rateLimitResetS: Number.isFinite(reset) && headers['x-ogw-ratelimit-reset'] !== undefined ? reset : undefined,
    };
  }
  // The SDK's token manager turns a token answer without a token into a plain Error.
  const token = err instanceof Error ? /^failed to get \w+, code: (\S+), msg: (.*)$/s.exec(err.message) : null;
  if (token) {
    const code = Number(token[1]);
    return { httpStatus: undefined, larkCode: Number.isFinite(code) ? code : undefined, larkMsg: token[2] ?? '', network: false, rateLimitResetS: undefined };
  }
  return undefined;
}

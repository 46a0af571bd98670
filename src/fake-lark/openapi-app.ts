// The OpenAPI endpoints the bot uses, modelled on Lark's real request and response shapes
// (LARK.md §5, §6). Anything else under /open-apis is answered 404 and recorded as unmodeled.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { isSharedCard, parseContent } from './content-rules.js';
import { randomHex } from './event-crypto.js';
import { FakeLarkError, LarkCode, invalidCard, invalidParam } from './lark-errors.js';
import type { FakeLarkState } from './state.js';
import type { FakeMessage, RecordedCall } from './types.js';

type Env = { Variables: { body: unknown } };
type Ctx = Context<Env>;

const PATCH_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;
const TOKEN_TTL_S = 7200;

const sendBody = z.object({ receive_id: z.string(), msg_type: z.string(), content: z.unknown(), uuid: z.string().optional() });
const replyBody = sendBody.omit({ receive_id: true }).extend({ reply_in_thread: z.boolean().optional() });
const patchBody = z.object({ content: z.unknown() });
const cardUpdateBody = z.object({ token: z.string(), card: z.record(z.string(), z.unknown()) });
const credentials = z.object({ app_id: z.string(), app_secret: z.string() });

export function createOpenApiApp(state: FakeLarkState): Hono<Env> {
  const app = new Hono<Env>();
  const { store, traffic } = state;

  app.use('/open-apis/*', async (c, next) => {
    const call: RecordedCall = {
      method: c.req.method,
      path: c.req.path,
      query: c.req.query(),
      body: parseBody(await c.req.text()),
      headers: {
        authorization: c.req.header('authorization'),
        contentType: c.req.header('content-type'),
        userAgent: c.req.header('user-agent'),
      },
      status: 0,
      code: undefined,
      at: state.now(),
    };
    traffic.calls.push(call);
    c.set('body', call.body);
    const fault = traffic.takeFault(call.method, call.path);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      const body = { code: fault.code, msg: fault.msg ?? `fake-lark: injected fault ${fault.status}` };
      call.status = fault.status;
      call.code = fault.code;
      return json(fault.status, body, fault.headers);
    }
    const delayMs = traffic.takeDelayMs(call.method, call.path);
    if (delayMs > 0) await sleep(delayMs);
    await next();
    call.status = c.res.status;
    call.code = await larkCodeOf(c.res);
  });

  const handle = (fn: (c: Ctx) => Response | Promise<Response>) => async (c: Ctx) => {
    try {
      return await fn(c);
    } catch (err) {
      if (err instanceof FakeLarkError) return json(err.status, err.body());
      throw err;
    }
  };
  const authed = (fn: (c: Ctx) => Response | Promise<Response>) =>
    handle((c) => {
      const header = c.req.header('authorization');
      if (!header) throw new FakeLarkError(400, LarkCode.tokenMissing, 'Missing access token for authorization.');
      const token = /^Bearer (.+)$/.exec(header)?.[1];
      if (!token || !state.tokens.has(token)) throw new FakeLarkError(400, LarkCode.tokenInvalid, 'Invalid access token for authorization.');
      return fn(c);
    });
  const issueToken = (c: Ctx): string => {
    const body = credentials.safeParse(c.get('body'));
    if (!body.success || body.data.app_id !== state.appId || body.data.app_secret !== state.appSecret) {
      throw new FakeLarkError(400, LarkCode.appSecretInvalid, 'app_id or app_secret is invalid');
    }
    const token = `t-${randomHex(20)}`;
    state.tokens.add(token);
    return token;
  };
  const messageData = (m: FakeMessage) => ({
    message_id: m.message_id,
    root_id: rootOf(m),
    parent_id: m.parent_id,
    msg_type: m.msg_type,
    create_time: String(m.created_at.getTime()),
    update_time: String(m.updated_at.getTime()),
    deleted: false,
    updated: m.update_count > 0,
    chat_id: m.chat_id,
    sender: { id: state.appId, id_type: 'app_id', sender_type: 'app', tenant_key: state.tenantKey },
    body: { content: m.content },
  });
  const rootOf = (m: FakeMessage): string | undefined => {
    let root: FakeMessage | undefined;
    for (let p = m.parent_id ? store.find(m.parent_id) : undefined; p; p = p.parent_id ? store.find(p.parent_id) : undefined) root = p;
    return root?.message_id;
  };
  /** Shared by send and reply: uuid dedupe first, then the content rules, then the store. */
  const createMessage = (c: Ctx, input: z.infer<typeof replyBody>, chat: { chatId: string; chatType: 'p2p' | 'group' }, parentId?: string) => {
    if (input.msg_type !== 'text' && input.msg_type !== 'interactive') return notModeled(c, `msg_type=${input.msg_type}`);
    if (input.uuid !== undefined && input.uuid.length > 50) throw invalidParam('uuid is longer than 50 characters');
    const earlier = input.uuid ? store.findByUuid(input.uuid) : undefined;
    if (earlier) return json(200, { code: 0, msg: 'success', data: messageData(earlier) });
    const parsed = parseContent(input.msg_type, input.content);
    const message = store.create({
      ...chat,
      msgType: input.msg_type,
      content: parsed.content,
      ...(parsed.msgType === 'text' ? { text: parsed.text } : { card: parsed.card }),
      uuid: input.uuid,
      sender: 'bot',
      parentId,
    });
    return json(200, { code: 0, msg: 'success', data: messageData(message) });
  };

  app.post('/open-apis/auth/v3/tenant_access_token/internal', handle((c) =>
    json(200, { code: 0, msg: 'ok', tenant_access_token: issueToken(c), expire: TOKEN_TTL_S })));
  app.post('/open-apis/auth/v3/app_access_token/internal', handle((c) => {
    const token = issueToken(c);
    return json(200, { code: 0, msg: 'ok', app_access_token: `a-${randomHex(20)}`, tenant_access_token: token, expire: TOKEN_TTL_S });
  }));

  app.get('/open-apis/bot/v3/info', authed(() =>
    json(200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: state.botName, avatar_url: '', ip_white_list: [], open_id: state.botOpenId } })));

  app.post('/open-apis/im/v1/messages', authed((c) => {
    const type = c.req.query('receive_id_type');
    if (type !== 'open_id' && type !== 'chat_id') return notModeled(c, `receive_id_type=${type ?? '(none)'}`);
    const body = parseWith(sendBody, c.get('body'));
    return createMessage(c, body, store.resolveRecipient(type, body.receive_id));
  }));

  app.post('/open-apis/im/v1/messages/:message_id/reply', authed((c) => {
    const body = parseWith(replyBody, c.get('body'));
    const parent = store.find(c.req.param('message_id') ?? '');
    if (!parent) throw invalidParam('invalid message_id');
    return createMessage(c, body, store.resolveRecipient('chat_id', parent.chat_id), parent.message_id);
  }));

  app.patch('/open-apis/im/v1/messages/:message_id', authed((c) => {
    const body = parseWith(patchBody, c.get('body'));
    const message = store.find(c.req.param('message_id') ?? '');
    if (!message || message.sender !== 'bot') throw invalidParam('invalid message_id');
    if (message.msg_type !== 'interactive') throw invalidParam('only interactive messages can be patched');
    if (state.now().getTime() - message.created_at.getTime() > PATCH_MAX_AGE_MS) {
      throw new FakeLarkError(400, LarkCode.messageTooOld, 'The message is older than 14 days and can no longer be updated.');
    }
    const parsed = parseContent('interactive', body.content);
    if (parsed.msgType !== 'interactive') throw invalidParam('content');
    if (!isSharedCard(message.card) || !isSharedCard(parsed.card)) {
      throw invalidCard('ErrMsg: PATCH needs config.update_multi=true on both the sent and the new card');
    }
    store.updateCard(message, parsed.card);
    return json(200, { code: 0, msg: 'success', data: {} });
  }));

  app.post('/open-apis/interactive/v1/card/update', authed((c) => {
    const body = parseWith(cardUpdateBody, c.get('body'));
    const parsed = parseContent('interactive', JSON.stringify(body.card));
    if (parsed.msgType !== 'interactive') throw invalidParam('card');
    store.updateCard(store.useCardToken(body.token), parsed.card);
    return json(200, { code: 0, msg: 'success' });
  }));

  app.get('/open-apis/im/v1/messages/:message_id/resources/:file_key', authed((c) => {
    const type = c.req.query('type');
    if (type !== 'file' && type !== 'image') throw invalidParam('type must be file or image');
    const file = store.getFile(c.req.param('message_id') ?? '', c.req.param('file_key') ?? '');
    if (!file) throw invalidParam('invalid file_key');
    return new Response(Buffer.from(file.bytes), {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      },
    });
  }));

  app.all('/open-apis/*', (c) => notModeled(c));
  // Used when served on its own (startFakeLark); a host app mounting this one keeps its own 404.
  app.notFound((c) => notModeled(c));

  function notModeled(c: Ctx, detail?: string): Response {
    const what = `${c.req.method} ${c.req.path}${detail ? ` (${detail})` : ''}`;
    traffic.unmodeled.push({ method: c.req.method, path: detail ? `${c.req.path} (${detail})` : c.req.path, at: state.now() });
    return json(404, { code: LarkCode.notModeled, msg: `fake-lark: not modeled: ${what}` });
  }

  return app;
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidParam(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

async function larkCodeOf(res: Response): Promise<number | undefined> {
  if (!res.headers.get('content-type')?.includes('json')) return undefined;
  const body: unknown = await res.clone().json().catch(() => undefined);
  return typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'number' ? body.code : undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptEvent, messageText, startFakeLark, type RunningFakeLark, type StoreChange } from '../fakes/index.js';

const APP = { appId: 'cli_fake0000000000', appSecret: 'secret' };
const HOUR = 60 * 60 * 1000;
let nowMs = Date.parse('2026-03-01T08:00:00Z');
let fake: RunningFakeLark;
let token: string;

type Answer = { status: number; headers: Headers; body: { code?: number; msg?: string; data?: { message_id?: string } } & Record<string, unknown> };
async function api(method: string, path: string, body?: unknown, auth: string | null = token): Promise<Answer> {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}
const send = (receiveId: string, content: unknown, extra: Record<string, unknown> = {}, type = receiveId.startsWith('ou_') ? 'open_id' : 'chat_id') =>
  api('POST', `/open-apis/im/v1/messages?receive_id_type=${type}`, { receive_id: receiveId, msg_type: 'interactive', content, ...extra });
const text = (s: string) => JSON.stringify({ text: s });
const card = (elements: unknown[], updateMulti = true) =>
  JSON.stringify({ schema: '2.0', config: updateMulti ? { update_multi: true } : {}, body: { elements } });
const md = (content = 'x') => ({ tag: 'markdown', content });

// A minimal bot, in process: records what Lark delivers and answers card callbacks with `answer`.
const received: { headers: Headers; raw: string }[] = [];
let answer: unknown = {};
const botApp = new Hono().post('/events', async (c) => {
  received.push({ headers: c.req.raw.headers, raw: await c.req.text() });
  return c.json(answer);
});
const bot = { url: 'http://bot.test/events', fetch: botApp.fetch };
const lastEnvelope = () => JSON.parse(received.at(-1)?.raw ?? '{}') as { header: Record<string, string>; event: Record<string, unknown> };

beforeAll(async () => {
  fake = await startFakeLark({ ...APP, botName: 'Desk', now: () => new Date(nowMs) });
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  received.length = 0;
  answer = {};
  token = ((await api('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: APP.appId, app_secret: APP.appSecret }, null)).body.tenant_access_token as string);
});
afterEach(() => fake.assertNoUnmodeled());

describe('fake Lark OpenAPI', () => {
  it('issues tenant tokens for the right credentials only, and requires one everywhere else', async () => {
    const bad = await api('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: APP.appId, app_secret: 'nope' }, null);
    expect(bad).toMatchObject({ status: 400, body: { code: 10014 } });
    expect(token).toMatch(/^t-/);
    expect((await api('GET', '/open-apis/bot/v3/info', undefined, null)).body.code).toBe(99991661);
    expect((await api('GET', '/open-apis/bot/v3/info', undefined, 't-forged')).body.code).toBe(99991663);
    expect((await api('GET', '/open-apis/bot/v3/info')).body).toMatchObject({ code: 0, bot: { open_id: 'ou_bot', app_name: 'Desk', activate_status: 2 } });
    fake.revokeTokens();
    expect((await api('GET', '/open-apis/bot/v3/info')).body.code).toBe(99991663);
  });

  it('works with the real SDK', async () => {
    const client = new lark.Client({ ...APP, domain: fake.url, cache: new lark.DefaultCache(), loggerLevel: lark.LoggerLevel.error });
    const res = await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_a', msg_type: 'text', content: text('hi') } });
    expect(res.code).toBe(0);
    expect(fake.messagesTo('ou_a').map((m) => [m.message_id, m.text, m.chat_id, m.chat_type])).toEqual([[res.data?.message_id, 'hi', 'oc_p2p_ou_a', 'p2p']]);
    const [tokenCall, sendCall] = fake.calls.slice(-2);
    expect(tokenCall?.path).toBe('/open-apis/auth/v3/tenant_access_token/internal');
    expect(sendCall).toMatchObject({ method: 'POST', status: 200, code: 0, query: { receive_id_type: 'open_id' } });
    expect(sendCall?.headers.authorization).toMatch(/^Bearer t-/);
  });

  it('creates a message once per uuid within an hour, and notifies listeners', async () => {
    const changes: StoreChange[] = [];
    const off = fake.onChange((c) => changes.push(c));
    const first = await send('ou_a', text('one'), { msg_type: 'text', uuid: 'u-1' });
    const again = await send('ou_a', text('one'), { msg_type: 'text', uuid: 'u-1' });
    expect(again.body.data?.message_id).toBe(first.body.data?.message_id);
    expect(fake.botMessages()).toHaveLength(1);
    nowMs += HOUR;
    await send('ou_a', text('one'), { msg_type: 'text', uuid: 'u-1' });
    expect(fake.botMessages()).toHaveLength(2);
    off();
    await send('ou_a', text('two'), { msg_type: 'text' });
    expect(changes.map((c) => c.type)).toEqual(['created', 'created']);
    expect((await send('ou_a', text('x'), { msg_type: 'text', uuid: 'u'.repeat(51) })).body.code).toBe(230001);
  });

  it('models chats: groups must be registered, users must be in scope', async () => {
    expect(await send('oc_nowhere', card([md()]))).toMatchObject({ status: 400, body: { code: 230002 } });
    fake.addGroup('oc_team', 'Team', ['ou_a']);
    expect((await send('oc_team', card([md()]))).body.code).toBe(0);
    fake.removeGroup('oc_team');
    expect((await send('oc_team', card([md()]))).body.code).toBe(230002);
    fake.setOutOfScope('ou_gone');
    expect((await send('ou_gone', card([md()]))).body.code).toBe(230013);
    expect((await send('on_not_an_open_id', card([md()]), {}, 'open_id')).body.code).toBe(230001);
  });

  it('enforces the content limits', async () => {
    const code = async (content: unknown, msgType = 'interactive') => (await send('ou_a', content, { msg_type: msgType })).body;
    expect((await code({ text: 'not a string' }, 'text')).code).toBe(230001);
    expect((await code(card([md('x'.repeat(31 * 1024))]))).code).toBe(230025);
    expect((await code(text('x'.repeat(151 * 1024)), 'text')).code).toBe(230025);
    expect((await code(text('x'.repeat(100 * 1024)), 'text')).code).toBe(0);
    // A column set with one column holding one markdown is 3 elements: 66 of them are 198, three more markdown 201.
    const columns = Array.from({ length: 67 }, () => ({ tag: 'column_set', columns: [{ tag: 'column', width: 'auto', elements: [md()] }] }));
    expect((await code(card(columns.slice(0, 66)))).code).toBe(0);
    expect(await code(card([...columns.slice(0, 66), md(), md(), md()]))).toMatchObject({ code: 230099, msg: expect.stringContaining('11310') });
    const form = (elements: unknown[]) => ({ tag: 'form', name: 'f', elements });
    const nested = { tag: 'column_set', columns: [{ tag: 'column', width: 'auto', elements: [form([])] }] };
    expect(await code(card([nested]))).toMatchObject({ code: 230099, msg: expect.stringContaining('root of body') });
    expect(await code(card([form([{ tag: 'input' }])]))).toMatchObject({ code: 230099, msg: expect.stringContaining('200530') });
    expect(await code(card([form([{ tag: 'input', name: 'a' }, { tag: 'checker', name: 'a' }])]))).toMatchObject({ code: 230099, msg: expect.stringContaining('twice') });
    expect(await code(card([form([{ tag: 'table', columns: [], rows: [] }])]))).toMatchObject({ code: 230099 });
    expect((await code(card([form([{ tag: 'input', name: 'note' }, { tag: 'button', name: 'go', form_action_type: 'submit' }])]))).code).toBe(0);
  });

  it('replies into the same chat and patches shared cards only', async () => {
    fake.addGroup('oc_team', 'Team', []);
    const sent = (await send('oc_team', card([md('v1')]))).body.data?.message_id ?? '';
    const reply = await api('POST', `/open-apis/im/v1/messages/${sent}/reply`, { msg_type: 'text', content: text('re') });
    expect(fake.findMessage(reply.body.data?.message_id ?? '')).toMatchObject({ chat_id: 'oc_team', parent_id: sent });
    expect((await api('POST', '/open-apis/im/v1/messages/om_missing/reply', { msg_type: 'text', content: text('re') })).body.code).toBe(230001);

    const patch = (id: string, content: string) => api('PATCH', `/open-apis/im/v1/messages/${id}`, { content });
    expect((await patch(sent, card([md('v2')]))).body.code).toBe(0);
    expect(fake.findMessage(sent)).toMatchObject({ update_count: 1 });
    expect(messageText(fake.findMessage(sent)!)).toBe('v2');
    expect((await patch(sent, card([md('v3')], false))).body.code).toBe(230099);
    expect((await patch(reply.body.data?.message_id ?? '', card([md()]))).body.code).toBe(230001);
    nowMs += 14 * 24 * HOUR + 1;
    expect((await patch(sent, card([md('v4')]))).body.code).toBe(230031);
  });

  it('accepts a card token for 30 minutes and two delayed updates', async () => {
    const sent = (await send('ou_a', card([md('v1')]))).body.data?.message_id ?? '';
    const update = (t: string, label: string) => api('POST', '/open-apis/interactive/v1/card/update', { token: t, card: JSON.parse(card([md(label)])) as unknown });
    const click = await fake.clickCard(bot, { operator: 'ou_a', messageId: sent, value: { cmd: 'x' } });
    expect((await update(click.token, 'v2')).body.code).toBe(0);
    expect((await update(click.token, 'v3')).body.code).toBe(0);
    expect((await update(click.token, 'v4')).body.code).toBe(300040);
    expect(messageText(fake.findMessage(sent)!)).toBe('v3');
    const late = await fake.clickCard(bot, { operator: 'ou_a', messageId: sent, value: {} });
    nowMs += 31 * 60 * 1000;
    expect((await update(late.token, 'v5')).body.code).toBe(300030);
    expect((await update('c-unknown', 'v5')).body.code).toBe(300030);
  });

  it('serves registered files', async () => {
    fake.putFile('om_f', 'file_1', '名单.xlsx', new Uint8Array([1, 2, 3]));
    const res = await fetch(`${fake.url}/open-apis/im/v1/messages/om_f/resources/file_1?type=file`, { headers: { authorization: `Bearer ${token}` } });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('名单.xlsx'));
    expect((await api('GET', '/open-apis/im/v1/messages/om_f/resources/file_2?type=file')).body.code).toBe(230001);
  });

  it('injects faults and delays', async () => {
    fake.injectFault({ method: 'POST', pathIncludes: '/im/v1/messages', times: 2, status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '1' } });
    const limited = await send('ou_a', card([md()]));
    expect(limited).toMatchObject({ status: 429, body: { code: 99991400 } });
    expect(limited.headers.get('x-ogw-ratelimit-reset')).toBe('1');
    expect((await api('GET', '/open-apis/bot/v3/info')).body.code).toBe(0);
    expect((await send('ou_a', card([md()]))).status).toBe(429);
    expect((await send('ou_a', card([md()]))).status).toBe(200);
    expect(fake.botMessages()).toHaveLength(1);
    fake.injectFault({ status: 500 });
    expect((await api('GET', '/open-apis/bot/v3/info')).status).toBe(500);
    fake.injectDelay(150, { pathIncludes: '/bot/v3/info' });
    const started = Date.now();
    expect((await api('GET', '/open-apis/bot/v3/info')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers and records requests it does not model', async () => {
    const res = await api('GET', '/open-apis/im/v1/chats');
    expect(res).toMatchObject({ status: 404, body: { code: 99999999, msg: 'fake-lark: not modeled: GET /open-apis/im/v1/chats' } });
    await api('DELETE', '/open-apis/im/v1/messages/om_1');
    await send('ou_a', text('x'), { msg_type: 'text' }, 'email');
    expect(fake.unmodeled.map((u) => `${u.method} ${u.path}`)).toEqual([
      'GET /open-apis/im/v1/chats',
      'DELETE /open-apis/im/v1/messages/om_1',
      'POST /open-apis/im/v1/messages (receive_id_type=email)',
    ]);
    expect(() => fake.assertNoUnmodeled()).toThrow(/DELETE \/open-apis\/im\/v1\/messages\/om_1/);
    fake.reset();
  });
});

describe('fake Lark delivering to the bot', () => {
  it('encrypts and signs envelopes the way Lark does', async () => {
    expect(decryptEvent('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
    const res = await fake.deliverEvent(bot, 'im.chat.member.bot.added_v1', { chat_id: 'oc_x' }, { encryptKey: 'ek', verificationToken: 'vt', eventId: 'ev_1' });
    expect(res).toMatchObject({ status: 200, eventId: 'ev_1' });
    const { headers, raw } = received[0]!;
    const ts = headers.get('x-lark-request-timestamp') ?? '';
    expect(ts).toBe(String(Math.floor(nowMs / 1000)));
    const expected = createHash('sha256').update(ts + (headers.get('x-lark-request-nonce') ?? '') + 'ek' + raw).digest('hex');
    expect(headers.get('x-lark-signature')).toBe(expected);
    const envelope = JSON.parse(decryptEvent('ek', (JSON.parse(raw) as { encrypt: string }).encrypt)) as unknown;
    expect(envelope).toMatchObject({ schema: '2.0', header: { event_id: 'ev_1', event_type: 'im.chat.member.bot.added_v1', token: 'vt', app_id: APP.appId }, event: { chat_id: 'oc_x' } });
    await fake.deliverEvent(bot, 'x', {}, { encryptKey: 'ek', tamper: (b) => b.replace('"}', ' "}') });
    expect(received[1]?.headers.get('x-lark-signature')).not.toBe(createHash('sha256').update(`${ts}${received[1]?.headers.get('x-lark-request-nonce')}ek${received[1]?.raw}`).digest('hex'));
  });

  it('sends user text with mentions, as im.message.receive_v1', async () => {
    fake.addGroup('oc_team', 'Team', ['ou_a', 'ou_b']);
    const sent = await fake.sendText(bot, { from: 'ou_a', chatType: 'group', chatId: 'oc_team', text: '/指派', mentionBot: true, mentions: [{ openId: 'ou_b', name: '李四' }] });
    const { event, header } = lastEnvelope();
    expect(header).toMatchObject({ event_type: 'im.message.receive_v1', event_id: sent.eventId });
    expect(event).toMatchObject({
      sender: { sender_id: { open_id: 'ou_a' }, sender_type: 'user' },
      message: {
        message_id: sent.message.message_id, chat_id: 'oc_team', chat_type: 'group', message_type: 'text',
        content: JSON.stringify({ text: '@_user_1 /指派 @_user_2' }),
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'Desk' }, { key: '@_user_2', id: { open_id: 'ou_b' }, name: '李四' }],
      },
    });
    expect(sent.message).toMatchObject({ sender: 'ou_a', text: '@_user_1 /指派 @_user_2' });
    await expect(fake.sendText(bot, { from: 'ou_a', chatType: 'group', chatId: 'oc_other', text: 'x' })).rejects.toThrow(/addGroup/);
    const file = await fake.sendFile(bot, { from: 'ou_a', fileName: 'a.csv', bytes: new Uint8Array([9]) });
    expect(JSON.parse(file.message.content)).toMatchObject({ file_name: 'a.csv', file_key: expect.any(String) });
    expect(lastEnvelope().event).toMatchObject({ message: { message_type: 'file', chat_id: 'oc_p2p_ou_a', chat_type: 'p2p' } });
  });

  it('clicks cards: card.action.trigger, and applies the raw card the bot answers with', async () => {
    const sent = (await send('ou_a', card([md('v1')]))).body.data?.message_id ?? '';
    answer = { toast: { type: 'success', content: '已保存' }, card: { type: 'raw', data: JSON.parse(card([md('v2')])) as unknown } };
    const click = await fake.clickCard(bot, { operator: 'ou_a', messageId: sent, value: { cmd: 'save' }, formValue: { note: 'hi' }, actionName: 'go' });
    expect(lastEnvelope().event).toEqual({
      operator: { tenant_key: 'tenant_fake', open_id: 'ou_a', union_id: 'on_a', user_id: 'u_a' },
      token: click.token,
      action: { value: { cmd: 'save' }, tag: 'button', name: 'go', form_value: { note: 'hi' } },
      host: 'im_message',
      context: { open_message_id: sent, open_chat_id: 'oc_p2p_ou_a' },
    });
    expect(click).toMatchObject({ status: 200, toast: { type: 'success', content: '已保存' }, answeredInTime: true });
    expect(messageText(fake.findMessage(sent)!)).toBe('v2');
  });
});

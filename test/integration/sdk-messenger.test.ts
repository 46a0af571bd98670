// SdkMessenger with the real Lark SDK against the fake Lark server.
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../cards/types.js';
import { createLarkClient } from '../../src/lark/client.js';
import { LarkApiError } from '../../src/lark/messenger.js';
import { SdkMessenger, larkUuid } from '../../src/lark/sdk-messenger.js';
import { messageText, startFakeLark, type RunningFakeLark } from '../fakes/index.js';

const APP = { appId: 'cli_fake0000000000', appSecret: 'secret' };
const log = pino({ level: 'silent' });
const card = (text: string): Card => ({ schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: text }] } });
const bot = { url: 'http://bot.test/events', fetch: new Hono().post('/events', (c) => c.json({})).fetch };

let fake: RunningFakeLark;
let sleeps: number[];
const sleep = (ms: number) => {
  sleeps.push(ms);
  return Promise.resolve();
};
const messenger = (opts: { timeoutMs?: number; maxAttempts?: number } = {}) =>
  new SdkMessenger(createLarkClient({ ...APP, domain: fake.url, timeoutMs: opts.timeoutMs }), log, { sleep, random: () => 0, maxAttempts: opts.maxAttempts });
const sendCalls = () => fake.callsTo('/open-apis/im/v1/messages', 'POST').filter((c) => c.path === '/open-apis/im/v1/messages');
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (err: unknown) => err);

beforeAll(async () => {
  fake = await startFakeLark(APP);
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  sleeps = [];
});
afterEach(() => fake.assertNoUnmodeled());

describe('SdkMessenger against the fake Lark', () => {
  it('sends, replies, patches and delay-updates', async () => {
    const m = messenger();
    fake.addGroup('oc_team', 'Team', ['ou_a']);
    const { messageId: textId } = await m.send({ openId: 'ou_a' }, { kind: 'text', text: '你好' }, 'k1');
    const { messageId: cardId } = await m.send({ chatId: 'oc_team' }, { kind: 'card', card: card('v1') }, 'k2');
    const { messageId: replyId } = await m.reply(textId, { kind: 'text', text: 're' }, 'k3');
    expect(fake.botMessages().map((x) => [x.message_id, x.chat_id, x.msg_type, messageText(x), x.uuid])).toEqual([
      [textId, 'oc_p2p_ou_a', 'text', '你好', 'k1'],
      [cardId, 'oc_team', 'interactive', 'v1', 'k2'],
      [replyId, 'oc_p2p_ou_a', 'text', 're', 'k3'],
    ]);
    await m.updateCard(cardId, card('v2'));
    expect(messageText(fake.findMessage(cardId)!)).toBe('v2');
    const { token } = await fake.clickCard(bot, { operator: 'ou_a', messageId: cardId, value: {} });
    await m.delayUpdateCard(token, card('v3'));
    expect(fake.findMessage(cardId)).toMatchObject({ update_count: 2 });
    expect(messageText(fake.findMessage(cardId)!)).toBe('v3');
    expect(sleeps).toEqual([]);
  });

  it('waits out a 429 for x-ogw-ratelimit-reset seconds and retries with the same uuid', async () => {
    fake.injectFault({ pathIncludes: '/im/v1/messages', status: 429, code: 99991400, headers: { 'x-ogw-ratelimit-reset': '3' } });
    await messenger().send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'once');
    expect(fake.botMessages()).toHaveLength(1);
    expect(sleeps).toEqual([3000]);
    expect(sendCalls().map((c) => (c.body as { uuid: string }).uuid)).toEqual(['once', 'once']);
  });

  it('retries 230020 answered with HTTP 200 after the default second', async () => {
    fake.injectFault({ pathIncludes: '/im/v1/messages', status: 200, code: 230020 });
    await messenger().send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k');
    expect(sleeps).toEqual([1000]);
    expect(fake.botMessages()).toHaveLength(1);
  });

  it('backs off exponentially on 5xx', async () => {
    fake.injectFault({ pathIncludes: '/im/v1/messages', status: 500, times: 2 });
    await messenger().send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k');
    expect(fake.botMessages()).toHaveLength(1);
    expect(sendCalls()).toHaveLength(3);
    expect(sleeps).toEqual([125, 250]);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    fake.injectFault({ pathIncludes: '/im/v1/messages', status: 503, times: Infinity });
    const err = await caught(messenger({ maxAttempts: 3 }).send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k'));
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ httpStatus: 503, retryable: true });
    expect(sendCalls()).toHaveLength(3);
  });

  it('fails at once on errors a retry cannot fix', async () => {
    const err = await caught(messenger().send({ chatId: 'oc_unknown' }, { kind: 'text', text: 'x' }, 'k'));
    expect(err).toBeInstanceOf(LarkApiError);
    expect(err).toMatchObject({ httpStatus: 400, larkCode: 230002, retryable: false });
    expect(sendCalls()).toHaveLength(1);
    fake.setOutOfScope('ou_gone');
    expect(await caught(messenger().send({ openId: 'ou_gone' }, { kind: 'text', text: 'x' }, 'k'))).toMatchObject({ larkCode: 230013, retryable: false });
    const big: Card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(40_000) }] } };
    expect(await caught(messenger().send({ openId: 'ou_a' }, { kind: 'card', card: big }, 'k2'))).toMatchObject({ larkCode: 230025, retryable: false });
    fake.injectFault({ pathIncludes: '/im/v1/messages', status: 200, code: 230099, msg: 'bad card' });
    expect(await caught(messenger().send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k3'))).toMatchObject({ httpStatus: 200, larkCode: 230099, larkMsg: 'bad card', retryable: false });
    expect(sleeps).toEqual([]);
  });

  it('times out a slow request and retries it; the uuid keeps it to one message', async () => {
    fake.injectDelay(400, { pathIncludes: '/im/v1/messages' });
    const { messageId } = await messenger({ timeoutMs: 100 }).send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'slow');
    expect(sleeps).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the abandoned first request finish
    expect(sendCalls().map((c) => c.status)).toEqual([200, 200]);
    expect(fake.botMessages().map((x) => x.message_id)).toEqual([messageId]);
  });

  it('reports a timeout as a retryable network error', async () => {
    fake.injectDelay(300, { pathIncludes: '/im/v1/messages' });
    const err = await caught(messenger({ timeoutMs: 50, maxAttempts: 1 }).send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k'));
    expect(err).toMatchObject({ httpStatus: undefined, larkCode: undefined, retryable: true });
    await new Promise((resolve) => setTimeout(resolve, 350));
  });

  it('fetches a new tenant token once when Lark rejects the cached one', async () => {
    const m = messenger();
    await m.send({ openId: 'ou_a' }, { kind: 'text', text: '1' }, 'k1');
    fake.revokeTokens();
    await m.send({ openId: 'ou_a' }, { kind: 'text', text: '2' }, 'k2');
    expect(fake.callsTo('tenant_access_token')).toHaveLength(2);
    expect(fake.botMessages()).toHaveLength(2);
  });

  it('fails without retry on wrong app credentials', async () => {
    const wrong = new SdkMessenger(createLarkClient({ ...APP, appSecret: 'wrong', domain: fake.url }), log, { sleep });
    expect(await caught(wrong.send({ openId: 'ou_a' }, { kind: 'text', text: 'x' }, 'k'))).toMatchObject({ larkCode: 10014, retryable: false });
    expect(fake.callsTo('tenant_access_token')).toHaveLength(1);
  });
});

describe('createLarkClient', () => {
  it('keeps the SDK error logs short and free of tokens', async () => {
    const lines: string[] = [];
    const debugLog = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const client = createLarkClient({ ...APP, domain: fake.url, logger: debugLog });
    fake.injectFault({ pathIncludes: '/card/update', status: 400, code: 300030 });
    await expect(new SdkMessenger(client, log, { sleep }).delayUpdateCard('c-x', card('x'))).rejects.toMatchObject({ larkCode: 300030 });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/Bearer|t-[0-9a-f]{10}/);
  });
});

describe('larkUuid', () => {
  it('keeps keys of up to 50 characters and hashes longer ones to 50', () => {
    expect(larkUuid('reply:om_1')).toBe('reply:om_1');
    const long = `reply:${'x'.repeat(60)}`;
    expect(larkUuid(long)).toHaveLength(50);
    expect(larkUuid(long)).toBe(larkUuid(long));
    expect(larkUuid(`${long}y`)).not.toBe(larkUuid(long));
  });
});

// The walking skeleton end to end: signed events in through the real webhook, the real SDK out
// to the fake Lark, replies counted where Lark would count them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messageText } from '../fakes/index.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const botReplies = (to: string) => t.fake.botMessages().filter((m) => m.chat_id === `oc_p2p_${to}` || m.chat_id === to);

describe('walking skeleton', () => {
  it('answers a signed /帮助 with exactly one card listing the command table', async () => {
    const res = await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u1', text: '/帮助' }, t.signing);
    expect(res.status).toBe(200);
    await t.app.pipeline.drain();
    const replies = botReplies('ou_u1');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.parent_id).toBe(res.message.message_id);
    const text = messageText(replies[0]!);
    expect(text).toContain('/帮助');
    expect(text).toContain('/我');
  });

  it('replies once to the same event delivered four times (Lark redelivery)', async () => {
    const first = await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u2', text: '/help', messageId: 'om_redelivered', eventId: 'ev_redelivered' }, t.signing);
    for (let i = 0; i < 3; i++) {
      const again = await t.fake.deliverEvent(t.app.webhookUrl, 'im.message.receive_v1', (await lastEvent()).event, { ...t.signing, eventId: i === 0 ? 'ev_redelivered' : `ev_other_${i}` });
      expect(again.status).toBe(200);
    }
    expect(first.status).toBe(200);
    await t.app.pipeline.drain();
    expect(botReplies('ou_u2')).toHaveLength(1);
  });

  it('rejects a forged signature with 401 and sends nothing', async () => {
    const before = t.fake.botMessages().length;
    const res = await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u3', text: '/帮助' }, { ...t.signing, signature: 'f'.repeat(64) });
    expect(res.status).toBe(401);
    const tampered = await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u3', text: '/帮助' }, { ...t.signing, tamper: (raw) => raw.replace('}', ' }') });
    expect(tampered.status).toBe(401);
    const stale = await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u3', text: '/帮助' }, { ...t.signing, timestamp: String(Math.floor(Date.now() / 1000) - 301) });
    expect(stale.status).toBe(401);
    await t.app.pipeline.drain();
    expect(t.fake.botMessages().length).toBe(before);
  });

  it('waits out a 429 and then sends exactly one message', async () => {
    t.fake.injectFault({ method: 'POST', pathIncludes: '/reply', status: 429, code: 99991400, msg: 'too many requests', headers: { 'x-ogw-ratelimit-reset': '1' } });
    const started = Date.now();
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u4', text: '/我' }, t.signing);
    await t.app.pipeline.drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const replyCalls = t.fake.calls.filter((c) => c.path.endsWith('/reply') && (c.body as { uuid?: string } | undefined)?.uuid);
    const last2 = replyCalls.slice(-2);
    expect(last2.map((c) => c.status)).toEqual([429, 200]);
    // Same uuid on the retry, so Lark could never deliver it twice.
    expect((last2[0]?.body as { uuid: string }).uuid).toBe((last2[1]?.body as { uuid: string }).uuid);
    expect(botReplies('ou_u4')).toHaveLength(1);
  });

  it('shows who you are, with roles from config', async () => {
    await t.fake.sendText(t.app.webhookUrl, { from: ADMIN, text: '我' }, t.signing);
    await t.app.pipeline.drain();
    const text = messageText(botReplies(ADMIN).at(-1)!);
    expect(text).toContain(ADMIN);
    expect(text).toContain('办公室管理员');
  });

  it('suggests the closest command for a typo and hints for ordinary chat', async () => {
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u5', text: '/hlep' }, t.signing);
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u5', text: '你好' }, t.signing);
    await t.app.pipeline.drain();
    const texts = botReplies('ou_u5').map(messageText);
    expect(texts[0]).toBe('未知命令“hlep”，你是不是想输入“/help”？');
    expect(texts[1]).toContain('/帮助');
  });

  it('in a group, answers only when @-mentioned', async () => {
    t.fake.addGroup('oc_group_1', '工作群', ['ou_u6']);
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u6', chatType: 'group', chatId: 'oc_group_1', text: '/帮助' }, t.signing);
    await t.app.pipeline.drain();
    expect(botReplies('oc_group_1')).toHaveLength(0);
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u6', chatType: 'group', chatId: 'oc_group_1', text: '／帮助 我', mentionBot: true }, t.signing);
    await t.app.pipeline.drain();
    const replies = botReplies('oc_group_1');
    expect(replies).toHaveLength(1);
    expect(messageText(replies[0]!)).toContain('/我');
  });

  it('answers a card click within the callback, replacing the card; forged payloads get a toast', async () => {
    await t.fake.sendText(t.app.webhookUrl, { from: 'ou_u7', text: '/帮助' }, t.signing);
    await t.app.pipeline.drain();
    const card = botReplies('ou_u7')[0]!;
    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: 'ou_u7', messageId: card.message_id, value: { v: 1, a: 'help.usage', command: '我' } }, t.signing);
    expect(click.status).toBe(200);
    expect(click.answeredInTime).toBe(true);
    expect(messageText(t.fake.findMessage(card.message_id)!)).toContain('命令：/我');

    const forged = await t.fake.clickCard(t.app.webhookUrl, { operator: 'ou_u7', messageId: card.message_id, value: { v: 1, a: 'admin.nuke' } }, t.signing);
    expect(forged.toast).toEqual({ type: 'error', content: '这张卡片已过期或无法识别，请重新发送命令获取新卡片。' });
    expect(forged.card).toBeUndefined();
  });

  it('answers the URL verification challenge', async () => {
    const res = await t.fake.verifyUrl(t.app.webhookUrl, t.signing);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ challenge: res.challenge });
  });

  it('reports health with the database status', async () => {
    const res = await fetch(`${t.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

async function lastEvent(): Promise<{ event: unknown }> {
  // Rebuild the event body Lark would redeliver for the last user message.
  const m = t.fake.messages.filter((x) => x.sender !== 'bot').at(-1)!;
  return {
    event: {
      sender: { sender_id: { open_id: m.sender, union_id: `on_${m.sender}`, user_id: m.sender }, sender_type: 'user', tenant_key: 'tenant' },
      message: { message_id: m.message_id, chat_id: m.chat_id, chat_type: m.chat_type, message_type: 'text', content: m.content, create_time: String(m.created_at.getTime()) },
    },
  };
}

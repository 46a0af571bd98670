import { describe, expect, it } from 'vitest';
import type { LarkEnvelope } from '../../src/lark/envelope.js';
import { LarkEventShapeError, normalizeEnvelope, normalizeFlatEvent } from '../../src/lark/normalize.js';

const BOT = 'ou_bot';

function envelope(eventType: string, event: Record<string, unknown>, eventId = 'ev_1'): LarkEnvelope {
  return {
    schema: '2.0',
    header: { event_id: eventId, event_type: eventType, create_time: '1608725989000', token: 'vt', app_id: 'cli_x', tenant_key: 't' },
    event,
  };
}

interface MentionInput {
  key: string;
  openId?: string;
  name: string;
}

function messageEvent(opts: {
  chatType?: string;
  messageType?: string;
  content: string;
  mentions?: MentionInput[];
}): Record<string, unknown> {
  return {
    sender: { sender_id: { open_id: 'ou_alice', union_id: 'on_alice', user_id: 'alice' }, sender_type: 'user', tenant_key: 't' },
    message: {
      message_id: 'om_1',
      chat_id: 'oc_1',
      chat_type: opts.chatType ?? 'group',
      message_type: opts.messageType ?? 'text',
      content: opts.content,
      create_time: '1608725989000',
      ...(opts.mentions
        ? { mentions: opts.mentions.map((m) => ({ key: m.key, id: { open_id: m.openId, union_id: 'on_x' }, name: m.name, tenant_key: 't' })) }
        : {}),
    },
  };
}

const text = (t: string): string => JSON.stringify({ text: t });

describe('normalizeEnvelope: im.message.receive_v1', () => {
  it('maps a p2p text message', () => {
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', messageEvent({ chatType: 'p2p', content: text('  /help  ') })), BOT);
    expect(inbound).toEqual({
      kind: 'message',
      eventId: 'ev_1',
      messageId: 'om_1',
      chatId: 'oc_1',
      chatType: 'p2p',
      senderOpenId: 'ou_alice',
      messageType: 'text',
      text: '/help',
      mentions: [],
      mentionsBot: false,
      content: text('  /help  '),
    });
  });

  it('removes the bot mention and shows other people as @name in a group', () => {
    const event = messageEvent({
      content: text('@_user_1 /assign @_user_2 please'),
      mentions: [
        { key: '@_user_1', openId: BOT, name: 'Reform Desk' },
        { key: '@_user_2', openId: 'ou_tom', name: 'Tom' },
      ],
    });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', event), BOT);
    expect(inbound).toMatchObject({
      kind: 'message',
      chatType: 'group',
      text: '/assign @Tom please',
      mentionsBot: true,
      mentions: [{ key: '@_user_2', openId: 'ou_tom', name: 'Tom' }],
    });
  });

  it('does not confuse @_user_1 with @_user_10', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({ key: `@_user_${i + 1}`, openId: `ou_${i + 1}`, name: `P${i + 1}` }));
    const inbound = normalizeEnvelope(
      envelope('im.message.receive_v1', messageEvent({ content: text('@_user_10 and @_user_1'), mentions })),
      BOT,
    );
    expect(inbound).toMatchObject({ text: '@P10 and @P1', mentionsBot: false });
  });

  it('reports no bot mention when only others are mentioned', () => {
    const event = messageEvent({ content: text('hi @_user_1'), mentions: [{ key: '@_user_1', openId: 'ou_tom', name: 'Tom' }] });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', event), BOT);
    expect(inbound).toMatchObject({ text: 'hi @Tom', mentionsBot: false, mentions: [{ openId: 'ou_tom' }] });
  });

  it('never reports a bot mention while the bot open_id is unknown', () => {
    const event = messageEvent({ content: text('@_user_1 hi'), mentions: [{ key: '@_user_1', openId: BOT, name: 'Bot' }] });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', event), undefined);
    expect(inbound).toMatchObject({ text: '@Bot hi', mentionsBot: false });
  });

  it('collapses full-width spaces, keeps one line break per line (pasted rows) and full-width text', () => {
    const event = messageEvent({
      content: text('@_user_1\u3000提交　议题：\n\n数字化改革 ＡＢＣ\u3000'),
      mentions: [{ key: '@_user_1', openId: BOT, name: '改革创新助手' }],
    });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', event), BOT);
    expect(inbound).toMatchObject({ text: '提交 议题：\n数字化改革 ＡＢＣ', mentionsBot: true });
  });

  it('replaces @all by its name and leaves it out of mentions (it has no open_id)', () => {
    const event = messageEvent({ content: text('@_all meeting'), mentions: [{ key: '@_all', name: '所有人' }] });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', event), BOT);
    expect(inbound).toMatchObject({ text: '@所有人 meeting', mentions: [], mentionsBot: false });
  });

  it('keeps a file message raw with empty text', () => {
    const content = JSON.stringify({ file_key: 'file_v2_abc', file_name: '方案.docx' });
    const inbound = normalizeEnvelope(envelope('im.message.receive_v1', messageEvent({ chatType: 'p2p', messageType: 'file', content })), BOT);
    expect(inbound).toMatchObject({ kind: 'message', messageType: 'file', text: '', content, mentions: [] });
  });

  it('throws a typed error for broken content JSON', () => {
    const event = messageEvent({ content: '{"text": "unterminated' });
    expect(() => normalizeEnvelope(envelope('im.message.receive_v1', event), BOT)).toThrow(LarkEventShapeError);
  });

  it('throws a typed error for text content without a text field', () => {
    const event = messageEvent({ content: JSON.stringify({ image_key: 'img' }) });
    expect(() => normalizeEnvelope(envelope('im.message.receive_v1', event), BOT)).toThrow(LarkEventShapeError);
  });

  it('throws a typed error naming the missing field, without the values', () => {
    const event = { sender: { sender_id: { open_id: 'ou_secret_person' } }, message: { chat_id: 'oc_1' } };
    let error: unknown;
    try {
      normalizeEnvelope(envelope('im.message.receive_v1', event), BOT);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LarkEventShapeError);
    const shapeError = error as LarkEventShapeError;
    expect(shapeError.eventType).toBe('im.message.receive_v1');
    expect(shapeError.reason).toContain('message.message_id');
    expect(shapeError.reason).not.toContain('ou_secret_person');
  });
});

describe('normalizeEnvelope: card.action.trigger', () => {
  const cardEvent = {
    operator: { open_id: 'ou_alice', user_id: 'alice' },
    token: 'c-295e',
    host: 'im_message',
    context: { open_message_id: 'om_card', open_chat_id: 'oc_1' },
    action: { value: { cmd: 'submit', v: 1 }, tag: 'button', name: 'go', form_value: { note: 'hi', teams: ['a'] } },
  };

  it('maps a form submission', () => {
    expect(normalizeEnvelope(envelope('card.action.trigger', cardEvent, 'ev_card'), BOT)).toEqual({
      kind: 'card_action',
      eventId: 'ev_card',
      operatorOpenId: 'ou_alice',
      token: 'c-295e',
      openMessageId: 'om_card',
      chatId: 'oc_1',
      value: { cmd: 'submit', v: 1 },
      formValue: { note: 'hi', teams: ['a'] },
      actionName: 'go',
    });
  });

  it('leaves formValue and actionName undefined for a plain button', () => {
    const plain = { ...cardEvent, action: { value: { cmd: 'ok' }, tag: 'button' } };
    expect(normalizeEnvelope(envelope('card.action.trigger', plain), BOT)).toMatchObject({
      kind: 'card_action',
      value: { cmd: 'ok' },
      formValue: undefined,
      actionName: undefined,
    });
  });

  it('throws a typed error without the update token', () => {
    const { token: _token, ...noToken } = cardEvent;
    expect(() => normalizeEnvelope(envelope('card.action.trigger', noToken), BOT)).toThrow(LarkEventShapeError);
  });
});

describe('normalizeEnvelope: other events', () => {
  it('maps an unknown event type to InboundOther', () => {
    expect(normalizeEnvelope(envelope('im.chat.member.bot.added_v1', { chat_id: 'oc_1' }, 'ev_9'), BOT)).toEqual({
      kind: 'other',
      eventId: 'ev_9',
      eventType: 'im.chat.member.bot.added_v1',
    });
  });
});

describe('normalizeFlatEvent (the WSClient shape {...header, ...event})', () => {
  const header = { schema: '2.0', event_id: 'ev_flat', event_type: 'x', create_time: '1', token: 'verification-token', app_id: 'cli_x', tenant_key: 't' };

  it('maps a flattened message like the envelope', () => {
    const event = messageEvent({ content: text('@_user_1 hello'), mentions: [{ key: '@_user_1', openId: BOT, name: 'Bot' }] });
    const flat = { ...header, event_type: 'im.message.receive_v1', ...event };
    const fromFlat = normalizeFlatEvent('im.message.receive_v1', flat, BOT);
    const fromEnvelope = normalizeEnvelope(envelope('im.message.receive_v1', event, 'ev_flat'), BOT);
    expect(fromFlat).toEqual(fromEnvelope);
    expect(fromFlat).toMatchObject({ text: 'hello', mentionsBot: true });
  });

  it('takes the card token from the event, which overrides the header token when flattened', () => {
    const card = {
      operator: { open_id: 'ou_alice' },
      token: 'c-update',
      context: { open_message_id: 'om_card', open_chat_id: 'oc_1' },
      action: { value: { cmd: 'ok' }, tag: 'button' },
    };
    const flat = { ...header, event_type: 'card.action.trigger', ...card };
    expect(normalizeFlatEvent('card.action.trigger', flat, BOT)).toMatchObject({ kind: 'card_action', eventId: 'ev_flat', token: 'c-update' });
  });

  it('maps unknown types to InboundOther', () => {
    expect(normalizeFlatEvent('application.bot.menu_v6', { ...header, event_key: 'k' }, BOT)).toEqual({
      kind: 'other',
      eventId: 'ev_flat',
      eventType: 'application.bot.menu_v6',
    });
  });

  it('throws a typed error without an event_id or for a non-object', () => {
    expect(() => normalizeFlatEvent('im.message.receive_v1', { message: {} }, BOT)).toThrow(LarkEventShapeError);
    expect(() => normalizeFlatEvent('im.message.receive_v1', null, BOT)).toThrow(LarkEventShapeError);
    expect(() => normalizeFlatEvent('im.message.receive_v1', 'text', BOT)).toThrow(LarkEventShapeError);
  });
});

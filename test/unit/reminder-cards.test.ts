// Reminder cards, their button payloads, the /提醒 设置 argument parser and the rate-limit bucket math.
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { adminDigestCard, deadlineReminderCard, myRemindersCard } from '../../cards/reminders.js';
import type { Card, CardElement } from '../../cards/types.js';
import { parseScheduleWords } from '../../commands/reminders.js';
import type { ReminderSection } from '../../src/domain/reminders/merge.js';
import { DomainError } from '../../src/errors.js';
import { bucketsForSend, larkQuotas, windowBucket } from '../../src/services/rate-limit.js';

const section = (code: string, lines: string[]): ReminderSection => ({
  campaignCode: code,
  campaignName: `活动${code}`,
  phaseKey: 'topic_submission',
  phaseLabel: '选题申报',
  deadline: new Date('2026-11-20T23:59:59+08:00'),
  daysLeft: 3,
  lines,
  actions: [{ kind: 'submit', campaignCode: code }],
});

function buttons(c: Card): Extract<CardElement, { tag: 'button' }>[] {
  return c.body.elements.filter((e): e is Extract<CardElement, { tag: 'button' }> => e.tag === 'button');
}

describe('reminder cards', () => {
  it('puts one submit button per campaign with a unique name and a payload the codec accepts', () => {
    const c = deadlineReminderCard({ sections: [section('LN2026', ['本溪高新区：已报 0 项']), section('CQ2026', ['渝中区：已报 0 项'])], mandatory: false });
    const bs = buttons(c);
    expect(bs.map((b) => b.name)).toEqual(['submit_0_0', 'submit_1_0']);
    expect(bs.map((b) => decodeAction(b.behaviors?.[0]?.value))).toEqual([
      { v: 1, a: 'reminder.open_submit', c: 'LN2026' },
      { v: 1, a: 'reminder.open_submit', c: 'CQ2026' },
    ]);
    expect(JSON.stringify(c)).toContain('还剩 3 天');
  });

  it('caps long lists so a digest stays far under the 30 KB card limit', () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ who: `单位${i}`, contacts: [`联络人${i}`], text: '县区，已报 0/2 项' }));
    const c = adminDigestCard([{ campaignName: '辽宁', campaignCode: 'LN2026', phaseLabel: '选题申报', deadline: new Date(), daysLeft: 1, lines, failures: [] }]);
    const json = JSON.stringify(c);
    expect(Buffer.byteLength(json)).toBeLessThan(30 * 1024);
    expect(json).toContain('另有 460 项');
  });

  it('offers mute or unmute, and none when every deadline is mandatory', () => {
    const base = { campaignId: 7, code: 'LN2026', name: '辽宁', schedule: '提前3天，09:00', deadlines: [] };
    expect(decodeAction(buttons(myRemindersCard({ campaigns: [{ ...base, muted: false, canMute: true }] }))[0]?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'reminder.mute', c: 7, on: true });
    expect(decodeAction(buttons(myRemindersCard({ campaigns: [{ ...base, muted: true, canMute: true }] }))[0]?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'reminder.mute', c: 7, on: false });
    expect(buttons(myRemindersCard({ campaigns: [{ ...base, muted: false, canMute: false }] }))).toEqual([]);
  });

  it('refuses forged or old reminder payloads', () => {
    expect(decodeAction({ v: 1, a: 'reminder.open_submit', c: 'ln2026; drop' })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'reminder.mute', c: 'x', on: true })).toBeUndefined();
    expect(decodeAction({ v: 0, a: 'reminder.mute', c: 1, on: true })).toBeUndefined();
  });
});

describe('/提醒 设置 arguments', () => {
  const message = (words: string[]): string => {
    try {
      parseScheduleWords(words);
    } catch (err) {
      if (err instanceof DomainError) return err.userMessage();
    }
    return 'accepted';
  };

  it('reads a code, offsets and a time in either order', () => {
    expect(parseScheduleWords(['LN2026', '提前', '7,3,1,0', '时间', '9:30'])).toEqual({ code: 'LN2026', offsets: [7, 3, 1, 0], time: '09:30' });
    expect(parseScheduleWords(['时间', '10:00', '提前', '3', '1'])).toEqual({ time: '10:00', offsets: [3, 1] });
  });

  it('says what to fix', () => {
    expect(message(['LN2026'])).toContain('请写要修改的提醒设置');
    expect(message(['LN2026', '提前', '90'])).toContain('0 到 60');
    expect(message(['LN2026', '时间', '7:00'])).toContain('08:00 到 21:00');
    expect(message(['LN2026', '每天'])).toContain('无法识别“每天”');
    expect(message(['LN2026', '提前', '3'])).toBe('accepted');
  });
});

describe('rate-limit buckets', () => {
  it('never let more than the quota through in any window: burst plus refill over the window', () => {
    for (const [limit, window] of [
      [50, 1],
      [1000, 60],
      [5, 1],
      [10, 1],
    ] as const) {
      const b = windowBucket('k', limit, window, 0.97);
      expect(b.capacity).toBeGreaterThanOrEqual(1);
      expect(b.capacity + b.rate * window).toBeLessThanOrEqual(limit);
    }
  });

  it("keeps the sustained rate close to Lark's 1,000 per minute", () => {
    const minute = bucketsForSend(larkQuotas, 'ou_x').find((b) => b.key === 'lark:app:minute')!;
    expect(minute.rate * 60).toBeGreaterThan(0.9 * 1000);
  });
});

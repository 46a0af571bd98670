// The reminder schedule on the official Chinese calendar (chinese-days): offsets, decent hours,
// deferral across National Day 2026 and the adjusted working Saturday, the same-day exception,
// merging pending items, and the settings an admin types.
import { describe, expect, it } from 'vitest';
import { chinaDay, officialCalendar, type WorkCalendar } from '../../src/domain/reminders/calendar.js';
import { daysLeftText, mergePending, type PendingItem } from '../../src/domain/reminders/merge.js';
import { dailyMoments, isAllowedMoment, momentsToPlan, nextAllowedMoment, reminderMoments } from '../../src/domain/reminders/schedule.js';
import { describeOffsets, parseOffsets, parseSendTime, reminderSettingsOf } from '../../src/domain/reminders/settings.js';

const bj = (s: string) => new Date(`${s}+08:00`);
const iso = (d: Date) => `${chinaDay(d)} ${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16)}`;
const plan = (deadline: string, offsets: number[], time = '09:00') =>
  reminderMoments(bj(deadline), { offsets, time }, officialCalendar).map((m) => `d${m.offset} ${iso(m.at)}`);

describe('official working-day calendar', () => {
  it('knows National Day 2026 and its adjusted working days', () => {
    expect(officialCalendar.isWorkday('2026-10-01')).toBe(false);
    expect(officialCalendar.isWorkday('2026-10-07')).toBe(false);
    expect(officialCalendar.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(officialCalendar.isWorkday('2026-09-20')).toBe(true); // Sunday, 调休上班
    expect(officialCalendar.isWorkday('2026-10-11')).toBe(false); // an ordinary Sunday
  });

  it('takes the Beijing day of an instant, not the UTC one', () => {
    expect(chinaDay(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
  });
});

describe('reminder moments', () => {
  it('sends 7, 3, 1 days before and on the day at 09:00 on ordinary working days', () => {
    expect(plan('2026-11-20T23:59:59', [7, 3, 1, 0])).toEqual(['d7 2026-11-13 09:00', 'd3 2026-11-17 09:00', 'd1 2026-11-19 09:00', 'd0 2026-11-20 09:00']);
  });

  it('uses the configured send time', () => {
    expect(plan('2026-11-20T23:59:59', [1], '14:30')).toEqual(['d1 2026-11-19 14:30']);
  });

  it('defers across National Day 2026 to the first working day, one reminder per day', () => {
    // d7 (10-02) and d3 (10-06) fall in the holiday; deferred to Thursday 10-08, the d1 day: one reminder.
    expect(plan('2026-10-09T18:00:00', [7, 3, 1, 0])).toEqual(['d1 2026-10-08 09:00', 'd0 2026-10-09 09:00']);
  });

  it('sends on the adjusted working Saturday and defers from the Sunday after it', () => {
    expect(plan('2026-10-12T23:59:59', [2, 1, 0])).toEqual(['d2 2026-10-10 09:00', 'd0 2026-10-12 09:00']);
  });

  it('still reminds on a holiday when the deadline is that same day', () => {
    expect(plan('2026-10-04T23:59:59', [1, 0])).toEqual(['d0 2026-10-04 09:00']);
    expect(isAllowedMoment(bj('2026-10-04T10:00:00'), bj('2026-10-04T23:59:59'), officialCalendar)).toBe(true);
    expect(isAllowedMoment(bj('2026-10-03T10:00:00'), bj('2026-10-04T23:59:59'), officialCalendar)).toBe(false);
  });

  it('keeps decent hours even on the deadline day, and drops what cannot go out before the deadline', () => {
    expect(isAllowedMoment(bj('2026-10-04T22:00:00'), bj('2026-10-04T23:59:59'), officialCalendar)).toBe(false);
    expect(nextAllowedMoment(bj('2026-10-04T22:00:00'), bj('2026-10-04T23:59:59'), officialCalendar, '09:00')).toBeUndefined();
  });

  it('moves an on-the-day reminder before an early deadline to 08:00', () => {
    expect(plan('2026-11-20T08:30:00', [0])).toEqual(['d0 2026-11-20 08:00']);
    expect(plan('2026-11-20T07:30:00', [0])).toEqual([]);
  });

  it('defers out of the night: later the same morning, or the next working day at the send time', () => {
    const deadline = bj('2026-11-30T23:59:59');
    expect(iso(nextAllowedMoment(bj('2026-11-17T06:00:00'), deadline, officialCalendar, '09:00')!)).toBe('2026-11-17 08:00');
    expect(iso(nextAllowedMoment(bj('2026-11-17T21:30:00'), deadline, officialCalendar, '09:00')!)).toBe('2026-11-18 09:00');
    expect(iso(nextAllowedMoment(bj('2026-11-20T21:30:00'), deadline, officialCalendar, '09:00')!)).toBe('2026-11-23 09:00'); // Friday night -> Monday
  });

  it('follows whatever calendar it is given', () => {
    const everyDayOff: WorkCalendar = { isWorkday: () => false };
    const moments = reminderMoments(bj('2026-11-20T23:59:59'), { offsets: [3, 0], time: '09:00' }, everyDayOff);
    expect(moments.map((m) => m.offset)).toEqual([0]);
  });

  it('leaves out moments before the phase opens', () => {
    const moments = reminderMoments(bj('2026-11-20T23:59:59'), { offsets: [7, 3, 1, 0], time: '09:00' }, officialCalendar, bj('2026-11-16T00:00:00'));
    expect(moments.map((m) => m.offset)).toEqual([3, 1, 0]);
  });
});

describe('what the planner plans now', () => {
  const deadline = bj('2026-11-20T23:59:59');
  const moments = reminderMoments(deadline, { offsets: [7, 3, 1, 0], time: '09:00' }, officialCalendar);
  const opts = { horizonMs: 3 * 3600_000, catchUpMs: 12 * 3600_000, deadline, calendar: officialCalendar, preferredTime: '09:00' };

  it('plans only moments within the horizon', () => {
    expect(momentsToPlan(moments, bj('2026-11-17T07:00:00'), opts).map((m) => m.offset)).toEqual([3]);
    expect(momentsToPlan(moments, bj('2026-11-15T07:00:00'), opts)).toEqual([]);
  });

  it('catches up the latest missed moment at the next allowed moment, but not an old one', () => {
    const late = momentsToPlan(moments, bj('2026-11-17T10:30:00'), opts);
    expect(late.map((m) => [m.offset, iso(m.at)])).toEqual([[3, '2026-11-17 10:30']]);
    const night = momentsToPlan(moments, bj('2026-11-17T20:59:00'), opts);
    expect(night.map((m) => [m.offset, iso(m.at)])).toEqual([[3, '2026-11-17 20:59']]);
    expect(momentsToPlan(moments, bj('2026-11-18T08:00:00'), opts)).toEqual([]); // 23 h late: dropped
  });
});

describe('daily progress moments', () => {
  it('skips the holiday week and runs on working days while the phase is open', () => {
    const phase = { opensAt: bj('2026-09-28T00:00:00'), closesAt: bj('2026-10-09T18:00:00') };
    const days = dailyMoments(phase, { from: bj('2026-09-28T00:00:00'), until: bj('2026-10-12T00:00:00') }, officialCalendar, '09:00').map((d) => d.day);
    expect(days).toEqual(['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09']);
  });
});

describe('merging pending items for one person', () => {
  const now = bj('2026-11-17T09:00:00');
  const item = (over: Partial<PendingItem>): PendingItem => ({
    campaignCode: 'LN2026',
    campaignName: '辽宁评价奖励',
    phaseKey: 'topic_submission',
    phaseLabel: '选题申报',
    deadline: bj('2026-11-20T23:59:59'),
    source: 'campaign.submission',
    text: '本溪高新区：已报 0 项',
    action: { kind: 'submit', campaignCode: 'LN2026' },
    ...over,
  });

  it('groups by deadline, nearest first, without duplicate lines or buttons', () => {
    const sections = mergePending(
      [
        item({}),
        item({ text: '明山区：已报 1 项' }),
        item({}),
        item({ campaignCode: 'CQ2026', campaignName: '重庆督查激励', deadline: bj('2026-11-18T18:00:00'), text: '渝中区：已报 0 项', action: { kind: 'submit', campaignCode: 'CQ2026' } }),
      ],
      now,
    );
    expect(sections.map((s) => s.campaignCode)).toEqual(['CQ2026', 'LN2026']);
    expect(sections[1]?.lines).toEqual(['本溪高新区：已报 0 项', '明山区：已报 1 项']);
    expect(sections[1]?.actions).toHaveLength(1);
    expect(sections.map((s) => s.daysLeft)).toEqual([1, 3]);
    expect(daysLeftText(0)).toBe('今天截止');
    expect(daysLeftText(3)).toBe('还剩 3 天');
  });
});

describe('settings an admin types', () => {
  it('parses offsets in any common separator, largest first, deduplicated', () => {
    expect(parseOffsets('7,3,1,0')).toEqual({ ok: true, value: [7, 3, 1, 0] });
    expect(parseOffsets('1、3，7 3')).toEqual({ ok: true, value: [7, 3, 1] });
  });

  it('refuses offsets out of range or not numbers, saying what to fix', () => {
    const big = parseOffsets('7,61');
    expect(big.ok).toBe(false);
    expect(!big.ok && big.message).toContain('0 到 60');
    const word = parseOffsets('七');
    expect(!word.ok && word.message).toContain('不是整数天数');
    expect(parseOffsets('-1').ok).toBe(false);
  });

  it('parses HH:MM inside decent hours only', () => {
    expect(parseSendTime('9:00')).toEqual({ ok: true, value: '09:00' });
    expect(parseSendTime('17：30')).toEqual({ ok: true, value: '17:30' });
    const night = parseSendTime('22:00');
    expect(!night.ok && night.message).toContain('08:00 到 21:00');
    expect(parseSendTime('25:00').ok).toBe(false);
    expect(parseSendTime('九点').ok).toBe(false);
  });

  it('reads a definition without settings as the defaults', () => {
    expect(reminderSettingsOf({})).toEqual({ offsets: [7, 3, 1, 0], time: '09:00', mandatory: [] });
    expect(reminderSettingsOf({ reminders: { offsets: [0, 3], mandatory: ['topic_submission'] } })).toEqual({ offsets: [3, 0], time: '09:00', mandatory: ['topic_submission'] });
    expect(describeOffsets([7, 3, 1, 0])).toBe('提前7天、提前3天、提前1天和截止当天');
  });
});

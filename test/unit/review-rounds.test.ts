import { describe, expect, it } from 'vitest';
import { templates } from '../../src/domain/campaign/templates/index.js';
import {
  canReview,
  closeRound,
  nextRoundKind,
  openFirstRound,
  openNextRound,
  roundExitCap,
  scoresVisible,
  type ReviewRound,
} from '../../src/domain/review/rounds.js';

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
function value<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}
const counts = (entries: [number, number][]): Map<number, number> => new Map(entries);

const opened = value(openFirstRound({ track: 'evaluation', items: [1, 2, 3], quorum: 3, at: at('2023-03-01T09:00'), deadline: at('2023-03-10T18:00') }));

describe('tracks', () => {
  it('初评 → 复评 → 现场答辩; 办公室遴选 → 领导确定; 牵头部门评审 alone', () => {
    expect(nextRoundKind('evaluation', 'initial_review')).toBe('re_review');
    expect(nextRoundKind('evaluation', 're_review')).toBe('defence');
    expect(nextRoundKind('evaluation', 'defence')).toBeUndefined();
    expect(nextRoundKind('topic_selection', 'office_selection')).toBe('leader_confirmation');
    expect(nextRoundKind('topic_selection', 'leader_confirmation')).toBeUndefined();
    expect(nextRoundKind('supervision_incentive', 'department_review')).toBeUndefined();
    expect(nextRoundKind('topic_selection', 'initial_review')).toBeUndefined();
  });
});

describe('openFirstRound', () => {
  it('opens the first kind of the track with its items (duplicates dropped), sealed', () => {
    expect(opened).toMatchObject({ track: 'evaluation', kind: 'initial_review', status: 'open', items: [1, 2, 3], quorum: 3, closedAt: null, override: null, advancedAt: null });
    expect(value(openFirstRound({ track: 'topic_selection', items: [5, 5, 6], quorum: 1, at: at('2022-10-16T09:00') }))).toMatchObject({
      kind: 'office_selection',
      items: [5, 6],
      deadline: null,
    });
    expect(scoresVisible(opened)).toBe(false);
  });

  it.each([
    [{ items: [] as number[] }, 'no_items', '本轮没有可评审的成果，不能开启。'],
    [{ quorum: 0 }, 'invalid_quorum', '每项成果需要的评审份数应为正整数（例如 3），现在是“0”。'],
    [{ quorum: 2.5 }, 'invalid_quorum', '每项成果需要的评审份数应为正整数（例如 3），现在是“2.5”。'],
    [{ deadline: at('2023-03-01T08:00') }, 'invalid_deadline', '评审截止时间2023年3月1日 08:00不晚于现在，请选择以后的时间。'],
  ])('refuses %j', (change, code, message) => {
    expect(openFirstRound({ track: 'evaluation', items: [1], quorum: 3, at: at('2023-03-01T09:00'), ...change })).toEqual({ ok: false, code, message });
  });
});

describe('canReview: open, before the deadline, and only items of the round', () => {
  it('allows a review until the deadline, not at it', () => {
    expect(canReview(opened, 2, at('2023-03-10T17:59'))).toEqual({ ok: true, value: true });
    expect(canReview(opened, 2, at('2023-03-10T18:00'))).toEqual({
      ok: false,
      code: 'deadline_passed',
      message: '“初评”的评审已于2023年3月10日 18:00截止，评分和投票不能再修改。',
    });
  });
  it('refuses an item that is not in the round (a forged card)', () => {
    expect(canReview(opened, 9, at('2023-03-02T10:00'))).toEqual({ ok: false, code: 'not_in_round', message: '这项成果不在“初评”的评审范围内。' });
  });
  it('refuses after close, and scores become visible', () => {
    const closed = value(closeRound(opened, { reviewCounts: counts([[1, 3], [2, 3], [3, 4]]), at: at('2023-03-05T12:00') }));
    expect(canReview(closed, 1, at('2023-03-05T12:01'))).toEqual({
      ok: false,
      code: 'round_closed',
      message: '“初评”已于2023年3月5日 12:00关闭，评分和投票不能再修改。',
    });
    expect(scoresVisible(closed)).toBe(true);
  });
});

describe('closeRound', () => {
  it('closes when every item has its quorum', () => {
    const closed = value(closeRound(opened, { reviewCounts: counts([[1, 3], [2, 5], [3, 3]]), at: at('2023-03-10T18:00') }));
    expect(closed).toMatchObject({ status: 'closed', closedAt: at('2023-03-10T18:00'), override: null });
    expect(opened.status).toBe('open'); // a new object; the input is untouched
  });

  it('refuses while items lack reviews, naming them with their counts', () => {
    const labels = new Map([
      [2, 'LN2022-溪湖区-002'],
      [3, 'LN2022-平山区-001'],
    ]);
    expect(closeRound(opened, { reviewCounts: counts([[1, 3], [2, 2]]), at: at('2023-03-10T18:00'), itemLabels: labels })).toEqual({
      ok: false,
      code: 'quorum_not_met',
      message:
        '“初评”还有2项未达到每项3份评审的要求：LN2022-溪湖区-002（2/3）、LN2022-平山区-001（0/3）。请等评审完成后再关闭；如确需提前关闭，请注明理由后强制关闭。',
    });
  });

  it('lists five and counts the rest when many are short', () => {
    const many = value(openFirstRound({ track: 'evaluation', items: [1, 2, 3, 4, 5, 6, 7], quorum: 1, at: at('2023-03-01T09:00') }));
    const result = closeRound(many, { reviewCounts: new Map(), at: at('2023-03-02T09:00') });
    expect(!result.ok && result.message).toContain('1（0/1）、2（0/1）、3（0/1）、4（0/1）、5（0/1）等7项。');
  });

  it('an override with a reason closes anyway and records what was short', () => {
    const closed = value(closeRound(opened, { reviewCounts: counts([[1, 3], [2, 2]]), at: at('2023-03-10T18:00'), overrideReason: '  两位专家因病无法参加  ' }));
    expect(closed.override).toEqual({
      reason: '两位专家因病无法参加',
      short: [
        { itemId: 2, reviews: 2 },
        { itemId: 3, reviews: 0 },
      ],
    });
  });

  it('an override reason must say something (at least 4 characters)', () => {
    expect(closeRound(opened, { reviewCounts: new Map(), at: at('2023-03-10T18:00'), overrideReason: '同意' })).toEqual({
      ok: false,
      code: 'reason_required',
      message: '强制关闭的理由至少要写4个字，说明为什么在评审未完成时关闭（现在是“同意”）。',
    });
    expect(closeRound(opened, { reviewCounts: new Map(), at: at('2023-03-10T18:00'), overrideReason: '   ' })).toMatchObject({ ok: false, code: 'quorum_not_met' });
  });

  it('cannot close twice', () => {
    const closed = value(closeRound(opened, { reviewCounts: counts([[1, 3], [2, 3], [3, 3]]), at: at('2023-03-10T18:00') }));
    expect(closeRound(closed, { reviewCounts: new Map(), at: at('2023-03-11T09:00') })).toEqual({
      ok: false,
      code: 'already_closed',
      message: '“初评”已于2023年3月10日 18:00关闭，不能重复关闭。',
    });
  });
});

describe('openNextRound', () => {
  const full = counts([[1, 3], [2, 3], [3, 3]]);
  const closed = value(closeRound(opened, { reviewCounts: full, at: at('2023-03-10T18:00') }));

  it('opens 复评 with the survivors, marks 初评 advanced, and keeps the quorum unless changed', () => {
    const { previous, next } = value(openNextRound(closed, { survivors: [3, 1], at: at('2023-03-11T09:00'), deadline: at('2023-03-20T18:00') }));
    expect(previous).toMatchObject({ kind: 'initial_review', status: 'closed', advancedAt: at('2023-03-11T09:00') });
    expect(next).toMatchObject({ kind: 're_review', status: 'open', items: [3, 1], quorum: 3, deadline: at('2023-03-20T18:00') });
    const fewer = value(openNextRound(closed, { survivors: [1], at: at('2023-03-11T09:00'), quorum: 5 }));
    expect(fewer.next.quorum).toBe(5);
  });

  it('the whole evaluation track: 初评 → 复评 → 现场答辩, then no further round', () => {
    const re = value(openNextRound(closed, { survivors: [1, 2], at: at('2023-03-11T09:00') })).next;
    const reClosed = value(closeRound(re, { reviewCounts: full, at: at('2023-03-20T18:00') }));
    const cap = roundExitCap(templates['liaoning-2022'], 're_review')?.cap;
    const defence = value(openNextRound(reClosed, { survivors: [2], at: at('2023-03-21T09:00'), cap })).next;
    expect(defence.kind).toBe('defence');
    const done = value(closeRound(defence, { reviewCounts: full, at: at('2023-03-30T18:00') }));
    expect(openNextRound(done, { survivors: [2], at: at('2023-03-31T09:00') })).toEqual({
      ok: false,
      code: 'last_round',
      message: '“现场答辩”是成果评价的最后一轮，没有下一轮。',
    });
  });

  it('topic selection: the office’s pick (≤ 20) goes to leadership; more than 20 is refused', () => {
    const topics = Array.from({ length: 25 }, (_, i) => i + 1);
    const office = value(openFirstRound({ track: 'topic_selection', items: topics, quorum: 1, at: at('2022-10-16T09:00') }));
    const officeClosed = value(closeRound(office, { reviewCounts: new Map(topics.map((t) => [t, 1])), at: at('2022-10-23T18:00') }));
    const cap = roundExitCap(templates['liaoning-2022'], 'office_selection')?.cap;
    expect(openNextRound(officeClosed, { survivors: topics.slice(0, 21), at: at('2022-10-24T09:00'), cap })).toEqual({
      ok: false,
      code: 'over_cap',
      message: '“办公室遴选”最多入围20项，入围名单有21项，请删减后再开启“领导确定”。',
    });
    const leader = value(openNextRound(officeClosed, { survivors: topics.slice(0, 20), at: at('2022-10-24T09:00'), cap })).next;
    expect(leader).toMatchObject({ kind: 'leader_confirmation', items: topics.slice(0, 20) });
  });

  it.each([
    ['an open round', opened, { survivors: [1] }, 'not_closed', '“初评”还没有关闭，请先关闭本轮，再开启下一轮。'],
    ['no survivors', closed, { survivors: [] }, 'no_survivors', '入围名单为空，不能开启“复评”。请先从本轮排名中确定入围名单。'],
    ['a survivor from elsewhere', closed, { survivors: [1, 8, 9] }, 'unknown_survivor', '入围名单中有2项不在“初评”中（8、9），请按本轮排名重新确定入围名单。'],
    ['a top-N cap exceeded', closed, { survivors: [1, 2], cap: { rule: 'top', max: 1 } as const }, 'over_cap', '“初评”只取排名前1名，入围名单有2项，请删减后再开启“复评”。'],
  ])('refuses %s', (_what, round: ReviewRound<number>, change, code, message) => {
    expect(openNextRound(round, { at: at('2023-03-11T09:00'), ...change })).toEqual({ ok: false, code, message });
  });

  it('refuses to open the next round twice', () => {
    const { previous } = value(openNextRound(closed, { survivors: [1], at: at('2023-03-11T09:00') }));
    expect(openNextRound(previous, { survivors: [1], at: at('2023-03-11T10:00') })).toEqual({
      ok: false,
      code: 'already_advanced',
      message: '下一轮“复评”已经开启，不能重复开启。',
    });
  });
});

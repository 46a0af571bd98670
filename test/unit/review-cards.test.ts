import { describe, expect, it } from 'vitest';
import { awardFormCard, initialRows, readAwardForm, type AwardFormView } from '../../cards/award-split.js';
import { decodeAction } from '../../cards/codec.js';
import { approvalCard, decisionNoticeText, returnFormCard, type ApprovalView } from '../../cards/leader-approval.js';
import { CHART_BARS, exportCard, rankingCard, RANKING_ROWS, type RankedRowView, type RankingCardView } from '../../cards/ranking.js';
import { myReviewsCard, progressCard, readScoreForm, recuseConfirmCard, reviewCard, reviewFormCard, type ReviewCardView } from '../../cards/review.js';
import type { Card, CardElement, FormChild } from '../../cards/types.js';
import { parseContent } from '../../src/fake-lark/content-rules.js';

/** Lark's own checks (size, element count, unique names, forms at the root): throws if Lark would refuse the card. */
const accepted = (c: Card): Card => {
  parseContent('interactive', JSON.stringify(c));
  return c;
};
const all = (c: Card): (CardElement | FormChild)[] => {
  const out: (CardElement | FormChild)[] = [];
  const walk = (list: readonly (CardElement | FormChild)[]) => {
    for (const e of list) {
      out.push(e);
      if ('elements' in e && Array.isArray(e.elements)) walk(e.elements as (CardElement | FormChild)[]);
    }
  };
  walk(c.body.elements);
  return out;
};
const texts = (c: Card) => JSON.stringify(c);
const buttons = (c: Card) => all(c).filter((e) => e.tag === 'button');
const payloads = (c: Card) => buttons(c).map((b) => (b.tag === 'button' ? decodeAction(b.behaviors?.[0]?.value) : undefined));
const named = (c: Card, name: string) => all(c).find((e) => 'name' in e && e.name === name);

const criteria = [
  { key: 'solves_real_problems', label: '真正解决实际问题', weight: 1, scale: { min: 0, max: 10 } },
  { key: 'replicable', label: '可复制可推广', weight: 3, scale: { min: 0, max: 10 } },
];
const view: ReviewCardView = {
  ref: { roundId: 7, submissionId: 42, reviewer: 'ou_rev_1' },
  campaign: { code: 'LN2022', name: '辽宁省2022年制度性创新成果评价奖励（本溪市）' },
  round: { label: '初评', deadline: new Date('2023-03-20T18:00:00+08:00') },
  submission: { trackingNo: 'LN2022-本溪高新区-001', title: '企业开办*一日办结*', unitName: '本溪高新区', kindLabel: '成果', directionLabel: '突出深化改革扩大开放', problem: '跑多个部门' },
  criteria,
  mine: null,
  status: 'assigned',
  locked: null,
};
const given = { ...view, mine: { scores: { solves_real_problems: 8, replicable: 6.5 }, vote: 'recommend' as const, comment: '做法扎实', updatedAt: new Date('2023-03-10T09:30:00+08:00'), version: 2 } };

describe('review card', () => {
  it('reads the score sheet form: s_<criterion> fields become scores, everything else stays as typed', () => {
    const { sheet, raw } = readScoreForm({ s_solves_real_problems: '８', s_replicable: 7, vote: 'recommend', comment: '好', other: 'x' });
    expect(sheet).toEqual({ scores: { solves_real_problems: '８', replicable: 7 }, vote: 'recommend', comment: '好' });
    expect(raw).toEqual({ scores: { solves_real_problems: '８', replicable: '7' }, vote: 'recommend', comment: '好' });
    expect(readScoreForm(undefined).sheet).toEqual({ scores: {}, vote: undefined, comment: undefined });
  });

  it('a first review is a form at the root: one input per criterion within its scale, a vote select, a comment ≤ 500, 回避 outside the form', () => {
    const c = accepted(reviewCard(view));
    const form = c.body.elements.find((e) => e.tag === 'form');
    expect(form?.tag).toBe('form');
    expect(named(c, 's_solves_real_problems')).toMatchObject({ tag: 'input', required: true, placeholder: { content: '0–10' } });
    expect(named(c, 'vote')).toMatchObject({ tag: 'select_static', options: [{ value: 'recommend' }, { value: 'not_recommend' }, { value: 'abstain' }] });
    expect(named(c, 'comment')).toMatchObject({ tag: 'input', max_length: 500 });
    expect(texts(c)).toContain('权重3');
    expect(texts(c)).toContain('企业开办\\\\*一日办结\\\\*');
    expect(texts(c)).toContain('包括管理员');
    expect(payloads(c)).toEqual([
      { v: 1, a: 'review.submit', r: 7, s: 42, o: 'ou_rev_1' },
      { v: 1, a: 'review.recuse', r: 7, s: 42, o: 'ou_rev_1' },
    ]);
  });

  it('a refused sheet comes back with what was typed and a red line under each bad field', () => {
    const c = accepted(
      reviewFormCard(view, {
        values: { scores: { solves_real_problems: '11', replicable: 'abc' }, vote: 'abstain', comment: '意见' },
        problems: [
          { field: 'solves_real_problems', message: '“真正解决实际问题”的评分应在0到10分之间，现在是11分。' },
          { field: 'replicable', message: '“可复制可推广”的评分必须是数字（0–10分），现在填的是“abc”。' },
          { field: 'forged', message: '评分表中有本轮不评的项目“forged”，请刷新卡片后重新填写。' },
        ],
      }),
    );
    expect(named(c, 's_solves_real_problems')).toMatchObject({ default_value: '11' });
    expect(named(c, 's_replicable')).toMatchObject({ default_value: 'abc' });
    expect(named(c, 'vote')).toMatchObject({ initial_option: 'abstain' });
    expect(named(c, 'comment')).toMatchObject({ default_value: '意见' });
    const form = c.body.elements.find((e) => e.tag === 'form');
    const children = form?.tag === 'form' ? form.elements : [];
    const at = children.findIndex((e) => 'name' in e && e.name === 's_solves_real_problems');
    expect(children[at + 1]).toEqual({ tag: 'markdown', content: "<font color='red'>“真正解决实际问题”的评分应在0到10分之间，现在是11分。</font>" });
    // A problem with no field of its own goes above the form.
    const formAt = c.body.elements.findIndex((e) => e.tag === 'form');
    expect(JSON.stringify(c.body.elements[formAt - 1])).toContain('forged');
  });

  it('after a submit it shows what was given, with 修改 and 回避', () => {
    const c = accepted(reviewCard(given));
    expect(c.body.elements.some((e) => e.tag === 'form')).toBe(false);
    const t = texts(c);
    expect(t).toContain('真正解决实际问题：8分');
    expect(t).toContain('可复制可推广：6.5分');
    expect(t).toContain('加权得分：6.88分');
    expect(t).toContain('推荐');
    expect(t).toContain('第2版');
    expect(payloads(c).map((p) => p?.a)).toEqual(['review.edit', 'review.recuse']);
  });

  it('修改 opens the form pre-filled with the given sheet', () => {
    const c = accepted(reviewFormCard(given));
    expect(named(c, 's_replicable')).toMatchObject({ default_value: '6.5' });
    expect(named(c, 'vote')).toMatchObject({ initial_option: 'recommend' });
    expect(payloads(c).map((p) => p?.a)).toEqual(['review.submit', 'review.open', 'review.recuse']);
  });

  it('turns read-only once the round is closed, and says so; no buttons', () => {
    const c = accepted(reviewCard({ ...given, locked: '“初评”已于2023年3月21日 10:00关闭，评分和投票不能再修改。' }));
    expect(buttons(c)).toHaveLength(0);
    expect(texts(c)).toContain('本卡片已只读');
    expect(texts(c)).toContain('已于2023年3月21日 10:00关闭');
    const none = accepted(reviewCard({ ...view, locked: '已关闭' }));
    expect(texts(none)).toContain('你没有在本轮关闭前提交这项评审');
    expect(buttons(none)).toHaveLength(0);
  });

  it('a recused card has no actions; the recusal confirmation keeps the typed reason and its error', () => {
    expect(buttons(accepted(reviewCard({ ...view, status: 'recused' })))).toHaveLength(0);
    const c = accepted(recuseConfirmCard(view, { reason: '太长', error: '回避理由最多200字' }));
    expect(named(c, 'reason')).toMatchObject({ default_value: '太长' });
    expect(texts(c)).toContain('回避理由最多200字');
    expect(payloads(c).map((p) => p?.a)).toEqual(['review.recuseConfirm', 'review.open']);
  });

  it('forged or foreign payloads do not decode', () => {
    expect(decodeAction({ v: 1, a: 'review.submit', r: 7, s: 42, o: 'someone' })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'review.submit', r: -1, s: 42, o: 'ou_x' })).toBeUndefined();
    expect(decodeAction({ v: 2, a: 'review.submit', r: 7, s: 42, o: 'ou_x' })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'leader.approve', r: 3, d: 'not-hex' })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'award.save', s: 1, t: 'first', u: 'yuan', n: 99 })).toBeUndefined();
  });
});

describe('review lists and progress', () => {
  const entry = (i: number, reviewedAt: Date | null) => ({
    ref: { roundId: 7, submissionId: i, reviewer: 'ou_rev_1' },
    campaignCode: 'LN2022',
    roundLabel: '初评',
    trackingNo: `LN2022-本溪高新区-${String(i).padStart(3, '0')}`,
    title: `成果${i}`,
    deadline: null,
    reviewedAt,
  });

  it('lists pending first, caps each section and keeps every button name unique', () => {
    const c = accepted(myReviewsCard({ pending: Array.from({ length: 25 }, (_, i) => entry(i + 1, null)), done: [entry(40, new Date())], closed: [] }));
    expect(c.header?.subtitle?.content).toBe('还有25项待评审');
    expect(buttons(c)).toHaveLength(21);
    expect(texts(c)).toContain('还有5项未列出');
    expect(payloads(c)[0]).toEqual({ v: 1, a: 'review.open', r: 7, s: 1, o: 'ou_rev_1' });
    expect(texts(accepted(myReviewsCard({ pending: [], done: [], closed: [] })))).toContain('目前没有分配给你的评审任务');
  });

  it('progress shows completion only', () => {
    const c = accepted(
      progressCard({
        campaign: { name: '活动', code: 'LN2022' },
        round: { label: '初评', quorum: 3, k: 3, closesAt: null },
        items: 4,
        itemsAtQuorum: 1,
        reviewers: [
          { name: '张评审', assigned: 3, done: 3, recused: 0 },
          { name: '李评审', assigned: 3, done: 1, recused: 1 },
        ],
      }),
    );
    const t = texts(c);
    expect(t).toContain('1/4');
    expect(t).toContain('张评审：已完成 3/3');
    expect(t).toContain('李评审：已完成 1/3（回避1项）');
    expect(t).not.toMatch(/推荐|分数|得分/);
  });
});

describe('ranking card', () => {
  const row = (rank: number, over: Partial<RankedRowView> = {}): RankedRowView => ({
    id: rank,
    rank,
    trackingNo: `LN2022-单位${rank}-001`,
    title: `成果${rank}`,
    unitName: `单位${rank}`,
    reviews: 3,
    quorumMet: true,
    weightedMean: 10 - rank * 0.25,
    median: 10 - rank * 0.25,
    normalized: 1 - rank * 0.1,
    votes: { recommend: 2, not_recommend: 1, abstain: 0 },
    disagreement: { scoreSpread: false, voteSplit: false },
    ...over,
  });
  const base: RankingCardView = {
    campaign: { code: 'LN2022', name: '活动' },
    round: { label: '初评', quorum: 3, closedAt: new Date('2023-03-21T10:00:00+08:00'), overrideReason: '两位专家因公出差' },
    items: Array.from({ length: 30 }, (_, i) => row(i + 1, i === 1 ? { disagreement: { scoreSpread: true, voteSplit: true }, quorumMet: false } : {})),
    reviewers: [{ name: '王评审', flag: 'zero_variance' }],
    shortlist: { kind: 'none' },
    next: { label: '复评' },
    cap: null,
  };

  it('shows the top of the list in a table, flags, the rule, the override, and a VChart bar chart of the top items', () => {
    const c = accepted(rankingCard(base));
    const table = c.body.elements.find((e) => e.tag === 'table');
    expect(table?.tag === 'table' && table.rows).toHaveLength(RANKING_ROWS);
    expect(table?.tag === 'table' && table.rows[1]?.flags).toBe('⚠评分分歧 ⚠投票分裂 未达法定份数');
    const chart = c.body.elements.find((e) => e.tag === 'chart');
    const spec = chart?.tag === 'chart' ? chart.chart_spec : {};
    expect(spec).toMatchObject({ type: 'bar', xField: 'item', yField: 'score' });
    const values = (spec.data as { values: { item: string; score: number }[] }[])[0]?.values ?? [];
    expect(values).toHaveLength(CHART_BARS);
    expect(values[0]).toEqual({ item: '1. LN2022-单位1-001', score: 9.75 });
    const t = texts(c);
    expect(t).toContain('排序规则：先按标准化得分');
    expect(t).toContain('王评审（所有评分相同）');
    expect(t).toContain('两位专家因公出差');
    expect(t).toContain('/排名 入围');
  });

  it('marks the shortlist and the leaders’ decision', () => {
    const c = accepted(rankingCard({ ...base, shortlist: { kind: 'advanced', kept: [1, 3], nextLabel: '复评', decision: { decision: 'returned', reason: '请补充', leaderName: '刘书记' } } }));
    const table = c.body.elements.find((e) => e.tag === 'table');
    expect(table?.tag === 'table' && table.rows.map((r) => r.flags).slice(0, 3)).toEqual(['入围', '⚠评分分歧 ⚠投票分裂 未达法定份数', '入围']);
    expect(texts(c)).toContain('领导（刘书记）已退回，理由：请补充');
  });

  it('the export card links to the signed download', () => {
    const link = { url: 'https://reform.example/downloads/abc.def', expiresAt: new Date('2023-03-22T10:00:00+08:00') };
    const text = texts(accepted(exportCard({ campaign: { code: 'LN2022', name: '活动' }, round: { label: '初评' }, items: 4, sheets: 12, link })));
    expect(text).toContain('[点击下载 XLSX](https://reform.example/downloads/abc.def)');
    expect(text).toContain('2023年3月22日');
  });
});

describe('leader approval card', () => {
  const v: ApprovalView = {
    campaign: { name: '活动' },
    round: { id: 9, label: '办公室遴选' },
    digest: '0123456789abcdef',
    nextLabel: '领导确定',
    items: [{ rank: 1, trackingNo: 'LN2022-单位1-001', title: '选题一', unitName: '单位1' }],
    decision: null,
  };

  it('offers 批准 and 退回 for this exact list; after a decision shows it instead', () => {
    expect(payloads(accepted(approvalCard(v)))).toEqual([
      { v: 1, a: 'leader.approve', r: 9, d: '0123456789abcdef' },
      { v: 1, a: 'leader.returnForm', r: 9, d: '0123456789abcdef' },
    ]);
    const decided = { ...v, decision: { decision: 'returned' as const, reason: '名额过多', leaderName: '刘书记', decidedAt: new Date('2022-10-25T10:00:00+08:00') } };
    const c = accepted(approvalCard(decided));
    expect(buttons(c)).toHaveLength(0);
    expect(texts(c)).toContain('名额过多');
    expect(decisionNoticeText(decided)).toBe('【活动】刘书记退回了“办公室遴选”入围名单，理由：名额过多。请调整后重新发送“/排名 报送”。');
    const form = accepted(returnFormCard(v, { reason: '', error: '请填写退回理由，说明名单需要怎样调整。' }));
    expect(named(form, 'reason')).toMatchObject({ required: true });
    expect(texts(form)).toContain('请填写退回理由');
  });
});

describe('award split form', () => {
  const v: AwardFormView = {
    submission: { id: 5, trackingNo: 'LN2022-本溪高新区-002', title: '成果', unitName: '本溪高新区', mainCreators: ['李明'] },
    campaign: { name: '活动' },
    tier: { key: 'first', label: '一等奖', amountYuan: 200_000 },
    rules: { mainCreatorMinShare: 0.4, countyLevelCadreMaxShare: 0.2 },
    current: null,
  };

  it('starts from the main creators and reads back only the filled rows', () => {
    const rows = initialRows(v, 'yuan');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ name: '李明', role: 'main_creator', cadre: false, amount: '' });
    const c = accepted(awardFormCard(v, { unit: 'yuan', rows }));
    expect(payloads(c)).toEqual([{ v: 1, a: 'award.save', s: 5, t: 'first', u: 'yuan', n: 3 }]);
    const read = readAwardForm({ name_0: '李明', role_0: 'main_creator', amount_0: '70000', name_1: '王芳', role_1: 'team_member', cadre_1: true, amount_1: '130000', name_2: '', amount_2: '' }, 3);
    expect(read.awardees).toEqual([
      { name: '李明', role: 'main_creator', countyLevelCadre: false, amount: '70000' },
      { name: '王芳', role: 'team_member', countyLevelCadre: true, amount: '130000' },
    ]);
  });

  it('shows each broken rule word for word above the form, with what was typed', () => {
    const message = '主创人奖金比例不低于总奖金的40%：主创人（李明）合计70,000元，占35%，至少应为80,000元。';
    const rows = [{ name: '李明', role: 'main_creator' as const, cadre: false, amount: '70000' }];
    const c = accepted(awardFormCard(v, { unit: 'yuan', rows, problems: [message] }));
    expect(texts(c)).toContain(message);
    expect(named(c, 'amount_0')).toMatchObject({ default_value: '70000' });
  });
});

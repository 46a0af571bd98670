import { describe, expect, it } from 'vitest';
import { templates } from '../../src/domain/campaign/templates/index.js';
import {
  criteriaForStage,
  parseVote,
  validateScoreSheet,
  weightedScore,
  weightedScoreRange,
  type ScoreCriterion,
} from '../../src/domain/review/scores.js';

const achievement = criteriaForStage(templates['liaoning-2022'].criteria, 'achievement');
const full = { solves_real_problems: 8, withstands_practice: 7, public_gain: 9, replicable: 6 };

describe('criteriaForStage', () => {
  it('gives the four evaluation standards for achievements and the three topic indicators for topics', () => {
    expect(achievement.map((c) => c.label)).toEqual(['真正解决实际问题', '经得起实践检验', '群众获得感明显提高', '可复制可推广']);
    expect(criteriaForStage(templates['liaoning-2022'].criteria, 'topic').map((c) => c.label)).toEqual(['问题导向', '创新程度', '实践效果']);
    expect(criteriaForStage(undefined, 'topic')).toEqual([]);
  });
});

describe('validateScoreSheet accepts a complete sheet', () => {
  it('numbers, text from a form, full-width digits and the Chinese vote label', () => {
    const result = validateScoreSheet(achievement, {
      scores: { solves_real_problems: '8', withstands_practice: ' 7.5 ', public_gain: '９', replicable: 0 },
      vote: '推荐',
      comment: '  思路清晰，可在全省推广。  ',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        scores: { solves_real_problems: 8, withstands_practice: 7.5, public_gain: 9, replicable: 0 },
        vote: 'recommend',
        comment: '思路清晰，可在全省推广。',
      },
    });
  });

  it('the scale ends are allowed, and the comment may be left out or be exactly 500 characters', () => {
    const edge = { solves_real_problems: 0, withstands_practice: 10, public_gain: '10', replicable: '0.0' };
    expect(validateScoreSheet(achievement, { scores: edge, vote: 'abstain' }).ok).toBe(true);
    const long = '评'.repeat(500);
    expect(validateScoreSheet(achievement, { scores: full, vote: '不推荐', comment: long })).toMatchObject({ ok: true, value: { vote: 'not_recommend', comment: long } });
  });
});

describe('validateScoreSheet refuses, naming the criterion and the allowed range', () => {
  it.each([
    ['a missing criterion', { ...full, public_gain: undefined }, 'public_gain', '请为“群众获得感明显提高”打分（0–10分）。'],
    ['an empty input', { ...full, replicable: '  ' }, 'replicable', '请为“可复制可推广”打分（0–10分）。'],
    ['text that is not a number', { ...full, replicable: '很好' }, 'replicable', '“可复制可推广”的评分必须是数字（0–10分），现在填的是“很好”。'],
    ['NaN', { ...full, replicable: Number.NaN }, 'replicable', '“可复制可推广”的评分必须是数字（0–10分），现在填的是“NaN”。'],
    ['a number with junk', { ...full, replicable: '8分' }, 'replicable', '“可复制可推广”的评分必须是数字（0–10分），现在填的是“8分”。'],
    ['above the scale', { ...full, solves_real_problems: 11 }, 'solves_real_problems', '“真正解决实际问题”的评分应在0到10分之间，现在是11分。'],
    ['below the scale', { ...full, withstands_practice: '-0.5' }, 'withstands_practice', '“经得起实践检验”的评分应在0到10分之间，现在是-0.5分。'],
    ['a criterion of another stage (a forged form)', { ...full, innovation_degree: 5 }, 'innovation_degree', '评分表中有本轮不评的项目“innovation_degree”，请刷新卡片后重新填写。'],
  ])('%s', (_what, scores, field, message) => {
    const result = validateScoreSheet(achievement, { scores, vote: '推荐' });
    expect(result).toEqual({ ok: false, code: 'invalid_score_sheet', message, problems: [{ field, message }] });
  });

  it.each([
    [undefined, '请选择投票意见：推荐、不推荐或弃权。'],
    ['', '请选择投票意见：推荐、不推荐或弃权。'],
    ['同意', '投票意见只能是推荐、不推荐或弃权，现在是“同意”。'],
    [1, '投票意见只能是推荐、不推荐或弃权，现在是“1”。'],
  ])('vote %j', (vote, message) => {
    expect(validateScoreSheet(achievement, { scores: full, vote })).toMatchObject({ ok: false, problems: [{ field: 'vote', message }] });
  });

  it('a comment over 500 characters says how many to cut (characters, not UTF-16 units)', () => {
    const comment = '𠀀'.repeat(503); // 503 characters outside the BMP: 1,006 UTF-16 units
    expect(validateScoreSheet(achievement, { scores: full, vote: '推荐', comment })).toMatchObject({
      ok: false,
      problems: [{ field: 'comment', message: '评语最多500字，现在有503字，请删减3字。' }],
    });
  });

  it('lists every problem at once so the form can mark each field', () => {
    const result = validateScoreSheet(achievement, { scores: { solves_real_problems: 12, withstands_practice: 'x', public_gain: 5 }, vote: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['solves_real_problems', 'withstands_practice', 'replicable', 'vote']);
    expect(result.message).toMatch(/^评分表有4处需要修改：“真正解决实际问题”的评分应在0到10分之间/);
  });
});

describe('weighted score', () => {
  const weighted: ScoreCriterion[] = [
    { key: 'a', label: 'A', weight: 2, scale: { min: 0, max: 10 } },
    { key: 'b', label: 'B', weight: 1, scale: { min: 0, max: 10 } },
    { key: 'c', label: 'C', weight: 1, scale: { min: 0, max: 10 } },
  ];

  it.each([
    // (2×8 + 1×6 + 1×4) / (2+1+1) = 26/4 = 6.5
    [{ a: 8, b: 6, c: 4 }, 6.5],
    // (2×10 + 10 + 10) / 4 = 10
    [{ a: 10, b: 10, c: 10 }, 10],
    // (0 + 0 + 2) / 4 = 0.5
    [{ a: 0, b: 0, c: 2 }, 0.5],
  ])('%j -> %d', (scores, expected) => {
    expect(weightedScore(weighted, scores)).toBeCloseTo(expected, 12);
  });

  it('equal weights on liaoning-2022 give the plain mean: (8+7+9+6)/4 = 7.5', () => {
    expect(weightedScore(achievement, full)).toBe(7.5);
    expect(weightedScoreRange(achievement)).toEqual({ min: 0, max: 10 });
  });

  it('mixed scales: range is the weighted mean of the ends; no criteria means no score', () => {
    const mixed: ScoreCriterion[] = [
      { key: 'a', label: 'A', weight: 1, scale: { min: 0, max: 10 } },
      { key: 'b', label: 'B', weight: 3, scale: { min: 1, max: 5 } },
    ];
    // min (1×0 + 3×1)/4 = 0.75, max (1×10 + 3×5)/4 = 6.25
    expect(weightedScoreRange(mixed)).toEqual({ min: 0.75, max: 6.25 });
    expect(weightedScore([], {})).toBeNull();
    expect(weightedScoreRange([])).toBeNull();
    expect(() => weightedScore(mixed, { a: 1 })).toThrow(RangeError);
  });
});

describe('parseVote', () => {
  it.each([
    ['推荐', 'recommend'],
    [' 不推荐 ', 'not_recommend'],
    ['弃权', 'abstain'],
    ['abstain', 'abstain'],
    ['赞成', undefined],
    [null, undefined],
  ])('%j -> %s', (raw, vote) => {
    expect(parseVote(raw)).toBe(vote);
  });
});

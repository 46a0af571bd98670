import { describe, expect, it } from 'vitest';
import { validateTemplate } from '../../src/domain/campaign/template-validation.js';
import { customizeTemplate, templateIds, templates } from '../../src/domain/campaign/templates/index.js';
import { liaoning2022 } from '../../src/domain/campaign/templates/liaoning-2022.js';
import { chongqing2022 } from '../../src/domain/campaign/templates/chongqing-2022.js';

const ln = templates['liaoning-2022'];
const cq = templates['chongqing-2022'];
const chinese = /[\u4e00-\u9fff]/;

function failureOf(input: unknown): string {
  const result = validateTemplate(input);
  if (result.ok) throw new Error('expected the template to be rejected');
  return result.message;
}

describe('built-in templates', () => {
  it('both validate against the schema', () => {
    expect(templateIds).toEqual(['liaoning-2022', 'chongqing-2022']);
    expect(validateTemplate(liaoning2022).ok).toBe(true);
    expect(validateTemplate(chongqing2022).ok).toBe(true);
  });

  it('Liaoning has the ten directions of seed 000 §二 plus 其他', () => {
    expect(ln.directions?.map((d) => d.label)).toEqual([
      '突出履行维护国家“五大安全”政治使命',
      '突出创新驱动发展',
      '突出数字辽宁、智造强省建设',
      '突出构建“一圈一带两区”区域发展格局',
      '突出生态优先绿色发展',
      '突出深化改革扩大开放',
      '突出保障和改善民生',
      '突出推进社会主义民主政治建设',
      '突出加快文化强省建设',
      '突出全面加强党的建设',
      '其他',
    ]);
  });

  it('Liaoning scores achievements on the four criteria of §三, 0–10 each, and topics on three indicators', () => {
    const achievement = ln.criteria?.filter((c) => c.stage === 'achievement') ?? [];
    expect(achievement.map((c) => c.label)).toEqual(['真正解决实际问题', '经得起实践检验', '群众获得感明显提高', '可复制可推广']);
    expect(achievement.every((c) => c.scale.min === 0 && c.scale.max === 10 && c.weight > 0)).toBe(true);
    expect(ln.criteria?.filter((c) => c.stage === 'topic').map((c) => c.label)).toEqual(['问题导向', '创新程度', '实践效果']);
  });

  it('Liaoning phases, caps and dates follow §四', () => {
    expect(ln.phases.map((p) => [p.key, p.label, p.cap?.rule, p.cap?.max])).toEqual([
      ['topic_submission', '选题申报', undefined, undefined],
      ['office_selection', '办公室遴选', 'at_most', 20],
      ['leader_decision', '领导确定', 'at_most', 10],
      ['implementation', '组织实施', undefined, undefined],
      ['evaluation', '评价', 'top', 50],
    ]);
    expect(ln.phases[0]?.opensAt).toBe('2022-09-01T00:00:00+08:00');
    expect(ln.phases[2]?.closesAt).toBe('2022-10-31T23:59:59+08:00');
    expect(ln.phases[3]?.opensAt).toBe('2022-11-01T00:00:00+08:00');
    expect(ln.phases[3]?.closesAt).toBe('2023-02-28T23:59:59+08:00');
    expect(ln.phases[4]?.steps).toEqual(['初评', '复评', '现场答辩及实地考察']);
  });

  it('Liaoning quotas, scope, main creators, prizes and eligibility follow §四.2 and §五', () => {
    expect(ln.quotas).toEqual({ county: 2, park: 2, department: 1, organisation: 1 });
    expect(ln.achievementWindow).toEqual({ from: '2021-01-01', to: '2022-12-31' });
    expect(ln.mainCreators).toEqual({ min: 1, max: 2 });
    expect(ln.prizes?.tiers.map((t) => [t.label, t.amountYuan])).toEqual([
      ['一等奖', 200_000],
      ['二等奖', 150_000],
    ]);
    expect(ln.prizes?.mainCreatorMinShare).toBe(0.4);
    expect(ln.prizes?.countyLevelCadreMaxShare).toBe(0.2);
    expect(ln.eligibility.excludeViceDepartmentLevel).toBe(true);
    expect(ln.eligibility.excludeCountyPartyOrGovernment).toBe(true);
  });

  it('Chongqing has 30 measures numbered 1..30, each with at least one lead unit', () => {
    const measures = cq.measures ?? [];
    expect(measures).toHaveLength(30);
    expect(measures.map((m) => m.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(measures.every((m) => m.leadUnits.length >= 1)).toBe(true);
    expect(measures.filter((m) => m.cooperatingUnits.length > 0).map((m) => m.number)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 15, 17, 18, 19, 22, 23, 24,
    ]);
  });

  it.each([
    [1, '扩大有效投资', ['市发展改革委', '市财政局'], []],
    [5, '深化科技体制改革', ['市科技局'], ['市教委', '市经济信息委', '市财政局', '市人力社保局']],
    [10, '加快推进数字化发展', ['市大数据发展局', '市政府电子政务中心'], []],
    [17, '推进“河长制”“林长制”', ['市水利局', '市林业局'], ['市财政局']],
    [18, '推进公路和水网建设', ['市交通局', '市水利局'], ['市发展改革委', '市财政局']],
    [29, '持续推进新冠肺炎疫情防控', ['市新冠肺炎疫情防控指挥部综合办公室'], []],
    [30, '获得通报表彰和肯定性批示情况', ['市政府办公厅'], []],
  ])('Chongqing measure %i (%s) has the lead and cooperating units the notice lists', (n, title, lead, cooperating) => {
    const measure = cq.measures?.[n - 1];
    expect(measure?.title).toBe(title);
    expect(measure?.leadUnits).toEqual(lead);
    expect(measure?.cooperatingUnits).toEqual(cooperating);
  });

  it('Chongqing declares by 1 Feb 2023 and recommends by the end of March 2023', () => {
    const byKey = Object.fromEntries(cq.phases.map((p) => [p.key, p]));
    expect(byKey['measure_rules']?.closesAt).toBe('2022-07-16T23:59:59+08:00');
    expect(byKey['declaration']?.closesAt).toBe('2023-02-01T23:59:59+08:00');
    expect(byKey['declaration']?.submissionKind).toBe('achievement');
    expect(byKey['recommendation']?.closesAt).toBe('2023-03-31T23:59:59+08:00');
    expect(cq.eligibility.applicantUnitTypes).toEqual(['county', 'park']);
  });
});

describe('a broken template fails with a Chinese message', () => {
  const phases = liaoning2022.phases;
  it.each<[string, unknown, string]>([
    [
      'overlapping phases',
      { ...liaoning2022, phases: [phases[0], { ...phases[1], opensAt: '2022-10-01T00:00:00+08:00' }, ...phases.slice(2)] },
      '阶段“办公室遴选”必须在上一阶段“选题申报”截止之后开始',
    ],
    ['a phase that closes before it opens', { ...liaoning2022, phases: [{ ...phases[0], closesAt: '2022-08-01T00:00:00+08:00' }] }, '截止时间必须晚于开始时间'],
    ['a date without the +08:00 offset', { ...liaoning2022, phases: [{ ...phases[0], opensAt: '2022-09-01T00:00:00Z' }] }, '北京时间'],
    ['a zero weight', { ...liaoning2022, criteria: [{ ...liaoning2022.criteria[0], weight: 0 }] }, '权重必须大于0'],
    ['a scale whose max is not above its min', { ...liaoning2022, criteria: [{ ...liaoning2022.criteria[0], scale: { min: 5, max: 5 } }] }, '最高分必须大于最低分'],
    ['a negative quota', { ...liaoning2022, quotas: { ...liaoning2022.quotas, park: -1 } }, '名额不能为负数'],
    ['more minimum than maximum main creators', { ...liaoning2022, mainCreators: { min: 2, max: 1 } }, '主创人人数上限不能小于下限'],
    ['directions without 其他', { ...liaoning2022, directions: liaoning2022.directions.slice(0, 10) }, '重点方向必须包含“其他”'],
    ['an evaluation without prizes', { ...liaoning2022, prizes: undefined }, '评价奖励类活动必须设置奖项与奖金'],
    ['a measure without a lead unit', { ...chongqing2022, measures: [{ ...chongqing2022.measures[0], leadUnits: [] }] }, '至少要有1个牵头单位'],
    ['a supervision incentive without measures', { ...chongqing2022, measures: [] }, '督查激励类活动必须列出激励措施'],
    ['a year written as text', { ...liaoning2022, year: '2022年' }, '年度'],
  ])('%s', (_name, input, expected) => {
    const message = failureOf(input);
    expect(message).toContain(expected);
    expect(message).toMatch(chinese);
    expect(message).not.toMatch(/Invalid input|expected/);
  });
});

describe('customizeTemplate', () => {
  it('changes fields, merges objects and patches phases by key, then validates', () => {
    const result = customizeTemplate(ln, {
      code: 'BX2023',
      name: '本溪市2023年制度创新评价',
      quotas: { county: 3 },
      phasePatches: { topic_submission: { closesAt: '2022-10-10T23:59:59+08:00' } },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.code).toBe('BX2023');
    expect(result.value.quotas).toEqual({ county: 3, park: 2, department: 1, organisation: 1 });
    expect(result.value.phases[0]?.closesAt).toBe('2022-10-10T23:59:59+08:00');
    expect(result.value.phases[1]).toEqual(ln.phases[1]);
    expect(ln.quotas.county).toBe(2);
  });

  it('rejects a change that breaks the phase order', () => {
    const result = customizeTemplate(ln, { phasePatches: { topic_submission: { closesAt: '2022-10-20T00:00:00+08:00' } } });
    expect(result).toMatchObject({ ok: false, code: 'invalid_template' });
    expect(result.ok ? '' : result.message).toContain('阶段“办公室遴选”必须在上一阶段“选题申报”截止之后开始');
  });

  it('names the phases it knows when asked to patch an unknown one', () => {
    const result = customizeTemplate(cq, { phasePatches: { review: { label: '评审' } } });
    expect(result).toMatchObject({ ok: false, code: 'unknown_phase' });
    expect(result.ok ? '' : result.message).toContain('declaration（区县申报）');
  });

  it('rejects a code that would break tracking numbers', () => {
    const result = customizeTemplate(ln, { code: 'LN-2022' });
    expect(result.ok ? '' : result.message).toContain('不能含“-”');
  });
});

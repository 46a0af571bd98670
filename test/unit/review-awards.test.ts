import { describe, expect, it } from 'vitest';
import { templates } from '../../src/domain/campaign/templates/index.js';
import { countyCadreCheck, validatePrizeSplit, type AwardeeInput, type PrizeRules } from '../../src/domain/review/awards.js';

const prizes = templates['liaoning-2022'].prizes;
if (!prizes) throw new Error('liaoning-2022 has prizes');
const [first, second] = prizes.tiers;
const firstPrize = { label: first?.label ?? '', amountYuan: first?.amountYuan ?? 0 }; // 一等奖 200,000元
const secondPrize = { label: second?.label ?? '', amountYuan: second?.amountYuan ?? 0 }; // 二等奖 150,000元
const rules: PrizeRules = { ...prizes, mainCreatorsMax: templates['liaoning-2022'].mainCreators?.max }; // ≥ 40%, ≤ 20%, ≤ 2

const person = (name: string, amount: number | string, role: AwardeeInput['role'] = 'team_member', countyLevelCadre = false): AwardeeInput => ({
  name,
  role,
  amount,
  countyLevelCadre,
});

describe('validatePrizeSplit accepts a split within the rules', () => {
  it('一等奖 200,000: main creator 80,000 (exactly 40%), four team members 30,000 each; one cadre of five (20%)', () => {
    const result = validatePrizeSplit({
      prize: firstPrize,
      rules,
      unit: 'yuan',
      awardees: [person('张三', 80_000, 'main_creator'), person('李四', 30_000, 'team_member', true), person('王五', 30_000), person('赵六', 30_000), person('钱七', '30,000元')],
    });
    expect(result).toMatchObject({ ok: true, value: { mainCreatorShare: 0.4, countyCadreShare: 0.2 } });
    if (result.ok) expect(result.value.awardees.map((a) => [a.name, a.amountYuan, a.share])).toEqual([
      ['张三', 80_000, 0.4],
      ['李四', 30_000, 0.15],
      ['王五', 30_000, 0.15],
      ['赵六', 30_000, 0.15],
      ['钱七', 30_000, 0.15],
    ]);
  });

  it('in percent: two main creators 25% + 20% = 45% of 二等奖 150,000, the rest 55%', () => {
    const result = validatePrizeSplit({
      prize: secondPrize,
      rules,
      unit: 'percent',
      awardees: [person('甲', '25%', 'main_creator'), person('乙', 20, 'main_creator'), person('丙', '27.5'), person('丁', 27.5)],
    });
    // 150,000 × 25% = 37,500; × 20% = 30,000; × 27.5% = 41,250 (twice); main 67,500 / 150,000 = 45%.
    expect(result).toMatchObject({ ok: true, value: { mainCreatorShare: 0.45, countyCadreShare: 0 } });
    if (result.ok) expect(result.value.awardees.map((a) => a.amountYuan)).toEqual([37_500, 30_000, 41_250, 41_250]);
  });

  it('fen are fine: 200,000 split as 80,000.01 + 119,999.99', () => {
    expect(validatePrizeSplit({ prize: firstPrize, rules, unit: 'yuan', awardees: [person('张三', '80000.01', 'main_creator'), person('李四', 119_999.99)] }).ok).toBe(true);
  });
});

describe('validatePrizeSplit names the rule that failed and the numbers', () => {
  const check = (awardees: AwardeeInput[], unit: 'yuan' | 'percent' = 'yuan', prize = firstPrize) => validatePrizeSplit({ prize, rules, unit, awardees });

  it('main creator below 40%: 79,999 of 200,000', () => {
    // 40% of 200,000 = 80,000; 79,999 / 200,000 = 39.9995%, shown rounded down so it never reads as the limit itself.
    expect(check([person('张三', 79_999, 'main_creator'), person('李四', 120_001)])).toEqual({
      ok: false,
      code: 'invalid_prize_split',
      message: '主创人奖金比例不低于总奖金的40%：主创人（张三）合计79,999元，占39.99%，至少应为80,000元。',
      problems: [{ rule: 'main_creator_share', message: '主创人奖金比例不低于总奖金的40%：主创人（张三）合计79,999元，占39.99%，至少应为80,000元。' }],
    });
  });

  it('two main creators together below 40%: 30,000 + 20,000 = 50,000 of 150,000 = 33.33%', () => {
    const result = check([person('甲', 30_000, 'main_creator'), person('乙', 20_000, 'main_creator'), person('丙', 100_000)], 'yuan', secondPrize);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ rule: 'main_creator_share', message: '主创人奖金比例不低于总奖金的40%：主创人（甲、乙）合计50,000元，占33.33%，至少应为60,000元。' }],
    });
  });

  it('county-level cadres above 20% of awardees: 2 of 5 (40%) and 1 of 4 (25%)', () => {
    const two = check([person('张三', 80_000, 'main_creator', true), person('李四', 30_000, 'team_member', true), person('王五', 30_000), person('赵六', 30_000), person('钱七', 30_000)]);
    expect(two).toMatchObject({
      ok: false,
      problems: [{ rule: 'county_cadre_share', message: '县处级干部比例应控制在20%以内：获奖人员5人中县处级干部2人，占40%，最多只能有1人。' }],
    });
    const four = check([person('张三', 80_000, 'main_creator'), person('李四', 40_000, 'team_member', true), person('王五', 40_000), person('赵六', 40_000)]);
    // 20% of 4 people = 0.8 -> at most 0 cadres.
    expect(four).toMatchObject({ ok: false, problems: [{ message: '县处级干部比例应控制在20%以内：获奖人员4人中县处级干部1人，占25%，最多只能有0人。' }] });
  });

  it.each([
    [[person('张三', 100_000, 'main_creator'), person('李四', 80_000)], 'yuan', '奖金分配合计180,000元，与一等奖奖金200,000元不符，还差20,000元。'],
    [[person('张三', 100_000, 'main_creator'), person('李四', 100_000.5)], 'yuan', '奖金分配合计200,000.5元，与一等奖奖金200,000元不符，多出0.5元。'],
    [[person('张三', '50%', 'main_creator'), person('李四', '45%')], 'percent', '分配比例合计95%，应为100%，还差5%。'],
  ] as const)('the sum must equal the prize or 100%%: %j', (awardees, unit, message) => {
    expect(check([...awardees], unit)).toMatchObject({ ok: false, problems: [{ rule: 'sum_mismatch', message }] });
  });

  it('who is main creator: at least one, at most two', () => {
    expect(check([person('李四', 200_000)])).toMatchObject({
      ok: false,
      problems: [{ rule: 'main_creator_required', message: '一等奖的分配名单中没有主创人，请至少指定1名主创人。' }],
    });
    const three = check([person('甲', 70_000, 'main_creator'), person('乙', 70_000, 'main_creator'), person('丙', 60_000, 'main_creator')]);
    expect(three).toMatchObject({ ok: false, problems: [{ rule: 'too_many_main_creators', message: '主创人最多2人，现在有3人（甲、乙、丙）。' }] });
  });

  it('bad amounts and names are named, and the sum and share rules are not guessed at', () => {
    const result = check([person('张三', '八万', 'main_creator'), person(' ', 0), person('王五', 1.234)]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { rule: 'invalid_amount', message: '“张三”的奖金必须是大于0的金额（元，最多两位小数），现在是“八万”。' },
      { rule: 'name_required', message: '第2位获奖人员没有填写姓名。' },
      { rule: 'invalid_amount', message: '第2位获奖人员的奖金必须是大于0的金额（元，最多两位小数），现在是“0”。' },
      { rule: 'invalid_amount', message: '“王五”的奖金必须是大于0的金额（元，最多两位小数），现在是“1.234”。' },
    ]);
    expect(result.message).toMatch(/^奖金分配有4处不符合规定：/);
  });

  it('an empty list asks for the people', () => {
    expect(check([])).toMatchObject({ ok: false, problems: [{ rule: 'awardees_required', message: '请填写一等奖的奖金分配名单，至少包括1名主创人。' }] });
  });

  it('several failures at once are all reported', () => {
    const result = check([person('张三', 50_000, 'main_creator', true), person('李四', 50_000, 'team_member', true)]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.rule)).toEqual(['county_cadre_share', 'sum_mismatch', 'main_creator_share']);
  });
});

describe('countyCadreCheck (also for all awards of a campaign together)', () => {
  it.each([
    [10, 2, true, 2], // 20% of 10 = 2
    [10, 3, false, 2],
    [5, 1, true, 1],
    [4, 1, false, 0], // 20% of 4 = 0.8
    [0, 0, true, 0],
  ])('%i awardees, %i cadres -> ok %s, at most %i', (headCount, cadres, ok, maxCadres) => {
    expect(countyCadreCheck(headCount, cadres, 0.2)).toEqual({ ok, maxCadres });
  });
});

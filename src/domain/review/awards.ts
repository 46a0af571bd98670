// Splitting a prize among the people behind an achievement (seed 000 §五.3): first prize ¥200,000, second ¥150,000
// (liaoning-2022); the split must add up to the prize (or to 100%), the main creator(s) together get at least 40%,
// and county-level (县处级) cadres are at most 20% of the awardees by head count. Money is checked in fen and
// percentages in hundredths of a percent, as integers, so 40% of 200,000元 is exactly 80,000元.
import type { CampaignTemplate } from '../campaign/template.js';
import type { Failure } from '../campaign/result.js';
import { formatNumber, formatPercent, formatYuan } from './format.js';

export type AwardeeRole = 'main_creator' | 'team_member';
export const awardeeRoleLabels: Record<AwardeeRole, string> = { main_creator: '主创人', team_member: '团队成员' };

export interface AwardeeInput {
  name: string;
  role: AwardeeRole;
  /** 县处级干部. */
  countyLevelCadre: boolean;
  /** Yuan or percent, as the split's `unit` says; text as typed is accepted. */
  amount: number | string;
}

export type PrizeRules = Pick<NonNullable<CampaignTemplate['prizes']>, 'mainCreatorMinShare' | 'countyLevelCadreMaxShare'> & {
  /** From the template's mainCreators.max (seed 000: 1, at most 2). */
  mainCreatorsMax?: number;
};

export interface PrizeSplitInput {
  prize: { label: string; amountYuan: number };
  rules: PrizeRules;
  unit: 'yuan' | 'percent';
  awardees: readonly AwardeeInput[];
}

export interface Awardee {
  name: string;
  role: AwardeeRole;
  countyLevelCadre: boolean;
  amountYuan: number;
  /** Of the prize, 0..1. */
  share: number;
}

export interface PrizeSplit {
  awardees: Awardee[];
  mainCreatorShare: number;
  countyCadreShare: number;
}

export type AwardRule =
  | 'awardees_required'
  | 'name_required'
  | 'invalid_amount'
  | 'sum_mismatch'
  | 'main_creator_required'
  | 'too_many_main_creators'
  | 'main_creator_share'
  | 'county_cadre_share';

export interface AwardProblem {
  rule: AwardRule;
  message: string;
}

export type PrizeSplitFailure = Failure<'invalid_prize_split'> & { problems: AwardProblem[] };

/** Hundredths of the unit (fen, or hundredths of a percent) as an integer; undefined unless positive with ≤ 2 decimals. */
function toHundredths(raw: number | string): number | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw.trim().replace(/[,，%％元]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  const [whole = '0', fraction = ''] = text.split('.');
  const value = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return value > 0 && Number.isSafeInteger(value) ? value : undefined;
}

/** Ratio (0..1) to hundredths of a percent, the precision every share rule uses. */
const toBasisPoints = (share: number): number => Math.round(share * 10_000);

/** Whether `cadres` of `headCount` awardees stays within the cap; also usable across every award of a campaign. */
export function countyCadreCheck(headCount: number, cadres: number, maxShare: number): { ok: boolean; maxCadres: number } {
  const maxCadres = Math.floor((toBasisPoints(maxShare) * headCount) / 10_000);
  return { ok: cadres <= maxCadres, maxCadres };
}

export function validatePrizeSplit(input: PrizeSplitInput): { ok: true; value: PrizeSplit } | PrizeSplitFailure {
  const { prize, rules, unit, awardees } = input;
  const problems: AwardProblem[] = [];
  const add = (rule: AwardRule, message: string): void => {
    problems.push({ rule, message });
  };
  if (awardees.length === 0) add('awardees_required', `请填写${prize.label}的奖金分配名单，至少包括1名主创人。`);

  const amounts = awardees.map((a, i) => {
    const name = a.name.trim();
    if (name === '') add('name_required', `第${i + 1}位获奖人员没有填写姓名。`);
    const value = toHundredths(a.amount);
    if (value === undefined) {
      const who = name === '' ? `第${i + 1}位获奖人员` : `“${name}”`;
      const what = unit === 'yuan' ? '奖金必须是大于0的金额（元，最多两位小数）' : '分配比例必须是大于0的百分数（最多两位小数）';
      add('invalid_amount', `${who}的${what}，现在是“${String(a.amount).trim()}”。`);
    }
    return value;
  });

  const main = awardees.filter((a) => a.role === 'main_creator');
  const mainMax = rules.mainCreatorsMax;
  if (awardees.length > 0 && main.length === 0) add('main_creator_required', `${prize.label}的分配名单中没有主创人，请至少指定1名主创人。`);
  if (mainMax !== undefined && main.length > mainMax) {
    add('too_many_main_creators', `主创人最多${mainMax}人，现在有${main.length}人（${main.map((a) => a.name.trim()).join('、')}）。`);
  }

  const cadres = awardees.filter((a) => a.countyLevelCadre);
  const cadreCheck = countyCadreCheck(awardees.length, cadres.length, rules.countyLevelCadreMaxShare);
  if (awardees.length > 0 && !cadreCheck.ok) {
    add(
      'county_cadre_share',
      `县处级干部比例应控制在${formatPercent(rules.countyLevelCadreMaxShare)}以内：获奖人员${awardees.length}人中县处级干部${cadres.length}人，` +
        `占${formatPercent(cadres.length / awardees.length)}，最多只能有${cadreCheck.maxCadres}人。`,
    );
  }

  const total = unit === 'yuan' ? Math.round(prize.amountYuan * 100) : 10_000;
  const valid = amounts.every((v) => v !== undefined) ? (amounts as number[]) : undefined;
  if (valid && awardees.length > 0) {
    const show = (hundredths: number): string => (unit === 'yuan' ? formatYuan(hundredths / 100) : `${formatNumber(hundredths / 100)}%`);
    const sum = valid.reduce((s, v) => s + v, 0);
    if (sum !== total) {
      const diff = sum < total ? `还差${show(total - sum)}` : `多出${show(sum - total)}`;
      add(
        'sum_mismatch',
        unit === 'yuan'
          ? `奖金分配合计${show(sum)}，与${prize.label}奖金${show(total)}不符，${diff}。`
          : `分配比例合计${show(sum)}，应为100%，${diff}。`,
      );
    }
    const mainSum = awardees.reduce((s, a, i) => s + (a.role === 'main_creator' ? (valid[i] as number) : 0), 0);
    const minBp = toBasisPoints(rules.mainCreatorMinShare);
    if (main.length > 0 && mainSum * 10_000 < minBp * total) {
      const needed = Math.ceil((minBp * total) / 10_000);
      const names = main.map((a) => a.name.trim()).join('、');
      add(
        'main_creator_share',
        `主创人奖金比例不低于总奖金的${formatPercent(rules.mainCreatorMinShare)}：主创人（${names}）合计${show(mainSum)}，` +
          `占${formatPercent(mainSum / total, 'floor')}，至少应为${show(needed)}。`,
      );
    }
  }

  if (problems.length > 0 || !valid) {
    const [first] = problems;
    const message = problems.length === 1 && first ? first.message : `奖金分配有${problems.length}处不符合规定：${problems.map((p) => p.message).join('')}`;
    return { ok: false, code: 'invalid_prize_split', message, problems };
  }
  const toYuan = (v: number): number => (unit === 'yuan' ? v / 100 : (prize.amountYuan * v) / 10_000);
  const mainYuan = awardees.reduce((s, a, i) => s + (a.role === 'main_creator' ? toYuan(valid[i] as number) : 0), 0);
  return {
    ok: true,
    value: {
      awardees: awardees.map((a, i) => ({
        name: a.name.trim(),
        role: a.role,
        countyLevelCadre: a.countyLevelCadre,
        amountYuan: toYuan(valid[i] as number),
        share: (valid[i] as number) / total,
      })),
      mainCreatorShare: mainYuan / prize.amountYuan,
      countyCadreShare: cadres.length / awardees.length,
    },
  };
}

// /奖励 设置: the prize split form (one row per awardee: name, 主创人 or 团队成员, 县处级干部, amount) and the
// recorded award. A refused split comes back with what was typed and each broken rule's message, word for word.
import { awardeeRoleLabels, type AwardeeInput, type AwardeeRole } from '../src/domain/review/awards.js';
import { formatNumber, formatYuan } from '../src/domain/review/format.js';
import { button, card, escapeMd, header, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild } from './types.js';

export type SplitUnit = 'yuan' | 'percent';

export interface AwardFormView {
  submission: { id: number; trackingNo: string; title: string; unitName: string; mainCreators: readonly string[] };
  campaign: { name: string };
  tier: { key: string; label: string; amountYuan: number };
  rules: { mainCreatorMinShare: number; countyLevelCadreMaxShare: number };
  current: { tierLabel: string; amountYuan: number; split: readonly { name: string; shareYuan: number; mainCreator: boolean; countyLevelCadre: boolean }[] } | null;
}

export interface AwardRow {
  name: string;
  role: AwardeeRole;
  cadre: boolean;
  amount: string;
}

export const MAX_AWARD_ROWS = 10;
const roles: AwardeeRole[] = ['main_creator', 'team_member'];

/** The rows to start from: what is recorded, or the main creators, plus empty rows for the team. */
export function initialRows(v: AwardFormView, unit: SplitUnit): AwardRow[] {
  const recorded = v.current?.split.map((s) => ({
    name: s.name,
    role: s.mainCreator ? ('main_creator' as const) : ('team_member' as const),
    cadre: s.countyLevelCadre,
    amount: unit === 'yuan' ? formatNumber(s.shareYuan) : formatNumber((s.shareYuan / v.tier.amountYuan) * 100),
  }));
  const rows = recorded ?? v.submission.mainCreators.map((name) => ({ name, role: 'main_creator' as const, cadre: false, amount: '' }));
  const blanks = Math.max(3, rows.length + 2) - rows.length;
  return [...rows, ...Array.from({ length: blanks }, () => ({ name: '', role: 'team_member' as const, cadre: false, amount: '' }))].slice(0, MAX_AWARD_ROWS);
}

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : '');

/** Reads `n` rows of the form; rows left entirely blank are not awardees. */
export function readAwardForm(form: Record<string, unknown> | undefined, n: number): { rows: AwardRow[]; awardees: AwardeeInput[] } {
  const rows: AwardRow[] = [];
  for (let i = 0; i < Math.min(n, MAX_AWARD_ROWS); i++) {
    const role = form?.[`role_${i}`] === 'main_creator' ? 'main_creator' : 'team_member';
    const cadre = form?.[`cadre_${i}`] === true || form?.[`cadre_${i}`] === 'true';
    rows.push({ name: str(form?.[`name_${i}`], 60), role, cadre, amount: str(form?.[`amount_${i}`], 20) });
  }
  const awardees = rows.filter((r) => r.name.trim() !== '' || r.amount.trim() !== '').map((r) => ({ name: r.name, role: r.role, countyLevelCadre: r.cadre, amount: r.amount }));
  return { rows, awardees };
}

export function awardFormCard(v: AwardFormView, opts: { unit: SplitUnit; rows: readonly AwardRow[]; problems?: readonly string[] }): Card {
  const { unit, rows } = opts;
  const what = unit === 'yuan' ? '金额（元）' : '比例（%）';
  const elements: FormChild[] = [];
  rows.forEach((r, i) => {
    elements.push({ tag: 'markdown', content: `**第${i + 1}位**` });
    const name: FormChild = { tag: 'input', name: `name_${i}`, max_length: 60, placeholder: text('姓名') };
    if (r.name) name.default_value = r.name;
    const role: FormChild = { tag: 'select_static', name: `role_${i}`, options: roles.map((x) => ({ text: text(awardeeRoleLabels[x]), value: x })), initial_option: r.role };
    const amount: FormChild = { tag: 'input', name: `amount_${i}`, max_length: 20, placeholder: text(what) };
    if (r.amount) amount.default_value = r.amount;
    elements.push(name, role, { tag: 'checker', name: `cadre_${i}`, text: text('县处级干部'), checked: r.cadre }, amount);
  });
  const submit: ButtonElement = {
    ...button('保存奖励', { v: 1, a: 'award.save', s: v.submission.id, t: v.tier.key, u: unit, n: rows.length }, { name: 'submit', type: 'primary' }),
    form_action_type: 'submit',
  };
  elements.push(submit);
  const problems: CardElement[] = (opts.problems ?? []).map((p) => md(`<font color='red'>${escapeMd(p)}</font>`));
  const rules = `主创人奖金合计不低于${formatNumber(v.rules.mainCreatorMinShare * 100)}%；县处级干部不超过获奖人数的${formatNumber(v.rules.countyLevelCadreMaxShare * 100)}%；${unit === 'yuan' ? `各人金额合计应等于${formatYuan(v.tier.amountYuan)}` : '各人比例合计应为100%'}。不需要的行留空即可。`;
  return card(header(`奖励 · ${v.tier.label} ${formatYuan(v.tier.amountYuan)}`, 'carmine', `${v.submission.trackingNo} ${v.campaign.name}`), [
    md(`**${escapeMd(v.submission.title)}**（${escapeMd(v.submission.unitName)}）\n${rules}`),
    ...problems,
    { tag: 'form', name: 'award_form', elements },
  ]);
}

/** The recorded award and its split. */
export function awardCard(v: AwardFormView): Card {
  const c = v.current;
  const lines = (c?.split ?? []).map((s) => `- ${escapeMd(s.name)}（${s.mainCreator ? '主创人' : '团队成员'}${s.countyLevelCadre ? '，县处级干部' : ''}）：${formatYuan(s.shareYuan)}`);
  return card(header(`已登记奖励 · ${c?.tierLabel ?? v.tier.label}`, 'green', `${v.submission.trackingNo}`), [
    md(`**${escapeMd(v.submission.title)}**（${escapeMd(v.submission.unitName)}）\n奖金：${formatYuan(c?.amountYuan ?? v.tier.amountYuan)}\n${lines.join('\n')}`),
  ]);
}

// /推荐: the public's recommendation form and receipt, the office's list with 分派 / 不采纳, and the
// notices to the recommender and to the assigned unit. Pure builders from view models.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import type { ButtonElement, Card, CardElement, FormChild } from './types.js';
import type { CardAction } from './codec.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';

/** A form's submit button: Lark sends its callback value together with form_value. */
export function submitButton(label: string, action: CardAction, name = 'submit'): ButtonElement {
  return { ...button(label, action, { name, type: 'primary' }), form_action_type: 'submit' };
}

/** The red line under a field that failed validation. */
export function errorLine(message: string | undefined): FormChild[] {
  return message ? [{ tag: 'markdown', content: `<font color='red'>${escapeMd(message)}</font>` }] : [];
}

/** The first `max` characters of user text, for lists (whole text stays in the database). */
export function excerpt(s: string, max: number): string {
  const chars = [...s.trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** The input variant of a form child. */
export type InputChild = Extract<FormChild, { tag: 'input' }>;

export interface RecommendFormView {
  formKey: string;
  campaign: { id: number; name: string } | undefined;
  values?: { title: string; problem: string; suggestedUnit: string };
  errors?: Partial<Record<'title' | 'problem' | 'suggestedUnit', string>>;
}

export function recommendFormCard(v: RecommendFormView): Card {
  const e = v.errors ?? {};
  const val = v.values;
  const intro = v.campaign
    ? `欢迎市场主体和社会公众推荐需要进行制度性创新的选题（${escapeMd(v.campaign.name)}）。办公室会逐条研究，并把处理结果告诉你。`
    : '欢迎市场主体和社会公众推荐需要进行制度性创新的选题。办公室会逐条研究，并把处理结果告诉你。';
  const input = (name: string, l: string, ph: string, max: number, value: string | undefined, opts: { multiline?: boolean; required?: boolean } = {}): InputChild => ({
    tag: 'input',
    name,
    label: text(l),
    placeholder: text(ph),
    max_length: max,
    ...(opts.required ? { required: true } : {}),
    ...(opts.multiline ? { input_type: 'multiline_text' as const, rows: 5 } : {}),
    ...(value ? { default_value: excerpt(value, max + 10) } : {}),
  });
  const payload: CardAction = v.campaign ? { v: 1, a: 'recommend.submit', k: v.formKey, c: v.campaign.id } : { v: 1, a: 'recommend.submit', k: v.formKey };
  return card(header('推荐制度创新选题', 'blue', '社会公众推荐渠道'), [
    md(intro),
    {
      tag: 'form',
      name: 'recommend_form',
      elements: [
        input('title', '选题名称（必填，100字以内）', '用一句话概括需要改革创新的事项', 100, val?.title, { required: true }),
        ...errorLine(e.title),
        input('problem', '存在的问题（必填，2000字以内）', '在哪个环节、影响了谁、希望怎样改进', 2000, val?.problem, { required: true, multiline: true }),
        ...errorLine(e.problem),
        input('suggestedUnit', '建议承办单位（选填）', '例如：市营商环境建设局', 100, val?.suggestedUnit),
        ...errorLine(e.suggestedUnit),
        submitButton('提交推荐', payload),
      ],
    },
  ]);
}

export interface RecommendationView {
  id: number;
  title: string;
  problem: string;
  suggestedUnit: string | null;
  createdAt: Date;
}

export function recommendationReceivedCard(r: RecommendationView, again: boolean): Card {
  return card(header('推荐已收到', 'green', `推荐编号 #${r.id}`), [
    md(
      [
        again ? '这张表单已经提交过，以下是你当时提交的内容。' : '感谢你的推荐！办公室会研究处理，结果将通过机器人通知你。',
        `**选题名称**：${escapeMd(r.title)}`,
        `**存在的问题**：${escapeMd(excerpt(r.problem, 300))}`,
        `**建议承办单位**：${r.suggestedUnit ? escapeMd(r.suggestedUnit) : '未填写'}`,
        `**提交时间**：${formatChinaDateTime(r.createdAt)}`,
      ].join('\n'),
    ),
  ]);
}

export interface RecommendationListItemView extends RecommendationView {
  recommender: string;
}

export const LIST_LIMIT = 10;

export function recommendationListCard(items: readonly RecommendationListItemView[], total: number): Card {
  const elements: CardElement[] = [];
  for (const r of items) {
    elements.push(
      md(
        [
          `**#${r.id} ${escapeMd(r.title)}**`,
          escapeMd(excerpt(r.problem, 200)),
          `建议承办单位：${r.suggestedUnit ? escapeMd(r.suggestedUnit) : '未填写'}\u3000推荐人：${escapeMd(r.recommender)}\u3000${formatChinaDateTime(r.createdAt)}`,
        ].join('\n'),
      ),
      {
        tag: 'column_set',
        columns: [
          { tag: 'column', width: 'auto', elements: [button('分派', { v: 1, a: 'recommend.assignForm', id: r.id }, { name: `assign_${r.id}`, type: 'primary' })] },
          { tag: 'column', width: 'auto', elements: [button('不采纳', { v: 1, a: 'recommend.declineForm', id: r.id }, { name: `decline_${r.id}`, type: 'danger' })] },
        ],
      },
      hr(),
    );
  }
  const summary = total === 0 ? '目前没有待处理的公众推荐。' : total > items.length ? `共 ${total} 条待处理，下面是最早的 ${items.length} 条。` : `共 ${total} 条待处理。`;
  return card(header('公众推荐 · 待处理', 'orange'), [md(summary), ...elements, button('刷新', { v: 1, a: 'recommend.list' }, { name: 'refresh' })]);
}

function recommendationSummary(r: RecommendationView): CardElement {
  return md(`**#${r.id} ${escapeMd(r.title)}**\n${escapeMd(excerpt(r.problem, 300))}\n建议承办单位：${r.suggestedUnit ? escapeMd(r.suggestedUnit) : '未填写'}`);
}

export function assignFormCard(v: { rec: RecommendationView; units: readonly { id: number; name: string }[]; selected?: string; error?: string }): Card {
  const suggested = v.units.find((u) => u.name === v.rec.suggestedUnit?.trim());
  const initial = v.selected ?? (suggested ? String(suggested.id) : undefined);
  return card(header('分派公众推荐', 'blue'), [
    recommendationSummary(v.rec),
    v.units.length === 0
      ? md('系统中还没有任何单位，请先用单位管理命令建立单位，再来分派。')
      : {
          tag: 'form',
          name: 'assign_form',
          elements: [
            {
              tag: 'select_static',
              name: 'unit',
              required: true,
              placeholder: text('选择承办单位'),
              options: v.units.map((u) => ({ text: text(u.name), value: String(u.id) })),
              ...(initial && v.units.some((u) => String(u.id) === initial) ? { initial_option: initial } : {}),
            },
            ...errorLine(v.error),
            submitButton('确认分派', { v: 1, a: 'recommend.assign', id: v.rec.id }),
          ],
        },
    button('返回列表', { v: 1, a: 'recommend.list' }, { name: 'back' }),
  ]);
}

export function declineFormCard(v: { rec: RecommendationView; reason?: string; error?: string }): Card {
  return card(header('不采纳公众推荐', 'red'), [
    recommendationSummary(v.rec),
    {
      tag: 'form',
      name: 'decline_form',
      elements: [
        {
          tag: 'input',
          name: 'reason',
          required: true,
          label: text('不采纳的理由（必填，会告知推荐人）'),
          placeholder: text('例如：该事项已有政策覆盖，具体见……'),
          input_type: 'multiline_text',
          rows: 3,
          max_length: 500,
          ...(v.reason ? { default_value: excerpt(v.reason, 510) } : {}),
        },
        ...errorLine(v.error),
        submitButton('确认不采纳', { v: 1, a: 'recommend.decline', id: v.rec.id }),
      ],
    },
    button('返回列表', { v: 1, a: 'recommend.list' }, { name: 'back' }),
  ]);
}

/** To the recommender: what the office decided. */
export function recommenderDecisionCard(r: RecommendationView, decision: { unitName: string } | { reason: string }): Card {
  const assigned = 'unitName' in decision;
  return card(header(assigned ? '你的推荐已被采纳' : '你的推荐未被采纳', assigned ? 'green' : 'grey', `推荐编号 #${r.id}`), [
    md(
      [
        `**选题名称**：${escapeMd(r.title)}`,
        assigned
          ? `办公室已将你推荐的选题分派给 **${escapeMd(decision.unitName)}** 研究办理。感谢你的参与！`
          : `办公室研究后决定暂不采纳，理由：${escapeMd(decision.reason)}\n感谢你的参与，欢迎继续推荐。`,
      ].join('\n'),
    ),
  ]);
}

/** To the assigned unit's liaisons. The recommender stays anonymous to the unit. */
export function unitAssignedCard(r: RecommendationView, unitName: string): Card {
  return card(header('收到一条分派的公众推荐选题', 'orange', `推荐编号 #${r.id}`), [
    md(
      [
        `办公室将以下社会公众推荐的选题分派给 **${escapeMd(unitName)}** 研究办理，请结合本单位选题申报统筹考虑。`,
        `**选题名称**：${escapeMd(r.title)}`,
        `**存在的问题**：${escapeMd(excerpt(r.problem, 1500))}`,
      ].join('\n'),
    ),
  ]);
}

// /活动 详情 and /活动 列表: what a campaign is (directions, criteria, phases, quotas, eligibility,
// prizes) and, for the office, buttons to open and close phases and a form to move a deadline.
import { formatChinaDateTime, formatChineseDate } from '../src/domain/campaign/china-time.js';
import { currentPhase, phaseState, phaseStateLabels, type CampaignPhase, type PhaseAction, type PhaseState } from '../src/domain/campaign/phases.js';
import {
  campaignKindLabels,
  dateSourceLabels,
  measureRecipientLabels,
  phaseActorLabels,
  submissionKindLabels,
  type CampaignKind,
  type CampaignTemplate,
  type PhaseCap,
} from '../src/domain/campaign/template.js';
import { unitTypeLabels, unitTypes } from '../src/domain/campaign/unit-types.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import type { Card, CardElement, FormChild } from './types.js';

/** What the cards need of a campaign (a campaigns row fits). */
export interface CampaignCardInput {
  code: string;
  name: string;
  year: number;
  kind: CampaignKind;
  templateId: string;
  status: 'active' | 'archived';
  noticeChatId: string | null;
  definition: CampaignTemplate & { phases: readonly CampaignPhase[] };
}

export type DeadlineField = 'phase' | 'closesAt' | 'reason';
/** The deadline form as the user filled it in, with a message per bad field (rebuilt on a failed submit). */
export interface DeadlineFormState {
  values: Partial<Record<DeadlineField, string>>;
  errors: Partial<Record<DeadlineField, string>>;
}

const stateColors: Record<PhaseState, string> = { pending: 'grey', open: 'green', closed: 'red' };
const actionLabels: Record<PhaseAction['action'], string> = { open: '提前开启', close: '提前关闭', reopen: '重新开放', move_deadline: '调整截止时间' };
const red = (message: string): FormChild => ({ tag: 'markdown', content: `<font color='red'>${escapeMd(message)}</font>` });
const yuan = (n: number): string => (n % 10_000 === 0 ? `${n / 10_000}万元` : `${n}元`);
const percent = (share: number): string => `${Math.round(share * 100)}%`;

export function capText(cap: PhaseCap): string {
  return cap.rule === 'at_most' ? `至多 ${cap.max} 项` : `前 ${cap.max} 名`;
}

/** One line for lists and notices: the phase open now, or the next one. */
export function phaseSummary(phases: readonly CampaignPhase[], now: Date): string {
  const open = currentPhase(phases, now);
  if (open) return `${open.label}（进行中，${formatChinaDateTime(open.closesAt)} 截止）`;
  const next = phases.find((p) => phaseState(p, now) === 'pending');
  return next ? `暂无进行中的阶段，下一阶段“${next.label}”${formatChinaDateTime(next.opensAt)} 开始` : '全部阶段已结束';
}

function phaseBlock(c: CampaignCardInput, phase: CampaignPhase, index: number, now: Date, manage: boolean): CardElement[] {
  const state = phaseState(phase, now);
  const facts = [phase.stage, phaseActorLabels[phase.actor], phase.submissionKind ? `受理${submissionKindLabels[phase.submissionKind]}` : undefined];
  const lines = [
    `**${index + 1}. ${escapeMd(phase.label)}**\u3000<font color='${stateColors[state]}'>${phaseStateLabels[state]}</font>`,
    facts.filter((f): f is string => Boolean(f)).map(escapeMd).join(' · '),
    `${formatChinaDateTime(phase.opensAt)} 至 ${formatChinaDateTime(phase.closesAt)}`,
  ];
  const provisional = phase.dateSource.opensAt === 'provisional' || phase.dateSource.closesAt === 'provisional';
  if (provisional) lines.push(`<font color='grey'>日期${dateSourceLabels.provisional}</font>`);
  if (phase.cap) lines.push(`数量上限：${capText(phase.cap)}`);
  const last = phase.history?.at(-1);
  if (last) {
    const why = last.reason ? `，理由：${escapeMd(last.reason)}` : '';
    lines.push(`<font color='grey'>最近调整：${formatChinaDateTime(last.at)} ${actionLabels[last.action]}${why}</font>`);
  }
  const elements: CardElement[] = [md(lines.join('\n'))];
  if (manage && state === 'pending') {
    elements.push(button(`立即开启“${phase.label}”`, { v: 1, a: 'campaign.phase', code: c.code, phase: phase.key, op: 'open' }, { name: `open_${phase.key}`, type: 'primary' }));
  }
  if (manage && state === 'open') {
    elements.push(button(`提前关闭“${phase.label}”`, { v: 1, a: 'campaign.phase', code: c.code, phase: phase.key, op: 'close' }, { name: `close_${phase.key}`, type: 'danger' }));
  }
  return elements;
}

function rulesBlock(d: CampaignTemplate): CardElement[] {
  const elements: CardElement[] = [];
  if (d.directions?.length) {
    elements.push(md(`**重点方向**（${d.directions.length} 项）\n${d.directions.map((x, i) => `${i + 1}. ${escapeMd(x.label)}`).join('\n')}`));
  }
  if (d.criteria?.length) {
    const byStage = (['topic', 'achievement'] as const).flatMap((stage) => {
      const list = (d.criteria ?? []).filter((x) => x.stage === stage);
      if (list.length === 0) return [];
      const items = list.map((x) => `- ${escapeMd(x.label)}：权重 ${x.weight}，${x.scale.min}–${x.scale.max} 分`);
      return [`${submissionKindLabels[stage]}评价：\n${items.join('\n')}`];
    });
    elements.push(md(`**评价标准**\n${byStage.join('\n')}`));
  }
  const quotaLines = unitTypes.map((t) => `${unitTypeLabels[t]} ${d.quotas[t]} 项`);
  const anyQuota = unitTypes.some((t) => d.quotas[t] > 0);
  elements.push(md(`**配额**（每个单位的最低申报数量）\n${anyQuota ? quotaLines.join('\u3000') : '不设最低申报数量'}`));

  const e = d.eligibility;
  const eligibility = [`可申报单位：${e.applicantUnitTypes.map((t) => unitTypeLabels[t]).join('、')}`];
  if (e.excludeViceDepartmentLevel) eligibility.push('不含副厅级或相当于副厅级以上单位和干部');
  if (e.excludeCountyPartyOrGovernment) eligibility.push('不含县级以上党委或政府');
  if (d.achievementWindow) eligibility.push(`成果形成时间：${formatChineseDate(d.achievementWindow.from)}至${formatChineseDate(d.achievementWindow.to)}`);
  if (d.mainCreators) eligibility.push(`主创人：${d.mainCreators.min === d.mainCreators.max ? d.mainCreators.min : `${d.mainCreators.min}–${d.mainCreators.max}`} 名`);
  elements.push(md(`**申报资格**\n${eligibility.map((x) => `- ${x}`).join('\n')}`));

  if (d.prizes) {
    const tiers = d.prizes.tiers.map((t) => `${escapeMd(t.label)} ${yuan(t.amountYuan)}`).join('，');
    elements.push(
      md(`**奖励**\n${tiers}\n主创人奖金不低于 ${percent(d.prizes.mainCreatorMinShare)}；县处级干部不超过获奖人数的 ${percent(d.prizes.countyLevelCadreMaxShare)}`),
    );
  }
  if (d.measures?.length) {
    const lines = d.measures.map((m) => {
      const who = m.recipients.map((r) => measureRecipientLabels[r]).join('、');
      return `${m.number}. ${escapeMd(m.title)}（牵头：${m.leadUnits.map(escapeMd).join('、')}；对象：${who}）`;
    });
    elements.push({ tag: 'collapsible_panel', expanded: false, header: { title: text(`激励措施（${d.measures.length} 项）`) }, elements: [md(lines.join('\n'))] });
  }
  return elements;
}

function deadlineForm(c: CampaignCardInput, now: Date, form: DeadlineFormState | undefined): CardElement {
  const values = form?.values ?? {};
  const errors = form?.errors ?? {};
  const phaseSelect: FormChild = {
    tag: 'select_static',
    name: 'phase',
    placeholder: text('选择阶段'),
    options: c.definition.phases.map((p) => ({ text: text(`${p.label}（${phaseStateLabels[phaseState(p, now)]}）`), value: p.key })),
  };
  if (values.phase && c.definition.phases.some((p) => p.key === values.phase)) phaseSelect.initial_option = values.phase;
  const closesAt: FormChild = { tag: 'input', name: 'closes_at', placeholder: text('新的截止时间，如 2026-12-31 或 2026-12-31 18:00'), max_length: 40 };
  if (values.closesAt) closesAt.default_value = values.closesAt;
  const reason: FormChild = { tag: 'input', name: 'reason', placeholder: text('理由（必填，记入审计日志）'), max_length: 200 };
  if (values.reason) reason.default_value = values.reason;
  const children: FormChild[] = [
    { tag: 'markdown', content: '**调整截止时间 / 重新开放**\n已截止的阶段将按新的截止时间重新开放。时间均为北京时间。' },
    phaseSelect,
    ...(errors.phase ? [red(errors.phase)] : []),
    closesAt,
    ...(errors.closesAt ? [red(errors.closesAt)] : []),
    reason,
    ...(errors.reason ? [red(errors.reason)] : []),
    { ...button('保存', { v: 1, a: 'campaign.deadline', code: c.code }, { name: 'deadline_submit', type: 'primary' }), form_action_type: 'submit' },
  ];
  return { tag: 'form', name: 'deadline_form', elements: children };
}

export function campaignDetailCard(c: CampaignCardInput, now: Date, opts: { manage: boolean; form?: DeadlineFormState }): Card {
  const d = c.definition;
  const source = [d.source.title, ...(d.source.documentNumber ? [d.source.documentNumber] : []), ...(d.source.basedOn ?? [])];
  const intro = [
    `**活动代码**：${escapeMd(c.code)}\u3000**类型**：${campaignKindLabels[c.kind]}\u3000**年度**：${c.year}\u3000**模板**：${escapeMd(c.templateId)}`,
    `**依据**：${source.map(escapeMd).join('；')}`,
    `**当前阶段**：${phaseSummary(d.phases, now)}`,
    `**通知群**：${c.noticeChatId ? '已绑定' : '未绑定（在工作群里 @我 发送“/活动 绑定群”）'}`,
  ];
  if (c.status === 'archived') intro.push('**状态**：已归档');
  const elements: CardElement[] = [
    md(intro.join('\n')),
    hr(),
    md('**阶段安排**（北京时间）'),
    ...d.phases.flatMap((p, i) => phaseBlock(c, p, i, now, opts.manage)),
    hr(),
    ...rulesBlock(d),
  ];
  if (opts.manage) {
    elements.push(hr(), deadlineForm(c, now, opts.form));
    elements.push(button('查看配额完成情况', { v: 1, a: 'campaign.quota', code: c.code }, { name: 'show_quota' }));
  }
  return card(header(c.name, 'blue', `${c.code} · ${campaignKindLabels[c.kind]}`), elements);
}

export function campaignListCard(items: readonly CampaignCardInput[], now: Date): Card {
  if (items.length === 0) {
    return card(header('活动列表', 'blue'), [md('还没有活动。发送“/活动 新建 liaoning-2022”或“/活动 新建 chongqing-2022”从模板创建。')]);
  }
  const shown = items.slice(0, 20);
  const elements: CardElement[] = shown.flatMap((c, i) => [
    md(
      [
        `**${escapeMd(c.code)}**\u3000${escapeMd(c.name)}${c.status === 'archived' ? '（已归档）' : ''}`,
        `${campaignKindLabels[c.kind]} · ${c.year}年 · 通知群${c.noticeChatId ? '已绑定' : '未绑定'}`,
        `当前：${phaseSummary(c.definition.phases, now)}`,
      ].join('\n'),
    ),
    button(`查看 ${c.code} 详情`, { v: 1, a: 'campaign.show', code: c.code }, { name: `show_${i}`, type: 'text' }),
  ]);
  if (items.length > shown.length) elements.push(md(`另有 ${items.length - shown.length} 个较早的活动未列出，发送“/活动 详情 <代码>”查看。`));
  return card(header('活动列表', 'blue', `共 ${items.length} 个活动`), elements);
}

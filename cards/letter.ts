// 提醒函 / 督办函 cards: the letter as its recipients get it (已收到, 提交整改方案), the copy its cc gets, the
// rectification plan form, and the /督办 列表 card. Pure builders over plain view models.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { letterKindLabels, type LetterKind } from '../src/domain/ledger/letter-number.js';
import { isTracked, taskStateLabels, type TaskState } from '../src/domain/ledger/task-state.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import { errorLine, excerpt, submitButton } from './recommendation.js';
import type { Card, CardElement } from './types.js';

export interface LetterPerson {
  openId: string;
  name: string | null;
}

export interface LetterCardView {
  id: number;
  kind: LetterKind;
  /** 提醒〔2026〕第7号. */
  number: string;
  ledgerTitle: string;
  task: { id: number; code: string; title: string; state: TaskState };
  reason: string;
  issuedAt: Date;
  rectifyBy: Date;
  recipients: readonly LetterPerson[];
  cc: readonly LetterPerson[];
  acknowledgedAt: Date | null;
  acknowledgedBy: LetterPerson | null;
  plan: { text: string; dueAt: Date; doneAt: Date | null } | null;
}

const who = (p: LetterPerson): string => escapeMd(p.name ?? p.openId);
const people = (list: readonly LetterPerson[]): string => (list.length ? list.map(who).join('、') : '（无）');
const when = (d: Date): string => formatChinaDateTime(d);
const title = (v: Pick<LetterCardView, 'kind' | 'number'>): string => `${letterKindLabels[v.kind]} ${v.number}`;

function ackLine(v: LetterCardView): string {
  if (!v.acknowledgedAt) return "**签收**：<font color='red'>尚未签收</font>";
  return `**签收**：已于 ${when(v.acknowledgedAt)} 由 ${v.acknowledgedBy ? who(v.acknowledgedBy) : '收函人'} 签收`;
}

function planLine(v: LetterCardView): string | undefined {
  if (!v.plan) return undefined;
  const state = v.plan.doneAt ? `，已于 ${when(v.plan.doneAt)} 完成` : '';
  return `**整改方案**：${escapeMd(excerpt(v.plan.text, 500))}\n**整改完成日期**：${when(v.plan.dueAt)}${state}`;
}

function body(v: LetterCardView): string {
  return [
    `**主送**：${people(v.recipients)}`,
    ...(v.cc.length ? [`**抄送**：${people(v.cc)}`] : []),
    `**任务**：${escapeMd(v.task.code)} ${escapeMd(v.task.title)}（${taskStateLabels[v.task.state]}）`,
    `**事由**：${escapeMd(v.reason)}`,
    `**整改期限**：${when(v.rectifyBy)} 前`,
    `**发函时间**：${when(v.issuedAt)}\u3000**台账**：${escapeMd(v.ledgerTitle)}`,
  ].join('\n');
}

const asks: Record<LetterKind, string> = {
  reminder: '请在整改期限前补报或完成上述事项，并点击“已收到”签收。逾期仍未整改的，将发出督办函并抄送分管领导。',
  supervision: '请牵头单位高度重视，在整改期限前提交整改方案（整改措施和完成日期）并抓好落实。整改完成日期将列入台账跟踪督办。',
};

/** The letter as a recipient (mode 'recipient') or a person copied (mode 'copy') sees it. */
export function letterCard(v: LetterCardView, mode: 'recipient' | 'copy' = 'recipient'): Card {
  const elements: CardElement[] = [md(body(v)), hr(), md([ackLine(v), planLine(v)].filter(Boolean).join('\n'))];
  if (mode === 'copy') {
    elements.push(md('此函抄送你，请关注并督促牵头单位按期整改。发送“/督办 列表”可查看全部函件。'));
  } else {
    elements.push(md(asks[v.kind]));
    const open = isTracked(v.task.state) && !v.plan?.doneAt;
    if (!v.acknowledgedAt) elements.push(button('已收到', { v: 1, a: 'letter.ack', l: v.id }, { name: 'ack', type: 'primary' }));
    if (open) elements.push(button(v.plan ? '修改整改方案' : '提交整改方案', { v: 1, a: 'letter.plan_form', l: v.id }, { name: 'plan', type: v.acknowledgedAt ? 'primary' : 'default' }));
  }
  const color = v.kind === 'supervision' ? 'red' : 'orange';
  return card(header(mode === 'copy' ? `${title(v)}（抄送）` : title(v), color, v.ledgerTitle), elements);
}

export interface PlanFormView {
  letter: LetterCardView;
  values?: { measures: string; dueOn: string };
  errors?: Partial<Record<'measures' | 'dueOn', string>>;
}

/** The date typed or picked, as date_picker wants it (yyyy-mm-dd), or nothing. */
function pickerDate(raw: string | undefined): { initial_date: string } | Record<string, never> {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(raw?.trim() ?? '');
  return m?.[1] ? { initial_date: m[1] } : {};
}

/** 整改方案: measures and a completion date; rebuilt with what was typed and a red line per bad field. */
export function planFormCard(v: PlanFormView): Card {
  const l = v.letter;
  const e = v.errors ?? {};
  const typedMeasures = v.values?.measures ?? l.plan?.text ?? '';
  const typedDate = v.values?.dueOn ?? (l.plan ? new Date(l.plan.dueAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) : undefined);
  return card(header(`整改方案 · ${title(l)}`, 'blue', l.ledgerTitle), [
    md([`**任务**：${escapeMd(l.task.code)} ${escapeMd(l.task.title)}`, `**事由**：${escapeMd(l.reason)}`, `**整改期限**：${when(l.rectifyBy)} 前`].join('\n')),
    {
      tag: 'form',
      name: 'plan_form',
      elements: [
        {
          tag: 'input',
          name: 'measures',
          required: true,
          label: text('整改措施（必填，2000字以内）'),
          placeholder: text('写明问题原因、整改措施、责任人和工作安排'),
          input_type: 'multiline_text',
          rows: 5,
          max_length: 2000,
          ...(typedMeasures ? { default_value: excerpt(typedMeasures, 2010) } : {}),
        },
        ...errorLine(e.measures),
        { tag: 'date_picker', name: 'dueOn', required: true, placeholder: text('整改完成日期'), ...pickerDate(typedDate) },
        ...errorLine(e.dueOn),
        submitButton('提交整改方案', { v: 1, a: 'letter.plan', l: l.id }),
      ],
    },
    button('返回函件', { v: 1, a: 'letter.view', l: l.id }, { name: 'back' }),
  ]);
}

/** /督办 列表: newest first, at most what the service loaded, with the totals. */
export function letterListCard(v: { letters: readonly LetterCardView[]; total: number; unacknowledged: number; everything: boolean }): Card {
  if (v.letters.length === 0) {
    return card(header('督办函件', 'grey'), [md(v.everything ? '目前还没有发出任何提醒函或督办函。' : '目前没有与你有关的提醒函或督办函。')]);
  }
  const elements: CardElement[] = [
    md(`共 **${v.total}** 份函件，其中 **${v.unacknowledged}** 份尚未签收。${v.total > v.letters.length ? `以下是最近的 ${v.letters.length} 份。` : ''}`),
  ];
  for (const l of v.letters) {
    elements.push(hr());
    elements.push(
      md(
        [
          `**${title(l)}** · ${when(l.issuedAt)}`,
          `${escapeMd(l.task.code)} ${escapeMd(excerpt(l.task.title, 40))}`,
          `主送：${people(l.recipients)}${l.cc.length ? `；抄送：${people(l.cc)}` : ''}`,
          l.acknowledgedAt ? `已签收（${when(l.acknowledgedAt)}）${l.plan ? '，已提交整改方案' : ''}` : "<font color='red'>未签收</font>",
        ].join('\n'),
      ),
    );
    elements.push(button('查看', { v: 1, a: 'letter.view', l: l.id }, { name: `view_${l.id}` }));
  }
  elements.push(button('刷新', { v: 1, a: 'letter.list' }, { name: 'refresh' }));
  return card(header('督办函件', 'orange', v.everything ? '全部台账' : '与我有关'), elements);
}

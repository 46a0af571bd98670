// Problem library cards (问题库, seed 002 measure 11): the /问题 登记 form, one problem with the moves its viewer may
// make (分办 to a unit, 办结 with a resolution, 提请研究), and the list.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { problemEventLabels, problemStateLabels, type ProblemEventType, type ProblemState } from '../src/domain/ledger/problem-state.js';
import { input, red, select } from './ledger-task.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild, TemplateColor } from './types.js';
import { fitLines, LIST_BYTES } from './units.js';

const label = (content: string): FormChild => ({ tag: 'markdown', content });
const withError = (children: FormChild[], error: string | undefined): FormChild[] => (error ? [...children, red(error)] : children);
const submit = (b: ButtonElement): ButtonElement => ({ ...b, form_action_type: 'submit' });
const stateColors: Record<ProblemState, TemplateColor> = { open: 'orange', assigned: 'blue', resolved: 'green', escalated: 'red' };

export interface ProblemFormCardView {
  formKey: string;
  ledgerId: number;
  ledgerTitle: string;
  tasks: readonly { id: number; code: string; title: string }[];
  units: readonly { id: number; name: string }[];
  values: { description?: string; task?: string; unit?: string };
  errors: { description?: string; task?: string; unit?: string };
}

export function problemFormCard(v: ProblemFormCardView): Card {
  const taskOptions = v.tasks.map((t) => ({ text: text(`${t.code} ${t.title}`.slice(0, 60)), value: String(t.id) }));
  const unitOptions = v.units.map((u) => ({ text: text(u.name), value: String(u.id) }));
  const elements: FormChild[] = [
    ...withError([label('**问题描述**'), input('description', v.values.description, '哪里卡住了、影响了什么、需要谁来解决', { multiline: true, max: 2000, required: true })], v.errors.description),
    ...(taskOptions.length ? withError([label('**相关任务**（选填）'), select('task', taskOptions, v.values.task, '选择相关的台账任务')], v.errors.task) : []),
    ...withError([label('**责任单位**（选填，不填则由办公室分办）'), select('unit', unitOptions, v.values.unit, '选择责任单位')], v.errors.unit),
    submit(button('登记问题', { v: 1, a: 'problem.register', k: v.formKey, l: v.ledgerId }, { name: 'submit', type: 'primary' })),
  ];
  const top = Object.keys(v.errors).length ? [red('有内容需要修改，请按下面的红字提示修改后重新提交。')] : [];
  return card(header('登记问题（立即挂号）', 'orange', v.ledgerTitle), [...top, { tag: 'form', name: 'problem_form', elements }]);
}

export interface ProblemCardView {
  id: number;
  ledgerTitle: string;
  description: string;
  state: ProblemState;
  task: { code: string; title: string } | undefined;
  unit: { name: string } | undefined;
  resolution: string | null;
  escalationReason: string | undefined;
  registeredBy: { openId: string; name: string | undefined };
  createdAt: Date;
  allowed: readonly ProblemEventType[];
  /** A first line for a pushed card: why this person receives it. */
  note?: string;
}

export interface ProblemEventForm {
  event: ProblemEventType;
  /** For 分办: the units to choose from. */
  units?: readonly { id: number; name: string }[];
  values: { unit?: string; text?: string };
  error?: string;
}

function eventForm(v: ProblemCardView, f: ProblemEventForm): CardElement {
  const children: FormChild[] =
    f.event === 'assign'
      ? [label('**分办给**'), select('unit', (f.units ?? []).map((u) => ({ text: text(u.name), value: String(u.id) })), f.values.unit, '选择责任单位', true)]
      : f.event === 'resolve'
        ? [label('**办理结果**'), input('text', f.values.text, '采取了什么措施、问题如何解决', { multiline: true, max: 2000, required: true })]
        : [label('**提请研究的理由**（需要市级层面协调的事项）'), input('text', f.values.text, '为什么本单位解决不了、需要哪些部门协调', { multiline: true, max: 2000, required: true })];
  return {
    tag: 'form',
    name: 'problem_event',
    elements: [
      ...withError(children, f.error),
      submit(button(problemEventLabels[f.event], { v: 1, a: 'problem.submit', id: v.id, e: f.event }, { name: 'submit', type: 'primary' })),
      button('取消', { v: 1, a: 'problem.view', id: v.id }, { name: 'cancel' }),
    ],
  };
}

export function problemCard(v: ProblemCardView, form?: ProblemEventForm): Card {
  const lines = [
    `**问题描述**：${escapeMd(v.description)}`,
    `**相关任务**：${v.task ? `${v.task.code} ${escapeMd(v.task.title)}` : '无'}`,
    `**责任单位**：${v.unit ? escapeMd(v.unit.name) : '待分办'}`,
    `**登记人**：${escapeMd(v.registeredBy.name ?? v.registeredBy.openId)}，${formatChinaDateTime(v.createdAt)}`,
    ...(v.resolution ? [`**办理结果**：${escapeMd(v.resolution)}`] : []),
    ...(v.escalationReason ? [`**提请研究**：${escapeMd(v.escalationReason)}`] : []),
  ];
  const elements: CardElement[] = [...(v.note ? [md(`**${escapeMd(v.note)}**`)] : []), md(lines.join('\n')), hr()];
  if (form) elements.push(eventForm(v, form));
  else elements.push(...v.allowed.map((e) => button(problemEventLabels[e], { v: 1, a: 'problem.form', id: v.id, e }, { name: `ev_${e}`, type: e === 'escalate' ? 'danger' : 'primary' })));
  return card(header(`问题 #${v.id}`, stateColors[v.state], `${v.ledgerTitle} · ${problemStateLabels[v.state]}`), elements);
}

export interface ProblemListLine {
  id: number;
  description: string;
  state: ProblemState;
  unitName: string | undefined;
  taskCode: string | undefined;
}

export function problemListCard(list: readonly ProblemListLine[]): Card {
  const lines = list.map((p) => {
    const short = p.description.length > 40 ? `${p.description.slice(0, 40)}…` : p.description;
    return `- **#${p.id}** ${escapeMd(short)}｜${problemStateLabels[p.state]}｜${escapeMd(p.unitName ?? '待分办')}${p.taskCode ? `｜${p.taskCode}` : ''}`;
  });
  const { shown, omitted } = fitLines(lines, LIST_BYTES);
  const open = list.filter((p) => p.state !== 'resolved').length;
  return card(header('问题库', open ? 'orange' : 'green', `共 ${list.length} 个，未办结 ${open} 个`), [
    md(shown.length ? shown.join('\n') : '没有你可以查看的问题。'),
    ...(omitted ? [md(`还有 ${omitted} 个未显示。`)] : []),
    hr(),
    md('查看并办理：“/问题 详情 编号”；登记新问题：“/问题 登记”。'),
  ]);
}

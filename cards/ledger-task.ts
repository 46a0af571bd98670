// Ledger and task cards: the ledger list, the /任务 新建 form, a task with its four lists (seed 004) and the state
// buttons its viewer may use, the /任务 list, and the summary of a task import.
import { chinaDateOf } from '../src/domain/ledger/calendar.js';
import { cadenceChoices, type TaskFormErrors, type TaskFormValues } from '../src/domain/ledger/task-import.js';
import { cadenceLabels, periodLabel, type Cadence } from '../src/domain/ledger/periods.js';
import { taskEventLabels, taskStateLabels, type TaskEventType, type TaskState } from '../src/domain/ledger/task-state.js';
import { taskEventsNow } from './actions/ledger.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild, SelectOption, TemplateColor } from './types.js';
import { fitLines, LIST_BYTES } from './units.js';

export const red = (message: string): { tag: 'markdown'; content: string } => ({ tag: 'markdown', content: `<font color='red'>${escapeMd(message)}</font>` });
const label = (content: string): FormChild => ({ tag: 'markdown', content });
const withError = (children: FormChild[], error: string | undefined): FormChild[] => (error ? [...children, red(error)] : children);
const submitButton = (b: ButtonElement): ButtonElement => ({ ...b, form_action_type: 'submit' });

export function input(name: string, value: string | undefined, placeholder: string, opts: { multiline?: boolean; max?: number; required?: boolean } = {}): FormChild {
  const el: FormChild = { tag: 'input', name, placeholder: text(placeholder), max_length: opts.max ?? 1000 };
  if (opts.multiline) Object.assign(el, { input_type: 'multiline_text', rows: 4 });
  if (opts.required) el.required = true;
  if (value) el.default_value = value;
  return el;
}

/** A select showing only values it offers; a forged value is dropped rather than break the card. */
export function select(name: string, options: SelectOption[], value: string | undefined, placeholder: string, required = false): FormChild {
  const el: FormChild = { tag: 'select_static', name, placeholder: text(placeholder), options };
  if (required) el.required = true;
  if (value !== undefined && options.some((o) => o.value === value)) el.initial_option = value;
  return el;
}

function multi(name: string, options: SelectOption[], values: readonly string[] | undefined, placeholder: string): FormChild {
  const el: FormChild = { tag: 'multi_select_static', name, placeholder: text(placeholder), options };
  const chosen = (values ?? []).filter((v) => options.some((o) => o.value === v));
  if (chosen.length) el.selected_values = chosen;
  return el;
}

export const stateColors: Record<TaskState, TemplateColor> = { registered: 'blue', in_progress: 'turquoise', close_requested: 'orange', closed: 'green', kept: 'grey' };

// ---- ledgers -------------------------------------------------------------------------------------

export interface LedgerLine {
  title: string;
  year: number;
  status: 'active' | 'archived';
  taskCount: number;
  bound: boolean;
}

export function ledgerListCard(list: readonly LedgerLine[]): Card {
  const lines = list.map((l) => `- **${escapeMd(l.title)}**（${l.year}年，${l.status === 'active' ? '进行中' : '已归档'}）：${l.taskCount} 项任务；${l.bound ? '已绑定工作群' : '未绑定工作群'}`);
  return card(header('改革台账', 'blue', `共 ${list.length} 个`), [
    md(lines.length ? lines.join('\n') : '还没有台账。发送“/台账 新建 2026年全面深化改革任务”新建。'),
    hr(),
    md('添加任务：“/任务 新建”或发送 Excel/CSV 文件批量导入；在工作群里 @我 发送“/台账 绑定群”。'),
  ]);
}

// ---- the /任务 新建 form ---------------------------------------------------------------------------

export interface TaskFormView {
  ledger: { id: number; title: string };
  units: readonly { id: number; name: string }[];
  owners: readonly { openId: string; label: string }[];
  leaders: readonly { openId: string; label: string }[];
  values: TaskFormValues;
  errors: TaskFormErrors;
}

export function taskFormCard(v: TaskFormView): Card {
  const { values, errors } = v;
  const unitOptions = v.units.map((u) => ({ text: text(u.name), value: String(u.id) }));
  const ownerOptions = v.owners.map((p) => ({ text: text(p.label), value: p.openId }));
  const leaderOptions = v.leaders.map((p) => ({ text: text(p.label), value: p.openId }));
  const cadenceOptions = cadenceChoices.map((c) => ({ text: text(c.label), value: c.value }));
  const elements: FormChild[] = [
    ...withError([label('**任务名称**（任务清单）'), input('title', values.title, '例如：推行企业开办“一日办结”', { max: 100, required: true })], errors.title),
    ...withError([label('**所属举措**（选填）'), input('measure', values.measure, '例如：优化营商环境', { max: 100 })], errors.measure),
    ...withError([label('**牵头单位**'), select('lead', unitOptions, values.lead, '选择牵头单位', true)], errors.lead),
    ...withError([label('**配合单位**（可多选）'), multi('cooperating', unitOptions, values.cooperating, '选择配合单位')], errors.cooperating),
    ...(leaderOptions.length ? withError([label('**责任领导**（选填）'), select('leader', leaderOptions, values.leader, '选择市级责任领导')], errors.leader) : []),
    ...withError([label('**专人**（改革专员，负责填报进展）'), select('owner', ownerOptions, values.owner, '选择专人', true)], errors.owner),
    ...withError([label('**里程碑**（每行一个：日期 内容）'), input('milestones', values.milestones, '2026-03-31 出台实施方案\n2026-06-30 全市推开', { multiline: true })], errors.milestones),
    ...withError([label('**汇报频次**（可多选）'), multi('cadences', cadenceOptions, values.cadences, '每周、每月…')], errors.cadences),
    ...withError([label('**预期成果**（结果清单，选填）'), input('expected', values.expected, '完成后应达到的效果', { multiline: true })], errors.expected),
    submitButton(button('登记任务', { v: 1, a: 'task.create', l: v.ledger.id }, { name: 'submit', type: 'primary' })),
  ];
  const top = Object.keys(errors).length ? [red('有内容需要修改，请按下面的红字提示修改后重新提交。')] : [];
  return card(header('新建台账任务', 'blue', v.ledger.title), [...top, { tag: 'form', name: 'task_form', elements }]);
}

// ---- one task -----------------------------------------------------------------------------------

export interface TaskCardView {
  id: number;
  code: string;
  version: number;
  ledger: { title: string };
  title: string;
  measure: string | null;
  state: TaskState;
  stateReason: string | null;
  nextReviewOn: string | null;
  leadUnit: { name: string } | undefined;
  cooperatingUnits: readonly { name: string }[];
  owner: { openId: string; name: string | undefined };
  leader: { openId: string; name: string | undefined } | undefined;
  cadences: readonly Cadence[];
  milestones: readonly { title: string; dueAt: Date; doneAt: Date | null; source: 'plan' | 'rectification' }[];
  expectedResult: string | null;
  actualResult: string | null;
  source: { trackingNo: string; creators: readonly string[] } | undefined;
  lastReport: { cadence: Cadence; periodKey: string; percent: number; late: boolean } | undefined;
  allowed: readonly TaskEventType[];
}

export type TaskFormEvent = 'request_close' | 'reject_close' | 'keep';
export interface TaskEventForm {
  event: TaskFormEvent;
  values: { summary?: string; reason?: string; nextReviewOn?: string };
  error?: string;
}

const person = (p: { openId: string; name: string | undefined }): string => escapeMd(p.name ?? p.openId);

function milestoneLine(m: TaskCardView['milestones'][number], now: Date): string {
  const status = m.doneAt ? `已完成（${chinaDateOf(m.doneAt)}）` : m.dueAt.getTime() < now.getTime() ? "<font color='red'>已逾期</font>" : '未到期';
  const tag = m.source === 'rectification' ? '【整改】' : '';
  return `- ${chinaDateOf(m.dueAt)} ${tag}${escapeMd(m.title)}：${status}`;
}

function eventForm(v: TaskCardView, f: TaskEventForm): CardElement {
  const children: FormChild[] =
    f.event === 'request_close'
      ? [label('**完成情况**（实际结果，写入结果清单）'), input('summary', f.values.summary, '完成了什么、取得了什么效果', { multiline: true, max: 2000, required: true })]
      : f.event === 'reject_close'
        ? [label('**退回理由**（还需要完成什么）'), input('reason', f.values.reason, '例如：配套细则尚未出台', { multiline: true, max: 500, required: true })]
        : [
            label('**留号理由**'),
            input('reason', f.values.reason, '例如：属长期性工作，需跨年度推进', { multiline: true, max: 500, required: true }),
            label('**下次复核日期**'),
            { tag: 'date_picker', name: 'next_review', placeholder: text('选择日期'), ...(f.values.nextReviewOn ? { initial_date: f.values.nextReviewOn } : {}) },
          ];
  return {
    tag: 'form',
    name: 'task_event',
    elements: [
      ...withError(children, f.error),
      submitButton(button(taskEventLabels[f.event], { v: 1, a: 'task.eventSubmit', id: v.id, ver: v.version, e: f.event }, { name: 'submit', type: 'primary' })),
      button('取消', { v: 1, a: 'task.view', id: v.id }, { name: 'cancel' }),
    ],
  };
}

const nowEvents: readonly string[] = taskEventsNow;

/** The button of one state event on a task as of its version; every card that offers a move uses this one. */
export function eventButton(v: Pick<TaskCardView, 'id' | 'version'>, e: TaskEventType): ButtonElement {
  const type = e === 'confirm_close' || e === 'start' ? 'primary' : e === 'reject_close' ? 'danger' : 'default';
  if (nowEvents.includes(e)) return button(taskEventLabels[e], { v: 1, a: 'task.event', id: v.id, ver: v.version, e: e as (typeof taskEventsNow)[number] }, { name: `ev_${e}`, type });
  return button(taskEventLabels[e], { v: 1, a: 'task.eventForm', id: v.id, ver: v.version, e: e as TaskFormEvent }, { name: `ev_${e}`, type });
}

export function taskCard(v: TaskCardView, now: Date, form?: TaskEventForm): Card {
  const units = [`**牵头单位**：${v.leadUnit ? escapeMd(v.leadUnit.name) : '未指定'}`, `**配合单位**：${v.cooperatingUnits.map((u) => escapeMd(u.name)).join('、') || '无'}`];
  const state: string[] = [];
  if (v.stateReason) state.push(`**${v.state === 'kept' ? '留号理由' : '退回理由'}**：${escapeMd(v.stateReason)}`);
  if (v.nextReviewOn) state.push(`**下次复核**：${v.nextReviewOn}`);
  if (v.lastReport) state.push(`**最近汇报**：${periodLabel({ cadence: v.lastReport.cadence, key: v.lastReport.periodKey })}，完成 ${v.lastReport.percent}%${v.lastReport.late ? '（迟报）' : ''}`);
  if (v.source) state.push(`**来源**：活动选题 ${escapeMd(v.source.trackingNo)}（主创人：${v.source.creators.map(escapeMd).join('、') || '—'}）`);
  const elements: CardElement[] = [
    md(`**任务清单**\n${escapeMd(v.title)}${v.measure ? `\n所属举措：${escapeMd(v.measure)}` : ''}`),
    md(`**责任清单**\n**责任领导**：${v.leader ? person(v.leader) : '未指定'}\n${units.join('\n')}\n**专人**：${person(v.owner)}`),
    md(`**措施清单**\n${v.milestones.length ? v.milestones.map((m) => milestoneLine(m, now)).join('\n') : '暂无里程碑'}\n**汇报频次**：${v.cadences.map((c) => cadenceLabels[c]).join('、')}`),
    md(`**结果清单**\n**预期成果**：${v.expectedResult ? escapeMd(v.expectedResult) : '未填写'}\n**实际结果**：${v.actualResult ? escapeMd(v.actualResult) : '尚未申请销号'}`),
    ...(state.length ? [md(state.join('\n'))] : []),
    hr(),
  ];
  if (form) elements.push(eventForm(v, form));
  else {
    elements.push(...v.allowed.map((e) => eventButton(v, e)));
    elements.push(button('我的任务', { v: 1, a: 'task.mine' }, { name: 'mine', type: 'text' }));
  }
  return card(header(`${v.code} ${v.title}`, stateColors[v.state], `${v.ledger.title} · ${taskStateLabels[v.state]}`), elements);
}

// ---- lists ----------------------------------------------------------------------------------------

export interface TaskListLine {
  code: string;
  title: string;
  state: TaskState;
  leadUnitName: string | undefined;
  ownerName: string;
  roles: readonly string[];
}

export function taskListCard(title: string, list: readonly TaskListLine[], empty: string): Card {
  const lines = list.map(
    (t) => `- **${t.code}** ${escapeMd(t.title)}｜${taskStateLabels[t.state]}｜牵头：${escapeMd(t.leadUnitName ?? '—')}｜专人：${escapeMd(t.ownerName)}${t.roles.length ? `｜我是：${t.roles.join('、')}` : ''}`,
  );
  const { shown, omitted } = fitLines(lines, LIST_BYTES);
  return card(header(title, 'blue', `共 ${list.length} 项`), [
    md(shown.length ? shown.join('\n') : empty),
    ...(omitted ? [md(`还有 ${omitted} 项未显示。`)] : []),
    hr(),
    md('查看详情并办理：“/任务 详情 RW2026-001”；填报进展：“/汇报”。'),
  ]);
}

// ---- import summary -------------------------------------------------------------------------------

export function taskImportDoneCard(v: { source: string; rowCount: number; ledgerTitles: readonly string[]; created: readonly string[]; updated: readonly string[]; unchanged: readonly string[] }): Card {
  const list = (label: string, items: readonly string[]) => (items.length ? `**${label}**\n${fitLines(items.map((i) => `- ${escapeMd(i)}`), 8 * 1024).shown.join('\n')}` : '');
  return card(header('台账任务导入完成', 'green', v.source), [
    md(`共 ${v.rowCount} 行，导入台账“${v.ledgerTitles.map(escapeMd).join('、')}”：新建 **${v.created.length}** 项，更新 **${v.updated.length}** 项，无变化 **${v.unchanged.length}** 项。`),
    ...[list('新建', v.created), list('更新', v.updated)].filter(Boolean).map(md),
    hr(),
    md('已有任务按编号或名称更新，不会重复登记；空着的选填列保留原值。发送“/任务 详情 编号”查看。'),
  ]);
}

export function taskImportRejectedCard(v: { source: string; rowCount: number; problems: readonly { rowNumber: number; reason: string }[] }): Card {
  const { shown, omitted } = fitLines(v.problems.map((p) => `- **第${p.rowNumber}行**：${escapeMd(p.reason)}`), LIST_BYTES);
  return card(header('台账任务导入未完成：没有写入任何数据', 'red', v.source), [
    md(`共 ${v.rowCount} 行，其中 **${v.problems.length}** 行有问题。请改正下面这些行后重新发送整份表格（全部正确才会导入）：`),
    md([...shown, ...(omitted ? [`- ……还有 ${omitted} 行有问题`] : [])].join('\n')),
  ]);
}

// Progress report cards (seed 004): what is due for me (/汇报), the report form (进展情况、存在问题、对策建议, percent, each
// milestone's status) and the report as submitted, which may be corrected until the period's due time.
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { chinaDateOf } from '../src/domain/ledger/calendar.js';
import { milestoneField, milestoneStatusLabels, milestoneStatuses, reportFieldLabels, type ReportErrors, type ReportFormValues } from '../src/domain/ledger/report-form.js';
import { input, red, select } from './ledger-task.js';
import { button, card, escapeMd, header, hr, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild } from './types.js';
import { fitLines, LIST_BYTES } from './units.js';

export interface ReportListItem {
  taskId: number;
  code: string;
  title: string;
  period: { key: string; label: string; dueAt: Date };
  status: 'overdue' | 'due' | 'submitted';
}

/** Buttons on the list card (each opens one report card); the rest are listed as text. */
export const REPORT_BUTTONS = 20;
const statusText = { overdue: "<font color='red'>已逾期，请尽快补报</font>", due: '待填报', submitted: '已提交，截止前可修改' } as const;

export function reportListCard(items: readonly ReportListItem[]): Card {
  const lines = items.map((i) => `- **${i.code}** ${escapeMd(i.title)}｜${i.period.label}｜${formatChinaDateTime(i.period.dueAt)}截止｜${statusText[i.status]}`);
  const { shown, omitted } = fitLines(lines, LIST_BYTES - 6 * 1024);
  const buttons = items.slice(0, REPORT_BUTTONS).map((i, n) =>
    button(`${i.status === 'submitted' ? '修改' : '填写'}：${i.code} ${i.period.label}`, { v: 1, a: 'report.open', t: i.taskId, p: i.period.key }, { name: `open_${n}`, type: i.status === 'overdue' ? 'danger' : i.status === 'due' ? 'primary' : 'default' }),
  );
  const owed = items.filter((i) => i.status !== 'submitted').length;
  return card(header('我的进展汇报', owed ? 'orange' : 'green', owed ? `待填报 ${owed} 份` : '没有待填报的汇报'), [
    md(shown.length ? shown.join('\n') : '你目前没有需要填报的进展汇报。你负责的任务到了汇报周期，会在这里列出。'),
    ...(omitted ? [md(`还有 ${omitted} 份未显示，请先填报上面的。`)] : []),
    ...(buttons.length ? [hr(), ...buttons] : []),
  ]);
}

export interface ReportCardView {
  task: { id: number; code: string; title: string };
  period: { key: string; label: string; dueAt: Date };
  milestones: readonly { id: number; title: string; dueAt: Date; doneAt: Date | null }[];
  report: { version: number; late: boolean; submittedAt: Date; progress: string; problems: string; suggestions: string; percentComplete: number; milestoneStatus: readonly { milestoneId: number; status: string }[] } | undefined;
  editable: boolean;
}

const head = (v: ReportCardView, sub: string, color: 'blue' | 'green' | 'orange' | 'red') => header(`进展汇报 · ${v.task.code} ${v.period.label}`, color, sub);
const statusOptions = milestoneStatuses.map((s) => ({ text: text(milestoneStatusLabels[s]), value: s }));
const label = (content: string): FormChild => ({ tag: 'markdown', content });

/** The form: new (version 0) or a correction of the stored report; errors in red under their fields. */
export function reportFormCard(v: ReportCardView, now: Date, values: ReportFormValues, errors: ReportErrors = {}): Card {
  const field = (children: FormChild[], error: string | undefined): FormChild[] => (error ? [...children, red(error)] : children);
  const milestones = v.milestones.flatMap((m) => {
    const name = milestoneField(m.id);
    const initial = values.milestones[m.id] ?? (m.doneAt ? 'done' : undefined);
    return field([label(`里程碑：${chinaDateOf(m.dueAt)} ${escapeMd(m.title)}`), select(name, statusOptions, initial, '选择状态', true)], errors[name]);
  });
  const ver = v.report?.version ?? 0;
  const submit: ButtonElement = {
    ...button(ver ? '保存修改' : '提交汇报', { v: 1, a: 'report.submit', t: v.task.id, p: v.period.key, ver }, { name: 'submit', type: 'primary' }),
    form_action_type: 'submit',
  };
  const elements: FormChild[] = [
    ...field([label(`**${reportFieldLabels.progress}**`), input('progress', values.progress, '本期做了什么、推进到哪一步', { multiline: true, max: 2000, required: true })], errors.progress),
    ...field([label(`**${reportFieldLabels.problems}**（没有可不填）`), input('problems', values.problems, '遇到的困难和堵点', { multiline: true, max: 2000 })], errors.problems),
    ...field([label(`**${reportFieldLabels.suggestions}**（没有可不填）`), input('suggestions', values.suggestions, '下一步打算、需要协调的事项', { multiline: true, max: 2000 })], errors.suggestions),
    ...field([label(`**${reportFieldLabels.percent}**`), input('percent', values.percent, '0 到 100 的整数，例如 60', { max: 4, required: true })], errors.percent),
    ...milestones,
    submit,
  ];
  const late = v.period.dueAt.getTime() < now.getTime() && !v.report;
  const due = late ? `截止时间 ${formatChinaDateTime(v.period.dueAt)} 已过，现在提交将记为迟报。` : `截止时间：${formatChinaDateTime(v.period.dueAt)}（北京时间），截止前提交后仍可修改。`;
  const top: CardElement[] = [md(`**${escapeMd(v.task.title)}**\n${due}`)];
  if (Object.keys(errors).length) top.push(red('有内容需要修改，请按下面的红字提示修改后重新提交。'));
  return card(head(v, ver ? '修改汇报' : '填写汇报', late ? 'orange' : 'blue'), [...top, { tag: 'form', name: 'report_form', elements }]);
}

/** The report as stored; a 修改 button while the period is still open. */
export function reportDoneCard(v: ReportCardView, now: Date): Card {
  const r = v.report;
  if (!r) return reportFormCard(v, now, { milestones: {} });
  const statusOf = (id: number) => r.milestoneStatus.find((s) => s.milestoneId === id)?.status as keyof typeof milestoneStatusLabels | undefined;
  const ms = v.milestones.map((m) => `- ${chinaDateOf(m.dueAt)} ${escapeMd(m.title)}：${milestoneStatusLabels[statusOf(m.id) ?? 'on_time']}`);
  const body = [
    `**${escapeMd(v.task.title)}**`,
    `**${reportFieldLabels.progress}**：${escapeMd(r.progress)}`,
    `**${reportFieldLabels.problems}**：${r.problems ? escapeMd(r.problems) : '无'}`,
    `**${reportFieldLabels.suggestions}**：${r.suggestions ? escapeMd(r.suggestions) : '无'}`,
    `**完成进度**：${r.percentComplete}%`,
    ...(ms.length ? ['**里程碑**', ...ms] : []),
    `提交于 ${formatChinaDateTime(r.submittedAt)}${r.late ? "，<font color='red'>迟报</font>" : ''}（第 ${r.version} 版）`,
  ];
  const footer = v.editable ? `截止时间 ${formatChinaDateTime(v.period.dueAt)} 前可修改。` : '已过截止时间，不能再修改。';
  return card(head(v, r.late ? '已提交（迟报）' : '已提交', r.late ? 'orange' : 'green'), [
    md(body.join('\n')),
    hr(),
    md(footer),
    ...(v.editable ? [button('修改汇报', { v: 1, a: 'report.open', t: v.task.id, p: v.period.key, edit: 1 }, { name: 'edit' })] : []),
    button('我的汇报', { v: 1, a: 'report.list' }, { name: 'list', type: 'text' }),
  ]);
}

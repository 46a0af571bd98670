// Dispatch digest cards (seed 001): the work group's daily card, a responsible leader's weekly card and the main
// leader's monthly card with completion by unit as a VChart bar chart; plus the owner's report-due reminder.
// Lists are capped so a big ledger stays well under Lark's 30 KB per card.
import { formatChinaDateTime, formatChineseDate } from '../src/domain/campaign/china-time.js';
import type { ChangeLine, DailyDigest, DueLine, LeaderDigest, LetterLine, MonthlyDigest, OverdueLine, StateCounts, TaskRef } from '../src/domain/ledger/digest.js';
import { letterKindLabels } from '../src/domain/ledger/letter-number.js';
import { taskStateLabels, taskStates } from '../src/domain/ledger/task-state.js';
import { button, card, escapeMd, header, hr, md } from './kit.js';
import type { Card, CardElement } from './types.js';

const LIST_MAX = 15;
const when = (d: Date): string => formatChinaDateTime(d);
const ref = (t: TaskRef): string => `${escapeMd(t.code)} ${escapeMd(t.title)}${t.leadUnitName ? `（${escapeMd(t.leadUnitName)}）` : ''}`;

function section(title: string, lines: readonly string[], empty: string): string {
  if (lines.length === 0) return `**${title}**：${empty}`;
  const shown = lines.slice(0, LIST_MAX).map((l) => `- ${l}`);
  if (lines.length > LIST_MAX) shown.push(`- ……另有 ${lines.length - LIST_MAX} 项`);
  return [`**${title}（${lines.length}）**`, ...shown].join('\n');
}

const states = (c: StateCounts): string =>
  taskStates
    .filter((s) => c[s] > 0)
    .map((s) => `${taskStateLabels[s]} ${c[s]}`)
    .join('，');
const overdue = (l: OverdueLine): string => `${ref(l.task)}：${escapeMd(l.label)}，<font color='red'>已逾期${l.overdueWorkdays}个工作日</font>`;
const due = (l: DueLine): string => `${ref(l.task)}：${escapeMd(l.label)}，${when(l.dueAt)} 截止`;
const change = (l: ChangeLine): string => `${ref(l.task)}：${l.changes.map(escapeMd).join('；')}`;
const letter = (l: LetterLine): string => `${letterKindLabels[l.kind]} ${escapeMd(l.number)} · ${ref(l.task)} · ${l.acknowledged ? '已签收' : "<font color='red'>未签收</font>"}`;
const footer = (): CardElement => md('发送“/台账 总览”查看图表，“/督办 列表”查看函件，“/任务 详情 <编号>”查看任务。');

/** 群内日调度: to the ledger's work group on working days. */
export function dailyDigestCard(ledgerTitle: string, d: DailyDigest): Card {
  return card(header(`台账日调度 · ${formatChineseDate(d.date)}`, d.counts.overdue ? 'orange' : 'blue', ledgerTitle), [
    md(`**任务**：共 ${d.counts.tasks} 项（${states(d.counts.byState) || '暂无'}）`),
    md(section(`${formatChineseDate(d.since)}以来的变化`, d.changed.map(change), '无')),
    md(section('逾期未办', d.overdue.map(overdue), '无，全部按时')),
    md(section('本周到期', d.dueThisWeek.map(due), '无')),
    ...(d.reviewsDue.length ? [md(section('留号任务到了复核日期', d.reviewsDue.map(ref), '无'))] : []),
    hr(),
    footer(),
  ]);
}

/** 分管领导周调度: to a responsible leader, about their tasks only. */
export function weeklyDigestCard(ledgerTitle: string, d: LeaderDigest): Card {
  return card(header(`分管领导周调度 · ${d.leaderName ?? '分管领导'}`, d.counts.overdue ? 'orange' : 'blue', ledgerTitle), [
    md(`**您分管的任务**：共 ${d.counts.tasks} 项（${states(d.counts.byState) || '暂无'}）；逾期未办 ${d.counts.overdue} 项，未来7天到期 ${d.counts.dueNextWeek} 项`),
    md(section('逾期未办', d.overdue.map(overdue), '无')),
    md(section('未来7天到期', d.dueNextWeek.map(due), '无')),
    md(section('近7天进展', d.changed.map(change), '无')),
    md(section('近7天发出的函件', d.letters.map(letter), '无')),
    hr(),
    footer(),
  ]);
}

const percent = (rate: number): number => Math.round(rate * 1000) / 10;

/** Bars: completion (tasks closed / tasks) per lead unit, in percent. */
export function completionByUnitSpec(d: MonthlyDigest): Record<string, unknown> {
  return {
    type: 'bar',
    title: { visible: true, text: '各牵头单位任务完成率（%）' },
    data: { values: d.units.slice(0, 20).map((u) => ({ unit: u.unitName, rate: percent(u.completionRate), tasks: u.tasks })) },
    xField: 'unit',
    yField: 'rate',
    label: { visible: true },
    axes: [
      { orient: 'left', min: 0, max: 100 },
      { orient: 'bottom', label: { autoRotate: true } },
    ],
  };
}

/** 主要领导月调度: completion by unit (chart), deadlines of the month, late tasks and letters. */
export function monthlyDigestCard(ledgerTitle: string, d: MonthlyDigest): Card {
  const t = d.totals;
  const [y, m] = d.month.split('-');
  const late = d.lateTasks.map((l) => `${ref(l.task)}：${l.items.map((i) => `${escapeMd(i.label)}（${i.doneAt ? `${when(i.doneAt)} 才完成` : '仍未完成'}）`).join('；')}`);
  const elements: CardElement[] = [
    md(
      [
        `**任务**：共 ${t.tasks} 项，已销号 ${t.closed} 项，完成率 ${percent(t.completionRate)}%`,
        `**本月到期节点**：按时 ${t.onTime}，逾期 ${t.late}，尚未到期或待办 ${t.pending}`,
      ].join('\n'),
    ),
  ];
  if (d.units.length) elements.push({ tag: 'chart', aspect_ratio: '16:9', chart_spec: completionByUnitSpec(d) });
  elements.push(md(section('本月逾期的任务', late, '无')), md(section('本月发出的函件', d.letters.map(letter), '无')), hr(), footer());
  return card(header(`主要领导月调度 · ${Number(y)}年${Number(m)}月`, 'indigo', ledgerTitle), elements);
}

export interface ReportReminderView {
  ledgerTitle: string;
  task: { id: number; code: string; title: string };
  periodKey: string;
  label: string;
  dueAt: Date;
  reminderAfterWorkdays: number;
}

/** To the owner on the reminder day: which report is due when, with a button to the report card. */
export function reportReminderCard(v: ReportReminderView): Card {
  return card(header('进展汇报提醒', 'orange', v.ledgerTitle), [
    md(
      [
        `**任务**：${escapeMd(v.task.code)} ${escapeMd(v.task.title)}`,
        `**应交**：${escapeMd(v.label)}（进展情况、存在问题、对策建议）`,
        `**截止时间**：${when(v.dueAt)}`,
        `逾期 ${v.reminderAfterWorkdays} 个工作日仍未汇报的，将发出提醒函。发送“/汇报”可查看你所有待交的汇报。`,
      ].join('\n'),
    ),
    button('填写汇报', { v: 1, a: 'report.open', t: v.task.id, p: v.periodKey }, { name: 'open_report', type: 'primary' }),
  ]);
}

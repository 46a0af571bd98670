// /台账 总览 and /台账 导出 cards. Charts are VChart specs in a card `chart` element (LARK.md §4): tasks by state per
// lead unit (stacked bars) and deadlines met on time vs late per unit (grouped bars).
import { formatChinaDateTime } from '../src/domain/campaign/china-time.js';
import { taskStateLabels, taskStates, type TaskState } from '../src/domain/ledger/task-state.js';
import { card, escapeMd, header, hr, md } from './kit.js';
import type { Card, CardElement } from './types.js';

export interface DashboardUnitView {
  unitName: string;
  tasks: number;
  byState: Record<TaskState, number>;
  onTime: number;
  late: number;
}

export interface DashboardCardView {
  ledgerTitle: string;
  scope: 'all' | 'mine';
  asOf: Date;
  units: readonly DashboardUnitView[];
  totals: { tasks: number; byState: Record<TaskState, number>; onTime: number; late: number; overdueNow: number };
  letters: { reminder: number; supervision: number; unacknowledged: number };
}

/** Units drawn one by one in a chart; the rest are summed into 其他单位. */
export const CHART_UNITS = 15;

const stateColors: Record<TaskState, string> = {
  registered: '#8f959e',
  in_progress: '#3370ff',
  close_requested: '#ffc60a',
  closed: '#34c724',
  kept: '#7f3bf5',
};

function chartUnits(units: readonly DashboardUnitView[]): DashboardUnitView[] {
  if (units.length <= CHART_UNITS) return [...units];
  const shown = units.slice(0, CHART_UNITS - 1);
  const rest = units.slice(CHART_UNITS - 1);
  const byState = Object.fromEntries(taskStates.map((s) => [s, rest.reduce((n, u) => n + u.byState[s], 0)])) as Record<TaskState, number>;
  const sum = (f: (u: DashboardUnitView) => number) => rest.reduce((n, u) => n + f(u), 0);
  return [...shown, { unitName: `其他${rest.length}个单位`, tasks: sum((u) => u.tasks), byState, onTime: sum((u) => u.onTime), late: sum((u) => u.late) }];
}

/** Stacked bars: per unit, how many tasks are in each state. */
export function statusByUnitSpec(units: readonly DashboardUnitView[]): Record<string, unknown> {
  const shown = chartUnits(units);
  const present = taskStates.filter((s) => shown.some((u) => u.byState[s] > 0));
  return {
    type: 'bar',
    title: { visible: true, text: '各单位任务状态' },
    data: { values: shown.flatMap((u) => present.map((s) => ({ unit: u.unitName, state: taskStateLabels[s], count: u.byState[s] }))) },
    xField: 'unit',
    yField: 'count',
    seriesField: 'state',
    stack: true,
    color: present.map((s) => stateColors[s]),
    legends: { visible: true, orient: 'bottom' },
    axes: [{ orient: 'bottom', label: { autoRotate: true } }],
  };
}

/** Grouped bars: per unit, deadlines so far met on time and late (incl. still open past due). */
export function onTimeByUnitSpec(units: readonly DashboardUnitView[]): Record<string, unknown> {
  const shown = chartUnits(units);
  return {
    type: 'bar',
    title: { visible: true, text: '按时与逾期（汇报和里程碑）' },
    data: { values: shown.flatMap((u) => [{ unit: u.unitName, kind: '按时', count: u.onTime }, { unit: u.unitName, kind: '逾期', count: u.late }]) },
    xField: ['unit', 'kind'],
    yField: 'count',
    seriesField: 'kind',
    color: ['#34c724', '#f54a45'],
    legends: { visible: true, orient: 'bottom' },
    axes: [{ orient: 'bottom', label: { autoRotate: true } }],
  };
}

const pct = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

export function dashboardCard(v: DashboardCardView): Card {
  const t = v.totals;
  const states = taskStates.filter((s) => t.byState[s] > 0).map((s) => `${taskStateLabels[s]} ${t.byState[s]}`);
  const elements: CardElement[] = [
    md(
      [
        `**任务**：共 ${t.tasks} 项${states.length ? `（${states.join('，')}）` : ''}`,
        `**到期节点**：按时 ${t.onTime}，逾期 ${t.late}，按时率 ${pct(t.onTime, t.onTime + t.late)}；目前仍逾期未办 **${t.overdueNow}** 项`,
        `**函件**：提醒函 ${v.letters.reminder} 份，督办函 ${v.letters.supervision} 份，未签收 ${v.letters.unacknowledged} 份`,
        `统计时间：${formatChinaDateTime(v.asOf)}${v.scope === 'mine' ? '（仅含你负责、分管或所在单位牵头/配合的任务）' : ''}`,
      ].join('\n'),
    ),
  ];
  if (v.units.length) {
    elements.push({ tag: 'chart', aspect_ratio: '16:9', chart_spec: statusByUnitSpec(v.units) });
    elements.push({ tag: 'chart', aspect_ratio: '16:9', chart_spec: onTimeByUnitSpec(v.units) });
    elements.push({
      tag: 'table',
      page_size: 10,
      columns: [
        { name: 'unit', display_name: '牵头单位', data_type: 'text' },
        { name: 'tasks', display_name: '任务', data_type: 'number' },
        { name: 'closed', display_name: '已销号', data_type: 'number' },
        { name: 'onTime', display_name: '按时', data_type: 'number' },
        { name: 'late', display_name: '逾期', data_type: 'number' },
        { name: 'rate', display_name: '按时率', data_type: 'text' },
      ],
      rows: v.units.slice(0, 100).map((u) => ({ unit: u.unitName, tasks: u.tasks, closed: u.byState.closed, onTime: u.onTime, late: u.late, rate: pct(u.onTime, u.onTime + u.late) })),
    });
  }
  elements.push(hr());
  elements.push(md('发送“/督办 列表”查看函件，发送“/台账 导出”下载完整台账（XLSX）。'));
  return card(header(`台账总览 · ${v.ledgerTitle}`, 'blue'), elements);
}

export interface ExportCardView {
  ledgerTitle: string;
  fileName: string;
  url: string;
  expiresAt: Date;
  counts: { tasks: number; reports: number; letters: number; problems: number; redList: number };
}

/** The /台账 导出 answer: what the workbook holds and a signed link that expires. */
export function exportCard(v: ExportCardView): Card {
  const c = v.counts;
  return card(header(`台账导出 · ${v.ledgerTitle}`, 'green'), [
    md(
      [
        `**文件**：${escapeMd(v.fileName)}`,
        `**内容**：任务（四个清单）${c.tasks} 项，进展汇报 ${c.reports} 份，督办函件 ${c.letters} 份，问题 ${c.problems} 个，红榜 ${c.redList} 条`,
        `[点击下载 XLSX](${v.url})`,
        `链接仅限本人使用，${formatChinaDateTime(v.expiresAt)} 前有效；过期后请重新发送“/台账 导出”。`,
      ].join('\n'),
    ),
  ]);
}

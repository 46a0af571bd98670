// Ledger part A, pure code: the task field parsers (form and import), the report form rules, the card payloads and
// the card builders (four lists, state buttons per viewer, forms echoing what was typed, report and red-list cards).
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { taskCard, taskFormCard, taskImportRejectedCard, type TaskCardView } from '../../cards/ledger-task.js';
import { problemCard } from '../../cards/problem.js';
import { redListNoticeCard } from '../../cards/red-list.js';
import { reportDoneCard, reportFormCard, reportListCard, type ReportCardView } from '../../cards/report.js';
import type { Card, CardElement, FormChild } from '../../cards/types.js';
import { isCorrectable, isLate, parsePercent, readReportForm, validateReport } from '../../src/domain/ledger/report-form.js';
import { parseDateText, parseMilestones, readTaskForm, taskImportFormat, validateTaskForm, validateTaskRows, type TaskLookups } from '../../src/domain/ledger/task-import.js';
import { matchHeader } from '../../src/domain/unit-import.js';

const lookups: TaskLookups = {
  units: [
    { id: 1, name: '市营商环境建设局' },
    { id: 2, name: '市市场监管局' },
    { id: 3, name: '市税务局' },
  ],
  people: [
    { openId: 'ou_li', name: '李明' },
    { openId: 'ou_chen', name: '陈副市长' },
    { openId: 'ou_w1', name: '王刚' },
    { openId: 'ou_w2', name: '王刚' },
  ],
};

/** Every element of a card, forms opened up. */
const all = (c: Card): (CardElement | FormChild)[] => c.body.elements.flatMap((e): (CardElement | FormChild)[] => (e.tag === 'form' ? [e, ...e.elements] : [e]));
const buttons = (c: Card) => all(c).filter((e) => e.tag === 'button');
const json = (c: Card) => JSON.stringify(c);

describe('task field parsers', () => {
  it.each([
    ['2026-03-31', '2026-03-31'],
    ['2026/3/31', '2026-03-31'],
    ['2026.3.1', '2026-03-01'],
    ['2026年3月31日', '2026-03-31'],
  ])('reads the date %s', (input, want) => {
    expect(parseDateText(input)).toEqual({ ok: true, value: want });
  });

  it.each(['31/03/2026', '2026-02-30', '三月底', '2026-3'])('refuses the date %s with a hint', (input) => {
    const r = parseDateText(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/2026-03-31|不是有效的日期/);
  });

  it('reads milestones one per line or separated by ；, sorted by date', () => {
    expect(parseMilestones('2026-06-30 全市推开；2026年3月31日出台实施方案')).toEqual({
      ok: true,
      value: [
        { dueOn: '2026-03-31', title: '出台实施方案' },
        { dueOn: '2026-06-30', title: '全市推开' },
      ],
    });
    expect(parseMilestones('')).toEqual({ ok: true, value: [] });
  });

  it('says which milestone is wrong', () => {
    expect(parseMilestones('2026-03-31 出台方案\n六月底 全市推开')).toMatchObject({ ok: false, message: expect.stringContaining('第2个里程碑“六月底 全市推开”应以日期开头') });
    expect(parseMilestones('2026-13-01 出台方案')).toMatchObject({ ok: false, message: expect.stringContaining('不是有效的日期') });
    expect(parseMilestones('2026-03-01')).toMatchObject({ ok: false, message: expect.stringContaining('缺少内容') });
  });
});

describe('task import rows', () => {
  const header = ['任务名称', '所属举措', '牵头单位', '配合单位', '责任领导', '专人', '里程碑（日期 内容）', '汇报频次', '预期成果'];
  const index = (() => {
    const m = matchHeader(header, taskImportFormat);
    if (!m.ok) throw new Error('header');
    return m.index;
  })();
  const row = (n: number, cells: string[]) => ({ rowNumber: n, cells });

  it('accepts good rows, resolving units and people', () => {
    const r = validateTaskRows([row(2, ['企业开办一日办结', '营商环境', '市营商环境建设局', '市市场监管局、市税务局、市营商环境建设局', '陈副市长', 'ou_li', '2026-03-31 出台方案', '每月、每周', '一日办结'])], index, lookups);
    expect(r).toMatchObject({ ok: true, rows: [{ rowNumber: 2, draft: { leadUnitId: 1, cooperatingUnitIds: [2, 3], responsibleLeaderOpenId: 'ou_chen', ownerOpenId: 'ou_li', cadences: ['weekly', 'monthly'] } }] });
  });

  it('rejects every bad row with all its reasons: unknown unit or owner, cadence typo, bad date, duplicates', () => {
    const r = validateTaskRows(
      [
        row(2, ['任务甲', '', '市营商局', '', '', '张三', '', '每月', '']),
        row(3, ['任务乙', '', '市税务局', '', '', '王刚', '', '每旬', '']),
        row(4, ['任务丙', '', '市税务局', '', '', '李明', '3月底 出台方案', '每月', '']),
        row(5, ['任务丙', '', '市税务局', '', '', '李明', '', '每月', '']),
        row(6, ['任务丁', '', '市税务局', '', '', 'ou_nobody', '', '', '']),
      ],
      index,
      lookups,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const reasons = Object.fromEntries(r.problems.map((p) => [p.rowNumber, p.reason]));
    expect(reasons[2]).toContain('牵头单位“市营商局”不存在');
    expect(reasons[2]).toContain('专人“张三”不在系统中');
    expect(reasons[3]).toContain('汇报频次“每旬”无法识别');
    expect(reasons[3]).toContain('“王刚”有 2 人重名');
    expect(reasons[4]).toContain('应以日期开头');
    expect(reasons[5]).toContain('与第4行重复');
    expect(reasons[6]).toContain('“ou_nobody”不在系统中');
    expect(reasons[6]).toContain('请填写汇报频次');
  });
});

describe('task form', () => {
  it('reads and validates the form, with one message per bad field', () => {
    const values = readTaskForm({ title: ' ', lead: '99', cooperating: ['2'], owner: 'ou_li', milestones: '下月 出方案', cadences: [], extra: 'x' });
    const r = validateTaskForm(values, lookups);
    expect(r).toMatchObject({ ok: false, errors: { title: '请填写任务名称。', lead: '请重新选择牵头单位。', milestones: expect.stringContaining('应以日期开头'), cadences: expect.stringContaining('请填写汇报频次') } });
    const good = validateTaskForm(readTaskForm({ title: '企业开办一日办结', lead: '1', cooperating: ['1', '2'], owner: 'ou_li', cadences: ['monthly'] }), lookups);
    expect(good).toMatchObject({ ok: true, draft: { leadUnitId: 1, cooperatingUnitIds: [2], ownerOpenId: 'ou_li', cadences: ['monthly'], milestones: [] } });
  });
});

describe('report form', () => {
  it.each([
    ['60', 60],
    ['100%', 100],
    ['６０％', 60],
    ['0', 0],
  ])('reads the percent %s', (input, want) => {
    expect(parsePercent(input)).toEqual({ ok: true, value: want });
  });
  it.each(['', '101', '六十', '-5', '50.5'])('refuses the percent %s', (input) => {
    expect(parsePercent(input).ok).toBe(false);
  });

  it('needs progress, a percent and a status per milestone; problems and suggestions may be empty', () => {
    const bad = validateReport(readReportForm({ progress: '  ', percent: '120', ms_7: 'bogus' }, [7, 8]), [7, 8]);
    expect(bad).toMatchObject({ ok: false, errors: { progress: expect.any(String), percent: expect.stringContaining('0 到 100'), ms_7: expect.any(String), ms_8: expect.any(String) } });
    const good = validateReport(readReportForm({ progress: '方案已起草', percent: '40', ms_7: 'done', ms_8: 'late' }, [7, 8]), [7, 8]);
    expect(good).toEqual({
      ok: true,
      value: { progress: '方案已起草', problems: '', suggestions: '', percentComplete: 40, milestoneStatus: [{ milestoneId: 7, status: 'done' }, { milestoneId: 8, status: 'late' }] },
    });
  });

  it('is late after the due time and correctable until it', () => {
    const due = new Date('2026-03-06T10:00:00Z');
    expect(isLate(due, due)).toBe(false);
    expect(isLate(new Date(due.getTime() + 1), due)).toBe(true);
    expect(isCorrectable(due, due)).toBe(true);
    expect(isCorrectable(new Date(due.getTime() + 1), due)).toBe(false);
  });
});

describe('ledger card payloads', () => {
  it('decodes the ledger actions and refuses forged ones', () => {
    expect(decodeAction({ v: 1, a: 'report.submit', t: 3, p: '2026-W10', ver: 0 })).toBeDefined();
    expect(decodeAction({ v: 1, a: 'task.event', id: 3, ver: 2, e: 'confirm_close' })).toBeDefined();
    expect(decodeAction({ v: 1, a: 'ledger.fromSubmission', s: 5 })).toBeDefined();
    expect(decodeAction({ v: 1, a: 'report.submit', t: 3, p: "2026-W10'; drop", ver: 0 })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'task.event', id: 3, ver: 2, e: 'keep' })).toBeUndefined();
    expect(decodeAction({ v: 1, a: 'task.eventSubmit', id: -1, ver: 2, e: 'keep' })).toBeUndefined();
  });
});

const now = new Date('2026-04-10T02:00:00Z');
const task: TaskCardView = {
  id: 9,
  code: 'RW2026-009',
  version: 3,
  ledger: { title: '2026年全面深化改革任务' },
  title: '推行企业开办“一日办结”',
  measure: '优化营商环境',
  state: 'in_progress',
  stateReason: null,
  nextReviewOn: null,
  leadUnit: { name: '市营商环境建设局' },
  cooperatingUnits: [{ name: '市市场监管局' }, { name: '市税务局' }],
  owner: { openId: 'ou_li', name: '李明' },
  leader: { openId: 'ou_chen', name: '陈副市长' },
  cadences: ['weekly', 'monthly'],
  milestones: [
    { title: '出台实施方案', dueAt: new Date('2026-03-31T10:00:00Z'), doneAt: new Date('2026-03-30T02:00:00Z'), source: 'plan' },
    { title: '全市推开', dueAt: new Date('2026-04-01T10:00:00Z'), doneAt: null, source: 'plan' },
  ],
  expectedResult: '企业开办时间压缩至1个工作日',
  actualResult: null,
  source: undefined,
  lastReport: { cadence: 'weekly', periodKey: '2026-W14', percent: 60, late: true },
  allowed: ['request_close'],
};

describe('task card', () => {
  it('shows the four lists, milestone states and only the moves the viewer may make', () => {
    const c = taskCard(task, now);
    const text = json(c);
    for (const part of ['任务清单', '责任清单', '措施清单', '结果清单', '市市场监管局、市税务局', '陈副市长', '已完成（2026-03-30）', '已逾期', '每周、每月', '2026年第14周，完成 60%（迟报）']) expect(text).toContain(part);
    expect(buttons(c).map((b) => b.tag === 'button' && b.text.content)).toEqual(['申请销号', '我的任务']);
    expect(c.header?.subtitle?.content).toBe('2026年全面深化改革任务 · 推进中');
  });

  it('opens the close request as a form carrying the version, echoing text and the error', () => {
    const c = taskCard(task, now, { event: 'request_close', values: { summary: '已完成' }, error: '请补充' });
    const form = c.body.elements.find((e) => e.tag === 'form');
    expect(form?.tag === 'form' && form.elements.map((e) => ('name' in e ? e.name : e.tag))).toEqual(['markdown', 'summary', 'markdown', 'submit', 'cancel']);
    const submit = buttons(c).find((b) => b.tag === 'button' && b.name === 'submit');
    expect(submit?.tag === 'button' && submit.behaviors?.[0]?.value).toEqual({ v: 1, a: 'task.eventSubmit', id: 9, ver: 3, e: 'request_close' });
    expect(json(c)).toContain('"default_value":"已完成"');
    expect(json(c)).toContain("<font color='red'>请补充</font>");
  });

  it('rebuilds the new-task form with what was typed', () => {
    const c = taskFormCard({ ledger: { id: 1, title: 'L' }, units: lookups.units, owners: [{ openId: 'ou_li', label: '李明（市营商环境建设局）' }], leaders: [], values: { title: '甲', lead: '2', cooperating: ['3', '99'], cadences: ['weekly'] }, errors: { owner: '请选择专人。' } });
    const text = json(c);
    expect(text).toContain('"default_value":"甲"');
    expect(text).toContain('"initial_option":"2"');
    expect(text).toContain('"selected_values":["3"]');
    expect(text).toContain('请选择专人。');
    expect(text).not.toContain('"name":"leader"');
    const names = all(c).flatMap((e) => ('name' in e && e.name ? [e.name] : []));
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists every rejected import row', () => {
    const c = taskImportRejectedCard({ source: 'a.csv', rowCount: 3, problems: [{ rowNumber: 2, reason: '牵头单位“X”不存在' }, { rowNumber: 3, reason: '汇报频次“每旬”无法识别' }] });
    expect(c.header?.title.content).toBe('台账任务导入未完成：没有写入任何数据');
    expect(json(c)).toContain('**第3行**：汇报频次“每旬”无法识别');
  });
});

describe('report cards', () => {
  const view: ReportCardView = {
    task: { id: 9, code: 'RW2026-009', title: '推行企业开办“一日办结”' },
    period: { key: '2026-W15', label: '2026年第15周', dueAt: new Date('2026-04-10T10:00:00Z') },
    milestones: [{ id: 4, title: '全市推开', dueAt: new Date('2026-04-01T10:00:00Z'), doneAt: null }],
    report: undefined,
    editable: true,
  };

  it('the form submits version 0 for a new report and a status per milestone', () => {
    const c = reportFormCard(view, now, { progress: '推进中', milestones: { 4: 'late' } }, { percent: '请填写完成进度' });
    const submit = buttons(c).find((b) => b.tag === 'button' && b.name === 'submit');
    expect(submit?.tag === 'button' && submit.behaviors?.[0]?.value).toEqual({ v: 1, a: 'report.submit', t: 9, p: '2026-W15', ver: 0 });
    expect(json(c)).toContain('"name":"ms_4"');
    expect(json(c)).toContain('"initial_option":"late"');
    expect(json(c)).toContain('请填写完成进度');
  });

  it('the submitted card offers 修改 only until the due time', () => {
    const report = { version: 2, late: false, submittedAt: now, progress: '推进中', problems: '', suggestions: '', percentComplete: 50, milestoneStatus: [{ milestoneId: 4, status: 'late' }] };
    const open = reportDoneCard({ ...view, report }, now);
    expect(json(open)).toContain('（第 2 版）');
    expect(buttons(open).map((b) => b.tag === 'button' && b.name)).toEqual(['edit', 'list']);
    const closed = reportDoneCard({ ...view, report: { ...report, late: true }, editable: false }, now);
    expect(buttons(closed).map((b) => b.tag === 'button' && b.name)).toEqual(['list']);
    expect(json(closed)).toContain('迟报');
  });

  it('the list has one button per report, overdue ones flagged', () => {
    const c = reportListCard([
      { taskId: 9, code: 'RW2026-009', title: 'T', period: { key: '2026-W14', label: '2026年第14周', dueAt: new Date('2026-04-03T10:00:00Z') }, status: 'overdue' },
      { taskId: 9, code: 'RW2026-009', title: 'T', period: { key: '2026-W15', label: '2026年第15周', dueAt: view.period.dueAt }, status: 'submitted' },
    ]);
    expect(c.header?.subtitle?.content).toBe('待填报 1 份');
    expect(buttons(c).map((b) => b.tag === 'button' && b.text.content)).toEqual(['填写：RW2026-009 2026年第14周', '修改：RW2026-009 2026年第15周']);
  });
});

describe('problem and red list cards', () => {
  it('a problem card shows the moves of its viewer', () => {
    const c = problemCard({ id: 4, ledgerTitle: 'L', description: '审批材料重复提交', state: 'assigned', task: undefined, unit: { name: '市税务局' }, resolution: null, escalationReason: undefined, registeredBy: { openId: 'ou_w1', name: '王刚' }, createdAt: now, allowed: ['resolve', 'escalate'] });
    expect(buttons(c).map((b) => b.tag === 'button' && b.behaviors?.[0]?.value)).toEqual([
      { v: 1, a: 'problem.form', id: 4, e: 'resolve' },
      { v: 1, a: 'problem.form', id: 4, e: 'escalate' },
    ]);
  });

  it('the notice lists the newly published entries first', () => {
    const entry = (id: number, subjectName: string) => ({ id, subjectType: 'unit' as const, subjectName, reason: '成效突出', status: 'published' as const, withdrawReason: null, publishedAt: now });
    const c = redListNoticeCard('L', [entry(2, '市税务局')], [entry(1, '平山区'), entry(2, '市税务局')], now);
    const text = json(c);
    expect(text.indexOf('市税务局')).toBeLessThan(text.indexOf('此前已上榜'));
    expect(text).toContain('平山区');
  });
});

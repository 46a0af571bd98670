// Pure pieces of ledger part B: letter, plan-form, list, dashboard and digest cards (payloads decode, names are
// unique, user text is escaped, lists are capped), the export link token and the rectification plan check.
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { letterCard, letterListCard, planFormCard, type LetterCardView } from '../../cards/letter.js';
import { CHART_UNITS, dashboardCard, statusByUnitSpec, type DashboardUnitView } from '../../cards/ledger-dashboard.js';
import { monthlyDigestCard, reportReminderCard } from '../../cards/ledger-digest.js';
import type { Card } from '../../cards/types.js';
import { checkPlan } from '../../src/services/letters.js';

const at = (s: string) => new Date(`${s}+08:00`);
const letter = (over: Partial<LetterCardView> = {}): LetterCardView => ({
  id: 7,
  kind: 'supervision',
  number: '督办〔2026〕第3号',
  ledgerTitle: '2026年全面深化改革任务',
  task: { id: 1, code: 'RW2026-001', title: '深化*放管服*改革', state: 'in_progress' },
  reason: '2026年第10周进展汇报已逾期8个工作日。',
  issuedAt: at('2026-03-18T09:30'),
  rectifyBy: at('2026-03-25T18:00'),
  recipients: [{ openId: 'ou_l', name: '钱联络' }, { openId: 'ou_o', name: null }],
  cc: [{ openId: 'ou_leader', name: '孙副市长' }],
  acknowledgedAt: null,
  acknowledgedBy: null,
  plan: null,
  ...over,
});

function buttons(card: Card): { name: string | undefined; value: unknown }[] {
  const out: { name: string | undefined; value: unknown }[] = [];
  const walk = (els: readonly unknown[]) => {
    for (const e of els as { tag: string; name?: string; behaviors?: { value: unknown }[]; elements?: unknown[] }[]) {
      if (e.tag === 'button') out.push({ name: e.name, value: e.behaviors?.[0]?.value });
      if (e.elements) walk(e.elements);
    }
  };
  walk(card.body.elements);
  return out;
}

describe('letter cards', () => {
  it('gives recipients 已收到 and 提交整改方案 with payloads the codec accepts; the copy has no buttons', () => {
    const card = letterCard(letter());
    const bs = buttons(card);
    expect(bs.map((b) => decodeAction(b.value)?.a)).toEqual(['letter.ack', 'letter.plan_form']);
    expect(new Set(bs.map((b) => b.name)).size).toBe(bs.length);
    const text = JSON.stringify(card);
    expect(text).toContain('深化\\\\*放管服\\\\*改革');
    expect(text).toContain('**主送**：钱联络、ou_o');
    expect(text).toContain('**抄送**：孙副市长');
    expect(buttons(letterCard(letter(), 'copy'))).toEqual([]);
    expect(card.header?.template).toBe('red');
  });

  it('drops 已收到 once acknowledged, and the plan button once the task is no longer chased', () => {
    const acked = letter({ acknowledgedAt: at('2026-03-18T10:00'), acknowledgedBy: { openId: 'ou_l', name: '钱联络' } });
    expect(buttons(letterCard(acked)).map((b) => decodeAction(b.value)?.a)).toEqual(['letter.plan_form']);
    expect(JSON.stringify(letterCard(acked))).toContain('由 钱联络 签收');
    expect(buttons(letterCard({ ...acked, task: { ...acked.task, state: 'closed' } }))).toEqual([]);
  });

  it('rebuilds the plan form with what was typed and a red line per bad field', () => {
    const card = planFormCard({ letter: letter(), values: { measures: '补报<进展>', dueOn: '2026-03-01 +0800' }, errors: { dueOn: '整改完成日期须晚于今天，请重新选择。' } });
    const form = card.body.elements.find((e) => e.tag === 'form');
    expect(form && form.tag === 'form' && form.elements.map((e) => e.tag)).toEqual(['input', 'date_picker', 'markdown', 'button']);
    const text = JSON.stringify(card);
    expect(text).toContain('"default_value":"补报<进展>"');
    expect(text).toContain('"initial_date":"2026-03-01"');
    expect(text).toContain("<font color='red'>整改完成日期须晚于今天，请重新选择。</font>");
    expect(buttons(card).map((b) => decodeAction(b.value)?.a)).toEqual(['letter.plan', 'letter.view']);
  });

  it('lists letters with totals, and says so when there are none', () => {
    const card = letterListCard({ letters: [letter(), letter({ id: 8, kind: 'reminder', number: '提醒〔2026〕第9号' })], total: 12, unacknowledged: 5, everything: true });
    const text = JSON.stringify(card);
    expect(text).toContain('共 **12** 份函件，其中 **5** 份尚未签收。以下是最近的 2 份。');
    expect(buttons(card).map((b) => b.name)).toEqual(['view_7', 'view_8', 'refresh']);
    expect(JSON.stringify(letterListCard({ letters: [], total: 0, unacknowledged: 0, everything: false }))).toContain('目前没有与你有关的提醒函或督办函');
  });
});

describe('dashboard and digest cards', () => {
  const unit = (i: number): DashboardUnitView => ({ unitName: `单位${i}`, tasks: 2, byState: { registered: 0, in_progress: 1, close_requested: 0, closed: 1, kept: 0 }, onTime: 3, late: 1 });

  it('draws at most CHART_UNITS units, summing the rest into 其他', () => {
    const spec = statusByUnitSpec(Array.from({ length: 20 }, (_, i) => unit(i)));
    const units = new Set((spec.data as { values: { unit: string }[] }).values.map((v) => v.unit));
    expect(units.size).toBe(CHART_UNITS);
    expect(units.has('其他6个单位')).toBe(true);
    const card = dashboardCard({ ledgerTitle: 'L', scope: 'all', asOf: at('2026-03-20T10:00'), units: [unit(1)], totals: { tasks: 2, byState: unit(1).byState, onTime: 3, late: 1, overdueNow: 1 }, letters: { reminder: 1, supervision: 0, unacknowledged: 1 } });
    expect(card.body.elements.map((e) => e.tag)).toEqual(['markdown', 'chart', 'chart', 'table', 'hr', 'markdown']);
    expect(JSON.stringify(card)).toContain('按时率 75%');
  });

  it('puts completion by unit on the monthly card as a chart, and a report button on the reminder', () => {
    const card = monthlyDigestCard('L', {
      month: '2026-03',
      startsOn: '2026-03-01',
      endsOn: '2026-03-31',
      units: [{ unitId: 1, unitName: '市发展改革委', tasks: 4, closed: 1, completionRate: 0.25, onTime: 2, late: 1, pending: 0 }],
      totals: { tasks: 4, closed: 1, completionRate: 0.25, onTime: 2, late: 1, pending: 0 },
      lateTasks: [],
      letters: [],
    });
    const chart = card.body.elements.find((e) => e.tag === 'chart');
    expect(chart && chart.tag === 'chart' && chart.chart_spec.data).toEqual({ values: [{ unit: '市发展改革委', rate: 25, tasks: 4 }] });
    const reminder = reportReminderCard({ ledgerTitle: 'L', task: { id: 3, code: 'RW2026-003', title: 'T' }, periodKey: '2026-W10', label: '2026年第10周进展汇报', dueAt: at('2026-03-06T18:00'), reminderAfterWorkdays: 3 });
    expect(buttons(reminder).map((b) => decodeAction(b.value))).toEqual([{ v: 1, a: 'report.open', t: 3, p: '2026-W10' }]);
  });
});

describe('rectification plan check', () => {
  it.each([
    [{ measures: '', dueOn: '' }, { measures: '请填写整改措施：做什么、谁来做、怎么做。', dueOn: '请选择整改完成日期。' }],
    [{ measures: 'x'.repeat(2001), dueOn: '2026-04-01' }, { measures: '整改措施不能超过 2000 字，请精简后再提交。' }],
    [{ measures: '补报', dueOn: '2026/04/01' }, { dueOn: '整改完成日期“2026/04/01”格式不对，请按 2026-06-30 的格式选择日期。' }],
    [{ measures: '补报', dueOn: '2027-06-01' }, { dueOn: '整改完成日期不能晚于一年以后，请分阶段制定整改方案。' }],
  ])('refuses %j', (values, errors) => {
    expect(checkPlan(values, '2026-03-18')).toEqual({ ok: false, errors });
  });

  it('accepts a picked date with Lark’s time zone suffix', () => {
    expect(checkPlan({ measures: ' 补报进展 ', dueOn: '2026-03-27 +0800' }, '2026-03-18')).toEqual({ ok: true, value: { measures: '补报进展', dueOn: '2026-03-27' } });
  });
});

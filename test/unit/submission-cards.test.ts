import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { submissionFormCard, type SubmissionFormCardView, type SubmissionFormContextView } from '../../cards/submission-form.js';
import { mySubmissionsCard, submissionCard, type SubmissionCardView } from '../../cards/submission.js';
import type { Card, CardElement, FormChild } from '../../cards/types.js';
import { CARD_MAX_BYTES, parseContent } from '../../src/fake-lark/content-rules.js';

const form: SubmissionFormContextView = {
  campaign: { code: 'LN2022', name: '辽宁省2022年制度性创新成果评价奖励（本溪市）' },
  directions: [
    { key: 'livelihood', label: '突出保障和改善民生' },
    { key: 'other', label: '其他' },
  ],
  units: [{ id: 3, name: '本溪高新区' }],
  creatorOptions: [
    { openId: 'ou_li', name: '李明' },
    { openId: 'ou_wang', name: '王芳' },
  ],
  window: { open: true, label: '选题申报', closesAt: '2022年10月15日 23:59' },
  achievementWindow: '2021年1月1日至2022年12月31日',
  creatorLimit: { min: 1, max: 2 },
};

const newForm: SubmissionFormCardView = { mode: { kind: 'create', formKey: 'fk_0123456789', unitId: 3 }, form, values: { mainCreators: ['ou_li'] }, errors: {} };

const submission: SubmissionCardView = {
  id: 12,
  version: 2,
  trackingNo: 'LN2022-本溪高新区-001',
  status: 'submitted',
  kind: 'topic',
  title: '企业开办*一日办结*',
  directionLabel: '突出保障和改善民生',
  campaign: form.campaign,
  unitName: '本溪高新区',
  fields: { problem: '跑多个部门', innovation: '一窗受理', evidence: 'https://a.example.cn/1\nhttps://b.example.cn/2' },
  mainCreators: [{ openId: 'ou_li', name: '李明' }],
  change: { allowed: true, closesAt: '2022年10月15日 23:59' },
};

/** Checks the card the way Lark does (form at root, unique names, size) and returns its JSON. */
function accepted(card: Card): string {
  const json = JSON.stringify(card);
  expect(() => parseContent('interactive', json)).not.toThrow();
  return json;
}

function formOf(card: Card): FormChild[] {
  const f = card.body.elements.find((e) => e.tag === 'form');
  if (!f || f.tag !== 'form') throw new Error('no form on the card');
  return f.elements;
}

function buttons(elements: (CardElement | FormChild)[]) {
  return elements.flatMap((e) => (e.tag === 'button' ? [e] : []));
}

describe('submission form card', () => {
  it('new form: every field named, submit carries the form key', () => {
    const card = submissionFormCard(newForm);
    accepted(card);
    expect(card).toMatchSnapshot();
    const children = formOf(card);
    const names = children.flatMap((c) => ('name' in c && c.name ? [c.name] : []));
    expect(names).toEqual(['kind', 'title', 'direction', 'problem', 'innovation', 'effect', 'mainCreators', 'team', 'achievedOn', 'evidence', 'submit']);
    const [submit] = buttons(children);
    expect(submit?.form_action_type).toBe('submit');
    expect(decodeAction(submit?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.create', c: 'LN2022', k: 'fk_0123456789', u: 3 });
    const creators = children.find((c) => c.tag === 'multi_select_static');
    expect(creators).toMatchObject({ selected_values: ['ou_li'], options: [{ value: 'ou_li' }, { value: 'ou_wang' }] });
  });

  it('several units: a unit select, and no unit in the payload', () => {
    const card = submissionFormCard({ ...newForm, mode: { kind: 'create', formKey: 'fk_0123456789' }, form: { ...form, units: [...form.units, { id: 4, name: '市发展改革委' }] } });
    accepted(card);
    const unit = formOf(card).find((c) => c.tag === 'select_static' && c.name === 'unit');
    expect(unit).toMatchObject({ options: [{ value: '3' }, { value: '4' }] });
    const [submit] = buttons(formOf(card));
    expect(decodeAction(submit?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.create', c: 'LN2022', k: 'fk_0123456789' });
  });

  it('re-rendered after a failed submit: typed values kept, a red line under each bad field', () => {
    const card = submissionFormCard({
      ...newForm,
      values: { kind: 'achievement', title: '标题<b>', direction: 'other', mainCreators: ['ou_li', 'ou_wang', 'ou_forged'], achievedOn: '2020-05-01', evidence: 'ftp://x' },
      errors: { achievedOn: '不在2021年1月1日至2022年12月31日之间', evidence: '“ftp://x”不是有效链接', form: '现在不在申报时间内' },
    });
    const json = accepted(card);
    const children = formOf(card);
    expect(children.find((c) => c.tag === 'select_static' && c.name === 'kind')).toMatchObject({ initial_option: 'achievement' });
    expect(children.find((c) => c.tag === 'input' && c.name === 'title')).toMatchObject({ default_value: '标题<b>' });
    expect(children.find((c) => c.tag === 'date_picker')).toMatchObject({ initial_date: '2020-05-01' });
    // A value the select does not offer is dropped rather than make Lark reject the card.
    expect(children.find((c) => c.tag === 'multi_select_static')).toMatchObject({ selected_values: ['ou_li', 'ou_wang'] });
    const red = children.filter((c) => c.tag === 'markdown' && c.content.includes("color='red'"));
    expect(red).toHaveLength(2);
    const i = children.findIndex((c) => c.tag === 'date_picker');
    expect(children[i + 1]).toEqual({ tag: 'markdown', content: "<font color='red'>不在2021年1月1日至2022年12月31日之间</font>" });
    expect(json).toContain('现在不在申报时间内');
  });

  it('a closed phase is said once above the form, and a unit problem shows there when there is no unit select', () => {
    const closed = '选题申报已于2022年10月15日 23:59截止，不能再提交。如有特殊情况，请联系办公室。';
    const card = submissionFormCard({ ...newForm, form: { ...form, window: { open: false, message: closed } }, errors: { form: closed, unit: '副厅级单位不能申报' } });
    accepted(card);
    const above = card.body.elements.filter((e) => e.tag === 'markdown' && e.content.includes("color='red'"));
    expect(above.map((e) => e.tag === 'markdown' && e.content)).toEqual([`<font color='red'>${closed}</font>`, "<font color='red'>副厅级单位不能申报</font>"]);
    expect(card.header?.subtitle?.content).toBe('当前不在申报时间内');
  });

  it('edit form: pre-filled, saves against the version, can be cancelled', () => {
    const card = submissionFormCard({ mode: { kind: 'edit', submissionId: 12, version: 2, trackingNo: submission.trackingNo }, form, values: { kind: 'topic', title: '旧标题' }, errors: {} });
    accepted(card);
    expect(card.header?.title.content).toBe('修改申报 LN2022-本溪高新区-001');
    const [save, cancel] = buttons(formOf(card));
    expect(decodeAction(save?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.save', id: 12, ver: 2 });
    expect(decodeAction(cancel?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.view', id: 12 });
  });

  it('a full form at every limit stays under Lark\'s 30 KB', () => {
    const long = '创'.repeat(2000);
    const card = submissionFormCard({
      ...newForm,
      values: { kind: 'achievement', title: '题'.repeat(100), direction: 'other', problem: long, innovation: long, effect: long, team: '人'.repeat(500), evidence: 'h'.repeat(1000), mainCreators: ['ou_li'] },
      errors: { problem: '太长'.repeat(30), innovation: '太长'.repeat(30), effect: '太长'.repeat(30) },
    });
    expect(Buffer.byteLength(accepted(card))).toBeLessThan(CARD_MAX_BYTES);
  });
});

describe('submission card', () => {
  it('confirmation: tracking number, summary, 修改 and 撤回 with the version', () => {
    const card = submissionCard(submission);
    const json = accepted(card);
    expect(card).toMatchSnapshot();
    expect(json).toContain('企业开办\\\\*一日办结\\\\*');
    const [edit, withdraw] = buttons(card.body.elements);
    expect(decodeAction(edit?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.edit', id: 12, ver: 2 });
    expect(decodeAction(withdraw?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.withdraw', id: 12, ver: 2 });
    expect(edit?.disabled).toBeUndefined();
  });

  it('asks before withdrawing', () => {
    const card = submissionCard(submission, { confirmWithdraw: true });
    accepted(card);
    const [confirm, cancel] = buttons(card.body.elements);
    expect(confirm?.text.content).toBe('确认撤回');
    expect(decodeAction(confirm?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.withdrawConfirm', id: 12, ver: 2 });
    expect(decodeAction(cancel?.behaviors?.[0]?.value)).toEqual({ v: 1, a: 'submission.view', id: 12 });
  });

  it('after the deadline: buttons disabled and says so', () => {
    const card = submissionCard({ ...submission, change: { allowed: false, reason: 'closed' } });
    const json = accepted(card);
    expect(json).toContain('已截止，不可修改');
    expect(buttons(card.body.elements).map((b) => b.disabled)).toEqual([true, true]);
  });

  it('withdrawn: grey, no buttons; not yours: no buttons and says who may', () => {
    const withdrawn = submissionCard({ ...submission, status: 'withdrawn', change: { allowed: false, reason: 'status' } });
    expect(withdrawn.header?.template).toBe('grey');
    expect(buttons(withdrawn.body.elements)).toHaveLength(0);
    const other = submissionCard({ ...submission, change: { allowed: false, reason: 'not_yours' } });
    expect(buttons(other.body.elements)).toHaveLength(0);
    expect(JSON.stringify(other)).toContain('只有本单位联络人或主创人');
  });

  it('cuts long texts on the card', () => {
    const card = submissionCard({ ...submission, fields: { problem: '问'.repeat(2000), innovation: '新'.repeat(2000), effect: '效'.repeat(2000), team: '人'.repeat(500) } });
    const json = accepted(card);
    expect(json).toContain('…（全文共2000字）');
  });
});

describe('/我的 card', () => {
  it('lists submissions in a table, or says there are none', () => {
    const card = mySubmissionsCard({
      units: ['本溪高新区'],
      items: [
        { trackingNo: 'LN2022-本溪高新区-002', title: '二', kind: 'achievement', status: 'withdrawn', unitName: '本溪高新区', campaignCode: 'LN2022', updatedAt: '2022年9月11日 10:00' },
        { trackingNo: 'LN2022-本溪高新区-001', title: '一', kind: 'topic', status: 'submitted', unitName: '本溪高新区', campaignCode: 'LN2022', updatedAt: '2022年9月10日 10:00' },
      ],
    });
    accepted(card);
    expect(card).toMatchSnapshot();
    expect(card.header?.subtitle?.content).toBe('本溪高新区 · 共2条，有效1条');
    expect(JSON.stringify(mySubmissionsCard({ units: ['本溪高新区'], items: [] }))).toContain('还没有申报');
    const many = Array.from({ length: 100 }, (_, i) => ({
      trackingNo: `LN2022-本溪高新区-${String(i + 1).padStart(3, '0')}`,
      title: '题'.repeat(100),
      kind: 'topic' as const,
      status: 'submitted' as const,
      unitName: '本溪高新区',
      campaignCode: 'LN2022',
      updatedAt: '2022年9月10日 10:00',
    }));
    const big = mySubmissionsCard({ units: ['本溪高新区'], items: many });
    expect(Buffer.byteLength(accepted(big))).toBeLessThan(CARD_MAX_BYTES);
    expect(JSON.stringify(big)).toContain('只列出最近50条');
  });
});

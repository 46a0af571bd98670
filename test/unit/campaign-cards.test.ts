import { describe, expect, it } from 'vitest';
import { campaignDetailCard, campaignListCard, type CampaignCardInput } from '../../cards/campaigns.js';
import { decodeAction } from '../../cards/codec.js';
import { QUOTA_CARD_MAX_ROWS, quotaCard } from '../../cards/quotas.js';
import type { ButtonElement, Card } from '../../cards/types.js';
import { splitTail } from '../../commands/campaigns.js';
import { liaoningDemoWindow, shiftPhasesAround, startOfChinaDay } from '../../src/domain/campaign/demo-shift.js';
import { quotaStatus, summarizeQuotas } from '../../src/domain/campaign/quotas.js';
import { templates } from '../../src/domain/campaign/templates/index.js';
import { parseContent } from '../../src/fake-lark/content-rules.js';
import { parseDeadline, resolvePhaseKey } from '../../src/services/campaigns.js';
import { DomainError } from '../../src/errors.js';

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
const ln: CampaignCardInput = {
  code: 'LN2022',
  name: templates['liaoning-2022'].name,
  year: 2022,
  kind: 'evaluation',
  templateId: 'liaoning-2022',
  status: 'active',
  noticeChatId: null,
  definition: templates['liaoning-2022'],
};
const cq: CampaignCardInput = { ...ln, code: 'CQ2022', name: templates['chongqing-2022'].name, kind: 'supervision_incentive', templateId: 'chongqing-2022', noticeChatId: 'oc_1', definition: templates['chongqing-2022'] };

/** Every button anywhere on the card (forms included). */
function buttons(card: Card): ButtonElement[] {
  const found: ButtonElement[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      if ((node as { tag?: unknown }).tag === 'button') found.push(node as ButtonElement);
      Object.values(node).forEach(walk);
    }
  };
  walk(card.body.elements);
  return found;
}

/** What Lark itself would check: size, element count, unique names, forms at the root. */
function acceptedByLark(card: Card): void {
  expect(() => parseContent('interactive', JSON.stringify(card))).not.toThrow();
  for (const b of buttons(card)) expect(decodeAction(b.behaviors?.[0]?.value), JSON.stringify(b)).toBeDefined();
}

describe('campaign detail card', () => {
  it('shows LN2022 during topic submission, with open/close buttons and the deadline form for the office', () => {
    const card = campaignDetailCard(ln, at('2022-09-10T10:00:00'), { manage: true });
    expect(card).toMatchSnapshot();
    acceptedByLark(card);
    const labels = buttons(card).map((b) => b.text.content);
    expect(labels).toContain('提前关闭“选题申报”');
    expect(labels).toContain('立即开启“办公室遴选”');
    const json = JSON.stringify(card);
    for (const part of ['进行中', '未开始', '突出创新驱动发展', '真正解决实际问题', '县区 2 项', '一等奖 20万元', '主创人：1–2 名', '不含县级以上党委或政府']) {
      expect(json).toContain(part);
    }
  });

  it('marks closed phases and offers no buttons to someone who may not manage', () => {
    const card = campaignDetailCard(ln, at('2022-10-20T10:00:00'), { manage: false });
    const json = JSON.stringify(card);
    expect(json).toContain('已截止');
    expect(buttons(card)).toHaveLength(0);
    expect(json).not.toContain('deadline_form');
  });

  it('shows CQ2022 with its measures and no minimum quota', () => {
    const card = campaignDetailCard(cq, at('2022-12-01T09:00:00'), { manage: true });
    expect(card).toMatchSnapshot();
    acceptedByLark(card);
    const json = JSON.stringify(card);
    expect(json).toContain('激励措施（30 项）');
    expect(json).toContain('不设最低申报数量');
    expect(json).toContain('通知群**：已绑定');
  });

  it('rebuilds the form with what was typed and a red line per bad field', () => {
    const card = campaignDetailCard(ln, at('2022-09-10T10:00:00'), {
      manage: true,
      form: { values: { phase: 'topic_submission', closesAt: '2022-13-01', reason: '' }, errors: { closesAt: '无法识别日期“2022-13-01”。', reason: '请填写理由。' } },
    });
    acceptedByLark(card);
    const form = card.body.elements.find((e) => e.tag === 'form');
    expect(form).toMatchSnapshot();
  });
});

describe('campaign list card', () => {
  it('lists each campaign with its current phase and a details button', () => {
    const card = campaignListCard([ln, cq], at('2022-09-10T10:00:00'));
    expect(card).toMatchSnapshot();
    acceptedByLark(card);
    expect(buttons(card).map((b) => decodeAction(b.behaviors?.[0]?.value))).toEqual([
      { v: 1, a: 'campaign.show', code: 'LN2022' },
      { v: 1, a: 'campaign.show', code: 'CQ2022' },
    ]);
  });

  it('tells the office how to start when there is none', () => {
    expect(JSON.stringify(campaignListCard([], new Date()))).toContain('/活动 新建 liaoning-2022');
  });
});

describe('quota card', () => {
  const units = [
    { id: 1, name: '溪湖区', type: 'county' as const },
    { id: 2, name: '本溪高新区', type: 'park' as const },
    { id: 3, name: '市司法局', type: 'department' as const },
    { id: 4, name: '市妇联', type: 'organisation' as const },
  ];
  const rows = quotaStatus(units, new Map([[1, 2], [2, 1], [4, 1]]), templates['liaoning-2022']);

  it('puts the summary first and units below quota at the top of the table', () => {
    const card = quotaCard({ campaign: { code: 'LN2022', name: ln.name }, rows, summary: summarizeQuotas(rows), hasMinimum: true, scope: 'all', at: at('2022-10-01T08:00:00') });
    expect(card).toMatchSnapshot();
    acceptedByLark(card);
    expect(JSON.stringify(card)).toContain('2 个单位未达到最低申报数量');
  });

  it("shows a liaison only their own units' rows", () => {
    const own = rows.filter((r) => r.unitId === 2);
    const card = quotaCard({ campaign: { code: 'LN2022', name: ln.name }, rows: own, summary: summarizeQuotas(own), hasMinimum: true, scope: 'own', at: at('2022-10-01T08:00:00') });
    expect(card).toMatchSnapshot();
    expect(JSON.stringify(card)).not.toContain('市司法局');
  });

  it('stays within Lark limits for 500 units, listing the first rows and counting the rest', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: i, name: `第${i}号单位（县区）`, type: 'county' as const }));
    const big = quotaStatus(many, new Map(), templates['liaoning-2022']);
    const card = quotaCard({ campaign: { code: 'LN2022', name: ln.name }, rows: big, summary: summarizeQuotas(big), hasMinimum: true, scope: 'all', at: new Date() });
    acceptedByLark(card);
    expect(JSON.stringify(card)).toContain(`另有 ${500 - QUOTA_CARD_MAX_ROWS} 个单位未在表中列出`);
  });
});

describe('demo phase shift', () => {
  const now = at('2026-11-25T15:30:00');
  const shifted = shiftPhasesAround(templates['liaoning-2022'].phases, now, liaoningDemoWindow);
  if (!shifted.ok) throw new Error(shifted.message);
  const phases = templates['liaoning-2022'].phases;
  const span = (p: { opensAt: string; closesAt: string }) => Date.parse(p.closesAt) - Date.parse(p.opensAt);

  it('opens 选题申报 20 days before today and closes it at the end of the 10th day after', () => {
    expect(shifted.value.topic_submission).toEqual({ opensAt: '2026-11-05T00:00:00+08:00', closesAt: '2026-12-05T23:59:59+08:00' });
  });

  it('keeps the other phases in order with their durations and gaps', () => {
    const keys = phases.map((p) => p.key);
    for (const [i, key] of keys.entries()) {
      const original = phases[i]!;
      const moved = shifted.value[key]!;
      if (key !== 'topic_submission') expect(span(moved)).toBe(span(original));
      const next = keys[i + 1];
      if (next) {
        expect(Date.parse(shifted.value[next]!.opensAt) - Date.parse(moved.closesAt)).toBe(Date.parse(phases[i + 1]!.opensAt) - Date.parse(original.closesAt));
      }
    }
  });

  it('uses Beijing days even when UTC is still on the previous day', () => {
    expect(startOfChinaDay(new Date('2026-11-24T17:00:00Z')).toISOString()).toBe('2026-11-24T16:00:00.000Z');
    expect(startOfChinaDay(new Date('2026-11-24T15:59:59Z')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('refuses an unknown anchor phase', () => {
    expect(shiftPhasesAround(phases, now, { ...liaoningDemoWindow, anchorKey: 'nope' })).toMatchObject({ ok: false, code: 'unknown_phase' });
  });
});

/** The Chinese text of the DomainError `fn` throws. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('deadline text and phase names (the words a person types)', () => {
  const now = at('2026-11-25T10:00:00');
  it.each([
    ['2026-12-31', '2026-12-31T23:59:59+08:00'],
    ['2026-12-31 18:00', '2026-12-31T18:00:00+08:00'],
    ['2026/12/31', '2026-12-31T23:59:59+08:00'],
    ['2026/1/5', '2026-01-05T23:59:59+08:00'],
    ['12月31日', '2026-12-31T23:59:59+08:00'],
    ['12月31日 9:30', '2026-12-31T09:30:00+08:00'],
    ['2027年1月2日', '2027-01-02T23:59:59+08:00'],
  ])('%s is %s Beijing time', (input, expected) => {
    expect(parseDeadline(input, now).getTime()).toBe(new Date(expected).getTime());
  });

  it.each(['2026-02-30', '2026-13-01', '明天', '12/31', '2026-12-31 25:00', ''])('refuses %j with the accepted formats', (input) => {
    expect(refusal(() => parseDeadline(input, now))).toContain('支持的写法：2026-12-31、2026-12-31 18:00、2026/12/31、12月31日');
  });

  it('finds a phase by key, label or a unique part of the label', () => {
    const phases = templates['liaoning-2022'].phases;
    expect(resolvePhaseKey(phases, 'office_selection')).toBe('office_selection');
    expect(resolvePhaseKey(phases, '选题申报')).toBe('topic_submission');
    expect(resolvePhaseKey(phases, '遴选')).toBe('office_selection');
    expect(refusal(() => resolvePhaseKey(phases, '申报阶段'))).toMatch(/没有找到阶段“申报阶段”.*选题申报（topic_submission）/);
  });

  it('splits date, reason and a trailing campaign code', () => {
    expect(splitTail(['2026-12-31', '18:00', '材料', '未齐', 'ln2022'])).toEqual({ dateText: '2026-12-31 18:00', reason: '材料 未齐', code: 'LN2022' });
    expect(splitTail(['个别单位材料未齐'])).toEqual({ reason: '个别单位材料未齐' });
    expect(splitTail(['typo', 'fixed'])).toEqual({ reason: 'typo fixed' });
    expect(splitTail(['延期', 'CQ2022'])).toEqual({ reason: '延期', code: 'CQ2022' });
    expect(splitTail(['延期'], true)).toEqual({ dateText: '延期' });
  });
});

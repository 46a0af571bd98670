import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../cards/codec.js';
import { confirmListCard, declarationFormCard, reviewListCard, type DeclarationCardView } from '../../cards/declaration.js';
import { recommendFormCard, recommendationListCard } from '../../cards/recommendation.js';
import type { Card } from '../../cards/types.js';
import {
  applyMove,
  declarationFormValues,
  measuresForUnit,
  measuresLedBy,
  parseDeclarationForm,
  parseReason,
  splitLinks,
  type DeclarationMove,
  type DeclarationParty,
  type DeclarationStatus,
} from '../../src/domain/campaign/declaration.js';
import { templates } from '../../src/domain/campaign/templates/index.js';
import { parseRecommendationForm, recommendationValues } from '../../src/services/recommendations.js';

const measures = templates['chongqing-2022'].measures ?? [];
const form = (measure: string, selfAssessment: string, evidence = '') => ({ measure, selfAssessment, evidence });

describe('declaration moves', () => {
  const table: [DeclarationStatus, DeclarationMove, DeclarationParty, DeclarationStatus | string][] = [
    ['submitted', 'recommend', 'lead_department', 'recommended'],
    ['submitted', 'return', 'lead_department', 'returned'],
    ['recommended', 'confirm', 'supervision_office', 'confirmed'],
    ['submitted', 'withdraw', 'declaring_unit', 'withdrawn'],
    ['returned', 'confirm', 'supervision_office', '这份申报已被牵头单位退回，不能确认。如需重新申报，请申报单位重新提交。'],
    ['withdrawn', 'recommend', 'lead_department', '这份申报已由申报单位撤回，不能推荐。'],
    ['recommended', 'recommend', 'lead_department', '这份申报已推荐，不能重复推荐。'],
    ['returned', 'return', 'lead_department', '这份申报已退回，不能重复退回。'],
    ['recommended', 'return', 'lead_department', '这份申报已被牵头单位推荐，不能再退回。如需更改，请联系办公室。'],
    ['submitted', 'confirm', 'supervision_office', '这份申报还没有经过牵头单位推荐，不能确认。'],
    ['confirmed', 'confirm', 'supervision_office', '这份申报已确认，不能重复确认。'],
    ['confirmed', 'withdraw', 'declaring_unit', '这份申报已确认，不能再撤回。'],
    ['submitted', 'recommend', 'declaring_unit', '只有该措施牵头单位的联络人可以推荐申报。'],
    ['recommended', 'confirm', 'lead_department', '只有办公室（督查办）可以确认申报。'],
  ];
  it.each(table)('%s --%s by %s--> %s', (status, move, by, expected) => {
    const r = applyMove(status, move, by);
    if (r.ok) expect(r.value).toBe(expected);
    else expect(r.message).toBe(expected);
  });
});

describe('measures', () => {
  it('has the 30 measures of seed 003; parks only see those that reward national platforms', () => {
    expect(measures).toHaveLength(30);
    expect(measuresForUnit(measures, 'county')).toHaveLength(30);
    const park = measuresForUnit(measures, 'park').map((m) => m.number);
    expect(park).not.toContain(2); // 促进消费提质扩容 rewards districts only
    expect(park).toContain(1);
    expect(measuresForUnit(measures, undefined)).toHaveLength(30);
  });

  it('finds the measures a unit leads by name, including shared leads', () => {
    expect(measuresLedBy(measures, ['市发展改革委']).map((m) => m.number)).toEqual([1, 6, 12]);
    expect(measuresLedBy(measures, ['市水利局']).map((m) => m.number)).toEqual([17, 18]);
    expect(measuresLedBy(measures, ['平山区'])).toEqual([]);
  });
});

describe('declaration form', () => {
  it('accepts a complete form and splits links on any separator', () => {
    const r = parseDeclarationForm(form('12', '  开办企业一网通办  ', 'https://a.example.cn/1\nhttp://b.example.cn/x，https://c.example.cn'), measures, 'county');
    expect(r).toEqual({ ok: true, value: { measureNo: 12, selfAssessment: '开办企业一网通办', evidence: ['https://a.example.cn/1', 'http://b.example.cn/x', 'https://c.example.cn'] } });
    expect(splitLinks(' a ; b\u3000c、d ')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('says what to fix for every bad field at once', () => {
    const r = parseDeclarationForm(form('', ' ', 'javascript:alert(1)'), measures, 'county');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      measure: '请选择申报的激励措施。',
      selfAssessment: '请填写自评情况：对照措施说明取得的成效和典型经验做法。',
      evidence: '佐证材料链接“javascript:alert(1)”无效，请填写以 http:// 或 https:// 开头的完整网址，每行一个。',
    });
  });

  it('refuses unknown measures, measures that do not reward the unit type, too long texts and too many links', () => {
    const bad = (m: string, s: string, e: string, t: 'county' | 'park') => {
      const r = parseDeclarationForm(form(m, s, e), measures, t);
      return r.ok ? {} : r.errors;
    };
    expect(bad('31', 'x', '', 'county').measure).toBe('所选的激励措施不存在，请从列表中重新选择。');
    expect(bad('1; drop', 'x', '', 'county').measure).toBe('所选的激励措施不存在，请从列表中重新选择。');
    expect(bad('2', 'x', '', 'park').measure).toBe('第2项 促进消费提质扩容不激励国家级开发开放平台（园区），请选择其他措施。');
    expect(bad('1', '字'.repeat(2001), '', 'county').selfAssessment).toBe('自评情况最多2000字，现在有2001字，请精简。');
    expect(bad('1', '字'.repeat(2000), '', 'county').selfAssessment).toBeUndefined();
    const links = Array.from({ length: 11 }, (_, i) => `https://e.example.cn/${i}`).join('\n');
    expect(bad('1', 'x', links, 'county').evidence).toBe('佐证材料链接最多10个，现在有11个，请合并或精简。');
  });

  it('reads forged non-string values as empty', () => {
    expect(declarationFormValues({ measure: 3, selfAssessment: ['x'], evidence: null })).toEqual({ measure: '', selfAssessment: '', evidence: '' });
    expect(declarationFormValues(undefined)).toEqual({ measure: '', selfAssessment: '', evidence: '' });
  });

  it('requires a reason of at most 500 characters', () => {
    expect(parseReason('  ')).toEqual({ ok: false, code: 'reason_required', message: '请填写退回理由，说明需要补充或改进的地方。' });
    expect(parseReason('x'.repeat(501), '不采纳的理由')).toMatchObject({ ok: false, message: '不采纳的理由最多500字，现在有501字，请精简。' });
    expect(parseReason(' 材料不全 ')).toEqual({ ok: true, value: '材料不全' });
  });
});

describe('recommendation form', () => {
  it('validates title, problem and the optional unit', () => {
    expect(parseRecommendationForm(recommendationValues({ title: ' 证照联办 ', problem: ' 跑三个窗口 ', suggestedUnit: ' ' }))).toEqual({
      ok: true,
      value: { title: '证照联办', problem: '跑三个窗口', suggestedUnit: undefined },
    });
    const r = parseRecommendationForm(recommendationValues({ title: 'x'.repeat(101), problem: 42, suggestedUnit: 'u'.repeat(101) }));
    expect(r).toEqual({
      ok: false,
      errors: {
        title: '选题名称最多100字，现在有101字，请精简。',
        problem: '请描述存在的问题：在哪个环节、影响了谁、希望怎样改进。',
        suggestedUnit: '建议承办单位最多100字，请只写单位名称。',
      },
    });
  });
});

function allButtons(c: Card): { name?: string; value: unknown; submit: boolean }[] {
  const out: { name?: string; value: unknown; submit: boolean }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.tag === 'button') {
      const b = o as { name?: string; behaviors?: { value: unknown }[]; form_action_type?: string };
      out.push({ ...(b.name ? { name: b.name } : {}), value: b.behaviors?.[0]?.value, submit: b.form_action_type === 'submit' });
    }
    Object.values(o).forEach(walk);
  };
  walk(c.body);
  return out;
}

const decl = (id: number, status: DeclarationStatus = 'submitted'): DeclarationCardView => ({
  id,
  trackingNo: `CQ2022-渝中区-00${id}`,
  unitName: '渝中区',
  title: '第12项 营造市场化法治化国际化营商环境',
  selfAssessment: '**加粗**<at id="all"></at>',
  evidence: ['https://e.example.cn/1'],
  status,
  statusReason: null,
  createdAt: new Date('2023-01-10T02:00:00Z'),
});

describe('cards', () => {
  const campaign = { id: 7, code: 'CQ2022', name: '重庆市2022年督查激励' };

  it('every button carries a payload the codec accepts, names are unique, forms have a submit button', () => {
    const cards = [
      declarationFormCard({ campaign, deadline: '2023年2月1日 23:59', formKey: 'abcdefgh1234', unit: { id: 3, name: '渝中区' }, units: [], measures }),
      reviewListCard({ campaign, leadUnits: ['市发展改革委'], pending: [decl(1), decl(2)], pendingTotal: 2, recommended: 0, returned: 0 }),
      confirmListCard({ campaign, items: [decl(1, 'recommended'), decl(2, 'recommended')], total: 2, confirmed: 0, unrouted: ['市商务委'] }),
      recommendFormCard({ formKey: 'abcdefgh1234', campaign: undefined }),
      recommendationListCard([{ id: 5, title: 't', problem: 'p', suggestedUnit: null, createdAt: new Date(), recommender: '刘女士' }], 1),
    ];
    for (const c of cards) {
      const bs = allButtons(c);
      expect(bs.length).toBeGreaterThan(0);
      for (const b of bs) expect(decodeAction(b.value), JSON.stringify(b.value)).toBeDefined();
      const names = bs.map((b) => b.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(allButtons(cards[0]!).filter((b) => b.submit)).toEqual([{ name: 'submit', value: { v: 1, a: 'declare.submit', c: 7, k: 'abcdefgh1234', u: 3 }, submit: true }]);
    expect(allButtons(cards[2]!).find((b) => b.name === 'confirm_all')?.value).toEqual({ v: 1, a: 'declare.confirmAll', c: 7, ids: [1, 2] });
  });

  it('re-shows what was typed with a red line per bad field, and escapes user markdown', () => {
    const c = declarationFormCard({
      campaign,
      deadline: 'x',
      formKey: 'abcdefgh1234',
      unit: undefined,
      units: [{ id: 3, name: '渝中区' }, { id: 4, name: '两江新区' }],
      measures,
      values: { unit: '4', measure: '12', selfAssessment: '我们做了', evidence: 'ftp://x' },
      errors: { evidence: '链接无效' },
    });
    const json = JSON.stringify(c);
    expect(json).toContain('"initial_option":"4"');
    expect(json).toContain('"initial_option":"12"');
    expect(json).toContain('"default_value":"我们做了"');
    expect(json).toContain('"default_value":"ftp://x"');
    expect(json).toContain("<font color='red'>链接无效</font>");
    const review = JSON.stringify(reviewListCard({ campaign, leadUnits: ['市发展改革委'], pending: [decl(1)], pendingTotal: 1, recommended: 0, returned: 0 }));
    expect(review).toContain('\\\\*\\\\*加粗\\\\*\\\\*\\\\<at id=\\"all\\"\\\\>');
  });

  it('stays under 30 KB with full lists of maximal declarations', () => {
    const big = (id: number, status: DeclarationStatus): DeclarationCardView => ({
      ...decl(id, status),
      unitName: '重庆两江新区管理委员会经济运行局'.repeat(2),
      selfAssessment: '*'.repeat(2000),
      evidence: Array.from({ length: 10 }, (_, i) => `https://e.example.cn/${i}/${'<'.repeat(490)}`),
    });
    const review = reviewListCard({ campaign, leadUnits: ['市发展改革委'], pending: Array.from({ length: 10 }, (_, i) => big(i + 1, 'submitted')), pendingTotal: 99, recommended: 0, returned: 0 });
    const confirm = confirmListCard({ campaign, items: Array.from({ length: 20 }, (_, i) => big(i + 1, 'recommended')), total: 99, confirmed: 0, unrouted: [] });
    for (const c of [review, confirm]) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(30 * 1024);
  });

  it('rejects forged payloads of these features', () => {
    for (const bad of [
      { v: 1, a: 'declare.submit', c: 1, k: 'short' },
      { v: 1, a: 'declare.submit', c: -1, k: 'abcdefgh1234' },
      { v: 1, a: 'declare.confirmAll', c: 1, ids: [] },
      { v: 1, a: 'declare.confirmAll', c: 1, ids: Array.from({ length: 21 }, (_, i) => i + 1) },
      { v: 1, a: 'declare.recommend', id: '1' },
      { v: 1, a: 'recommend.submit', k: 'abc def ghi' },
      { v: 1, a: 'recommend.assign', id: 1.5 },
    ]) {
      expect(decodeAction(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

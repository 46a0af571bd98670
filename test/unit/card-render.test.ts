// @vitest-environment happy-dom
// The console's card renderer (a browser ES module) under happy-dom: every card the project keeps a
// snapshot of, and every component tag the Card type allows, renders without a placeholder; an
// unknown tag renders a visible one; forms submit what Lark would send.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from '@vitest/pretty-format';
import type { Document, HTMLElement, HTMLInputElement, HTMLSelectElement, HTMLTextAreaElement } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { helpListCard, helpUsageCard } from '../../cards/help.js';
import { card, md } from '../../cards/kit.js';
import type { Card, CardElement, FormChild } from '../../cards/types.js';
import { whoamiCard } from '../../cards/whoami.js';
import { deadlineReminderCard } from '../../cards/reminders.js';
import { submissionFormCard } from '../../cards/submission-form.js';
import { submissionCard } from '../../cards/submission.js';
import { checkLimits, renderCard, type RenderContext, type RenderedAction } from '../../src/emulator/public/card-render.js';

// happy-dom replaces the global URL, so paths are plain strings here.
const snapDir = join(import.meta.dirname, '__snapshots__');

// ---- Loading vitest .snap files: evaluate the module, then parse pretty-format's output back. ----

/** Parses pretty-format output (vitest's snapshot format: escapeString false, no prototypes). */
function parsePretty(src: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`snapshot parse: ${what} at ${i}: ${JSON.stringify(src.slice(i, i + 40))}`);
  };
  const ws = () => {
    while (i < src.length && /\s/.test(src[i] ?? '')) i++;
  };
  const str = (terminators: string[]): string => {
    i++; // opening quote
    let best = -1;
    for (const t of terminators) {
      const at = t === '' ? (src.endsWith('"') ? src.length - 1 : -1) : src.indexOf(`"${t}`, i);
      if (at >= i && (best < 0 || at < best)) best = at;
    }
    if (best < 0) fail('unterminated string');
    const s = src.slice(i, best);
    i = best + 1;
    return s;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      const obj: Record<string, unknown> = {};
      const arr: unknown[] = [];
      for (;;) {
        ws();
        if (src[i] === close) {
          i++;
          return c === '{' ? obj : arr;
        }
        if (c === '{') {
          if (src[i] !== '"') fail('expected a key');
          const key = str([': ']);
          i++; // ':'
          obj[key] = value();
        } else arr.push(value());
        ws();
        if (src[i] !== ',') fail('expected ","');
        i++;
      }
    }
    if (c === '"') return str([',\n', '']);
    const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|true|false|null|undefined)/.exec(src.slice(i));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    const w = m[0];
    return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : w === 'undefined' ? undefined : Number(w);
  };
  const v = value();
  ws();
  if (i !== src.length) fail('trailing text');
  return v;
}

function loadSnapshots(): { file: string; name: string; value: unknown; text: string }[] {
  const out: { file: string; name: string; value: unknown; text: string }[] = [];
  for (const file of readdirSync(snapDir).filter((f) => f.endsWith('.snap'))) {
    const exportsObj: Record<string, string> = {};
    // A .snap file is a CommonJS module of template strings; evaluating it undoes the escaping.
    new Function('exports', readFileSync(join(snapDir, file), 'utf8'))(exportsObj);
    for (const [name, raw] of Object.entries(exportsObj)) {
      const text = raw.replace(/^\n/, '').replace(/\n$/, '');
      out.push({ file, name, value: parsePretty(text), text });
    }
  }
  return out;
}

function cardsIn(v: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(v)) v.forEach((x) => cardsIn(x, found));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.schema === '2.0' && o.body && typeof o.body === 'object') found.push(o);
    else Object.values(o).forEach((x) => cardsIn(x, found));
  }
  return found;
}

// ---- Rendering helpers ----

// The project's TypeScript has no DOM lib; the environment's document is happy-dom's.
const doc = (globalThis as unknown as { document: Document }).document;
const render = (c: unknown, ctx: RenderContext = {}) => {
  const node = renderCard(c, ctx) as HTMLElement;
  doc.body.replaceChildren(node);
  return node;
};
const all = (node: HTMLElement, sel: string) => [...node.querySelectorAll(sel)] as HTMLElement[];
const one = (node: HTMLElement, sel: string) => {
  const found = node.querySelector(sel) as HTMLElement | null;
  if (!found) throw new Error(`no ${sel} in ${node.outerHTML.slice(0, 300)}`);
  return found;
};
function expectClean(node: HTMLElement, label: string) {
  expect(all(node, '[data-testid=unknown-element]').map((n) => n.textContent), label).toEqual([]);
  expect(all(node, '[data-testid=card-flag]').map((n) => n.textContent), label).toEqual([]);
}

afterEach(() => vi.restoreAllMocks());

/** One of every element the Card type allows: a new tag in cards/types.ts fails to compile here until it is added (and drawn). */
const sampleElements: Record<CardElement['tag'], CardElement> = {
  markdown: { tag: 'markdown', content: '**粗体** <at id="ou_a"></at>', text_size: 'heading' },
  div: { tag: 'div', text: { tag: 'plain_text', content: '纯文本' } },
  hr: { tag: 'hr' },
  column_set: { tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 2, elements: [md('左')] }, { tag: 'column', width: 'auto', elements: [md('右')] }] },
  button: { tag: 'button', name: 'b1', text: { tag: 'plain_text', content: '按钮' }, type: 'primary', behaviors: [{ type: 'callback', value: { v: 1, a: 'help.list' } }] },
  form: { tag: 'form', name: 'f1', elements: [] },
  table: { tag: 'table', columns: [{ name: 'n', display_name: '名称', data_type: 'text' }], rows: [{ n: 'A' }] },
  chart: { tag: 'chart', chart_spec: { type: 'bar', data: { values: [{ x: 'A', y: 1 }] }, xField: 'x', yField: 'y' } },
  collapsible_panel: { tag: 'collapsible_panel', expanded: true, header: { title: { tag: 'plain_text', content: '更多' } }, elements: [md('里面')] },
  person_list: { tag: 'person_list', persons: [{ id: 'ou_a' }] },
};
const sampleFormChildren: Record<FormChild['tag'], FormChild> = {
  input: { tag: 'input', name: 'title', required: true, max_length: 20, default_value: '原标题', label: { tag: 'plain_text', content: '标题' } },
  select_static: { tag: 'select_static', name: 'kind', options: [{ text: { tag: 'plain_text', content: '选题' }, value: 'topic' }, { text: { tag: 'plain_text', content: '成果' }, value: 'achievement' }], initial_option: 'achievement' },
  multi_select_static: { tag: 'multi_select_static', name: 'people', options: [{ text: { tag: 'plain_text', content: '李明' }, value: 'ou_a' }, { text: { tag: 'plain_text', content: '赵芳' }, value: 'ou_b' }], selected_values: ['ou_b'] },
  date_picker: { tag: 'date_picker', name: 'on', initial_date: '2022-06-30' },
  checker: { tag: 'checker', name: 'agree', text: { tag: 'plain_text', content: '我已核实' }, checked: true },
  markdown: { tag: 'markdown', content: "<font color='red'>标题太长</font>" },
  button: { tag: 'button', name: 'submit', text: { tag: 'plain_text', content: '提交' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: { v: 1, a: 'x.save', k: 'key1' } }] },
};
const names = { ou_a: '李明', ou_b: '赵芳' };

describe('card renderer: every card the project can send', () => {
  const snaps = loadSnapshots();
  const cards = snaps.flatMap((s) => cardsIn(s.value).map((c, i) => ({ label: `${s.file} › ${s.name} #${i}`, card: c })));

  it('reads every kept snapshot back exactly (the parse round-trips through pretty-format)', () => {
    expect(snaps.length).toBeGreaterThan(0);
    for (const s of snaps) expect(format(s.value, { escapeString: false, printBasicPrototype: false, indent: 2 }), `${s.file} › ${s.name}`).toBe(s.text);
  });

  it(`renders all ${cards.length} snapshot cards without a placeholder or a limit flag`, () => {
    expect(cards.length).toBeGreaterThanOrEqual(3);
    for (const { label, card: c } of cards) {
      const node = render(c, { names, drawChart: () => undefined });
      expectClean(node, label);
      expect(node.textContent?.length, label).toBeGreaterThan(0);
    }
  });

  it('renders the card builders called directly', () => {
    const entries = [{ name: '帮助', aliases: ['help'], summary: '列出命令', usage: '/帮助 [命令名]' }];
    const built: Card[] = [
      helpListCard(entries),
      helpUsageCard(entries[0]!),
      whoamiCard({ openId: 'ou_a', name: '张*三*', roleLabels: ['公众'], units: [{ name: '本溪高新区', roleLabel: '单位联络人' }] }),
      submissionFormCard({
        mode: { kind: 'create', formKey: 'k1' },
        form: {
          campaign: { code: 'LN2022', name: '辽宁省2022年制度性创新成果评价奖励' },
          directions: [{ key: 'livelihood', label: '突出保障和改善民生' }],
          units: [{ id: 1, name: '平山区' }, { id: 2, name: '本溪高新区' }],
          creatorOptions: [{ openId: 'ou_a', name: '李明' }],
          window: { open: true, label: '选题申报', closesAt: '2022年10月31日 23:59' },
        },
        values: { title: '一件事', mainCreators: ['ou_a'], achievedOn: '2020-01-01 +0800' },
        errors: { achievedOn: '成果形成时间应在2021年1月1日至2022年12月31日之间。', title: '标题太长' },
      }),
      submissionCard({
        id: 1, version: 1, trackingNo: 'LN2022-平山区-001', status: 'submitted', kind: 'topic', title: '一件事', directionLabel: undefined,
        campaign: { code: 'LN2022', name: '辽宁' }, unitName: '平山区', fields: { problem: '问题', evidence: 'https://a.example\nhttps://b.example' },
        mainCreators: [{ openId: 'ou_a', name: '李明' }], change: { allowed: true, closesAt: '2022年10月31日 23:59' },
      }),
      deadlineReminderCard({
        sections: [{ campaignCode: 'LN2022', campaignName: '辽宁', phaseKey: 'topic_submission', phaseLabel: '选题申报', deadline: new Date('2022-10-31T15:59:59Z'), daysLeft: 1, lines: ['平山区：已报 0 项，至少 2 项'], actions: [] }],
        mandatory: false,
      }),
    ];
    for (const c of built) expectClean(render(c, { names }), c.header?.title.content ?? '');
    const form = render(built[3], { names });
    expect(all(form, '.md-font[data-color=red]').map((n) => n.textContent)).toContain('标题太长');
    expect((one(form, 'input[name=achievedOn]') as unknown as HTMLInputElement).value).toBe('2020-01-01');
    expect(one(render(built[4], { names }), '[data-testid=card-header]').textContent).toContain('LN2022-平山区-001');
    const who = render(built[2], { names });
    expect(who.textContent).toContain('张*三*');
    expect(who.textContent).not.toContain('\\');
  });

  it('draws every element tag of the Card type, and every form child, for real', async () => {
    const form: CardElement = { tag: 'form', name: 'f_all', elements: Object.values(sampleFormChildren) };
    const c = card({ title: { tag: 'plain_text', content: '全部组件' }, template: 'violet' }, [...Object.values(sampleElements).filter((e) => e.tag !== 'form'), form]);
    const drawn: unknown[] = [];
    const node = render(c, { names, drawChart: (_n, spec) => drawn.push(spec) });
    expectClean(node, 'all tags');
    // Charts are drawn once the card is in the page (a microtask later).
    await vi.waitFor(() => expect(drawn).toEqual([sampleElements.chart.tag === 'chart' ? sampleElements.chart.chart_spec : undefined]));
  });
});

describe('card renderer: what each component looks like', () => {
  it('draws an unknown tag as a visible placeholder with its tag, flags the card and logs it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const node = render({ schema: '2.0', body: { elements: [md('前'), { tag: 'select_person', name: 'p' }, md('后')] } });
    const ph = one(node, '[data-testid=unknown-element]');
    expect(ph.textContent).toContain('select_person');
    expect(node.textContent).toContain('前');
    expect(node.textContent).toContain('后');
    expect(one(node, '[data-testid=card-flag]').textContent).toContain('select_person');
    expect(warn).toHaveBeenCalled();
  });

  it('header: title, subtitle and colour template', () => {
    const node = render(card({ title: { tag: 'plain_text', content: '标题' }, subtitle: { tag: 'plain_text', content: '副标题' }, template: 'orange' }, [md('x')]));
    const head = one(node, '[data-testid=card-header]');
    expect(head.getAttribute('data-template')).toBe('orange');
    expect(head.className).toContain('t-orange');
    expect(head.textContent).toBe('标题副标题');
  });

  it('markdown: bold, lists, links, mentions as names, colours, escapes, and no HTML injection', () => {
    const src = '**申报单位**：平山区\n- 第一条\n- 第二条\n1. 甲\n[查看](https://example.org/a)\n<at id="ou_a"></at> 与 <at id=ou_zz></at>\n<font color=\'red\'>必填</font>\n张\\*三\\* \\<b\\>\n<img src=x onerror=alert(1)>';
    const node = render(card({ title: { tag: 'plain_text', content: 't' } }, [md(src)]), { names });
    const box = one(node, '.el-markdown');
    expect(one(box, 'strong').textContent).toBe('申报单位');
    expect(all(box, 'ul > li').map((li) => li.textContent)).toEqual(['第一条', '第二条']);
    expect(all(box, 'ol > li').map((li) => li.textContent)).toEqual(['甲']);
    const a = one(box, 'a');
    expect([a.textContent, a.getAttribute('href')]).toEqual(['查看', 'https://example.org/a']);
    expect(all(box, '.md-at').map((n) => n.textContent)).toEqual(['@李明', '@ou_zz']);
    expect(one(box, '.md-font').getAttribute('data-color')).toBe('red');
    expect(box.textContent).toContain('张*三* <b>');
    expect(all(box, 'img, b')).toHaveLength(0);
    expect(box.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('buttons: types, disabled state, and the callback value Lark would send', async () => {
    const actions: RenderedAction[] = [];
    const node = render(
      card({ title: { tag: 'plain_text', content: 't' } }, [
        { tag: 'button', name: 'go', type: 'danger', text: { tag: 'plain_text', content: '撤回' }, behaviors: [{ type: 'callback', value: { v: 1, a: 'help.list' } }] },
        { tag: 'button', name: 'off', disabled: true, text: { tag: 'plain_text', content: '已截止' }, behaviors: [{ type: 'callback', value: { v: 1, a: 'help.list' } }] },
      ]),
      { onAction: (a) => void actions.push(a) },
    );
    const [go, off] = all(node, 'button.el-button');
    expect(go?.className).toContain('type-danger');
    expect(off?.hasAttribute('disabled')).toBe(true);
    off?.click();
    go?.click();
    await vi.waitFor(() => expect(actions).toHaveLength(1));
    expect(actions[0]).toMatchObject({ value: { v: 1, a: 'help.list' }, name: 'go', tag: 'button' });
  });

  it('form: shows what was typed before, submits form_value as Lark does, and refuses empty required fields', async () => {
    const actions: RenderedAction[] = [];
    const node = render(card({ title: { tag: 'plain_text', content: '申报' } }, [{ tag: 'form', name: 'f', elements: Object.values(sampleFormChildren) }]), {
      names,
      onAction: (a) => void actions.push(a),
    });
    const title = one(node, 'input[name=title]') as unknown as HTMLInputElement;
    expect(title.value).toBe('原标题');
    expect((one(node, 'select[name=kind]') as unknown as HTMLSelectElement).value).toBe('achievement');
    expect((one(node, 'input[name=on]') as unknown as HTMLInputElement).value).toBe('2022-06-30');
    expect(one(node, '.el-multi-select summary').textContent).toBe('赵芳');
    expect(one(node, '.counter').textContent).toBe('3/20');
    expect(one(node, '.md-font').textContent).toBe('标题太长');

    const submit = one(node, 'button[data-name=submit]');
    title.value = '';
    submit.click();
    await Promise.resolve();
    expect(actions).toHaveLength(0);
    expect(one(node, '[data-field=title]').className).toContain('invalid');
    expect(one(node, '[data-field=title] .field-error').textContent).toBe('此项为必填项');

    title.value = '新标题';
    const first = one(node, '.multi-option input') as unknown as HTMLInputElement;
    first.checked = true;
    first.dispatchEvent(new Event('change') as never);
    submit.click();
    await vi.waitFor(() => expect(actions).toHaveLength(1));
    expect(actions[0]).toEqual({
      value: { v: 1, a: 'x.save', k: 'key1' },
      name: 'submit',
      tag: 'button',
      form_value: { title: '新标题', kind: 'achievement', people: ['ou_a', 'ou_b'], on: '2022-06-30 +0800', agree: true },
    });
  });

  it('multi-line input with max length, table pages, collapsible panel, person list, chart', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ n: `单位${i + 1}`, c: i }));
    const drawn: Record<string, unknown>[] = [];
    const node = render(
      card({ title: { tag: 'plain_text', content: 't' } }, [
        { tag: 'form', name: 'f', elements: [{ tag: 'input', name: 'body', input_type: 'multiline_text', rows: 4, max_length: 2000 }] },
        { tag: 'table', page_size: 5, columns: [{ name: 'n', display_name: '单位', data_type: 'text' }, { name: 'c', display_name: '数量', data_type: 'number' }], rows },
        { tag: 'collapsible_panel', expanded: false, header: { title: { tag: 'plain_text', content: '申报内容' } }, elements: [md('隐藏的内容')] },
        { tag: 'person_list', persons: [{ id: 'ou_a' }, { id: 'ou_b' }] },
        { tag: 'chart', aspect_ratio: '4:3', chart_spec: { type: 'pie', data: { values: [] } } },
      ]),
      { names, drawChart: (_n, spec) => void drawn.push(spec) },
    );
    const ta = one(node, 'textarea[name=body]') as unknown as HTMLTextAreaElement;
    expect([ta.getAttribute('rows'), ta.getAttribute('maxlength')]).toEqual(['4', '2000']);
    const table = one(node, '[data-testid=table]');
    expect(all(table, 'th').map((t) => t.textContent)).toEqual(['单位', '数量']);
    expect(all(table, 'tbody tr')).toHaveLength(5);
    one(table, '.pager-next').click();
    expect(all(table, 'tbody tr').map((r) => r.firstElementChild?.textContent)).toEqual(['单位6', '单位7']);
    const panel = one(node, '[data-testid=panel]');
    expect(panel.hasAttribute('open')).toBe(false);
    expect(panel.textContent).toContain('隐藏的内容');
    expect(all(node, '.person-name').map((p) => p.textContent)).toEqual(['李明', '赵芳']);
    expect(one(node, '[data-testid=chart]').getAttribute('data-chart-type')).toBe('pie');
    await vi.waitFor(() => expect(drawn).toEqual([{ type: 'pie', data: { values: [] } }]));
  });
});

describe('card limits, flagged as Lark would reject the card', () => {
  const base = (elements: unknown[]) => ({ schema: '2.0', body: { elements } });
  it('passes a normal card', () => {
    expect(checkLimits(helpListCard([{ name: '帮助', aliases: [], summary: 's', usage: 'u' }]))).toEqual([]);
  });
  it('over 30 KB', () => {
    expect(checkLimits(base([md('字'.repeat(11_000))])).join()).toContain('30 KB');
  });
  it('over 200 elements', () => {
    expect(checkLimits(base(Array.from({ length: 201 }, () => ({ tag: 'hr' })))).join()).toContain('200');
  });
  it('a form not at the root, a missing name, a repeated name, a table inside a form', () => {
    const flags = checkLimits(
      base([
        { tag: 'collapsible_panel', header: { title: { tag: 'plain_text', content: 'p' } }, elements: [{ tag: 'form', name: 'inner', elements: [] }] },
        { tag: 'form', name: 'f', elements: [{ tag: 'input' }, { tag: 'table', columns: [], rows: [] }, { tag: 'checker', name: 'inner', text: { tag: 'plain_text', content: 'c' } }] },
      ]),
    ).join('\n');
    expect(flags).toContain('不在卡片根节点');
    expect(flags).toContain('input 缺少 name');
    expect(flags).toContain('表单里不能放 table');
    expect(flags).toContain('“inner” 在卡片中重复');
  });
  it('shows the flags on the card, and logs them', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const node = render(base(Array.from({ length: 201 }, () => ({ tag: 'hr' }))));
    expect(one(node, '[data-testid=card-flag]').textContent).toContain('200');
    expect(warn).toHaveBeenCalled();
  });
});

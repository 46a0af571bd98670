// The card renderer: card JSON 2.0 in, DOM out, drawn the way the Lark client draws it. It has one
// boundary: renderCard(card, ctx) where ctx = { names, onAction(action), drawChart(node, spec) }.
// `onAction` gets what Lark would put in card.action.trigger's `action` (value, form_value, name,
// tag, option/options/input_value/checked). An element this renderer does not know is drawn as a
// visible placeholder with its tag and logged, never dropped, so a card that would break in Lark
// breaks visibly here too; a card over Lark's limits is flagged the way Lark would reject it.
import { el, txt } from './card-dom.js';
import { INPUT_TAGS, readForm, renderInput } from './card-inputs.js';
import { renderMarkdown } from './card-markdown.js';
import { checkLimits } from './card-limits.js';

export { checkLimits } from './card-limits.js';
export { renderMarkdown, markdownText } from './card-markdown.js';

/** Every tag drawn for real (anything else gets the placeholder). */
export const KNOWN_TAGS = [
  'markdown', 'div', 'plain_text', 'hr', 'column_set', 'button', 'form', 'table', 'chart', 'collapsible_panel',
  'person_list', 'person', 'img', ...INPUT_TAGS,
];

const callbackValue = (e) => e.behaviors?.find((b) => b.type === 'callback')?.value ?? e.value;

export function renderCard(card, ctx = {}) {
  const root = el('div', { class: `card${card?.config?.width_mode === 'fill' ? ' fill' : ''}`, 'data-testid': 'card' });
  const unknown = [];
  const c = { names: {}, ...ctx, form: undefined, unknown };
  if (card?.header) root.append(renderHeader(card.header));
  const body = el('div', { class: 'card-body' });
  for (const e of card?.body?.elements ?? card?.elements ?? []) body.append(renderElement(e, c));
  root.append(body);
  const flags = checkLimits(card);
  if (unknown.length) flags.push(`含有模拟器不认识的组件：${[...new Set(unknown)].join('、')}`);
  for (const f of flags.reverse()) root.prepend(el('div', { class: 'card-flag', 'data-testid': 'card-flag', text: `⚠ 飞书会拒绝或无法显示此卡片：${f}` }));
  if (flags.length) console.warn('card renderer: flagged card', flags);
  return root;
}

function renderHeader(h) {
  const head = el('div', { class: `card-header t-${h.template ?? 'default'}`, 'data-testid': 'card-header', 'data-template': h.template ?? 'default' }, [
    el('div', { class: 'card-title', text: txt(h.title) }),
  ]);
  if (h.subtitle) head.append(el('div', { class: 'card-subtitle', text: txt(h.subtitle) }));
  for (const tag of h.text_tag_list ?? []) head.append(el('span', { class: `header-tag c-${tag.color ?? 'blue'}`, text: txt(tag.text) }));
  return head;
}

/** Exported for tests: one element with the given context. */
export function renderElement(e, ctx) {
  const tag = e?.tag;
  switch (tag) {
    case 'markdown':
    case 'lark_md': {
      const box = el('div', { class: `el-markdown size-${e.text_size ?? 'normal'} align-${e.text_align ?? 'left'}` });
      box.append(renderMarkdown(e.content ?? '', { names: ctx.names }));
      return box;
    }
    case 'div':
      return renderDiv(e, ctx);
    case 'plain_text':
      return el('div', { class: 'el-plain', text: e.content ?? '' });
    case 'hr':
      return el('hr', { class: 'el-hr' });
    case 'column_set':
      return renderColumns(e, ctx);
    case 'button':
      return renderButton(e, ctx);
    case 'form':
      return renderForm(e, ctx);
    case 'table':
      return renderTable(e, ctx);
    case 'chart':
      return renderChart(e, ctx);
    case 'collapsible_panel':
      return renderPanel(e, ctx);
    case 'person_list':
      return el('div', { class: 'el-person-list', 'data-testid': 'person-list' }, (e.persons ?? []).map((p) => person(p.id, ctx, e)));
    case 'person':
      return person(e.user_id ?? e.id, ctx, e);
    case 'img':
      return el('div', { class: 'el-img', title: e.img_key ?? '', text: `[图片] ${txt(e.alt) || ''}` });
    default:
      if (INPUT_TAGS.includes(tag)) return renderInput(e, { ...ctx, act: (comp, extra) => act(ctx, comp, extra) });
      return placeholder(e, ctx);
  }
}

function placeholder(e, ctx) {
  const tag = typeof e?.tag === 'string' ? e.tag : '(无 tag)';
  ctx.unknown?.push(tag);
  console.warn('card renderer: unknown element', tag, e);
  return el('div', { class: 'unknown-element', 'data-testid': 'unknown-element', 'data-tag': tag, text: `[模拟器不支持的组件：${tag}]` });
}

function renderDiv(e, ctx) {
  const box = el('div', { class: 'el-div' });
  const put = (t) => {
    if (t?.tag === 'lark_md') box.append(renderMarkdown(t.content ?? '', { names: ctx.names }));
    else if (t) box.append(el('div', { text: txt(t) }));
  };
  put(e.text);
  if (e.fields?.length) box.append(el('div', { class: 'div-fields' }, e.fields.map((f) => el('div', { class: f.is_short ? 'short' : '' }, [renderDiv({ text: f.text }, ctx)]))));
  return box;
}

function renderColumns(e, ctx) {
  const row = el('div', { class: `el-columns flex-${e.flex_mode ?? 'none'}` });
  for (const col of e.columns ?? []) {
    const weighted = col.width === 'weighted' || col.width === undefined;
    const node = el('div', { class: `el-column valign-${col.vertical_align ?? 'top'}` }, (col.elements ?? []).map((x) => renderElement(x, ctx)));
    node.style.flex = weighted ? `${col.weight ?? 1} 1 0` : '0 0 auto';
    row.append(node);
  }
  return row;
}

async function act(ctx, e, extra = {}) {
  const value = callbackValue(e);
  if (value === undefined || !ctx.onAction) return;
  await ctx.onAction({ value, name: e.name, tag: e.tag, ...extra });
}

function renderButton(e, ctx) {
  const b = el('button', {
    class: `el-button type-${e.type ?? 'default'} size-${e.size ?? 'medium'}${e.width === 'fill' ? ' fill' : ''}`,
    type: 'button',
    disabled: Boolean(e.disabled),
    title: e.disabled ? txt(e.disabled_tips) || undefined : txt(e.hover_tips) || undefined,
    'data-name': e.name,
    text: txt(e.text),
  });
  const form = ctx.form;
  b.addEventListener('click', async () => {
    if (b.disabled) return;
    if (e.confirm && !globalThis.confirm([txt(e.confirm.title), txt(e.confirm.text)].filter(Boolean).join('\n'))) return;
    const url = e.behaviors?.find((x) => x.type === 'open_url');
    if (url) globalThis.open?.(url.default_url ?? url.pc_url, '_blank', 'noopener');
    if (form && e.form_action_type === 'reset') {
      form.node.replaceWith(renderForm(form.spec, { ...ctx, form: undefined }));
      return;
    }
    let formValue;
    if (form && e.form_action_type === 'submit') {
      const read = readForm(form.node, form.spec);
      if (read.missing.length) return;
      formValue = read.value;
    }
    b.disabled = true;
    b.classList.add('loading');
    try {
      await act(ctx, e, formValue ? { form_value: formValue } : {});
    } finally {
      b.disabled = Boolean(e.disabled);
      b.classList.remove('loading');
    }
  });
  return b;
}

function renderForm(e, ctx) {
  const node = el('form', { class: 'el-form', 'data-form': e.name ?? '', novalidate: true });
  node.addEventListener('submit', (ev) => ev.preventDefault());
  const inner = { ...ctx, form: { node, spec: e } };
  for (const c of e.elements ?? []) node.append(renderElement(c, inner));
  return node;
}

function cell(col, v, ctx) {
  if (v === undefined || v === null || v === '') return el('td', { class: 'empty' });
  switch (col.data_type) {
    case 'lark_md':
    case 'markdown': {
      const td = el('td');
      td.append(renderMarkdown(String(v), { names: ctx.names }));
      return td;
    }
    case 'number': {
      const n = Number(v);
      const p = col.format?.precision;
      const shown = Number.isFinite(n) ? (p === undefined ? n.toLocaleString('zh-CN') : n.toLocaleString('zh-CN', { minimumFractionDigits: p, maximumFractionDigits: p })) : String(v);
      return el('td', { class: 'num', text: `${col.format?.symbol ?? ''}${shown}` });
    }
    case 'date': {
      const d = typeof v === 'number' ? new Date(v) : undefined;
      return el('td', { text: d ? d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : String(v) });
    }
    case 'options':
      return el('td', {}, (Array.isArray(v) ? v : [v]).map((o) => el('span', { class: `header-tag c-${o.color ?? 'blue'}`, text: txt(o.text ?? o) })));
    case 'persons':
      return el('td', {}, (Array.isArray(v) ? v : [v]).map((id) => person(id, ctx, {})));
    default:
      return el('td', { text: String(v) });
  }
}

/** Lark shows `page_size` rows (default 5, at most 10) with a pager below. */
function renderTable(e, ctx) {
  const cols = e.columns ?? [];
  const rows = e.rows ?? [];
  const size = Math.min(Math.max(Number(e.page_size) || 5, 1), 10);
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const tbody = el('tbody');
  const pager = el('div', { class: 'table-pager' });
  const wrap = el('div', { class: 'el-table', 'data-testid': 'table' }, [
    el('table', {}, [el('thead', {}, [el('tr', {}, cols.map((c) => el('th', { text: c.display_name ?? c.name })))]), tbody]),
  ]);
  const show = (page) => {
    tbody.replaceChildren(...rows.slice(page * size, page * size + size).map((r) => el('tr', {}, cols.map((c) => cell(c, r[c.name], ctx)))));
    pager.replaceChildren(
      el('button', { type: 'button', class: 'pager-prev', disabled: page === 0, text: '‹' }),
      el('span', { text: `${page + 1} / ${pages}` }),
      el('button', { type: 'button', class: 'pager-next', disabled: page >= pages - 1, text: '›' }),
    );
    pager.firstChild.addEventListener('click', () => show(page - 1));
    pager.lastChild.addEventListener('click', () => show(page + 1));
  };
  show(0);
  if (pages > 1) wrap.append(pager);
  return wrap;
}

function renderChart(e, ctx) {
  const canvas = el('div', { class: 'chart-canvas' });
  const box = el('div', { class: 'el-chart', 'data-testid': 'chart', 'data-chart-type': e.chart_spec?.type ?? '' }, [canvas]);
  const [w, h] = String(e.aspect_ratio ?? '16:9').split(':').map(Number);
  if (w > 0 && h > 0) canvas.style.aspectRatio = `${w} / ${h}`;
  if (ctx.drawChart) {
    Promise.resolve()
      .then(() => ctx.drawChart(canvas, e.chart_spec ?? {}))
      .catch((err) => {
        console.warn('card renderer: chart failed', err);
        canvas.replaceChildren(el('div', { class: 'chart-error', text: `图表无法绘制：${err?.message ?? err}` }));
      });
  } else canvas.append(el('div', { class: 'chart-pending', text: '图表加载中…' }));
  return box;
}

function renderPanel(e, ctx) {
  const title = e.header?.title;
  const summary = el('summary', { class: 'panel-header' });
  if (title?.tag === 'markdown') summary.append(renderMarkdown(title.content ?? '', { names: ctx.names }));
  else summary.append(el('span', { text: txt(title) }));
  const details = el('details', { class: `el-panel${e.border ? ' bordered' : ''}`, open: Boolean(e.expanded), 'data-testid': 'panel' }, [summary]);
  const inner = el('div', { class: 'panel-body' }, (e.elements ?? []).map((x) => renderElement(x, ctx)));
  details.append(inner);
  return details;
}

function person(id, ctx, opts) {
  const name = ctx.names?.[id] ?? id ?? '';
  const node = el('span', { class: 'person', 'data-open-id': id ?? '' });
  if (opts.show_avatar !== false) node.append(el('span', { class: 'avatar', text: [...name][0] ?? '?' }));
  if (opts.show_name !== false) node.append(el('span', { class: 'person-name', text: name }));
  return node;
}

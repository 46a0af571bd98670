// Card JSON 2.0 in, DOM out. Unknown elements are drawn as a visible placeholder (and logged),
// never dropped, so a card that would break in Lark breaks visibly here too.
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function markdownToHtml(src, names = {}) {
  const ats = [];
  let s = String(src).replace(/<at id="?([^">]+)"?><\/at>/g, (_, id) => {
    ats.push(id);
    return `\u0000AT${ats.length - 1}\u0000`;
  });
  s = esc(s)
    .replace(/\\([\\*_~`[\]<>#|])/g, (_, c) => `&#${c.charCodeAt(0)};`)
    .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
    .replace(/^- (.*)$/gm, '• $1')
    .replace(/\n/g, '<br>');
  return s.replace(/\u0000AT(\d+)\u0000/g, (_, i) => `<span class="at">@${esc(names[ats[Number(i)]] ?? ats[Number(i)])}</span>`);
}

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'html') node.innerHTML = v;
    else if (k === 'text') node.textContent = v;
    else if (v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) node.append(c);
  return node;
}

const txt = (t) => (t && typeof t === 'object' ? t.content ?? '' : t ?? '');
const callbackValue = (b) => b.behaviors?.find((x) => x.type === 'callback')?.value ?? b.value;

export function renderCard(card, ctx) {
  const root = el('div', { class: 'card', 'data-testid': 'card' });
  const flags = checkLimits(card);
  for (const f of flags) root.append(el('div', { class: 'card-flag', 'data-testid': 'card-flag', text: `飞书会拒绝此卡片：${f}` }));
  if (card.header) {
    const h = el('div', { class: `card-header t-${card.header.template ?? 'blue'}` }, [el('div', { class: 'title', text: txt(card.header.title) })]);
    if (card.header.subtitle) h.append(el('div', { class: 'subtitle', text: txt(card.header.subtitle) }));
    root.append(h);
  }
  const body = el('div', { class: 'card-body' });
  for (const e of card.body?.elements ?? card.elements ?? []) body.append(renderElement(e, ctx, undefined));
  root.append(body);
  return root;
}

function renderElement(e, ctx, form) {
  switch (e.tag) {
    case 'markdown':
      return el('div', { class: 'el-markdown', html: markdownToHtml(e.content, ctx.names) });
    case 'div':
      return el('div', { class: 'el-div', text: txt(e.text) });
    case 'hr':
      return el('hr');
    case 'column_set':
      return el('div', { class: 'columns' }, (e.columns ?? []).map((c) => el('div', {}, (c.elements ?? []).map((x) => renderElement(x, ctx, form)))));
    case 'button': {
      const b = el('button', { class: `el-button ${e.type ?? 'default'}`, type: 'button', disabled: Boolean(e.disabled), 'data-name': e.name, text: txt(e.text) });
      b.addEventListener('click', () => {
        if (e.form_action_type === 'submit' && form) ctx.onAction(callbackValue(e) ?? {}, readForm(form), e.name);
        else if (e.form_action_type === 'reset' && form) form.reset();
        else ctx.onAction(callbackValue(e) ?? {}, undefined, e.name);
      });
      return b;
    }
    case 'form': {
      const f = el('form', { 'data-form': e.name });
      f.addEventListener('submit', (ev) => ev.preventDefault());
      for (const c of e.elements ?? []) f.append(renderElement(c, ctx, f));
      return f;
    }
    case 'input': {
      const label = e.label ? el('label', { text: txt(e.label) }) : undefined;
      const multi = e.input_type === 'multiline_text';
      const input = el(multi ? 'textarea' : 'input', { name: e.name, placeholder: txt(e.placeholder), maxlength: e.max_length, required: Boolean(e.required), rows: multi ? e.rows ?? 3 : undefined });
      input.value = e.default_value ?? '';
      return label ? el('div', {}, [label, input]) : input;
    }
    case 'select_static':
    case 'multi_select_static': {
      const sel = el('select', { name: e.name, multiple: e.tag === 'multi_select_static', 'data-multi': e.tag === 'multi_select_static' ? '1' : undefined });
      if (e.tag === 'select_static') sel.append(el('option', { value: '', text: txt(e.placeholder) || '请选择' }));
      for (const o of e.options ?? []) {
        const opt = el('option', { value: o.value, text: txt(o.text) });
        if (o.value === e.initial_option || (e.selected_values ?? []).includes(o.value)) opt.selected = true;
        sel.append(opt);
      }
      return sel;
    }
    case 'date_picker': {
      const d = el('input', { type: 'date', name: e.name });
      d.value = e.initial_date ?? '';
      return d;
    }
    case 'checker': {
      const box = el('input', { type: 'checkbox', name: e.name, 'data-checker': '1' });
      box.checked = Boolean(e.checked);
      return el('label', {}, [box, ` ${txt(e.text)}`]);
    }
    case 'table': {
      const cols = e.columns ?? [];
      return el('table', {}, [
        el('tr', {}, cols.map((c) => el('th', { text: c.display_name ?? c.name }))),
        ...(e.rows ?? []).map((r) => el('tr', {}, cols.map((c) => el('td', { html: markdownToHtml(r[c.name] ?? '', ctx.names) })))),
      ]);
    }
    case 'collapsible_panel': {
      const d = el('details', { open: Boolean(e.expanded) }, [el('summary', { text: txt(e.header?.title) })]);
      for (const x of e.elements ?? []) d.append(renderElement(x, ctx, form));
      return d;
    }
    case 'person_list':
      return el('div', { class: 'persons', text: (e.persons ?? []).map((p) => `@${ctx.names?.[p.id] ?? p.id}`).join('、') });
    default:
      console.warn('card renderer: unknown element', e.tag);
      return el('div', { class: 'unknown-element', 'data-testid': 'unknown-element', text: `[不支持的元素：${e.tag}]` });
  }
}

function readForm(form) {
  const out = {};
  for (const input of form.querySelectorAll('[name]')) {
    if (input.dataset.checker) out[input.name] = input.checked;
    else if (input.dataset.multi) out[input.name] = [...input.selectedOptions].map((o) => o.value);
    else if (input.value !== '') out[input.name] = input.value;
  }
  return out;
}

/** The limits Lark enforces (LARK.md §4), so an over-limit card is flagged here as Lark would reject it. */
export function checkLimits(card) {
  const flags = [];
  const size = new TextEncoder().encode(JSON.stringify(card)).length;
  if (size > 30 * 1024) flags.push(`超过 30 KB（${size} 字节）`);
  let count = 0;
  const walk = (els, depth) => {
    for (const e of els ?? []) {
      count += 1;
      if (e.tag === 'form' && depth > 0) flags.push('表单容器不在卡片根节点');
      if (['input', 'select_static', 'multi_select_static', 'date_picker', 'checker'].includes(e.tag) && !e.name) flags.push(`交互组件 ${e.tag} 缺少 name`);
      walk(e.elements, depth + 1);
      for (const c of e.columns ?? []) walk(c.elements, depth + 1);
    }
  };
  walk(card.body?.elements, 0);
  if (count > 200) flags.push(`元素超过 200 个（${count}）`);
  return flags;
}

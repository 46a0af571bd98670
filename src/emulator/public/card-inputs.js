// The interactive components of card JSON 2.0 (input, select_static, multi_select_static,
// date_picker, picker_time, picker_datetime, checker) drawn as Lark draws them, and how a form
// reads them into `form_value` the way Lark sends it: keyed by `name`, dates as "YYYY-MM-DD +0800",
// multi-selects as arrays, checkers as booleans; empty fields are left out.
import { el, txt } from './card-dom.js';

export const INPUT_TAGS = ['input', 'select_static', 'multi_select_static', 'date_picker', 'picker_time', 'picker_datetime', 'checker'];
const TZ = '+0800';

function labelled(e, control, extraClass = '') {
  const box = el('div', { class: `field field-${e.tag} ${extraClass}`.trim(), 'data-field': e.name ?? '', 'data-kind': e.tag });
  if (e.label) {
    const label = el('label', { class: 'field-label', text: txt(e.label) });
    if (e.required) label.append(el('span', { class: 'required-mark', text: '*' }));
    box.append(label);
  }
  box.append(control);
  box.append(el('div', { class: 'field-error', 'data-testid': 'field-error', hidden: true }));
  return box;
}

function textInput(e, ctx) {
  const multi = e.input_type === 'multiline_text';
  const input = el(multi ? 'textarea' : 'input', {
    class: 'el-input',
    name: e.name,
    type: multi ? undefined : e.input_type === 'password' ? 'password' : 'text',
    placeholder: txt(e.placeholder),
    maxlength: e.max_length,
    rows: multi ? e.rows ?? 3 : undefined,
    disabled: Boolean(e.disabled),
    'aria-required': e.required ? 'true' : undefined,
  });
  input.value = e.default_value ?? '';
  const box = labelled(e, input, multi ? 'multiline' : '');
  if (e.max_length) {
    const counter = el('span', { class: 'counter' });
    const update = () => (counter.textContent = `${[...input.value].length}/${e.max_length}`);
    input.addEventListener('input', update);
    update();
    box.insertBefore(counter, box.lastChild);
  }
  if (!ctx.form) {
    // Outside a form Lark calls back when the user presses Enter (or leaves the field changed).
    const send = () => ctx.act(e, { input_value: input.value });
    input.addEventListener('keydown', (ev) => ev.key === 'Enter' && !multi && send());
    input.addEventListener('change', send);
  }
  return box;
}

function selectStatic(e, ctx) {
  const sel = el('select', { class: 'el-select', name: e.name, disabled: Boolean(e.disabled) });
  sel.append(el('option', { value: '', text: txt(e.placeholder) || '请选择' }));
  for (const o of e.options ?? []) sel.append(el('option', { value: o.value, text: txt(o.text) }));
  sel.value = (e.options ?? []).some((o) => o.value === e.initial_option) ? e.initial_option : '';
  if (!ctx.form) sel.addEventListener('change', () => sel.value && ctx.act(e, { option: sel.value }));
  return labelled(e, sel);
}

/** A dropdown of checkable options with the chosen ones shown as tags, like Lark's multi-select. */
function multiSelect(e, ctx) {
  const chosen = new Set(e.selected_values ?? []);
  const summary = el('summary', { class: 'multi-summary' });
  const list = el('div', { class: 'multi-options' });
  const drawSummary = () => {
    summary.replaceChildren();
    const picked = (e.options ?? []).filter((o) => chosen.has(o.value));
    if (!picked.length) summary.append(el('span', { class: 'placeholder', text: txt(e.placeholder) || '请选择' }));
    for (const o of picked) summary.append(el('span', { class: 'chip', text: txt(o.text) }));
  };
  for (const o of e.options ?? []) {
    const box = el('input', { type: 'checkbox', value: o.value, disabled: Boolean(e.disabled) });
    box.checked = chosen.has(o.value);
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(o.value);
      else chosen.delete(o.value);
      drawSummary();
      if (!ctx.form) ctx.act(e, { options: [...chosen] });
    });
    list.append(el('label', { class: 'multi-option' }, [box, el('span', { text: txt(o.text) })]));
  }
  drawSummary();
  const details = el('details', { class: 'el-multi-select', 'data-name': e.name }, [summary, list]);
  return labelled(e, details);
}

function picker(e, ctx) {
  const type = { date_picker: 'date', picker_time: 'time', picker_datetime: 'datetime-local' }[e.tag];
  const input = el('input', { class: 'el-picker', type, name: e.name, disabled: Boolean(e.disabled), title: txt(e.placeholder) });
  const initial = e.initial_date ?? e.initial_time ?? e.initial_datetime ?? '';
  input.value = e.tag === 'picker_datetime' ? initial.replace(' ', 'T') : initial;
  if (!ctx.form) input.addEventListener('change', () => input.value && ctx.act(e, { option: pickerValue(e.tag, input.value) }));
  return labelled(e, input);
}

function pickerValue(tag, raw) {
  return `${tag === 'picker_datetime' ? raw.replace('T', ' ') : raw} ${TZ}`;
}

function checker(e, ctx) {
  const box = el('input', { type: 'checkbox', class: 'el-checker', name: e.name, disabled: Boolean(e.disabled) });
  box.checked = Boolean(e.checked);
  if (!ctx.form) box.addEventListener('change', () => ctx.act(e, { checked: box.checked }));
  const label = el('label', { class: 'checker-label' }, [box, el('span', { text: txt(e.text) })]);
  return labelled({ ...e, label: undefined }, label);
}

export function renderInput(e, ctx) {
  switch (e.tag) {
    case 'input':
      return textInput(e, ctx);
    case 'select_static':
      return selectStatic(e, ctx);
    case 'multi_select_static':
      return multiSelect(e, ctx);
    case 'checker':
      return checker(e, ctx);
    default:
      return picker(e, ctx);
  }
}

/** One field's value as Lark puts it in form_value, or undefined when empty. */
function fieldValue(box) {
  const kind = box.dataset.kind;
  if (kind === 'multi_select_static') return [...box.querySelectorAll('.multi-option input:checked')].map((i) => i.value);
  if (kind === 'checker') return box.querySelector('input').checked;
  const control = box.querySelector('input, textarea, select');
  const v = control?.value ?? '';
  if (v === '') return undefined;
  return kind === 'date_picker' || kind === 'picker_time' || kind === 'picker_datetime' ? pickerValue(kind, v) : v;
}

/**
 * Reads a form as Lark would submit it. Required fields left empty are marked the way Lark marks
 * them and the submit is refused client-side (returns `missing`), as Lark does before calling back.
 */
export function readForm(formNode, spec) {
  const required = new Set();
  const walk = (els) => {
    for (const c of els ?? []) {
      if (c.required && c.name) required.add(c.name);
      walk(c.elements);
      for (const col of c.columns ?? []) walk(col.elements);
    }
  };
  walk(spec.elements);
  const value = {};
  const missing = [];
  for (const box of formNode.querySelectorAll('[data-field]')) {
    const name = box.dataset.field;
    if (!name) continue;
    const v = fieldValue(box);
    const empty = v === undefined || (Array.isArray(v) && v.length === 0);
    const error = box.querySelector(':scope > .field-error');
    if (required.has(name) && empty) {
      missing.push(name);
      box.classList.add('invalid');
      if (error) {
        error.textContent = '此项为必填项';
        error.hidden = false;
      }
      continue;
    }
    box.classList.remove('invalid');
    if (error) error.hidden = true;
    if (v !== undefined) value[name] = v;
  }
  return { value, missing };
}

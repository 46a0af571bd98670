// The /申报 form card (new or edit): a form at the body root, every field named, the submit button's
// payload carrying the form key (new) or the submission id and version (edit). On a failed submit the
// same card comes back with what was typed and a red line under each bad field.
import type { FieldErrors, SubmissionFormValues } from '../src/domain/campaign/submission-form.js';
import { submissionLimits } from '../src/domain/campaign/submission-form.js';
import { isCalendarDate } from '../src/domain/campaign/china-time.js';
import { button, card, escapeMd, header, md, text } from './kit.js';
import type { ButtonElement, Card, CardElement, FormChild, SelectOption } from './types.js';

export interface SubmissionFormContextView {
  campaign: { code: string; name: string };
  directions: { key: string; label: string }[];
  units: { id: number; name: string }[];
  creatorOptions: { openId: string; name: string }[];
  window: { open: true; label: string; closesAt: string } | { open: false; message: string };
  /** e.g. 2021年1月1日至2022年12月31日 */
  achievementWindow?: string | undefined;
  creatorLimit?: { min: number; max: number } | undefined;
}

export type SubmissionFormMode =
  | { kind: 'create'; formKey: string; unitId?: number | undefined }
  | { kind: 'edit'; submissionId: number; version: number; trackingNo: string };

export interface SubmissionFormCardView {
  mode: SubmissionFormMode;
  form: SubmissionFormContextView;
  values: SubmissionFormValues;
  errors: FieldErrors;
}

const kindOptions: SelectOption[] = [
  { text: text('选题'), value: 'topic' },
  { text: text('成果'), value: 'achievement' },
];

/** One red line: an error under a field, or above the form for the submission as a whole. */
const red = (message: string): { tag: 'markdown'; content: string } => ({ tag: 'markdown', content: `<font color='red'>${escapeMd(message)}</font>` });
const label = (content: string): FormChild => ({ tag: 'markdown', content });

/** A select only shows values it offers; anything else (a forged value) is dropped rather than break the card. */
function offered(options: SelectOption[], value: string | undefined): string | undefined {
  return value !== undefined && options.some((o) => o.value === value) ? value : undefined;
}

function field(children: FormChild[], error: string | undefined): FormChild[] {
  return error ? [...children, red(error)] : children;
}

function textInput(name: keyof SubmissionFormValues, value: string | undefined, opts: { placeholder: string; max: number; multiline?: boolean; required?: boolean }): FormChild {
  const input: FormChild = { tag: 'input', name, placeholder: text(opts.placeholder), max_length: Math.min(opts.max, 1000) };
  if (opts.required) input.required = true;
  if (opts.multiline) Object.assign(input, { input_type: 'multiline_text', rows: 4 });
  if (value) input.default_value = value;
  return input;
}

/** Selects here are all required: Lark then asks for them before sending the form. */
function select(name: string, options: SelectOption[], value: string | undefined, placeholder: string): FormChild {
  const el: FormChild = { tag: 'select_static', name, required: true, placeholder: text(placeholder), options };
  const initial = offered(options, value);
  if (initial) el.initial_option = initial;
  return el;
}

export function submissionFormCard(v: SubmissionFormCardView): Card {
  const { form, values, errors, mode } = v;
  const head =
    mode.kind === 'create'
      ? header(`申报 · ${form.campaign.name}`, 'blue', form.window.open ? `${form.window.label}进行中，${form.window.closesAt}截止` : '当前不在申报时间内')
      : header(`修改申报 ${mode.trackingNo}`, 'orange', form.window.open ? `${form.window.closesAt}前可修改` : '当前不在申报时间内');

  const chooseUnit = mode.kind === 'create' && form.units.length > 1;
  const general = [form.window.open ? undefined : form.window.message, errors.form, chooseUnit ? undefined : errors.unit];
  const top: CardElement[] = [...new Set(general.filter((m) => m !== undefined))].map(red);
  if (!chooseUnit && form.units[0]) top.push(md(`**申报单位**：${escapeMd(form.units[0].name)}`));

  const unitOptions = form.units.map((u) => ({ text: text(u.name), value: String(u.id) }));
  const directionOptions = form.directions.map((d) => ({ text: text(d.label), value: d.key }));
  const creatorOptions = form.creatorOptions.map((p) => ({ text: text(p.name), value: p.openId }));
  const limit = form.creatorLimit ? `${form.creatorLimit.min}至${form.creatorLimit.max}名，` : '';
  const windowHint = form.achievementWindow ? `，应在${form.achievementWindow}之间` : '';
  const date = values.achievedOn && isCalendarDate(values.achievedOn.slice(0, 10)) ? values.achievedOn.slice(0, 10) : undefined;
  const picker: FormChild = { tag: 'date_picker', name: 'achievedOn', placeholder: text('选择日期') };
  if (date) picker.initial_date = date;
  const creators: FormChild = { tag: 'multi_select_static', name: 'mainCreators', placeholder: text('选择主创人'), options: creatorOptions };
  const selected = (values.mainCreators ?? []).filter((id) => creatorOptions.some((o) => o.value === id));
  if (selected.length) creators.selected_values = selected;

  const submitPayload =
    mode.kind === 'create'
      ? { v: 1 as const, a: 'submission.create' as const, c: form.campaign.code, k: mode.formKey, ...(mode.unitId !== undefined ? { u: mode.unitId } : {}) }
      : { v: 1 as const, a: 'submission.save' as const, id: mode.submissionId, ver: mode.version };
  const submit: ButtonElement = { ...button(mode.kind === 'create' ? '提交申报' : '保存修改', submitPayload, { name: 'submit', type: 'primary' }), form_action_type: 'submit' };

  const elements: FormChild[] = [
    ...(chooseUnit ? field([label('**申报单位**'), select('unit', unitOptions, values.unit, '选择申报单位')], errors.unit) : []),
    ...field([label('**申报类别**'), select('kind', kindOptions, values.kind, '选题或成果')], errors.kind),
    ...field([label(`**标题**（${submissionLimits.title}字以内）`), textInput('title', values.title, { placeholder: '一句话概括这项制度创新', max: submissionLimits.title, required: true })], errors.title),
    ...(directionOptions.length ? field([label('**重点方向**'), select('direction', directionOptions, values.direction, '选择重点方向')], errors.direction) : []),
    ...field([label('**解决的问题**'), textInput('problem', values.problem, { placeholder: '针对什么体制机制障碍，过去办不成、办不好的是什么', max: submissionLimits.text, multiline: true, required: true })], errors.problem),
    ...field([label('**创新之处**'), textInput('innovation', values.innovation, { placeholder: '制度、规范、措施办法上有什么新做法', max: submissionLimits.text, multiline: true, required: true })], errors.innovation),
    ...field([label('**取得的成效**（成果必填）'), textInput('effect', values.effect, { placeholder: '已经取得的实际效果、群众和企业获得感', max: submissionLimits.text, multiline: true })], errors.effect),
    ...field([label(`**主创人**（${limit}须为本单位人员）`), creators], errors.mainCreators),
    ...field([label('**团队成员**'), textInput('team', values.team, { placeholder: '姓名、单位、职务，用顿号分开', max: submissionLimits.team })], errors.team),
    ...field([label(`**成果形成时间**（成果填写${windowHint}）`), picker], errors.achievedOn),
    ...field([label('**佐证材料链接**（可填多个，用空格分开）'), textInput('evidence', values.evidence, { placeholder: 'https://…', max: submissionLimits.evidence })], errors.evidence),
    submit,
  ];
  if (mode.kind === 'edit') elements.push(button('取消修改', { v: 1, a: 'submission.view', id: mode.submissionId }, { name: 'cancel' }));
  return card(head, [...top, { tag: 'form', name: 'submission_form', elements }]);
}

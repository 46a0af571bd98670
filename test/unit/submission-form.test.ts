import { describe, expect, it } from 'vitest';
import {
  achievementWindowText,
  eligibilityFacts,
  eligibilityField,
  formValuesOf,
  storedFields,
  windowView,
  normalizeDate,
  parseSubmissionForm,
  readFormValues,
  splitLinks,
  submissionWindow,
  type SubmissionFormValues,
} from '../../src/domain/campaign/submission-form.js';
import { templates } from '../../src/domain/campaign/templates/index.js';

const rules = { directionKeys: ['livelihood', 'other'], chooseUnit: false };
const good: SubmissionFormValues = {
  kind: 'topic',
  title: '“一网通办”企业开办一日办结',
  direction: 'livelihood',
  problem: '企业开办要跑多个部门',
  innovation: '一窗受理、并联审批',
  mainCreators: ['ou_li'],
};

function errorsOf(values: SubmissionFormValues, r = rules) {
  const parsed = parseSubmissionForm(values, r);
  if (parsed.ok) throw new Error('expected the form to be refused');
  return parsed.errors;
}

describe('submission form', () => {
  it('accepts a complete topic and trims what was typed', () => {
    const parsed = parseSubmissionForm({ ...good, title: `  ${good.title} `, evidence: 'https://a.example.cn/1 https://b.example.cn/2' }, rules);
    expect(parsed).toEqual({
      ok: true,
      value: {
        unitId: undefined,
        kind: 'topic',
        title: good.title,
        direction: 'livelihood',
        problem: good.problem,
        innovation: good.innovation,
        effect: undefined,
        mainCreators: ['ou_li'],
        team: undefined,
        achievedOn: undefined,
        evidence: ['https://a.example.cn/1', 'https://b.example.cn/2'],
      },
    });
  });

  it('names every missing field in Chinese', () => {
    const errors = errorsOf({});
    expect(errors).toEqual({
      kind: '请选择申报类别：选题或成果。',
      title: '请填写标题。',
      direction: '请选择重点方向。',
      problem: '请填写解决的问题。',
      innovation: '请填写创新之处。',
    });
  });

  it('refuses oversized fields with the actual length', () => {
    const errors = errorsOf({ ...good, title: '标'.repeat(101), problem: '问'.repeat(2001), team: '人'.repeat(501) });
    expect(errors.title).toBe('标题不能超过100字，目前101字，请精简后再提交。');
    expect(errors.problem).toBe('解决的问题不能超过2000字，目前2001字，请精简后再提交。');
    expect(errors.team).toContain('不能超过500字');
    expect(Object.keys(errors).sort()).toEqual(['problem', 'team', 'title']);
  });

  it('counts characters, not UTF-16 units: 100 characters outside the BMP are fine', () => {
    expect(parseSubmissionForm({ ...good, title: '𠀀'.repeat(100) }, rules).ok).toBe(true);
  });

  it('refuses a direction that is not one of the campaign\'s, and a kind that is not offered', () => {
    const errors = errorsOf({ ...good, direction: 'mars', kind: 'declaration' });
    expect(errors.direction).toBe('请从列表中选择重点方向。');
    expect(errors.kind).toBe('请选择申报类别：选题或成果。');
  });

  it('refuses a bad date and accepts the picker\'s "2022-06-30 +0800"', () => {
    expect(errorsOf({ ...good, achievedOn: '2022-02-30' }).achievedOn).toBe('成果形成时间格式不对，请按 2022-06-30 的格式选择日期。');
    expect(errorsOf({ ...good, achievedOn: '去年' }).achievedOn).toContain('格式不对');
    const parsed = parseSubmissionForm({ ...good, achievedOn: '2022-06-30 +0800' }, rules);
    expect(parsed.ok && parsed.value.achievedOn).toBe('2022-06-30');
  });

  it('requires the effect for an achievement', () => {
    expect(errorsOf({ ...good, kind: 'achievement' }).effect).toBe('成果类申报请填写取得的成效（经得起实践检验）。');
  });

  it('refuses links that are not http(s) and too many links', () => {
    expect(errorsOf({ ...good, evidence: 'https://ok.example.cn javascript:alert(1)' }).evidence).toContain('“javascript:alert(1)”不是有效链接');
    expect(errorsOf({ ...good, evidence: 'ftp://files.example.cn/a' }).evidence).toContain('不是有效链接');
    const many = Array.from({ length: 11 }, (_, i) => `https://e.example.cn/${i}`).join('\n');
    expect(errorsOf({ ...good, evidence: many }).evidence).toBe('佐证材料链接最多10个，目前11个。');
  });

  it('requires a unit choice when the person is in several units', () => {
    const several = { ...rules, chooseUnit: true };
    expect(errorsOf(good, several).unit).toBe('请选择申报单位。');
    expect(errorsOf({ ...good, unit: 'x1' }, several).unit).toBe('请从列表中选择申报单位。');
    const parsed = parseSubmissionForm({ ...good, unit: '7' }, several);
    expect(parsed.ok && parsed.value.unitId).toBe(7);
  });

  it('refuses main creators that are not open ids from the list, and dedupes repeats', () => {
    expect(errorsOf({ ...good, mainCreators: ['<script>'] }).mainCreators).toBe('请从列表中选择主创人。');
    const parsed = parseSubmissionForm({ ...good, mainCreators: ['ou_a', 'ou_a', 'ou_b'] }, rules);
    expect(parsed.ok && parsed.value.mainCreators).toEqual(['ou_a', 'ou_b']);
  });

  it('reads Lark form values defensively and caps what it echoes', () => {
    const values = readFormValues({ title: 'x'.repeat(5000), kind: 'topic', mainCreators: ['ou_a', 3, 'ou_b'], evil: { a: 1 }, team: 42, problem: '' });
    expect(values.title).toHaveLength(2010);
    expect(values).toMatchObject({ kind: 'topic', mainCreators: ['ou_a', 'ou_b'], team: '42' });
    expect(values).not.toHaveProperty('evil');
    expect(values).not.toHaveProperty('problem');
    expect(readFormValues(undefined)).toEqual({});
    expect(readFormValues({ mainCreators: 'ou_single' }).mainCreators).toEqual(['ou_single']);
  });

  it('helpers: dates, links, eligibility fields', () => {
    expect(normalizeDate(' 2022-06-30 +08:00 ')).toBe('2022-06-30');
    expect(splitLinks('https://a.cn，https://b.cn；\nhttps://c.cn')).toEqual(['https://a.cn', 'https://b.cn', 'https://c.cn']);
    expect(eligibilityField('too_many_main_creators')).toBe('mainCreators');
    expect(eligibilityField('achievement_outside_window')).toBe('achievedOn');
    expect(eligibilityField('county_party_or_government')).toBe('unit');
    expect(eligibilityField('phase_not_open')).toBe('form');
  });
});

describe('submission window', () => {
  const ln = templates['liaoning-2022'].phases;
  const cq = templates['chongqing-2022'].phases;
  const at = (s: string) => new Date(s);

  it('Liaoning has only a topic phase: it takes both kinds while open', () => {
    expect(submissionWindow(ln, at('2022-09-10T10:00:00+08:00'), 'topic').ok).toBe(true);
    expect(submissionWindow(ln, at('2022-09-10T10:00:00+08:00'), 'achievement').ok).toBe(true);
  });

  it('says when it opens and when it closed', () => {
    const early = submissionWindow(ln, at('2022-08-01T10:00:00+08:00'), 'topic');
    expect(early.ok || early.message).toBe('选题申报尚未开始，“选题申报”将于2022年9月1日 00:00开放，请届时再提交。');
    const late = submissionWindow(ln, at('2022-10-16T00:00:00+08:00'), 'achievement');
    expect(late.ok || late.message).toBe('申报已于2022年10月15日 23:59截止，不能再提交。如有特殊情况，请联系办公室。');
  });

  it('a campaign with a phase for the kind uses that phase', () => {
    expect(submissionWindow(cq, at('2022-08-01T10:00:00+08:00'), 'achievement').ok).toBe(true);
    expect(submissionWindow(cq, at('2023-03-01T10:00:00+08:00'), 'achievement').ok).toBe(false);
  });
});

describe('stored fields and the edit form', () => {
  it('stores only what was filled, links one per line, and reads back into the same form values', () => {
    const parsed = parseSubmissionForm({ ...good, team: '王芳', evidence: 'https://a.example.cn https://b.example.cn' }, rules);
    if (!parsed.ok) throw new Error('expected a valid form');
    const fields = storedFields(parsed.value);
    expect(fields).toEqual({ problem: good.problem, innovation: good.innovation, team: '王芳', evidence: 'https://a.example.cn\nhttps://b.example.cn' });
    const values = formValuesOf({ kind: 'topic', title: good.title!, direction: 'livelihood', fields, mainCreators: [{ openId: 'ou_li' }] });
    expect(values).toEqual({ kind: 'topic', title: good.title, direction: 'livelihood', problem: good.problem, innovation: good.innovation, team: '王芳', evidence: 'https://a.example.cn\nhttps://b.example.cn', mainCreators: ['ou_li'] });
    // What the edit form sends back unchanged validates to the same stored fields.
    const again = parseSubmissionForm(values, rules);
    expect(again.ok && storedFields(again.value)).toEqual(fields);
  });

  it('reads eligibility facts even when other fields are wrong', () => {
    expect(eligibilityFacts({ kind: 'achievement', mainCreators: ['ou_a', 'ou_a', 'ou_b'], achievedOn: '2020-01-01 +0800' })).toEqual({
      kind: 'achievement',
      mainCreators: ['ou_a', 'ou_b'],
      achievedOn: '2020-01-01',
    });
    expect(eligibilityFacts({ kind: 'nonsense' })).toBeUndefined();
  });

  it('window and achievement window as the form shows them', () => {
    const t = templates['liaoning-2022'];
    expect(windowView(t.phases, new Date('2022-09-10T10:00:00+08:00'))).toEqual({ open: true, label: '选题申报', closesAt: '2022年10月15日 23:59' });
    expect(windowView(t.phases, new Date('2023-01-10T10:00:00+08:00'))).toMatchObject({ open: false });
    expect(achievementWindowText(t)).toBe('2021年1月1日至2022年12月31日');
    expect(achievementWindowText({ achievementWindow: undefined })).toBeUndefined();
  });
});

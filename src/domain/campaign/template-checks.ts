// Cross-field rules for a campaign template: what a field-by-field schema cannot see. Messages are for the office.
import type { z } from 'zod';
import type { templateShape } from './template.js';

type TemplateShape = z.infer<typeof templateShape>;
export interface TemplateProblem {
  path: (string | number)[];
  message: string;
}

function duplicateKeys(items: readonly { key: string }[], field: string, what: string): TemplateProblem[] {
  const seen = new Set<string>();
  const problems: TemplateProblem[] = [];
  items.forEach((item, i) => {
    if (seen.has(item.key)) problems.push({ path: [field, i, 'key'], message: `${what}的标识“${item.key}”重复了，每项的标识必须不同` });
    seen.add(item.key);
  });
  return problems;
}

function phaseProblems(t: TemplateShape): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  t.phases.forEach((phase, i) => {
    if (Date.parse(phase.closesAt) <= Date.parse(phase.opensAt)) {
      problems.push({ path: ['phases', i, 'closesAt'], message: `阶段“${phase.label}”的截止时间必须晚于开始时间` });
    }
    const previous = i > 0 ? t.phases[i - 1] : undefined;
    if (previous && Date.parse(phase.opensAt) < Date.parse(previous.closesAt)) {
      problems.push({
        path: ['phases', i, 'opensAt'],
        message: `阶段“${phase.label}”必须在上一阶段“${previous.label}”截止之后开始：阶段要按时间先后排列，不能重叠`,
      });
    }
  });
  if (!t.phases.some((p) => p.submissionKind !== undefined)) {
    problems.push({ path: ['phases'], message: '至少要有一个接受单位申报的阶段' });
  }
  return problems.concat(duplicateKeys(t.phases, 'phases', '阶段'));
}

function measureProblems(t: TemplateShape): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  (t.measures ?? []).forEach((m, i) => {
    if (m.number !== i + 1) {
      problems.push({ path: ['measures', i, 'number'], message: `第${i + 1}项激励措施的序号应为${i + 1}，现为${m.number}：序号要从1开始连续编排` });
    }
    const both = m.leadUnits.filter((u) => m.cooperatingUnits.includes(u));
    if (both.length > 0) {
      problems.push({ path: ['measures', i, 'cooperatingUnits'], message: `第${m.number}项激励措施中，${both.join('、')}不能既是牵头单位又是配合单位` });
    }
  });
  return problems;
}

function kindProblems(t: TemplateShape): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (t.kind === 'evaluation') {
    const required: [keyof TemplateShape, string][] = [
      ['directions', '重点方向'],
      ['criteria', '评价标准'],
      ['achievementWindow', '成果形成时间范围'],
      ['mainCreators', '主创人人数'],
      ['prizes', '奖项与奖金'],
    ];
    for (const [field, label] of required) {
      if (t[field] === undefined) problems.push({ path: [field], message: `评价奖励类活动必须设置${label}` });
    }
  }
  if (t.kind === 'supervision_incentive' && (t.measures ?? []).length === 0) {
    problems.push({ path: ['measures'], message: '督查激励类活动必须列出激励措施' });
  }
  return problems;
}

/** Every cross-field problem in a template that passed the field-by-field schema; empty when it is sound. */
export function templateProblems(t: TemplateShape): TemplateProblem[] {
  const problems: TemplateProblem[] = [...kindProblems(t), ...phaseProblems(t), ...measureProblems(t)];
  if (t.directions) {
    problems.push(...duplicateKeys(t.directions, 'directions', '重点方向'));
    if (!t.directions.some((d) => d.key === 'other' && d.label === '其他')) {
      problems.push({ path: ['directions'], message: '重点方向必须包含“其他”一项（标识为 other）' });
    }
  }
  if (t.criteria) {
    problems.push(...duplicateKeys(t.criteria, 'criteria', '评价标准'));
    t.criteria.forEach((c, i) => {
      if (c.scale.max <= c.scale.min) {
        problems.push({ path: ['criteria', i, 'scale'], message: `评价标准“${c.label}”的最高分必须大于最低分` });
      }
    });
  }
  if (t.achievementWindow && t.achievementWindow.from > t.achievementWindow.to) {
    problems.push({ path: ['achievementWindow'], message: '成果形成时间范围的起始日期不能晚于结束日期' });
  }
  if (t.mainCreators && t.mainCreators.max < t.mainCreators.min) {
    problems.push({ path: ['mainCreators', 'max'], message: '主创人人数上限不能小于下限' });
  }
  if (t.prizes) problems.push(...duplicateKeys(t.prizes.tiers, 'prizes', '奖项'));
  return problems;
}

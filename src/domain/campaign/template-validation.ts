// Validates a template and explains every problem in Chinese, with the field it sits in.
import { z } from 'zod';
import { campaignTemplateSchema, type CampaignTemplate } from './template.js';
import { fail, ok, type Result } from './result.js';

const fieldLabels: Record<string, string> = {
  code: '活动代码',
  name: '名称',
  year: '年度',
  kind: '活动类型',
  source: '文件来源',
  title: '标题',
  directions: '重点方向',
  criteria: '评价标准',
  phases: '阶段',
  quotas: '申报名额',
  achievementWindow: '成果形成时间范围',
  mainCreators: '主创人人数',
  prizes: '奖励',
  tiers: '奖项',
  eligibility: '申报条件',
  applicantUnitTypes: '可申报单位类型',
  measures: '激励措施',
  leadUnits: '牵头单位',
  cooperatingUnits: '配合单位',
  recipients: '激励对象',
  rewardSummary: '激励内容',
  key: '标识',
  label: '名称',
  description: '说明',
  weight: '权重',
  scale: '分值范围',
  opensAt: '开始时间',
  closesAt: '截止时间',
  cap: '数量上限',
  from: '起始日期',
  to: '结束日期',
  min: '下限',
  max: '上限',
  amountYuan: '奖金',
  county: '县区',
  park: '园区',
  department: '市直部门',
  organisation: '人民团体',
};

function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `第${part + 1}项` : (fieldLabels[String(part)] ?? String(part))))
    .join(' ');
}

/** One line per problem: "阶段 第2项 开始时间：……". */
export function describeTemplateIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => (issue.path.length > 0 ? `${describePath(issue.path)}：${issue.message}` : issue.message));
}

const chineseErrors = z.locales.zhCN().localeError;

/** Parses anything into a sound template, or explains in Chinese why it is not one. */
export function validateTemplate(input: unknown): Result<CampaignTemplate, 'invalid_template'> {
  const parsed = campaignTemplateSchema.safeParse(input, { error: chineseErrors });
  if (parsed.success) return ok(parsed.data);
  return fail('invalid_template', `活动模板有误：\n${describeTemplateIssues(parsed.error.issues).join('\n')}`);
}

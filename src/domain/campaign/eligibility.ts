// Who may hand in what (seed 000 §四.2, §五). Each failure says, in Chinese, exactly what to change.
import { formatChineseDate, isCalendarDate } from './china-time.js';
import type { CampaignTemplate, SubmissionKind } from './template.js';
import { unitTypeLabels, type UnitType } from './unit-types.js';

export interface EligibilityInput {
  unit: { type: UnitType; viceDepartmentLevel: boolean; countyPartyOrGovernment: boolean };
  /** When the achievement was formed, as 2022-06-30. Required for achievements when the template has a window. */
  achievementDate?: string | undefined;
  mainCreatorCount: number;
  kind: SubmissionKind;
  phaseOpen: boolean;
}

export type EligibilityCode =
  | 'phase_not_open'
  | 'unit_type_not_eligible'
  | 'vice_department_level_unit'
  | 'county_party_or_government'
  | 'too_few_main_creators'
  | 'too_many_main_creators'
  | 'achievement_date_missing'
  | 'achievement_date_invalid'
  | 'achievement_outside_window';

export interface EligibilityFailure {
  code: EligibilityCode;
  message: string;
}

type Rules = Pick<CampaignTemplate, 'eligibility' | 'mainCreators' | 'achievementWindow'>;

function unitFailures(unit: EligibilityInput['unit'], rules: Rules): EligibilityFailure[] {
  const failures: EligibilityFailure[] = [];
  const allowed = rules.eligibility.applicantUnitTypes;
  if (!allowed.includes(unit.type)) {
    const names = allowed.map((t) => unitTypeLabels[t]).join('、');
    failures.push({
      code: 'unit_type_not_eligible',
      message: `本次活动只受理${names}的申报，${unitTypeLabels[unit.type]}不能作为申报单位。请由符合条件的单位申报，或联系办公室核对单位类型。`,
    });
  }
  if (rules.eligibility.excludeViceDepartmentLevel && unit.viceDepartmentLevel) {
    failures.push({
      code: 'vice_department_level_unit',
      message: '副厅级或相当于副厅级以上单位不能作为申报主体。请改由下属的非副厅级单位申报，主创人也不能是副厅级以上干部。',
    });
  }
  if (rules.eligibility.excludeCountyPartyOrGovernment && unit.countyPartyOrGovernment) {
    failures.push({
      code: 'county_party_or_government',
      message: '县级以上党委或政府不能作为申报主体。请改由具体承担这项工作的部门或单位作为申报单位。',
    });
  }
  return failures;
}

function creatorFailures(count: number, rules: Rules): EligibilityFailure[] {
  const limits = rules.mainCreators;
  if (!limits) return [];
  if (count < limits.min) {
    return [{ code: 'too_few_main_creators', message: `至少要填写${limits.min}名主创人，目前填写了${count}名。请补充主创人。` }];
  }
  if (count > limits.max) {
    return [
      {
        code: 'too_many_main_creators',
        message: `主创人最多${limits.max}名，目前填写了${count}名。请只保留${limits.max}名主创人，其余人员改列为团队成员。`,
      },
    ];
  }
  return [];
}

function dateFailures(input: EligibilityInput, rules: Rules): EligibilityFailure[] {
  const window = rules.achievementWindow;
  if (!window || input.kind !== 'achievement') return [];
  const range = `${formatChineseDate(window.from)}至${formatChineseDate(window.to)}`;
  const date = input.achievementDate?.trim();
  if (!date) {
    return [{ code: 'achievement_date_missing', message: `请填写成果形成时间（应在${range}之间），格式如 2022-06-30。` }];
  }
  if (!isCalendarDate(date)) {
    return [{ code: 'achievement_date_invalid', message: `成果形成时间“${date}”无法识别，请按 2022-06-30 的格式填写。` }];
  }
  if (date < window.from || date > window.to) {
    return [
      {
        code: 'achievement_outside_window',
        message: `成果形成时间为${formatChineseDate(date)}，不在${range}之间。本次只受理这期间形成的成果，请核对时间，或改报这期间形成的成果。`,
      },
    ];
  }
  return [];
}

/**
 * Every reason a unit may not hand in this item now; empty when it may. The achievement window applies to
 * achievements only: a topic is work still to be done.
 */
export function checkEligibility(input: EligibilityInput, template: Rules): EligibilityFailure[] {
  const failures: EligibilityFailure[] = [];
  if (!input.phaseOpen) {
    failures.push({ code: 'phase_not_open', message: '现在不在申报时间内，暂时不能提交。请在申报阶段开放后再提交，或联系办公室。' });
  }
  return failures.concat(
    unitFailures(input.unit, template),
    creatorFailures(input.mainCreatorCount, template),
    dateFailures(input, template),
  );
}

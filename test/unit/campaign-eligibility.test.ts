import { describe, expect, it } from 'vitest';
import { checkEligibility, type EligibilityInput } from '../../src/domain/campaign/eligibility.js';
import { templates } from '../../src/domain/campaign/templates/index.js';

const ln = templates['liaoning-2022'];
const cq = templates['chongqing-2022'];

const eligible: EligibilityInput = {
  unit: { type: 'county', viceDepartmentLevel: false, countyPartyOrGovernment: false },
  achievementDate: '2022-06-30',
  mainCreatorCount: 1,
  kind: 'achievement',
  phaseOpen: true,
};

const codes = (input: EligibilityInput, template = ln): string[] => checkEligibility(input, template).map((f) => f.code);

describe('checkEligibility (Liaoning rules)', () => {
  it('passes an eligible unit with one main creator and an achievement formed in 2022', () => {
    expect(checkEligibility(eligible, ln)).toEqual([]);
    expect(checkEligibility({ ...eligible, mainCreatorCount: 2 }, ln)).toEqual([]);
  });

  it.each<[string, Partial<EligibilityInput>, string, string]>([
    ['the phase is closed', { phaseOpen: false }, 'phase_not_open', '不在申报时间内'],
    ['a vice-department-level unit', { unit: { ...eligible.unit, viceDepartmentLevel: true } }, 'vice_department_level_unit', '请改由下属的非副厅级单位申报'],
    ['a county party committee or government', { unit: { ...eligible.unit, countyPartyOrGovernment: true } }, 'county_party_or_government', '请改由具体承担这项工作的部门或单位'],
    ['no main creator', { mainCreatorCount: 0 }, 'too_few_main_creators', '至少要填写1名主创人，目前填写了0名'],
    ['three main creators', { mainCreatorCount: 3 }, 'too_many_main_creators', '请只保留2名主创人，其余人员改列为团队成员'],
    ['no achievement date', { achievementDate: undefined }, 'achievement_date_missing', '应在2021年1月1日至2022年12月31日之间'],
    ['an unreadable date', { achievementDate: '2022年6月' }, 'achievement_date_invalid', '请按 2022-06-30 的格式填写'],
    ['an impossible date', { achievementDate: '2022-02-30' }, 'achievement_date_invalid', '“2022-02-30”无法识别'],
    ['an achievement from 2020', { achievementDate: '2020-12-31' }, 'achievement_outside_window', '成果形成时间为2020年12月31日，不在2021年1月1日至2022年12月31日之间'],
    ['an achievement from 2023', { achievementDate: '2023-01-01' }, 'achievement_outside_window', '请核对时间'],
  ])('fails for %s with a message that says what to fix', (_name, change, code, message) => {
    const failures = checkEligibility({ ...eligible, ...change }, ln);
    expect(failures.map((f) => f.code)).toEqual([code]);
    expect(failures[0]?.message).toContain(message);
  });

  it.each([
    ['2021-01-01', []],
    ['2022-12-31', []],
  ])('treats the window ends as inside (%s)', (date, expected) => {
    expect(codes({ ...eligible, achievementDate: date })).toEqual(expected);
  });

  it('does not apply the achievement window to a topic', () => {
    expect(codes({ ...eligible, kind: 'topic', achievementDate: undefined })).toEqual([]);
  });

  it('reports every failure at once, in a stable order', () => {
    expect(
      codes({
        unit: { type: 'department', viceDepartmentLevel: true, countyPartyOrGovernment: true },
        mainCreatorCount: 3,
        kind: 'achievement',
        phaseOpen: false,
      }),
    ).toEqual(['phase_not_open', 'vice_department_level_unit', 'county_party_or_government', 'too_many_main_creators', 'achievement_date_missing']);
  });
});

describe('checkEligibility (Chongqing rules)', () => {
  it('lets a district government declare, with no main creators and no date window', () => {
    const district: EligibilityInput = {
      unit: { type: 'county', viceDepartmentLevel: false, countyPartyOrGovernment: true },
      mainCreatorCount: 0,
      kind: 'achievement',
      phaseOpen: true,
    };
    expect(codes(district, cq)).toEqual([]);
  });

  it('turns away a city department, naming who may declare', () => {
    const failures = checkEligibility({ ...eligible, unit: { ...eligible.unit, type: 'department' } }, cq);
    expect(failures.map((f) => f.code)).toEqual(['unit_type_not_eligible']);
    expect(failures[0]?.message).toContain('本次活动只受理县区、园区的申报，市直部门不能作为申报单位');
  });
});

// The kinds of unit that take part in a campaign (seed 000 §四.2), with their Chinese labels.
import type { ActorUnit } from '../roles.js';

export type UnitType = ActorUnit['unitType'];

export const unitTypes = ['county', 'park', 'department', 'organisation'] as const satisfies readonly UnitType[];

export const unitTypeLabels: Record<UnitType, string> = {
  county: '县区',
  park: '园区',
  department: '市直部门',
  organisation: '人民团体',
};

// Who may do what. Deny by default: a command names the roles allowed; 'public' is everyone.
export const roles = ['admin', 'liaison', 'member', 'reviewer', 'leader', 'public'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  admin: '办公室管理员',
  liaison: '单位联络人',
  member: '单位成员',
  reviewer: '评审专家',
  leader: '领导',
  public: '公众',
};

export interface ActorUnit {
  unitId: number;
  unitName: string;
  unitType: 'county' | 'park' | 'department' | 'organisation';
  role: 'liaison' | 'member';
}

/** The person behind an inbound update, with every role they hold. */
export interface Actor {
  openId: string;
  name: string | undefined;
  roles: Role[];
  units: ActorUnit[];
}

export function isAllowed(actor: Pick<Actor, 'roles'>, allowed: readonly Role[]): boolean {
  return allowed.some((r) => actor.roles.includes(r));
}

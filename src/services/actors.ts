// Who is behind an inbound update: the users table, the global roles and the unit memberships.
import { and, asc, eq, sql } from 'drizzle-orm';
import { type globalRole, unitMembers, units, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { roles, type Actor, type Role } from '../domain/roles.js';
import { recordAudit } from './audit.js';

export type GlobalRole = (typeof globalRole.enumValues)[number];

export interface UserSighting {
  openId: string;
  /** Lark does not always send a name; a missing or blank one never erases a known name. */
  name?: string | undefined;
  at: Date;
}

/** Records that a user exists; stores their name when a new non-empty one is given. */
export async function upsertUser(db: Db, input: UserSighting): Promise<void> {
  const name = input.name?.trim() || undefined;
  const insert = db.insert(users).values({ openId: input.openId, name: name ?? null, createdAt: input.at, updatedAt: input.at });
  if (name === undefined) {
    await insert.onConflictDoNothing({ target: users.openId });
    return;
  }
  await insert.onConflictDoUpdate({
    target: users.openId,
    set: { name, updatedAt: input.at },
    // An unchanged name is not an update: leave updated_at alone.
    setWhere: sql`${users.name} is distinct from excluded.name`,
  });
}

/**
 * Every role the user holds: 'public' always; 'admin' from configuration or user_roles;
 * 'reviewer' and 'leader' from user_roles; 'liaison' and 'member' from unit memberships.
 * Roles come back deduplicated, in the order of `roles`; units in unit id order.
 */
export async function resolveActor(db: Db, openId: string, adminOpenIds: readonly string[]): Promise<Actor> {
  const [userRows, globalRows, unitRows] = await Promise.all([
    db.select({ name: users.name }).from(users).where(eq(users.openId, openId)),
    db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userOpenId, openId)),
    db
      .select({ unitId: units.id, unitName: units.name, unitType: units.type, role: unitMembers.role })
      .from(unitMembers)
      .innerJoin(units, eq(units.id, unitMembers.unitId))
      .where(eq(unitMembers.userOpenId, openId))
      .orderBy(asc(units.id)),
  ]);

  const held = new Set<Role>(['public']);
  if (adminOpenIds.includes(openId)) held.add('admin');
  for (const row of globalRows) held.add(row.role);
  for (const row of unitRows) held.add(row.role);

  return {
    openId,
    name: userRows[0]?.name ?? undefined,
    roles: roles.filter((role) => held.has(role)),
    units: unitRows,
  };
}

export interface RoleGrant {
  openId: string;
  role: GlobalRole;
  at: Date;
  /** Who granted it; null when the system did (e.g. a bootstrap step). */
  actorOpenId: string | null;
}

/** Grants a global role. Idempotent: returns false, and audits nothing, when the user already has it. */
export async function grantRole(db: Db, grant: RoleGrant): Promise<boolean> {
  // Its own (nested) transaction, so a grant never lands without its audit row.
  return db.transaction(async (tx) => {
    await upsertUser(tx, { openId: grant.openId, at: grant.at });
    const granted = await tx
      .insert(userRoles)
      .values({ userOpenId: grant.openId, role: grant.role, grantedAt: grant.at })
      .onConflictDoNothing({ target: [userRoles.userOpenId, userRoles.role] })
      .returning({ role: userRoles.role });
    if (granted.length === 0) return false;
    await recordAudit(tx, {
      at: grant.at,
      actorOpenId: grant.actorOpenId,
      action: 'role.grant',
      entityType: 'user',
      entityId: grant.openId,
      after: { role: grant.role },
    });
    return true;
  });
}

/** Revokes a global role. Idempotent: returns false, and audits nothing, when the user does not hold it. */
export async function revokeRole(db: Db, revoke: RoleGrant): Promise<boolean> {
  return db.transaction(async (tx) => {
    const revoked = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userOpenId, revoke.openId), eq(userRoles.role, revoke.role)))
      .returning({ grantedAt: userRoles.grantedAt });
    if (revoked.length === 0) return false;
    await recordAudit(tx, {
      at: revoke.at,
      actorOpenId: revoke.actorOpenId,
      action: 'role.revoke',
      entityType: 'user',
      entityId: revoke.openId,
      before: { role: revoke.role, grantedAt: revoked[0]?.grantedAt },
    });
    return true;
  });
}

/** Everyone who holds 'admin': the configured open ids and the user_roles grants, deduplicated and sorted. */
export async function officeAdmins(db: Db, configured: readonly string[]): Promise<string[]> {
  const rows = await db.select({ openId: userRoles.userOpenId }).from(userRoles).where(eq(userRoles.role, 'admin'));
  return [...new Set([...configured, ...rows.map((r) => r.openId)])].sort();
}

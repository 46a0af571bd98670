// Units (县区, 园区, 市直部门, 人民团体) and who belongs to them.
import { eq } from 'drizzle-orm';
import { unitMembers, units, users } from '../../db/schema/index.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

export type UnitType = (typeof units.$inferSelect)['type'];

export interface UnitInput {
  name: string;
  type: UnitType;
  parentName?: string;
  viceDepartmentLevel?: boolean;
  countyPartyOrGovernment?: boolean;
}

/** Creates the unit or returns the existing one of that name (idempotent, for seeds and imports). */
export async function ensureUnit({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: UnitInput; actorOpenId: string | null }) {
  const existing = await ctx.db.select().from(units).where(eq(units.name, input.name));
  if (existing[0]) return existing[0];
  const parent = input.parentName ? (await ctx.db.select().from(units).where(eq(units.name, input.parentName)))[0] : undefined;
  const [row] = await ctx.db
    .insert(units)
    .values({
      name: input.name,
      type: input.type,
      parentId: parent?.id ?? null,
      viceDepartmentLevel: input.viceDepartmentLevel ?? false,
      countyPartyOrGovernment: input.countyPartyOrGovernment ?? false,
      createdAt: ctx.clock.now(),
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  await recordAudit(ctx.db, { at: ctx.clock.now(), actorOpenId, action: 'unit.create', entityType: 'unit', entityId: String(row.id), after: row });
  return row;
}

export async function setUnitMember({
  ctx,
  input,
  actorOpenId,
}: {
  ctx: ServiceCtx;
  input: { unitId: number; openId: string; name?: string; role: 'liaison' | 'member' };
  actorOpenId: string | null;
}) {
  const at = ctx.clock.now();
  await ctx.db
    .insert(users)
    .values({ openId: input.openId, name: input.name ?? null, createdAt: at, updatedAt: at })
    .onConflictDoNothing();
  const [row] = await ctx.db
    .insert(unitMembers)
    .values({ unitId: input.unitId, userOpenId: input.openId, role: input.role, joinedAt: at })
    .onConflictDoUpdate({ target: [unitMembers.unitId, unitMembers.userOpenId], set: { role: input.role } })
    .returning();
  await recordAudit(ctx.db, { at, actorOpenId, action: 'unit.member.set', entityType: 'unit', entityId: String(input.unitId), after: row });
  return row;
}

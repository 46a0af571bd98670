// Units (县区, 园区, 市直部门, 人民团体), their liaison (one per unit) and members. Every change
// is written in the caller's transaction together with its audit row; a repeat that changes
// nothing writes nothing.
import { and, asc, eq, ne } from 'drizzle-orm';
import { closest, distance } from 'fastest-levenshtein';
import { unitMembers, units, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { unitTypes } from '../domain/campaign/unit-types.js';
import { parentRule, parseUnitName, type Person } from '../domain/unit-import.js';
import { DomainError } from '../errors.js';
import { upsertUser } from './actors.js';
import { recordAudit } from './audit.js';
import type { ServiceCtx } from './context.js';

export type UnitRow = typeof units.$inferSelect;
export type UnitType = UnitRow['type'];
export type { Person };

export interface UnitInput {
  name: string;
  type: UnitType;
  parentName?: string | undefined;
  viceDepartmentLevel?: boolean;
  countyPartyOrGovernment?: boolean;
}

/** Who does a write and when: the audit row's actor and time. */
export interface WriteMeta {
  at: Date;
  actorOpenId: string | null;
}

/** Creates the unit or returns the existing one of that name (idempotent, for seeds and tests). */
export async function ensureUnit({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: UnitInput; actorOpenId: string | null }): Promise<UnitRow> {
  const [existing] = await ctx.db.select().from(units).where(eq(units.name, input.name));
  if (existing) return existing;
  const parent = input.parentName ? (await ctx.db.select().from(units).where(eq(units.name, input.parentName)))[0] : undefined;
  const { row } = await writeUnit(ctx.db, { at: ctx.clock.now(), actorOpenId }, { ...fieldsOf(input), parentId: parent?.id ?? null });
  return row;
}

/**
 * Creates a unit for /单位 新建: the name must be new, the parent must exist and be a district
 * (only parks have one). Throws a DomainError that says what to fix.
 */
export async function createUnit({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: UnitInput; actorOpenId: string | null }): Promise<UnitRow> {
  const name = parseUnitName(input.name);
  if (!name.ok) throw new DomainError('unit.invalid', { detail: name.message });
  const [existing] = await ctx.db.select({ id: units.id }).from(units).where(eq(units.name, name.value));
  if (existing) throw new DomainError('unit.exists', { name: name.value });
  const parent = input.parentName === undefined ? undefined : await findUnit({ ctx, name: input.parentName });
  const problem = parentRule(input.type, parent?.name, parent?.type);
  if (problem) throw new DomainError('unit.invalid', { detail: `${problem}。` });
  const { row, change } = await writeUnit(ctx.db, { at: ctx.clock.now(), actorOpenId }, { ...fieldsOf({ ...input, name: name.value }), parentId: parent?.id ?? null });
  // Someone else created it between the check and the insert.
  if (change !== 'created') throw new DomainError('unit.exists', { name: name.value });
  return row;
}

function fieldsOf(input: UnitInput) {
  return {
    name: input.name,
    type: input.type,
    viceDepartmentLevel: input.viceDepartmentLevel ?? false,
    countyPartyOrGovernment: input.countyPartyOrGovernment ?? false,
  };
}

type UnitFields = Pick<UnitRow, 'name' | 'type' | 'parentId' | 'viceDepartmentLevel' | 'countyPartyOrGovernment'>;

/** Inserts the unit, or brings the one of that name up to these fields; audited only when something changed. */
export async function writeUnit(db: Db, meta: WriteMeta, fields: UnitFields): Promise<{ row: UnitRow; change: 'created' | 'updated' | 'unchanged' }> {
  const [existing] = await db.select().from(units).where(eq(units.name, fields.name)).for('update');
  if (!existing) {
    const [row] = await db
      .insert(units)
      .values({ ...fields, createdAt: meta.at })
      .onConflictDoNothing({ target: units.name })
      .returning();
    // Lost a race with a concurrent insert of the same name: treat it as an update of that row.
    if (!row) return writeUnit(db, meta, fields);
    await recordAudit(db, { ...meta, action: 'unit.create', entityType: 'unit', entityId: String(row.id), after: row });
    return { row, change: 'created' };
  }
  const keys = ['type', 'parentId', 'viceDepartmentLevel', 'countyPartyOrGovernment'] as const;
  const changed = keys.filter((k) => existing[k] !== fields[k]);
  if (changed.length === 0) return { row: existing, change: 'unchanged' };
  const [row] = await db.update(units).set(fields).where(eq(units.id, existing.id)).returning();
  if (!row) throw new Error(`unit ${existing.id} vanished under a row lock`);
  const pick = (r: UnitRow) => Object.fromEntries(changed.map((k) => [k, r[k]]));
  await recordAudit(db, { ...meta, action: 'unit.update', entityType: 'unit', entityId: String(row.id), before: pick(existing), after: pick(row) });
  return { row, change: 'updated' };
}

/** The unit of exactly this name; otherwise a DomainError that suggests the closest name. */
export async function findUnit({ ctx, name }: { ctx: ServiceCtx; name: string }): Promise<UnitRow> {
  const wanted = name.trim();
  const [row] = await ctx.db.select().from(units).where(eq(units.name, wanted));
  if (row) return row;
  const names = (await ctx.db.select({ name: units.name }).from(units)).map((u) => u.name);
  const similar = names.find((n) => n.includes(wanted) || wanted.includes(n)) ?? (names.length ? closest(wanted, names) : undefined);
  const close = similar !== undefined && (similar.includes(wanted) || wanted.includes(similar) || distance(similar, wanted) <= Math.max(1, Math.floor(wanted.length / 3)));
  throw new DomainError('unit.notFound', { name: wanted, hint: close ? `你是不是指“${similar}”？` : '发送“/单位 列表”查看所有单位。' });
}

export interface UnitListing {
  id: number;
  name: string;
  type: UnitType;
  parentName: string | undefined;
  viceDepartmentLevel: boolean;
  countyPartyOrGovernment: boolean;
  liaisons: Person[];
  memberCount: number;
}

/** Every unit with its parent, liaison(s) and member count (liaisons included), by type then name. */
export async function listUnits({ ctx }: { ctx: ServiceCtx }): Promise<UnitListing[]> {
  const [rows, people] = await Promise.all([
    ctx.db.select().from(units),
    ctx.db
      .select({ unitId: unitMembers.unitId, openId: unitMembers.userOpenId, role: unitMembers.role, name: users.name })
      .from(unitMembers)
      .innerJoin(users, eq(users.openId, unitMembers.userOpenId))
      .orderBy(asc(unitMembers.joinedAt), asc(unitMembers.userOpenId)),
  ]);
  const nameById = new Map(rows.map((u) => [u.id, u.name]));
  // Sorted here, not in SQL: database collations differ, and Chinese names read best in pinyin order.
  rows.sort((a, b) => unitTypes.indexOf(a.type) - unitTypes.indexOf(b.type) || a.name.localeCompare(b.name, 'zh-Hans-CN'));
  return rows.map((u) => {
    const mine = people.filter((p) => p.unitId === u.id);
    return {
      id: u.id,
      name: u.name,
      type: u.type,
      parentName: u.parentId === null ? undefined : nameById.get(u.parentId),
      viceDepartmentLevel: u.viceDepartmentLevel,
      countyPartyOrGovernment: u.countyPartyOrGovernment,
      liaisons: mine.filter((p) => p.role === 'liaison').map((p) => ({ openId: p.openId, name: p.name ?? undefined })),
      memberCount: mine.length,
    };
  });
}

async function remember(db: Db, person: Person, at: Date): Promise<void> {
  await upsertUser(db, { openId: person.openId, name: person.name, at });
}

/**
 * Makes `person` the unit's one liaison. A previous liaison stays in the unit as a member.
 * Returns whether anything changed and who the liaison was before.
 */
export async function assignLiaison(db: Db, meta: WriteMeta, unitId: number, person: Person): Promise<{ changed: boolean; previous: Person[] }> {
  await remember(db, person, meta.at);
  const current = await db
    .select({ openId: unitMembers.userOpenId, name: users.name })
    .from(unitMembers)
    .innerJoin(users, eq(users.openId, unitMembers.userOpenId))
    .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.role, 'liaison')));
  const previous = current.map((c) => ({ openId: c.openId, name: c.name ?? undefined }));
  if (previous.length === 1 && previous[0]?.openId === person.openId) return { changed: false, previous };
  await db
    .update(unitMembers)
    .set({ role: 'member' })
    .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.role, 'liaison'), ne(unitMembers.userOpenId, person.openId)));
  await db
    .insert(unitMembers)
    .values({ unitId, userOpenId: person.openId, role: 'liaison', joinedAt: meta.at })
    .onConflictDoUpdate({ target: [unitMembers.unitId, unitMembers.userOpenId], set: { role: 'liaison' } });
  await recordAudit(db, {
    ...meta,
    action: 'unit.liaison.set',
    entityType: 'unit',
    entityId: String(unitId),
    before: { liaisons: previous.map((p) => p.openId) },
    after: { liaison: person.openId },
  });
  return { changed: true, previous: previous.filter((p) => p.openId !== person.openId) };
}

/** Adds `person` as a member; someone already in the unit keeps their role. */
export async function addMember(db: Db, meta: WriteMeta, unitId: number, person: Person): Promise<'added' | 'member' | 'liaison'> {
  await remember(db, person, meta.at);
  const [inserted] = await db
    .insert(unitMembers)
    .values({ unitId, userOpenId: person.openId, role: 'member', joinedAt: meta.at })
    .onConflictDoNothing({ target: [unitMembers.unitId, unitMembers.userOpenId] })
    .returning();
  if (inserted) {
    await recordAudit(db, { ...meta, action: 'unit.member.add', entityType: 'unit', entityId: String(unitId), after: { openId: person.openId, role: 'member' } });
    return 'added';
  }
  const [row] = await db
    .select({ role: unitMembers.role })
    .from(unitMembers)
    .where(and(eq(unitMembers.unitId, unitId), eq(unitMembers.userOpenId, person.openId)));
  return row?.role ?? 'member';
}

const meta = (ctx: ServiceCtx, actorOpenId: string | null): WriteMeta => ({ at: ctx.clock.now(), actorOpenId });

export async function setLiaison({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { unitName: string; person: Person }; actorOpenId: string | null }) {
  const unit = await findUnit({ ctx, name: input.unitName });
  return { unit, ...(await assignLiaison(ctx.db, meta(ctx, actorOpenId), unit.id, input.person)) };
}

export async function addMembers({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { unitName: string; people: Person[] }; actorOpenId: string | null }) {
  const unit = await findUnit({ ctx, name: input.unitName });
  const results: { person: Person; result: 'added' | 'member' | 'liaison' }[] = [];
  for (const person of input.people) results.push({ person, result: await addMember(ctx.db, meta(ctx, actorOpenId), unit.id, person) });
  return { unit, results };
}

/** Removes someone (member or liaison) from a unit; someone not in it is a DomainError. */
export async function removeMember({ ctx, input, actorOpenId }: { ctx: ServiceCtx; input: { unitName: string; person: Person }; actorOpenId: string | null }) {
  const unit = await findUnit({ ctx, name: input.unitName });
  const [removed] = await ctx.db
    .delete(unitMembers)
    .where(and(eq(unitMembers.unitId, unit.id), eq(unitMembers.userOpenId, input.person.openId)))
    .returning();
  if (!removed) throw new DomainError('unit.notMember', { person: input.person.name ?? input.person.openId, unit: unit.name });
  await recordAudit(ctx.db, { ...meta(ctx, actorOpenId), action: 'unit.member.remove', entityType: 'unit', entityId: String(unit.id), before: { openId: removed.userOpenId, role: removed.role } });
  return { unit, role: removed.role };
}

/** Low-level membership upsert (seeds, tests): sets the role as given, audited when it changed. */
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
  await upsertUser(ctx.db, { openId: input.openId, name: input.name, at });
  const [before] = await ctx.db
    .select()
    .from(unitMembers)
    .where(and(eq(unitMembers.unitId, input.unitId), eq(unitMembers.userOpenId, input.openId)));
  if (before?.role === input.role) return before;
  const [row] = await ctx.db
    .insert(unitMembers)
    .values({ unitId: input.unitId, userOpenId: input.openId, role: input.role, joinedAt: at })
    .onConflictDoUpdate({ target: [unitMembers.unitId, unitMembers.userOpenId], set: { role: input.role } })
    .returning();
  await recordAudit(ctx.db, { at, actorOpenId, action: 'unit.member.set', entityType: 'unit', entityId: String(input.unitId), before: before ?? null, after: row });
  return row;
}

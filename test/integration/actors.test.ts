import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, unitMembers, units, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { grantRole, resolveActor, upsertUser } from '../../src/services/actors.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/db.js';

const at = new Date('2026-03-02T09:00:00+08:00');
const later = new Date('2026-03-05T15:30:00+08:00');

describe(`actors (${dbKind})`, () => {
  let test: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    test = await createTestDatabase();
    db = test.database.db;
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  async function addUnit(name: string, type: 'county' | 'park' | 'department' | 'organisation'): Promise<number> {
    const [unit] = await db.insert(units).values({ name, type }).returning({ id: units.id });
    if (!unit) throw new Error(`unit ${name} was not created`);
    return unit.id;
  }

  describe('resolveActor', () => {
    it('gives someone never seen only the public role', async () => {
      expect(await resolveActor(db, 'ou_stranger', [])).toEqual({ openId: 'ou_stranger', name: undefined, roles: ['public'], units: [] });
    });

    it('makes an admin of an open id listed in the configuration, even before it is stored', async () => {
      expect(await resolveActor(db, 'ou_config_admin', ['ou_other', 'ou_config_admin'])).toMatchObject({ roles: ['admin', 'public'] });
    });

    it('combines configured admins, user_roles and unit memberships, each role once and in catalogue order', async () => {
      const openId = 'ou_everything';
      await upsertUser(db, { openId, name: '王芳', at });
      await db.insert(userRoles).values([
        { userOpenId: openId, role: 'leader', grantedAt: at },
        { userOpenId: openId, role: 'admin', grantedAt: at },
        { userOpenId: openId, role: 'reviewer', grantedAt: at },
      ]);
      const county = await addUnit('东城区', 'county');
      const department = await addUnit('市发展改革委', 'department');
      const park = await addUnit('东城高新区', 'park');
      await db.insert(unitMembers).values([
        { unitId: department, userOpenId: openId, role: 'member', joinedAt: at },
        { unitId: county, userOpenId: openId, role: 'liaison', joinedAt: at },
        { unitId: park, userOpenId: openId, role: 'liaison', joinedAt: at },
      ]);

      // Admin both in configuration and in user_roles: still listed once.
      expect(await resolveActor(db, openId, [openId])).toEqual({
        openId,
        name: '王芳',
        roles: ['admin', 'liaison', 'member', 'reviewer', 'leader', 'public'],
        units: [
          { unitId: county, unitName: '东城区', unitType: 'county', role: 'liaison' },
          { unitId: department, unitName: '市发展改革委', unitType: 'department', role: 'member' },
          { unitId: park, unitName: '东城高新区', unitType: 'park', role: 'liaison' },
        ],
      });
    });

    it('does not mix up users: unit roles and global roles belong to their own open id', async () => {
      const openId = 'ou_member_only';
      await upsertUser(db, { openId, name: '李雷', at });
      const unit = await addUnit('市妇联', 'organisation');
      await db.insert(unitMembers).values({ unitId: unit, userOpenId: openId, role: 'member', joinedAt: at });
      expect(await resolveActor(db, openId, ['ou_everything'])).toEqual({
        openId,
        name: '李雷',
        roles: ['member', 'public'],
        units: [{ unitId: unit, unitName: '市妇联', unitType: 'organisation', role: 'member' }],
      });
    });
  });

  describe('upsertUser', () => {
    async function stored(openId: string) {
      const [row] = await db.select({ name: users.name, createdAt: users.createdAt, updatedAt: users.updatedAt }).from(users).where(eq(users.openId, openId));
      return row;
    }

    it('creates a user with or without a name', async () => {
      await upsertUser(db, { openId: 'ou_named', name: '张伟', at });
      await upsertUser(db, { openId: 'ou_nameless', at });
      expect(await stored('ou_named')).toEqual({ name: '张伟', createdAt: at, updatedAt: at });
      expect(await stored('ou_nameless')).toEqual({ name: null, createdAt: at, updatedAt: at });
    });

    it('keeps a known name when a later sighting has none or a blank one, and takes a new one', async () => {
      const openId = 'ou_renamed';
      await upsertUser(db, { openId, name: '赵敏', at });
      await upsertUser(db, { openId, at: later });
      await upsertUser(db, { openId, name: '   ', at: later });
      expect(await stored(openId)).toEqual({ name: '赵敏', createdAt: at, updatedAt: at });

      // The same name again is not a change.
      await upsertUser(db, { openId, name: '赵敏', at: later });
      expect(await stored(openId)).toEqual({ name: '赵敏', createdAt: at, updatedAt: at });

      await upsertUser(db, { openId, name: ' 赵敏（市改革办） ', at: later });
      expect(await stored(openId)).toEqual({ name: '赵敏（市改革办）', createdAt: at, updatedAt: later });
    });
  });

  describe('grantRole', () => {
    it('grants once, writes one audit row, and is a no-op when repeated', async () => {
      const grant = { openId: 'ou_new_reviewer', role: 'reviewer' as const, at, actorOpenId: 'ou_admin' };
      expect(await grantRole(db, grant)).toBe(true);
      expect(await grantRole(db, { ...grant, at: later })).toBe(false);

      expect(await db.select().from(userRoles).where(eq(userRoles.userOpenId, 'ou_new_reviewer'))).toEqual([
        { userOpenId: 'ou_new_reviewer', role: 'reviewer', grantedAt: at },
      ]);
      expect(await db.select().from(auditLog).where(eq(auditLog.entityId, 'ou_new_reviewer'))).toMatchObject([
        { at, actorOpenId: 'ou_admin', action: 'role.grant', entityType: 'user', before: null, after: { role: 'reviewer' }, reason: null },
      ]);
      expect(await resolveActor(db, 'ou_new_reviewer', [])).toMatchObject({ roles: ['reviewer', 'public'] });
    });

    it('works inside a caller transaction, and rolls back with it', async () => {
      const grant = { openId: 'ou_rolled_back', role: 'leader' as const, at, actorOpenId: null };
      const failure = new Error('the command failed after granting');
      await expect(
        db.transaction(async (tx) => {
          expect(await grantRole(tx, grant)).toBe(true);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await db.select().from(userRoles).where(eq(userRoles.userOpenId, 'ou_rolled_back'))).toEqual([]);
      expect(await db.select().from(auditLog).where(eq(auditLog.entityId, 'ou_rolled_back'))).toEqual([]);
    });
  });
});

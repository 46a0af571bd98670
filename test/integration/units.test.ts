import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, unitMembers, units, userRoles, users } from '../../db/schema/index.js';
import type { Db } from '../../db/types.js';
import { ManualClock } from '../../src/clock.js';
import { DomainError } from '../../src/errors.js';
import { grantGlobalRole, listRoleHolders, resolvePeople, revokeGlobalRole } from '../../src/services/people.js';
import { importUnits, readTable } from '../../src/services/unit-import.js';
import { addMembers, createUnit, listUnits, removeMember, setLiaison } from '../../src/services/units.js';
import type { ServiceCtx } from '../../src/services/context.js';
import { createTestDatabase, dbKind, queryRows, type TestDatabase } from '../helpers/db.js';

const ADMIN = 'ou_office_admin';
const HEADER = '单位名称,类型,上级单位,副厅级(是/否),县级以上党委政府(是/否),联络人open_id,联络人姓名,成员(open_id:姓名;open_id:姓名)';

let test: TestDatabase;
let db: Db;
let ctx: ServiceCtx;
const clock = new ManualClock(new Date('2022-09-05T09:00:00+08:00'));

beforeAll(async () => {
  test = await createTestDatabase();
  db = test.database.db;
  ctx = { db, clock };
});
afterAll(async () => {
  await test?.cleanup();
});
beforeEach(async () => {
  // audit_log is append-only (a trigger refuses DELETE), so each test starts from a fresh set of tables but keeps it.
  await queryRows(test.database, 'truncate unit_members, user_roles, units, users restart identity cascade');
});

async function importText(text: string) {
  return importUnits({ ctx, input: { table: await readTable({ text }) }, actorOpenId: ADMIN });
}

const audits = async (...actions: string[]) =>
  db.select().from(auditLog).where(inArray(auditLog.action, actions)).orderBy(asc(auditLog.id));

async function refused(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DomainError) return err.userMessage();
    throw err;
  }
  throw new Error('expected a DomainError');
}

const goodTable = [
  HEADER,
  '本溪高新区,园区,平山区,否,否,ou_liming,李明,ou_wanggang:王刚;ou_liuyang:刘洋',
  '平山区,县区,,否,否,ou_zhaofang,赵芳,',
  '市发展改革委,市直部门,,,,ou_sunqiang,孙强,',
  '市委,市直部门,,是,是,,,',
].join('\n');

describe(`unit import (${dbKind})`, () => {
  it('writes nothing when any row is rejected, and names every bad row', async () => {
    const before = (await db.select().from(auditLog)).length;
    const result = await importText([HEADER, '平山区,县区', '本溪县,县城', '桓仁高新区,园区,桓仁县', '平山区,县区', '市财政局,市直部门,,,,liuyang'].join('\n'));
    expect(result).toEqual({
      kind: 'rejected',
      rowCount: 5,
      problems: [
        { rowNumber: 3, reason: '单位类型“县城”不对，应为县区、园区、市直部门、人民团体之一' },
        { rowNumber: 4, reason: '上级单位“桓仁县”既不在表格里，也不是已有单位，请先建立它或核对名称' },
        { rowNumber: 5, reason: '单位名称“平山区”与第2行重复，同一单位只能写一行' },
        { rowNumber: 6, reason: '联络人open_id“liuyang”格式不对：open_id 以 ou_ 开头，只含字母、数字、下划线' },
      ],
    });
    expect(await db.select().from(units)).toEqual([]);
    expect(await db.select().from(users)).toEqual([]);
    expect(await db.select().from(auditLog)).toHaveLength(before);
  });

  it('creates units, parents (even defined further down), liaisons and members in one go, each audited', async () => {
    const result = await importText(goodTable);
    expect(result).toEqual({
      kind: 'done',
      rowCount: 4,
      created: ['平山区', '市发展改革委', '市委', '本溪高新区'],
      updated: [],
      unchanged: [],
      liaisonsSet: 3,
      membersAdded: 2,
    });
    const listing = await listUnits({ ctx });
    expect(listing.map((u) => [u.name, u.type, u.parentName ?? '', u.liaisons.map((l) => l.name).join(), u.memberCount, u.viceDepartmentLevel])).toEqual([
      ['平山区', 'county', '', '赵芳', 1, false],
      ['本溪高新区', 'park', '平山区', '李明', 3, false],
      ['市发展改革委', 'department', '', '孙强', 1, false],
      ['市委', 'department', '', '', 0, true],
    ]);
    expect(await db.select({ name: users.name }).from(users).where(eq(users.openId, 'ou_wanggang'))).toEqual([{ name: '王刚' }]);
    const rows = await audits('unit.create', 'unit.liaison.set', 'unit.member.add', 'unit.import');
    expect(rows.slice(-10).map((r) => r.action)).toEqual([
      'unit.create', 'unit.liaison.set', 'unit.create', 'unit.liaison.set', 'unit.create', 'unit.create', 'unit.liaison.set', 'unit.member.add', 'unit.member.add', 'unit.import',
    ]);
    expect(rows.at(-1)).toMatchObject({ actorOpenId: ADMIN, entityType: 'import', entityId: '粘贴的内容', after: { created: 4, updated: 0, rowCount: 4 } });
  });

  it('is idempotent: the same table again changes nothing; a changed one updates in place', async () => {
    await importText(goodTable);
    const unitIds = (await db.select({ id: units.id, name: units.name }).from(units)).sort((a, b) => a.id - b.id);
    const auditCount = (await db.select().from(auditLog)).length;

    expect(await importText(goodTable)).toMatchObject({ kind: 'done', created: [], updated: [], unchanged: ['平山区', '市发展改革委', '市委', '本溪高新区'], liaisonsSet: 0, membersAdded: 0 });
    // Only the import's own summary row.
    expect((await db.select().from(auditLog)).length).toBe(auditCount + 1);

    const changed = [HEADER, '市委,市直部门,,否,是,,,', '本溪高新区,园区,平山区,否,否,ou_wanggang,王刚,ou_new:新人'].join('\n');
    expect(await importText(changed)).toMatchObject({ kind: 'done', created: [], updated: ['市委', '本溪高新区'], liaisonsSet: 1, membersAdded: 1 });
    expect((await db.select({ id: units.id, name: units.name }).from(units)).sort((a, b) => a.id - b.id)).toEqual(unitIds);

    const park = (await listUnits({ ctx })).find((u) => u.name === '本溪高新区');
    expect(park?.liaisons).toEqual([{ openId: 'ou_wanggang', name: '王刚' }]);
    expect(park?.memberCount).toBe(4);
    const roles = await db.select({ openId: unitMembers.userOpenId, role: unitMembers.role }).from(unitMembers).where(inArray(unitMembers.userOpenId, ['ou_liming', 'ou_wanggang']));
    expect(roles.sort((a, b) => a.openId.localeCompare(b.openId))).toEqual([
      { openId: 'ou_liming', role: 'member' },
      { openId: 'ou_wanggang', role: 'liaison' },
    ]);
    expect((await audits('unit.update')).at(-1)).toMatchObject({ before: { viceDepartmentLevel: true }, after: { viceDepartmentLevel: false } });
  });

  it('reports a header it cannot use instead of guessing', async () => {
    expect(await importText('单位名称,类型,备注\n平山区,县区,无')).toEqual({ kind: 'badHeader', missing: [], unknown: ['备注'], duplicate: [] });
    expect(await refused(importText(HEADER))).toBe('“粘贴的内容”只有表头，没有数据行。请在表头下面每行填写一个单位。');
  });
});

describe(`units, liaisons and members (${dbKind})`, () => {
  beforeEach(async () => {
    await createUnit({ ctx, input: { name: '平山区', type: 'county' }, actorOpenId: ADMIN });
    await createUnit({ ctx, input: { name: '本溪高新区', type: 'park', parentName: '平山区' }, actorOpenId: ADMIN });
  });

  it('refuses a second unit of the same name, a park under a park, a parent that does not exist', async () => {
    expect(await refused(createUnit({ ctx, input: { name: '平山区', type: 'county' }, actorOpenId: ADMIN }))).toContain('单位“平山区”已经存在');
    expect(await refused(createUnit({ ctx, input: { name: '某园', type: 'park', parentName: '本溪高新区' }, actorOpenId: ADMIN }))).toContain('园区的上级单位应是县区');
    expect(await refused(createUnit({ ctx, input: { name: '某园', type: 'park', parentName: '平山' }, actorOpenId: ADMIN }))).toBe('没有找到单位“平山”。你是不是指“平山区”？');
    expect(await db.select().from(units)).toHaveLength(2);
  });

  it('sets a liaison, replaces them (the old one stays a member), and audits each change once', async () => {
    const first = await setLiaison({ ctx, input: { unitName: '本溪高新区', person: { openId: 'ou_liming', name: '李明' } }, actorOpenId: ADMIN });
    expect(first).toMatchObject({ changed: true, previous: [] });
    expect(await setLiaison({ ctx, input: { unitName: '本溪高新区', person: { openId: 'ou_liming', name: '李明' } }, actorOpenId: ADMIN })).toMatchObject({ changed: false });
    const second = await setLiaison({ ctx, input: { unitName: '本溪高新区', person: { openId: 'ou_wanggang', name: '王刚' } }, actorOpenId: ADMIN });
    expect(second).toMatchObject({ changed: true, previous: [{ openId: 'ou_liming', name: '李明' }] });

    const park = (await listUnits({ ctx })).find((u) => u.name === '本溪高新区');
    expect(park).toMatchObject({ liaisons: [{ openId: 'ou_wanggang', name: '王刚' }], memberCount: 2 });
    const trail = (await audits('unit.liaison.set')).filter((a) => a.entityId === String(first.unit.id)).slice(-2);
    expect(trail.map((a) => [a.before, a.after])).toEqual([
      [{ liaisons: [] }, { liaison: 'ou_liming' }],
      [{ liaisons: ['ou_liming'] }, { liaison: 'ou_wanggang' }],
    ]);
  });

  it('adds members without demoting the liaison, and removes them', async () => {
    await setLiaison({ ctx, input: { unitName: '平山区', person: { openId: 'ou_zhaofang', name: '赵芳' } }, actorOpenId: ADMIN });
    const added = await addMembers({ ctx, input: { unitName: '平山区', people: [{ openId: 'ou_a', name: '甲' }, { openId: 'ou_zhaofang', name: '赵芳' }] }, actorOpenId: ADMIN });
    expect(added.results.map((r) => r.result)).toEqual(['added', 'liaison']);
    expect((await addMembers({ ctx, input: { unitName: '平山区', people: [{ openId: 'ou_a', name: '甲' }] }, actorOpenId: ADMIN })).results[0]?.result).toBe('member');

    expect(await removeMember({ ctx, input: { unitName: '平山区', person: { openId: 'ou_a', name: '甲' } }, actorOpenId: ADMIN })).toMatchObject({ role: 'member' });
    expect(await refused(removeMember({ ctx, input: { unitName: '平山区', person: { openId: 'ou_a', name: '甲' } }, actorOpenId: ADMIN }))).toBe('甲不是“平山区”的成员，无需移除。');
    expect((await audits('unit.member.remove')).at(-1)).toMatchObject({ actorOpenId: ADMIN, before: { openId: 'ou_a', role: 'member' } });
  });
});

describe(`people and global roles (${dbKind})`, () => {
  it('resolves @mentions (names with spaces too) and typed open_ids, and refuses a bare @name', async () => {
    await db.insert(users).values({ openId: 'ou_known', name: '周处长' });
    const mentions = [
      { key: '@_user_1', openId: 'ou_liming', name: '李明' },
      { key: '@_user_2', openId: 'ou_anna', name: 'Anna Li' },
    ];
    expect(await resolvePeople({ ctx, words: ['本溪高新区', '@Anna', 'Li', 'ou_known', '@李明', '@李明'], mentions })).toEqual({
      rest: ['本溪高新区'],
      people: [
        { openId: 'ou_anna', name: 'Anna Li' },
        { openId: 'ou_known', name: '周处长' },
        { openId: 'ou_liming', name: '李明' },
      ],
    });
    expect(await refused(resolvePeople({ ctx, words: ['@王五'], mentions }))).toContain('“@王五”没有被识别为 @提及');
  });

  it('grants and revokes roles once each, with audit rows, and never lets an admin drop their own admin role', async () => {
    const people = [{ openId: 'ou_prof', name: '张教授' }];
    expect(await grantGlobalRole({ ctx, input: { role: 'reviewer', people }, actorOpenId: ADMIN })).toEqual({ granted: people, already: [] });
    expect(await grantGlobalRole({ ctx, input: { role: 'reviewer', people }, actorOpenId: ADMIN })).toEqual({ granted: [], already: people });
    expect((await listRoleHolders({ ctx })).find((h) => h.role === 'reviewer')?.people).toEqual(people);

    expect(await revokeGlobalRole({ ctx, input: { role: 'reviewer', people }, actorOpenId: ADMIN })).toEqual({ revoked: people, notHeld: [] });
    expect(await revokeGlobalRole({ ctx, input: { role: 'reviewer', people }, actorOpenId: ADMIN })).toEqual({ revoked: [], notHeld: people });
    expect(await db.select().from(userRoles)).toEqual([]);
    const trail = (await db.select().from(auditLog).where(eq(auditLog.entityId, 'ou_prof')).orderBy(asc(auditLog.id))).slice(-2);
    expect(trail.map((a) => [a.action, a.actorOpenId, a.after ?? a.before])).toEqual([
      ['role.grant', ADMIN, { role: 'reviewer' }],
      ['role.revoke', ADMIN, { role: 'reviewer', grantedAt: clock.now().toISOString() }],
    ]);

    await grantGlobalRole({ ctx, input: { role: 'admin', people: [{ openId: ADMIN, name: '王主任' }] }, actorOpenId: null });
    expect(await refused(revokeGlobalRole({ ctx, input: { role: 'admin', people: [{ openId: ADMIN, name: '王主任' }] }, actorOpenId: ADMIN }))).toBe('不能撤销你自己的管理员角色，请让另一位管理员操作。');
    expect(await db.select({ role: userRoles.role }).from(userRoles)).toEqual([{ role: 'admin' }]);
  });
});

// Naming reviewers in bulk through /导入 end to end: an XLSX file or pasted rows with the 评审专家 header, all
// rows or none, a summary card, notices to the reviewers, and the unit column feeding conflict-of-interest checks.
import ExcelJS from 'exceljs';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, reviewAssignments, roundReviewers, submissions, unitMembers, userRoles } from '../../db/schema/index.js';
import { messageText } from '../fakes/index.js';
import { REVIEWERS, reviewWorld, type ReviewWorld } from '../helpers/review-fixtures.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const [, , C, D, E] = REVIEWERS;
const NEW = 'ou_rev_new';
const HEADER = ['评审专家open_id', '姓名', '所在单位', '活动代码'];

let t: TestBot;
let world: ReviewWorld;
beforeAll(async () => {
  t = await startTestBot({ now: new Date('2023-03-05T10:00:00+08:00') });
  world = await reviewWorld(t.app.database.db, t.clock);
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const db = () => t.app.database.db;
const { signed, repliesTo: inbox, flush } = chatWith(() => t);
const lastText = (openId: string): string => messageText(inbox(openId).at(-1)!);
async function say(from: string, text: string): Promise<string> {
  await t.fake.sendText(t.app.webhookUrl, { from, text }, signed());
  await flush();
  return lastText(from);
}
async function sendFile(from: string, fileName: string, rows: (string | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('评审专家');
  for (const row of rows) sheet.addRow(row);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  await t.fake.sendFile(t.app.webhookUrl, { from, fileName, bytes }, signed());
  await flush();
  return lastText(from);
}
const panel = async () => (await db().select({ o: roundReviewers.reviewerOpenId }).from(roundReviewers)).map((r) => r.o).sort();
const reviewerRole = async (openId: string) => (await db().select().from(userRoles).where(and(eq(userRoles.userOpenId, openId), eq(userRoles.role, 'reviewer')))).length;
const membershipsOf = async (openId: string) => db().select({ unitId: unitMembers.unitId, role: unitMembers.role }).from(unitMembers).where(eq(unitMembers.userOpenId, openId));

describe('/导入 评审专家名单', () => {
  it('rejects the whole file when the campaign has no open round, writing nothing', async () => {
    const reply = await sendFile(ADMIN, '评审专家.xlsx', [HEADER, [C, '曹评审', null, 'LN2022']]);
    expect(reply).toContain('评审专家导入未完成：没有写入任何数据');
    expect(reply).toContain('第2行');
    expect(reply).toContain('没有进行中的评审');
    expect(await panel()).toEqual([]);
    expect(await reviewerRole(C)).toBe(0);
  });

  it('names every bad row with what to fix and writes nothing, not even the good rows', async () => {
    expect(await say(ADMIN, '/评审 开启 成果')).toContain('已开启');
    const reply = await sendFile(ADMIN, '评审专家.xlsx', [
      HEADER,
      [C, '曹评审', null, null],
      [NEW, '新专家', '不存在的局', null],
      ['zhang', '张三', null, null],
      [D, '丁评审', null, 'LN-2022'],
      [E, '鄂评审', null, 'ZZ2099'],
      [C, '曹评审', null, null],
      [C, '曹评审', null, 'LN2022'],
    ]);
    expect(reply).toContain('共 7 行，其中 **6** 行有问题');
    expect(reply).toContain('第3行**：所在单位“不存在的局”不是已有单位');
    expect(reply).toContain('第4行**：评审专家open_id“zhang”格式不对');
    expect(reply).toContain('第5行**：活动代码“LN-2022”格式不对');
    expect(reply).toContain('第6行**：');
    expect(reply).toContain('ZZ2099');
    expect(reply).toContain('第7行**：评审专家“ou_rev_c”与第2行重复');
    expect(reply).toContain('第8行**：评审专家“ou_rev_c”与第2行重复（同一活动）');
    expect(reply).not.toContain('第2行**');
    expect(await panel()).toEqual([]);
    expect(await membershipsOf(NEW)).toEqual([]);
    expect(await reviewerRole(C)).toBe(0);
  });

  it('answers a header it cannot use with the guide', async () => {
    const reply = await sendFile(ADMIN, '评审专家.xlsx', [[...HEADER, '电话'], [C, '曹评审', null, null, '123']]);
    expect(reply).toContain('不认识的列：电话');
    expect(reply).toContain('评审专家open_id');
    expect(await panel()).toEqual([]);
  });

  it('imports a good file: the panel, the reviewer role, the unit membership, a summary card and a notice each', async () => {
    const reply = await sendFile(ADMIN, '评审专家.xlsx', [HEADER, [C, '曹评审', null, 'LN2022'], [D, '丁评审', '', 'ln2022'], [E, '鄂评审', null, null], [NEW, '新专家', '市发展改革委LN2022', 'LN2022']]);
    expect(reply).toContain('评审专家导入完成');
    expect(reply).toContain('新增评审专家 **4** 人：曹评审、丁评审、鄂评审、新专家');
    expect(reply).toContain('新登记所在单位 1 人');
    expect(reply).toContain('/评审 分配');
    expect(await panel()).toEqual([C, D, E, NEW].sort());
    expect(await reviewerRole(NEW)).toBe(1);
    expect(await membershipsOf(NEW)).toEqual([{ unitId: world.units.dept, role: 'member' }]);
    for (const openId of [C, D, E, NEW]) expect(lastText(openId)).toContain('你被指定为');
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, 'review.reviewers.import'));
    expect(audit?.entityId).toBe('评审专家.xlsx');
  });

  it('pasted rows work too; people already on the panel are reported, not added twice, and not told again', async () => {
    const before = inbox(C).length;
    const reply = await say(ADMIN, ['/导入', '评审专家open_id,姓名', `${C},曹评审`].join('\n'));
    expect(reply).toContain('新增评审专家 **0** 人');
    expect(reply).toContain('已在名单中 1 人：曹评审');
    expect(inbox(C).length).toBe(before);
    expect(await panel()).toEqual([C, D, E, NEW].sort());
  });

  it('keeps an imported reviewer off items of the unit the file named (conflict of interest)', async () => {
    expect(await say(ADMIN, '/评审 分配 2')).toContain('每项2位评审专家');
    const held = await db()
      .select({ unitId: submissions.unitId })
      .from(reviewAssignments)
      .innerJoin(submissions, eq(submissions.id, reviewAssignments.submissionId))
      .where(eq(reviewAssignments.reviewerOpenId, NEW));
    expect(held.length).toBeGreaterThan(0);
    expect(held.some((h) => h.unitId === world.units.dept)).toBe(false);
  });

  it('is for admins only', async () => {
    expect(await say(C, ['/导入', '评审专家open_id,姓名', `${D},丁评审`].join('\n'))).toBe('你没有权限执行“导入”。需要以下角色之一：办公室管理员。');
  });
});

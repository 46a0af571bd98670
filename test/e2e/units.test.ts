// Units, people and roles end to end: files and typed commands in through the signed webhook,
// replies and notifications out through the real SDK to the fake Lark.
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, unitMembers, units, userRoles } from '../../db/schema/index.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

let t: TestBot;
beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t.stop();
});
afterEach(() => {
  t.fake.assertNoUnmodeled();
});

const HEADER = ['单位名称', '类型', '上级单位', '副厅级(是/否)', '县级以上党委政府(是/否)', '联络人open_id', '联络人姓名', '成员(open_id:姓名;open_id:姓名)'];

async function xlsx(rows: (string | null)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('单位名单');
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const db = () => t.app.database.db;
const unitNames = async () => (await db().select({ name: units.name }).from(units)).map((u) => u.name).sort();
const repliesTo = (openId: string): FakeMessage[] => t.fake.botMessages().filter((m) => m.chat_id === `oc_p2p_${openId}`);
const lastReply = (openId: string): string => messageText(repliesTo(openId).at(-1)!);

async function send(from: string, text: string, mentions?: { key?: string; openId: string; name: string }[]): Promise<string> {
  await t.fake.sendText(t.app.webhookUrl, { from, text, ...(mentions ? { mentions } : {}) }, t.signing);
  await t.app.pipeline.drain();
  return lastReply(from);
}

async function sendFile(from: string, fileName: string, bytes: Uint8Array): Promise<string> {
  await t.fake.sendFile(t.app.webhookUrl, { from, fileName, bytes }, t.signing);
  await t.app.pipeline.drain();
  return lastReply(from);
}

describe('bulk import', () => {
  it('imports an XLSX file sent by an admin and answers with the summary card', async () => {
    const bytes = await xlsx([
      HEADER,
      ['平山区', '县区', null, '否', '否', 'ou_zhaofang', '赵芳', null],
      ['本溪高新区', '园区', '平山区', '否', '否', 'ou_wanggang', '王刚', 'ou_liuyang:刘洋'],
      ['市发展改革委', '市直部门', null, null, null, 'ou_sunqiang', '孙强', null],
    ]);
    const reply = await sendFile(ADMIN, '单位名单.xlsx', bytes);
    expect(reply).toContain('单位导入完成');
    expect(reply).toContain('共 3 行：新建 **3** 个单位，更新 **0** 个');
    expect(await unitNames()).toEqual(['市发展改革委', '平山区', '本溪高新区'].sort());
    const [park] = await db().select().from(units).where(eq(units.name, '本溪高新区'));
    const members = await db().select({ openId: unitMembers.userOpenId, role: unitMembers.role }).from(unitMembers).where(eq(unitMembers.unitId, park!.id));
    expect(members.sort((a, b) => a.openId.localeCompare(b.openId))).toEqual([
      { openId: 'ou_liuyang', role: 'member' },
      { openId: 'ou_wanggang', role: 'liaison' },
    ]);
  });

  it('rejects a file with a bad row, lists the row and writes nothing', async () => {
    const auditsBefore = (await db().select().from(auditLog)).length;
    const bytes = await xlsx([HEADER, ['明山区', '县区'], ['明山高新区', '园区', '不存在区'], ['溪湖区', '乡镇']]);
    const reply = await sendFile(ADMIN, '有错.xlsx', bytes);
    expect(reply).toContain('单位导入未完成：没有写入任何数据');
    expect(reply).toContain('**第3行**：上级单位“不存在区”既不在表格里，也不是已有单位');
    expect(reply).toContain('**第4行**：单位类型“乡镇”不对');
    expect(reply).not.toContain('第2行');
    expect(await unitNames()).not.toContain('明山区');
    expect((await db().select().from(auditLog)).length).toBe(auditsBefore);
  });

  it('tells a non-admin they may not import, and writes nothing', async () => {
    const reply = await sendFile('ou_stranger', '单位.xlsx', await xlsx([HEADER, ['桓仁县', '县区']]));
    expect(reply).toBe('你没有权限执行“导入”。需要以下角色之一：办公室管理员。');
    expect(await unitNames()).not.toContain('桓仁县');
  });

  it('lists the expected columns when the header is not a known one', async () => {
    const reply = await sendFile(ADMIN, '台账.csv', new TextEncoder().encode('任务名称,牵头单位\n优化营商环境,市发展改革委\n'));
    expect(reply).toContain('无法识别“台账.csv”的表头（任务名称、牵头单位）');
    expect(reply).toContain('单位名称（必填）、类型（必填）、上级单位');
  });

  it('imports rows pasted after /导入, updating what exists', async () => {
    const reply = await send(ADMIN, ['/导入', HEADER.join(','), '平山区,县区,,否,否,ou_zhaofang,赵芳,', '桓仁县,县区,,否,否,,,'].join('\n'));
    expect(reply).toContain('新建 **1** 个单位，更新 **0** 个，无变化 **1** 个');
    expect(await unitNames()).toContain('桓仁县');
  });

  it('imports tab-separated rows pasted straight from Excel', async () => {
    const reply = await send(ADMIN, '/导入\n单位名称\t类型\n本溪县\t县区');
    expect(reply).toContain('新建 **1** 个单位');
    expect(await unitNames()).toContain('本溪县');
  });

  it('explains how to separate columns when pasted rows cannot be split', async () => {
    const reply = await send(ADMIN, '/导入\n单位名称 类型\n明山区 县区');
    expect(reply).toContain('粘贴的内容无法分列');
    expect(await unitNames()).not.toContain('明山区');
  });

  it('answers /导入 alone with the guide', async () => {
    expect(await send(ADMIN, '/导入')).toContain('发送方式：把 Excel（.xlsx）或 CSV 文件直接发给我');
  });
});

describe('units and roles by command', () => {
  it('sets a liaison named by an @mention, tells them, and demotes the previous one', async () => {
    const reply = await send(ADMIN, '/单位 联络人 本溪高新区 @_user_1', [{ key: '@_user_1', openId: 'ou_liming', name: '李明' }]);
    expect(reply).toBe('已将李明设为“本溪高新区”的联络人（原联络人王刚改为成员）。');
    await t.app.sender.kick();
    expect(messageText(t.fake.botMessages().filter((m) => m.chat_id === 'oc_p2p_ou_liming').at(-1)!)).toContain('你已被设为“本溪高新区”的联络人');
    // The new liaison sees it as their own role.
    expect(await send('ou_liming', '/我')).toContain('本溪高新区（单位联络人）');
  });

  it('creates a unit, adds and removes members, and lists units in a card that filters by type', async () => {
    expect(await send(ADMIN, '/单位 新建 溪湖区 县区')).toContain('已新建单位“溪湖区”（县区）');
    expect(await send(ADMIN, '/unit new 市委 department 副厅级 县级以上党委政府')).toContain('按规定它不能作为申报主体');
    expect(await send(ADMIN, '/单位 新建 溪湖园 园区 市委')).toContain('园区的上级单位应是县区');
    expect(await send(ADMIN, '/单位 新建 溪湖园 工厂')).toContain('单位类型“工厂”不对');
    expect(await send(ADMIN, '/单位 成员 溪湖区 ou_aa1 ou_bb2')).toBe('已把ou_aa1、ou_bb2加入“溪湖区”。');
    expect(await send(ADMIN, '/单位 移除 溪湖区 ou_aa1')).toBe('已把ou_aa1移出“溪湖区”。');
    expect(await send(ADMIN, '/单位 联络人 溪湖 @王五')).toContain('“@王五”没有被识别为 @提及');

    const list = await send(ADMIN, '/单位 列表');
    expect(list).toContain('**本溪高新区**（上级：平山区） · 联络人：李明 · 成员 3 人');
    expect(list).toContain('**市委** · 联络人：未设置 · 成员 0 人 · 副厅级、县级以上党委政府（不可作为申报主体）');
    const card = repliesTo(ADMIN).at(-1)!;
    const click = await t.fake.clickCard(t.app.webhookUrl, { operator: ADMIN, messageId: card.message_id, value: { v: 1, a: 'units.list', type: 'park' } }, t.signing);
    const filtered = messageText(t.fake.findMessage(card.message_id)!);
    expect(click.card).toBeDefined();
    expect(filtered).toContain('本溪高新区');
    expect(filtered).not.toContain('溪湖区');
    const denied = await t.fake.clickCard(t.app.webhookUrl, { operator: 'ou_liming', messageId: card.message_id, value: { v: 1, a: 'units.list' } }, t.signing);
    expect(denied.toast).toEqual({ type: 'error', content: '你不能操作这张卡片。' });
  });

  it('grants and revokes a global role, and refuses non-admins', async () => {
    expect(await send(ADMIN, '/角色 授予 评审', [{ openId: 'ou_prof', name: '张教授' }])).toBe('已授予张教授“评审专家”角色。');
    await t.app.sender.kick();
    expect(messageText(t.fake.botMessages().filter((m) => m.chat_id === 'oc_p2p_ou_prof').at(-1)!)).toContain('你已被授予“评审专家”角色');
    expect(await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userOpenId, 'ou_prof'))).toEqual([{ role: 'reviewer' }]);
    expect(await send(ADMIN, '/role revoke reviewer ou_prof')).toBe('已撤销张教授的“评审专家”角色。');
    expect(await send(ADMIN, '/角色 授予 厨师 ou_prof')).toBe('没有角色“厨师”。可选的角色：评审、领导、管理员。');
    expect(await send('ou_liming', '/角色 授予 管理员 ou_liming')).toBe('你没有权限执行“角色 授予”。需要以下角色之一：办公室管理员。');
    expect(await db().select().from(userRoles).where(eq(userRoles.userOpenId, 'ou_liming'))).toEqual([]);
  });
});

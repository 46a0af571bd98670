// The ledger dashboard, the export and the dispatch digests end to end: /台账 总览 draws charts of the tasks the
// asker may see; /台账 导出 answers with a signed link whose download is a real XLSX (tampered or expired links are
// refused); the digest job sends the weekly card to each responsible leader and the monthly card with a chart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { CardElement } from '../../cards/types.js';
import { messageText, type FakeMessage } from '../fakes/index.js';
import { addLedger, addPerson, addReport, addTask, addUnit, bj } from '../helpers/ledger-rows.js';
import { chatWith } from './chat.js';
import { ADMIN, startTestBot, type TestBot } from './harness.js';

const LIAISON_A = { openId: 'ou_dash_la', name: '甲联络' };
const LIAISON_B = { openId: 'ou_dash_lb', name: '乙联络' };
const LIAISON_C = { openId: 'ou_dash_lc', name: '丙联络' };
const MAIN = 'ou_dash_main';
const LEADERS = ['ou_dash_leader_1', 'ou_dash_leader_2'];

let t: TestBot;
const { send: say } = chatWith(() => t);
const charts = (m: FakeMessage): CardElement[] => (m.card?.body.elements ?? []).filter((e) => e.tag === 'chart');

beforeAll(async () => {
  t = await startTestBot({ now: bj('2026-03-20', '10:00') });
  const db = t.app.database.db;
  await addPerson(db, MAIN, '主要领导');
  for (const [i, l] of LEADERS.entries()) await addPerson(db, l, `分管领导${i + 1}`);
  const a = await addUnit(db, '市发展改革委', LIAISON_A);
  const b = await addUnit(db, '市财政局', LIAISON_B);
  await addUnit(db, '市妇联', LIAISON_C);
  const ledger = await addLedger(db, { title: '2026年全面深化改革任务', year: 2026, at: bj('2026-03-01'), mainLeaderOpenId: MAIN });
  for (let i = 0; i < 4; i++) {
    const owner = `ou_dash_owner_${i}`;
    await addPerson(db, owner, `专员${i}`);
    const id = await addTask(db, { ledgerId: ledger.id, code: `RW2026-00${i + 1}`, ownerOpenId: owner, leaderOpenId: LEADERS[i % 2]!, cadences: ['weekly'], leadUnitId: i < 3 ? a : b, at: bj('2026-03-02'), state: i === 2 ? 'closed' : 'in_progress' });
    // W10 due 6 March: tasks 0 and 3 on time, task 1 late, task 2 never (closed later).
    if (i === 0 || i === 3) await addReport(db, { taskId: id, cadence: 'weekly', periodKey: '2026-W10', dueAt: bj('2026-03-06', '18:00'), at: bj('2026-03-06', '10:00'), by: owner });
    if (i === 1) await addReport(db, { taskId: id, cadence: 'weekly', periodKey: '2026-W10', dueAt: bj('2026-03-06', '18:00'), at: bj('2026-03-09', '10:00'), by: owner });
  }
});
afterAll(async () => {
  t.fake.assertNoUnmodeled();
  await t.stop();
});

describe('ledger dashboard, export and digests end to end', () => {
  it('/台账 总览 shows the office every unit with two charts; a liaison only their unit; others are refused', async () => {
    const card = await say(ADMIN, '/台账 总览');
    const text = messageText(card);
    expect(text).toContain('台账总览 · 2026年全面深化改革任务');
    expect(text).toContain('**任务**：共 4 项（推进中 3，已销号 1）');
    // W10 and W11 of tasks 0, 1 and 3 (task 2 is closed): W10 on time ×2, late ×1; W11 (due 13 March) unreported ×3.
    expect(text).toContain('按时 2，逾期 4');
    const [status, onTime] = charts(card);
    expect(status).toMatchObject({ chart_spec: { type: 'bar', stack: true, xField: 'unit', seriesField: 'state' } });
    expect(JSON.stringify(onTime)).toContain('{"unit":"市发展改革委","kind":"逾期","count":3}');

    const mine = messageText(await say(LIAISON_B.openId, '/台账 总览'));
    expect(mine).toContain('**任务**：共 1 项');
    expect(mine).toContain('仅含你负责、分管或所在单位牵头/配合的任务');
    expect(messageText(await say(LIAISON_C.openId, '/台账 总览'))).toContain('你没有可查看的台账任务');
    expect(messageText(await say('ou_dash_public', '/台账 总览'))).toContain('你没有权限执行“台账 总览”');
    expect(messageText(await say(ADMIN, '/台账 总览 不存在的台账'))).toContain('没有找到台账“不存在的台账”');
  });

  it('/台账 导出 gives the office a signed link to an XLSX with the five sheets; bad and expired links are refused', async () => {
    expect(messageText(await say(LIAISON_A.openId, '/台账 导出'))).toContain('你没有权限');
    const reply = await say(ADMIN, '/台账 导出');
    const text = messageText(reply);
    expect(text).toContain('任务（四个清单）4 项，进展汇报 3 份');
    const url = /\((http:\/\/127\.0\.0\.1:\d+\/downloads\/[^)]+)\)/.exec(text)?.[1];
    expect(url).toBeDefined();
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''2026");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['任务（四个清单）', '进展汇报', '督办函件', '问题库', '红榜']);
    expect(wb.getWorksheet('任务（四个清单）')!.rowCount).toBe(5);
    expect(wb.getWorksheet('任务（四个清单）')!.getRow(2).getCell(4).value).toBe('市发展改革委');
    expect(wb.getWorksheet('进展汇报')!.getRow(3).getCell(6).value).toBe('是');

    const tampered = url!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(tampered)).status).toBe(403);
    t.clock.jumpTo(new Date(t.clock.now().getTime() + 31 * 60_000));
    const expired = await fetch(url!);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('下载链接已过期');
  });

  it('sends each responsible leader a weekly digest on Monday, and the main leader the monthly digest with a chart', async () => {
    t.clock.jumpTo(bj('2026-03-30', '09:30'));
    await t.app.ledgerDigests.run();
    await t.app.sender.kick();
    for (const [i, leader] of LEADERS.entries()) {
      const cards = t.fake.messagesTo(leader);
      expect(cards).toHaveLength(1);
      expect(messageText(cards[0]!)).toContain(`分管领导周调度 · 分管领导${i + 1}`);
    }
    t.clock.jumpTo(bj('2026-04-01', '09:30'));
    await t.app.ledgerDigests.run();
    await t.app.ledgerDigests.run();
    await t.app.sender.kick();
    const monthly = t.fake.messagesTo(MAIN);
    expect(monthly).toHaveLength(1);
    expect(messageText(monthly[0]!)).toContain('主要领导月调度 · 2026年3月');
    expect(messageText(monthly[0]!)).toContain('已销号 1 项，完成率 25%');
    expect(charts(monthly[0]!)[0]).toMatchObject({ chart_spec: { type: 'bar', xField: 'unit', yField: 'rate' } });
  });
});

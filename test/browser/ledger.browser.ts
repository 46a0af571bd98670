// Issue 8's "Done when" story of the reform ledger in real Chromium, through the console only: the office creates a
// ledger for next year (the demo's own ledger stays as it is), binds the work group and imports tasks from an XLSX;
// time travel brings the first weekly report due, and its owner fills the report card in place; the other task's
// report never comes, so a 提醒函 and then a 督办函 (copied to 陈副市长) go out, and the lead unit acknowledges and
// answers with a rectification plan that the task then tracks. A problem is registered, routed and answered, the red
// list is published to the group, the dashboard draws its charts and the export downloads as an XLSX.
// Assertions on the DOM only; screenshots go to test-results/console/ (prefixed "ledger-").
import ExcelJS from 'exceljs';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addDays, addWorkdays, chinaDateOf, chinaInstantOn, chinaWorkCalendar } from '../../src/domain/ledger/calendar.js';
import { defaultEscalationPolicy } from '../../src/domain/ledger/escalation.js';
import { periodLabel, periodsFor } from '../../src/domain/ledger/periods.js';
import { taskImportFormat } from '../../src/domain/ledger/task-import.js';
import { demoGroup } from '../../src/emulator/demo-people.js';
import { ask, botCards, botMessages, cardInPlace, openChat, screenshots, send, toast } from './console-page.js';
import { consoleForFile } from './console-process.js';

const ADMIN = 'ou_demo_admin'; // 王主任
const GX = 'ou_demo_liaison_gx'; // 李明, 本溪高新区: owns task A and reports on time
const PS = 'ou_demo_liaison_ps'; // 赵芳, 平山区: lead unit of task B, whose report never comes
const FGW = 'ou_demo_liaison_fgw'; // 孙强: owner of task B
const LEADER = 'ou_demo_leader'; // 陈副市长
const session = consoleForFile('ledger', 1000);
const { openAs } = session;
const shot = screenshots('ledger-');
const calendar = chinaWorkCalendar;

/** Filled in as the story goes. */
const story = { title: '', taskA: '', taskB: '', firstDue: '', firstLabel: '', reminderDay: '', supervisionDay: '', planDue: '' };


/** The admin's 拨到此时: 10:00 Beijing time on `day`; waits for the toast of this move, which comes after the jobs ran. */
async function travelTo(admin: Page, day: string): Promise<void> {
  await admin.getByTestId('travel-at').fill(`${day}T10:00`);
  await admin.getByTestId('travel-go').click();
  const [y, m, d] = day.split('-').map(Number);
  await expect.poll(() => toast(admin).textContent(), { timeout: 60_000 }).toContain(`模拟时间已调到 ${y}年${m}月${d}日`);
  const target = chinaInstantOn(day, 10).getTime();
  expect(Date.parse((await admin.getByTestId('clock').getAttribute('data-now')) ?? '')).toBeGreaterThanOrEqual(target);
}

async function tasksXlsx(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('台账任务');
  sheet.addRow(taskImportFormat.columns.map((c) => c.header));
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('the reform ledger in the emulator console (issue 8)', () => {
  it('office: creates next year\'s ledger, binds the work group and imports tasks from an XLSX', async () => {
    const admin = await openAs(ADMIN);
    const year = Number(chinaDateOf(new Date((await admin.getByTestId('clock').getAttribute('data-now')) ?? '')).slice(0, 4)) + 1;
    story.title = `${year}年改革任务`;
    const [first] = periodsFor('weekly', `${year}-01-01`, `${year}-01-31`, calendar);
    story.firstDue = first?.dueOn ?? '';
    story.firstLabel = first ? `${periodLabel(first)}进展汇报` : '';
    story.reminderDay = addWorkdays(story.firstDue, defaultEscalationPolicy.reminderAfterWorkdays, calendar);
    story.supervisionDay = addWorkdays(story.reminderDay, defaultEscalationPolicy.supervisionAfterWorkdays, calendar);
    story.planDue = addDays(story.supervisionDay, 30);

    expect(await (await ask(admin, `/台账 新建 ${story.title}`)).textContent()).toContain(`已新建台账“${story.title}”`);
    await openChat(admin, demoGroup.chatId, demoGroup.name);
    expect(await (await ask(admin, `/台账 绑定群 ${story.title}`)).textContent()).toContain('已将本群设为台账');
    await openChat(admin, `p2p:${ADMIN}`, '王主任');

    // Columns in the import format's order: 任务名称 所属举措 牵头单位 配合单位 责任领导 专人 里程碑 汇报频次 预期成果 台账.
    const file = await tasksXlsx([
      ['推行企业开办“一日办结”', '优化营商环境', '本溪高新区', '平山区', '陈副市长', '李明', `${year}-06-30 全区推开`, '每周', '企业开办时间压缩至1个工作日', story.title],
      ['建立改革事项“一张表”调度', '统筹协调', '平山区', '', '陈副市长', '孙强', `${year}-09-30 调度表上线`, '每周', '全部改革事项一表调度', story.title],
    ]);
    const before = await botMessages(admin).count();
    await admin.getByTestId('file-input').setInputFiles({ name: '台账任务.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await expect.poll(() => botMessages(admin).count(), { timeout: 20_000 }).toBeGreaterThan(before);
    const imported = botCards(admin, '台账任务导入完成');
    await expect.poll(() => imported.count()).toBe(1);
    const summary = (await imported.textContent()) ?? '';
    expect(summary).toContain('新建 2 项');
    const codes = summary.match(/RW\d{4}[A-Z]?-\d{3,5}/g) ?? [];
    expect(codes).toHaveLength(2);
    [story.taskA, story.taskB] = codes as [string, string];
    await shot(admin, 'admin-import-summary');
    await admin.close();
  });

  it('the first weekly report falls due: the owner opens the reminder, fills the report card and it updates in place', async () => {
    const admin = await openAs(ADMIN);
    await travelTo(admin, story.firstDue);
    await admin.close();

    const owner = await openAs(GX);
    const reminder = botCards(owner, '进展汇报提醒').filter({ hasText: story.taskA });
    await expect.poll(() => reminder.count(), { timeout: 20_000 }).toBe(1);
    const card = await cardInPlace(owner, reminder);
    await card.scrollIntoViewIfNeeded();
    await shot(owner, 'owner-report-reminder');

    await card.getByRole('button', { name: '填写汇报' }).click();
    const form = card.locator('form[data-form=report_form]');
    await form.waitFor();
    await form.locator('textarea[name=progress]').fill('已印发实施方案，完成企业开办系统对接。');
    await form.locator('textarea[name=problems]').fill('税务发票申领环节仍需线下办理。');
    await form.locator('textarea[name=suggestions]').fill('请市税务局开通线上申领。');
    await form.locator('input[name=percent]').fill('30');
    const milestones = form.locator('select[name^=ms_]');
    for (let i = 0; i < (await milestones.count()); i += 1) await milestones.nth(i).selectOption('on_time');
    await shot(owner, 'owner-report-form');
    await form.getByRole('button', { name: '提交汇报' }).click();

    await expect.poll(() => card.getByTestId('card-header').textContent()).toContain('已提交');
    expect(await card.textContent()).toContain('完成进度：30%');
    expect(await card.getByRole('button', { name: '修改汇报' }).count()).toBe(1);
    expect(await toast(owner).getAttribute('data-type')).toBe('success');
    await shot(owner, 'owner-report-submitted');

    // /汇报 lists it as handed in.
    await ask(owner, '/汇报');
    const list = botCards(owner, '我的进展汇报').last();
    await expect.poll(() => list.textContent()).toMatch(new RegExp(`${story.taskA}[^-]*已提交`));
    await owner.close();
  }, 180_000);

  it('the other report never comes: 提醒函 to owner and lead unit, then 督办函 copied to the leader, answered with a plan', async () => {
    const admin = await openAs(ADMIN);
    await travelTo(admin, story.reminderDay);

    for (const who of [FGW, PS]) {
      const page = await openAs(who);
      const letter = botCards(page, '提醒函').filter({ hasText: story.taskB });
      await expect.poll(() => letter.count(), { timeout: 20_000 }).toBe(1);
      expect(await letter.textContent()).toContain(story.firstLabel);
      await letter.scrollIntoViewIfNeeded();
      await shot(page, `reminder-letter-${who === FGW ? 'owner' : 'lead-liaison'}`);
      await page.close();
    }

    await travelTo(admin, story.supervisionDay);
    await admin.close();

    const lead = await openAs(PS);
    const letter = botCards(lead, '督办函').filter({ hasText: story.taskB });
    await expect.poll(() => letter.count(), { timeout: 20_000 }).toBe(1);
    const card = await cardInPlace(lead, letter);
    expect(await card.textContent()).toContain('抄送：陈副市长');
    await card.scrollIntoViewIfNeeded();
    await shot(lead, 'supervision-letter');

    await card.getByRole('button', { name: '已收到' }).click();
    await expect.poll(() => card.textContent()).toContain('由 赵芳 签收');
    await card.getByRole('button', { name: '提交整改方案' }).click();
    const form = card.locator('form[data-form=plan_form]');
    await form.waitFor();
    await form.locator('textarea[name=measures]').fill('明确专人每周五前报送进展，由区改革办逐周核对。');
    await form.locator('input[name=dueOn]').fill(story.planDue);
    await form.getByRole('button', { name: '提交整改方案' }).click();
    await expect.poll(() => card.textContent()).toContain('整改完成日期');
    expect(await toast(lead).textContent()).toContain('整改方案已提交');
    await shot(lead, 'supervision-plan-submitted');

    // The plan's date is now one of the task's milestones.
    await ask(lead, `/任务 详情 ${story.taskB}`);
    const task = botCards(lead, story.taskB).last();
    await expect.poll(() => task.textContent()).toContain(`${story.planDue} 【整改】`);
    await shot(lead, 'task-rectification-milestone');
    await lead.close();

    const leader = await openAs(LEADER);
    const copy = botCards(leader, '督办函').filter({ hasText: story.taskB });
    await expect.poll(() => copy.count(), { timeout: 20_000 }).toBe(1);
    expect(await copy.getByTestId('card-header').textContent()).toContain('（抄送）');
    await expect.poll(() => botMessages(leader).filter({ hasText: `${story.taskB}「` }).filter({ hasText: '提交整改方案' }).count()).toBe(1);
    await shot(leader, 'leader-copy-and-plan');
    await leader.close();
  }, 240_000);

  it('a liaison registers a problem, the office routes it to a unit, the unit answers it', async () => {
    const liaison = await openAs(GX);
    await ask(liaison, `/问题 登记 ${story.title}`);
    const card = await cardInPlace(liaison, botCards(liaison, '登记问题').last());
    const form = card.locator('form[data-form=problem_form]');
    await form.waitFor();
    await form.locator('textarea[name=description]').fill('发票申领仍需到税务大厅线下办理，影响“一日办结”。');
    const taskOption = await form.locator('select[name=task] option', { hasText: story.taskA }).getAttribute('value');
    await form.locator('select[name=task]').selectOption(taskOption ?? '');
    await form.getByRole('button', { name: '登记问题' }).click();
    const title = card.getByTestId('card-header').locator('.card-title');
    await expect.poll(() => title.textContent()).toMatch(/^问题 #\d+$/);
    const problemId = ((await title.textContent()) ?? '').replace('问题 #', '');
    await shot(liaison, 'problem-registered');
    await liaison.close();

    const admin = await openAs(ADMIN);
    await ask(admin, `/问题 详情 ${problemId}`);
    const problem = await cardInPlace(admin, botCards(admin, `问题 #${problemId}`).last());
    await problem.getByRole('button', { name: '分办' }).click();
    const route = problem.locator('form[data-form=problem_event]');
    await route.waitFor();
    await route.locator('select[name=unit]').selectOption({ label: '平山区' });
    await route.getByRole('button', { name: '分办' }).click();
    await expect.poll(() => problem.getByTestId('card-header').textContent()).toContain('已分办');
    await shot(admin, 'problem-routed');
    await admin.close();

    const unit = await openAs(PS);
    const assigned = botCards(unit, `问题 #${problemId}`);
    await expect.poll(() => assigned.count(), { timeout: 20_000 }).toBe(1);
    const theirs = await cardInPlace(unit, assigned);
    await theirs.getByRole('button', { name: '办结' }).click();
    const answer = theirs.locator('form[data-form=problem_event]');
    await answer.waitFor();
    await answer.locator('textarea[name=text]').fill('已协调市税务局开通发票线上申领。');
    await answer.getByRole('button', { name: '办结' }).click();
    await expect.poll(() => theirs.getByTestId('card-header').textContent()).toContain('已解决');
    expect(await theirs.textContent()).toContain('办理结果：已协调市税务局开通发票线上申领。');
    await shot(unit, 'problem-resolved');
    await unit.close();
  }, 120_000);

  it('office: red list nominated and published to the work group, dashboard chart, XLSX export', async () => {
    const admin = await openAs(ADMIN);
    expect(await (await ask(admin, `/红榜 提名 ${story.taskA} 按时汇报、进展扎实`)).textContent()).toContain('已提名');
    await openChat(admin, demoGroup.chatId, demoGroup.name);
    await send(admin, `/红榜 发布 ${story.title}`);
    const notice = botCards(admin, '改革“红榜”通报');
    await expect.poll(() => notice.count(), { timeout: 20_000 }).toBe(1);
    expect(await notice.textContent()).toContain(story.taskA);
    await shot(admin, 'red-list-in-group');
    await openChat(admin, `p2p:${ADMIN}`, '王主任');

    await ask(admin, `/台账 总览 ${story.title}`);
    const dashboard = botCards(admin, `台账总览 · ${story.title}`);
    await dashboard.locator('[data-testid=chart] .chart-canvas[data-rendered=true] canvas').first().waitFor({ timeout: 30_000 });
    expect(await dashboard.getByTestId('unknown-element').count()).toBe(0);
    await dashboard.getByTestId('chart').first().scrollIntoViewIfNeeded();
    await shot(admin, 'dashboard');

    await ask(admin, `/台账 导出 ${story.title}`);
    const exported = botCards(admin, `台账导出 · ${story.title}`);
    await expect.poll(() => exported.count()).toBe(1);
    const href = (await exported.getByRole('link', { name: '点击下载 XLSX' }).getAttribute('href')) ?? '';
    const res = await admin.request.get(new URL(href, session.url()).toString());
    expect(res.status()).toBe(200);
    const body = await res.body();
    expect(body.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(body).buffer);
    expect(book.worksheets.length).toBeGreaterThan(1);
    const cells = book.worksheets.flatMap((s) => s.getSheetValues().flat().map(String)).join('\n');
    expect(cells).toContain(story.taskA);
    await shot(admin, 'export');
    await admin.close();
  }, 120_000);
});

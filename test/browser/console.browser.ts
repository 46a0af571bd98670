// The emulator console end to end in real Chromium: `npm start` (tsx src/main.ts) in emulator mode
// on a free port with a temporary DATA_DIR, browsers as several demo users at once, assertions on
// the DOM only. Screenshots of each step go to test-results/console/ for people to look at.
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../commands/table.js';
import { isAllowed } from '../../src/domain/roles.js';
import { botMessages, lastBotCard, screenshots, send, toast } from './console-page.js';
import { consoleForFile } from './console-process.js';

const ADMIN = 'ou_demo_admin';
const LIAISON = 'ou_demo_liaison_gx'; // 李明, 本溪高新区 (a park: at least 2 topics)
const OTHER_LIAISON = 'ou_demo_liaison_ps'; // 赵芳, 平山区: hands in nothing
const session = consoleForFile('console');
const { openAs } = session;
const shot = screenshots('');



describe('the emulator console in Chromium', () => {
  it('offers the command table on "/" with summaries, filtered to what the user may run', async () => {
    const page = await openAs(LIAISON);
    await page.getByTestId('composer').fill('/');
    const items = page.getByTestId('command-item');
    const allowed = commandTable.filter((c) => isAllowed({ roles: ['public', 'liaison'] }, c.roles));
    await expect.poll(() => items.count()).toBe(allowed.length);
    const first = allowed[0]!;
    await expect.poll(() => items.first().textContent()).toContain(first.summary);
    await shot(page, 'command-menu');
    await page.getByTestId('composer').fill('/帮');
    await expect.poll(() => items.count()).toBe(1);
    await page.close();
  });

  it('admin: /帮助 card, a click updates the card in place for every viewer', async () => {
    const a = await openAs(ADMIN);
    const b = await openAs(ADMIN); // a second tab looking at the same chat
    await send(a, '/帮助');
    await expect.poll(() => lastBotCard(a).getByTestId('card-header').textContent()).toContain('命令列表');
    await expect.poll(() => lastBotCard(b).getByTestId('card-header').textContent()).toContain('命令列表');
    const id = await botMessages(a).last().getAttribute('data-message-id');
    const count = await botMessages(a).count();
    await shot(a, 'admin-help');

    await lastBotCard(a).getByRole('button', { name: '用法：帮助' }).click();
    for (const page of [a, b]) {
      await expect.poll(() => lastBotCard(page).getByTestId('card-header').textContent()).toContain('命令：/帮助');
      expect(await botMessages(page).last().getAttribute('data-message-id')).toBe(id);
      expect(await botMessages(page).count()).toBe(count);
    }
    await shot(b, 'admin-help-updated-in-other-tab');
    await b.close();

    // A form that fails validation comes back with what was typed, red lines, and an error toast.
    await send(a, '/活动 详情 LN2022');
    await expect.poll(() => lastBotCard(a).locator('form[data-form=deadline_form]').count()).toBe(1);
    const form = lastBotCard(a).locator('form[data-form=deadline_form]');
    await form.locator('select[name=phase]').selectOption('topic_submission');
    await form.locator('input[name=closes_at]').fill('明年某天');
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => toast(a).isVisible()).toBe(true);
    expect(await toast(a).getAttribute('data-type')).toBe('error');
    await expect.poll(() => lastBotCard(a).locator('input[name=closes_at]').inputValue()).toBe('明年某天');
    expect(await lastBotCard(a).locator('.md-font[data-color=red]').count()).toBeGreaterThan(0);
    await shot(a, 'admin-form-error-toast');
    await a.close();
  });

  it('liaison: /申报, fill the form card, submit, see the confirmation card with its tracking number', async () => {
    const page = await openAs(LIAISON);
    await send(page, '/申报');
    const card = lastBotCard(page);
    await card.locator('form[data-form=submission_form]').waitFor();
    const id = await botMessages(page).last().getAttribute('data-message-id');
    await shot(page, 'liaison-form');

    // The required title is checked in the client, as Lark does: nothing is sent.
    await card.getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => card.locator('[data-field=title] .field-error').textContent()).toBe('此项为必填项');

    await card.locator('select[name=kind]').selectOption('achievement');
    await card.locator('input[name=title]').fill('企业开办“一件事”集成改革');
    await card.locator('select[name=direction]').selectOption({ index: 6 });
    await card.locator('textarea[name=problem]').fill('企业开办要跑多个部门、重复提交材料。');
    await card.locator('textarea[name=innovation]').fill('一表申请、一窗受理、一日办结。');
    await card.locator('textarea[name=effect]').fill('开办时间由5天压缩到1天。');
    await card.locator('input[name=achievedOn]').fill('2020-03-01'); // outside the campaign's window
    await card.getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => toast(page).getAttribute('data-type')).toBe('error');
    // The same card, rebuilt with what was typed and a red line at the bad field.
    await expect.poll(() => lastBotCard(page).locator('input[name=achievedOn]').inputValue()).toBe('2020-03-01');
    expect(await lastBotCard(page).locator('input[name=title]').inputValue()).toBe('企业开办“一件事”集成改革');
    expect(await lastBotCard(page).locator('.md-font[data-color=red]').count()).toBeGreaterThan(0);
    expect(await botMessages(page).last().getAttribute('data-message-id')).toBe(id);
    await shot(page, 'liaison-form-rejected');

    await lastBotCard(page).locator('input[name=achievedOn]').fill('2022-06-30');
    await lastBotCard(page).getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => lastBotCard(page).getByTestId('card-header').textContent()).toContain('申报已提交');
    const header = (await lastBotCard(page).getByTestId('card-header').textContent()) ?? '';
    expect(header).toMatch(/编号 LN2022-本溪高新区-\d{3}/);
    expect(await toast(page).getAttribute('data-type')).toBe('success');
    expect(await lastBotCard(page).locator('.person-name').allTextContents()).toEqual(['李明']);
    await shot(page, 'liaison-confirmation');
    await page.close();
  });

  it('admin moves the clock: every page shows it, and the liaison still short of quota gets the reminder', async () => {
    const admin = await openAs(ADMIN);
    const liaison = await openAs(OTHER_LIAISON);
    expect(await liaison.getByTestId('admin-controls').isVisible()).toBe(false);
    const before = Date.parse((await liaison.getByTestId('clock').getAttribute('data-now')) ?? '');
    const deadlineText = (await admin.getByTestId('deadline').textContent()) ?? '';
    expect(deadlineText).toContain('选题申报');
    const remindersBefore = await botMessages(liaison).count();

    await admin.getByTestId('travel-preset').click();
    await expect.poll(() => toast(admin).textContent()).toContain('模拟时间已调到');
    for (const page of [admin, liaison]) {
      await expect.poll(async () => Date.parse((await page.getByTestId('clock').getAttribute('data-now')) ?? '') - before).toBeGreaterThan(3 * 86_400_000);
    }
    await shot(admin, 'admin-time-travel');
    await expect.poll(() => botMessages(liaison).count(), { timeout: 20_000 }).toBeGreaterThan(remindersBefore);
    // The same tick may also bring the ledger's pushes (a report reminder, a 提醒函): find the deadline reminder
    // among the new messages rather than expecting it last.
    const deadlineReminder = botMessages(liaison)
      .filter({ has: liaison.getByTestId('card-header').filter({ hasText: '截止提醒' }) })
      .last();
    await expect.poll(() => deadlineReminder.count()).toBe(1);
    expect(await deadlineReminder.textContent()).toContain('平山区');
    await shot(liaison, 'liaison-reminder');
    await liaison.close();
    await admin.close();
  });

  it('draws any chart_spec with VChart served from node_modules (the ledger dashboard card: ledger.browser.ts)', async () => {
    const page = await openAs(ADMIN);
    const vchart = await page.request.get(`${session.url()}/emulator/vendor/vchart.js`);
    expect(vchart.status()).toBe(200);
    // A string: the test runner would rewrite a dynamic import() written as code.
    await page.evaluate(`(async () => {
      const { renderCard } = await import('/emulator/card-render.js');
      const { drawChart } = await import('/emulator/chart.js');
      const spec = { type: 'bar', data: { values: [{ unit: '本溪高新区', n: 1 }, { unit: '平山区', n: 0 }, { unit: '市发展改革委', n: 1 }] }, xField: 'unit', yField: 'n' };
      const card = { schema: '2.0', header: { title: { tag: 'plain_text', content: '各单位申报数' }, template: 'indigo' }, body: { elements: [{ tag: 'chart', chart_spec: spec }] } };
      document.getElementById('messages').append(renderCard(card, { drawChart }));
    })()`);
    await page.locator('[data-testid=chart] .chart-canvas[data-rendered=true] canvas').first().waitFor();
    expect(await page.getByTestId('unknown-element').count()).toBe(0);
    await page.getByTestId('chart').scrollIntoViewIfNeeded();
    await shot(page, 'chart');
    await page.close();
  });

  it('a CSV sent to the bot arrives as a file message and the bot answers it', async () => {
    const page = await openAs(ADMIN);
    const before = await botMessages(page).count();
    await page.getByTestId('file-input').setInputFiles({ name: '单位名单.csv', mimeType: 'text/csv', buffer: Buffer.from('单位名称,单位类型\n明山区,县区\n', 'utf8') });
    await expect.poll(() => page.getByTestId('file-message').last().textContent()).toContain('单位名单.csv');
    await expect.poll(() => botMessages(page).count(), { timeout: 20_000 }).toBeGreaterThan(before);
    expect(await botMessages(page).last().textContent()).not.toContain('下载失败');
    await shot(page, 'admin-file-import');
    await page.close();
  });

  it('every command a demo person may run answers with a card or text the console draws in full', async () => {
    for (const who of [ADMIN, 'ou_demo_liaison_fgw', 'ou_demo_reviewer_1', 'ou_demo_public']) {
      const page = await openAs(who);
      const mine = () => page.locator(`[data-testid=message][data-sender=${who}]`).count();
      const names = await page.evaluate(async (id) => {
        const res = await fetch(`/emulator/api/commands?as=${id}`);
        return ((await res.json()) as { commands: { name: string }[] }).commands.map((c) => c.name);
      }, who);
      expect(names.length).toBeGreaterThan(2);
      for (const name of names) {
        const sent = (await mine()) + 1;
        await send(page, `/${name}`);
        await expect.poll(mine).toBe(sent);
        // Every command gets exactly one answer.
        await expect.poll(() => botMessages(page).count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(sent);
      }
      expect(await page.getByTestId('unknown-element').count()).toBe(0);
      expect(await page.getByTestId('card-flag').count()).toBe(0);
      await page.close();
    }
  });

  it('reset reloads the demo data for every open page', async () => {
    const admin = await openAs(ADMIN);
    const other = await openAs(LIAISON);
    expect(await other.locator('[data-testid=message]').count()).toBeGreaterThan(0);
    await admin.getByTestId('reset').click();
    for (const page of [admin, other]) {
      // The chats empty; the only thing the reloaded demo may push at once is its 提醒函 to 李明.
      await expect.poll(() => page.locator('[data-testid=message]').filter({ hasNotText: '提醒函' }).count()).toBe(0);
      await expect.poll(async () => Math.abs(Date.parse((await page.getByTestId('clock').getAttribute('data-now')) ?? '') - Date.now())).toBeLessThan(60_000);
    }
    await send(other, '/我');
    await expect.poll(() => lastBotCard(other).textContent()).toContain('本溪高新区');
    await shot(other, 'after-reset');
    await other.close();
    await admin.close();
  });
});

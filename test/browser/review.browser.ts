// Issue 9's review story in real Chromium, on the emulator's demo data (src/emulator/demo-review.ts opens
// 办公室遴选 for LN2022 with 孙强's topic and gives it to three of the five demo reviewers, 张教授 among them):
// the reviewer scores and votes on the card and sees it update in place, then the office closes the round
// with a recorded reason, ranks, shortlists, binds the work group and publishes. Assertions on the DOM only;
// screenshots go to test-results/console/ (prefixed "review-").
import { type Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoGroup } from '../../src/emulator/demo-people.js';
import { ask, botMessages, header, lastBot, lastBotCard, openChat, screenshots, send, toast } from './console-page.js';
import { consoleForFile } from './console-process.js';

const ADMIN = 'ou_demo_admin';
const REVIEWER = 'ou_demo_reviewer_1'; // 张教授
const LIAISON = 'ou_demo_liaison_fgw'; // 孙强, whose topic is under review
const session = consoleForFile('review', 1000);
const { openAs } = session;
const shot = screenshots('review-');



/** The highest score a criterion allows, read from its input's placeholder ("0–10"). */
async function topScore(input: Locator): Promise<string> {
  const placeholder = (await input.getAttribute('placeholder')) ?? '';
  const max = /[–-]\s*([\d.]+)/.exec(placeholder)?.[1];
  expect(max, `placeholder "${placeholder}"`).toBeDefined();
  return max ?? '';
}

describe('review in the emulator console (issue 9)', () => {
  it('reviewer: /评审, opens the card, a bad score comes back with what was typed, then scores and votes in place', async () => {
    const page = await openAs(REVIEWER);
    await ask(page, '/评审');
    await expect.poll(() => header(page)).toContain('我的评审');
    expect(await lastBotCard(page).textContent()).toContain('重大项目审批“容缺受理、承诺制”改革');
    const id = await lastBot(page).getAttribute('data-message-id');
    const count = await botMessages(page).count();
    await shot(page, 'reviewer-list');

    await lastBotCard(page).getByRole('button', { name: '评审', exact: true }).click();
    await expect.poll(() => header(page)).toContain('评审 · 办公室遴选');
    const form = lastBotCard(page).locator('form[data-form=review_form]');
    await form.waitFor();
    expect(await lastBot(page).getAttribute('data-message-id')).toBe(id);
    const scores = form.locator('input[name^=s_]');
    const criteria = await scores.count();
    expect(criteria).toBeGreaterThan(0);
    const names: string[] = [];
    for (let i = 0; i < criteria; i += 1) names.push((await scores.nth(i).getAttribute('name')) ?? '');
    await shot(page, 'reviewer-score-sheet');

    // Out of range: the same card comes back with what was typed, a red line, and an error toast.
    for (const name of names) await form.locator(`input[name="${name}"]`).fill('999');
    await form.locator('select[name=vote]').selectOption('recommend');
    await form.locator('textarea[name=comment]').fill('思路清晰，可复制推广。');
    await form.getByRole('button', { name: '提交评审' }).click();
    await expect.poll(() => toast(page).getAttribute('data-type')).toBe('error');
    const again = lastBotCard(page).locator('form[data-form=review_form]');
    await expect.poll(() => again.locator(`input[name="${names[0]}"]`).inputValue()).toBe('999');
    expect(await again.locator('textarea[name=comment]').inputValue()).toBe('思路清晰，可复制推广。');
    expect(await lastBotCard(page).locator('.md-font[data-color=red]').count()).toBeGreaterThan(0);
    expect(await lastBot(page).getAttribute('data-message-id')).toBe(id);
    await shot(page, 'reviewer-score-rejected');

    for (const name of names) {
      const input = again.locator(`input[name="${name}"]`);
      await input.fill(await topScore(input));
    }
    await again.getByRole('button', { name: '提交评审' }).click();
    await expect.poll(() => lastBotCard(page).textContent()).toContain('你的评分');
    const done = (await lastBotCard(page).textContent()) ?? '';
    expect(done).toContain('投票意见：推荐');
    expect(done).toContain('思路清晰，可复制推广。');
    expect(await lastBotCard(page).locator('form').count()).toBe(0);
    expect(await lastBotCard(page).getByRole('button', { name: '修改' }).count()).toBe(1);
    expect(await toast(page).getAttribute('data-type')).toBe('success');
    // Updated in place: the same message, no new one.
    expect(await lastBot(page).getAttribute('data-message-id')).toBe(id);
    expect(await botMessages(page).count()).toBe(count);
    await shot(page, 'reviewer-card-updated');
    await page.close();
  });

  it('office: closes the round with a reason, ranks, shortlists, binds the work group and publishes', async () => {
    const admin = await openAs(ADMIN);
    // Two of the three reviews are missing: closing needs a reason, which is then recorded.
    expect(await (await ask(admin, '/评审 关闭')).textContent()).toContain('理由');
    expect(await (await ask(admin, '/评审 关闭 演示：其余两位专家未在规定时间内完成')).textContent()).toContain('已关闭“办公室遴选”');
    await shot(admin, 'admin-round-closed');

    await ask(admin, '/排名');
    await expect.poll(() => header(admin)).toContain('排名 · 办公室遴选');
    expect(await lastBotCard(admin).textContent()).toContain('重大项目审批“容缺受理、承诺制”改革');
    await shot(admin, 'admin-ranking');

    await ask(admin, '/排名 入围 2');
    await expect.poll(() => header(admin)).toContain('入围名单 · 办公室遴选');
    await shot(admin, 'admin-shortlist');

    // Nothing bound yet: /发布 says where to bind.
    expect(await (await ask(admin, '/发布')).textContent()).toContain('绑定');

    await openChat(admin, demoGroup.chatId, demoGroup.name);
    expect(await (await ask(admin, '/活动 绑定群')).textContent()).toContain('已将本群设为活动');

    await send(admin, '/发布');
    // The answer, and the result card that reaches the group through the outbox (in either order).
    await expect.poll(() => botMessages(admin).filter({ hasText: '已发布“办公室遴选”结果' }).count(), { timeout: 20_000 }).toBe(1);
    const resultCard = botMessages(admin).getByTestId('card').filter({ has: admin.getByTestId('card-header').filter({ hasText: '评审结果公布 · 办公室遴选' }) });
    await expect.poll(() => resultCard.count(), { timeout: 20_000 }).toBe(1);
    expect(await resultCard.textContent()).toContain('重大项目审批“容缺受理、承诺制”改革');
    await shot(admin, 'admin-published-in-group');
    await admin.close();

    // 孙强 hears how his unit's topic did.
    const liaison = await openAs(LIAISON);
    await expect.poll(() => botMessages(liaison).filter({ hasText: '办公室遴选' }).count(), { timeout: 20_000 }).toBe(1);
    expect(await botMessages(liaison).filter({ hasText: '办公室遴选' }).textContent()).toContain('在“办公室遴选”中入围');
    await shot(liaison, 'liaison-outcome');
    await liaison.close();
  });
});

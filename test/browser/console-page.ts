// What the browser stories do on a console page: type into the composer, wait for the bot's answer, read the last
// card, the toast, take numbered screenshots. Shared by every *.browser.ts so each story reads as the story.
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const shotDir = path.resolve(import.meta.dirname, '../../test-results/console');

/** Numbered screenshots in test-results/console/, named `<prefix>NN-<name>.png`. */
export function screenshots(prefix: string): (page: Page, name: string) => Promise<void> {
  let step = 0;
  return async (page, name) => {
    step += 1;
    await page.screenshot({ path: path.join(shotDir, `${prefix}${String(step).padStart(2, '0')}-${name}.png`), fullPage: false });
  };
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

export const botMessages = (page: Page): Locator => page.locator('[data-testid=message][data-sender=bot]');
export const lastBot = (page: Page): Locator => botMessages(page).last();
export const lastBotCard = (page: Page): Locator => lastBot(page).getByTestId('card');
export const header = (page: Page): Promise<string | null> => lastBotCard(page).getByTestId('card-header').textContent();
export const toast = (page: Page): Locator => page.getByTestId('toast');

/** The bot's messages in the open chat whose card header contains `title`. */
export const botCards = (page: Page, title: string): Locator => botMessages(page).filter({ has: page.getByTestId('card-header').filter({ hasText: title }) });

/** The card of one message, followed by its id: a card updated in place stays this locator. */
export async function cardInPlace(page: Page, message: Locator): Promise<Locator> {
  const id = await message.getAttribute('data-message-id');
  expect(id).toBeTruthy();
  return page.locator(`[data-testid=message][data-message-id="${id}"] [data-testid=card]`);
}

/** Sends a command and waits for the bot's answer to it (a new bot message). */
export async function ask(page: Page, text: string): Promise<Locator> {
  const before = await botMessages(page).count();
  await send(page, text);
  await expect.poll(() => botMessages(page).count(), { timeout: 20_000 }).toBeGreaterThan(before);
  return lastBot(page);
}

/** Opens a chat from the list on the left (the demo group, or someone's private chat). */
export async function openChat(page: Page, chatId: string, title: string): Promise<void> {
  await page.locator(`[data-testid=chat-item][data-chat="${chatId}"]`).click();
  await expect.poll(() => page.getByTestId('chat-title').textContent()).toContain(title);
}

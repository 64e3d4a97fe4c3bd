/**
 * End to end through a real chat client: the bot on a loopback port, the Microsoft 365
 * Agents Playground (a Teams-like client that runs offline) as a child process, and
 * headless Chromium driving the Playground's page. Every activity reaches the bot as
 * real HTTP from the Playground, and every reply goes back to the Playground's connector.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness';
import { describeWithBrowser, launchChromium, openChat, sendMessage, startPlayground, WAIT_MS, type Playground } from '../support/playground';

const HELP_TITLE = 'What QA Loop can do for you';
const ABOUT_TITLE = 'The QA cycle';

describeWithBrowser('QA Loop in the Agents Playground', () => {
  let h: Harness | undefined;
  let playground: Playground | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    h = await startHarness();
    playground = await startPlayground(h.botUrl);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 45_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await playground?.stop();
    await h?.close().catch(() => undefined);
  }, 20_000);

  test('help shows its card, and "About the QA cycle" replaces it in place with the about card', async () => {
    await openChat(page, playground!.url);
    await sendMessage(page, 'help');

    const cards = page.locator('.ac-adaptiveCard');
    const helpCard = cards.filter({ hasText: HELP_TITLE });
    await helpCard.waitFor({ timeout: WAIT_MS });
    // The welcome card from the install may be on the page too; remember which card is the help card.
    const index = await cards.evaluateAll((all, title) => all.findIndex((card) => card.textContent?.includes(title)), HELP_TITLE);
    const cardCount = await cards.count();

    await helpCard.getByRole('button', { name: 'About the QA cycle' }).click();
    await page.waitForFunction(
      ({ at, about, help }) => {
        const text = document.querySelectorAll('.ac-adaptiveCard')[at]?.textContent ?? '';
        return text.includes(about) && !text.includes(help);
      },
      { at: index, about: ABOUT_TITLE, help: HELP_TITLE },
      { timeout: WAIT_MS },
    );
    const updated = cards.nth(index);
    expect(await updated.innerText()).toContain(ABOUT_TITLE);
    expect(await updated.getByRole('button', { name: 'Back to help' }).isVisible()).toBe(true);
    expect(await cards.count()).toBe(cardCount);
    expect(await cards.filter({ hasText: HELP_TITLE }).count()).toBe(0);

    // The bot saw both as real HTTP requests from the Playground, and answered both with 200.
    const requests = h!.logLines
      .map((line) => JSON.parse(line) as { msg: string; request?: { status: number }; activity?: { type: string; name?: string } })
      .filter((entry) => entry.msg === 'request' && entry.activity !== undefined);
    expect(requests).toContainEqual(expect.objectContaining({ activity: { type: 'message' }, request: expect.objectContaining({ status: 200 }) }));
    expect(requests).toContainEqual(
      expect.objectContaining({ activity: { type: 'invoke', name: 'adaptiveCard/action' }, request: expect.objectContaining({ status: 200 }) }),
    );

    const screenshot = join(tmpdir(), 'qa-loop-playground.png');
    await page.screenshot({ path: screenshot });
    const png = readFileSync(screenshot);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }, 30_000);
});


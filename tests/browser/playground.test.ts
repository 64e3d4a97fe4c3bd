/**
 * End to end through a real chat client: the bot on a loopback port, the Microsoft 365
 * Agents Playground (a Teams-like client that runs offline) as a child process, and
 * headless Chromium driving the Playground's page. Every activity reaches the bot as
 * real HTTP from the Playground, and every reply goes back to the Playground's connector.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild, waitForHttp } from '../../dev/child-process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHarness, type Harness } from '../support/harness';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const inCi = Boolean(process.env.CI);
const noChromium = `Chromium is not installed at ${chromiumPath}. Install it with: apt-get install -y chromium`;
if (!haveChromium && !inCi) console.warn(`Skipping the Playground browser test. ${noChromium}`);

// On CI a missing browser is a failure, never a silent skip.
const describeWithBrowser = haveChromium || inCi ? describe : describe.skip;

const HELP_TITLE = 'What QA Loop can do for you';
const ABOUT_TITLE = 'The QA cycle';
const WAIT_MS = 15_000;

describeWithBrowser('QA Loop in the Agents Playground', () => {
  let h: Harness | undefined;
  let playground: ChildProcess | undefined;
  let playgroundOutput = '';
  let workDir: string | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let playgroundUrl: string;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(noChromium);
    h = await startHarness();
    // Its own working directory: the Playground writes devTools/m365agentsplayground.log there.
    workDir = mkdtempSync(join(tmpdir(), 'qa-loop-playground-'));
    playground = spawn(
      process.execPath,
      [require.resolve('@microsoft/m365agentsplayground/cli.js'), '--disable-telemetry', '-p', '0', '-c', 'msteams'],
      { cwd: workDir, env: { ...process.env, BOT_ENDPOINT: h.botUrl, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    playground.stderr!.on('data', (chunk: Buffer) => (playgroundOutput += chunk.toString('utf8')));
    const port = await listeningPort(playground);
    playgroundUrl = `http://127.0.0.1:${port}/`;
    await waitForHttp(playgroundUrl, WAIT_MS);

    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 45_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (playground !== undefined) await stopChild(playground);
    await h?.close().catch(() => undefined);
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  }, 20_000);

  /** The port it really listens on (-p 0 asks for any free one); the line is also how we know it started. */
  function listeningPort(child: ChildProcess): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The Playground did not start within ${WAIT_MS} ms. Output:\n${playgroundOutput}`)), WAIT_MS);
      child.once('exit', (code) => reject(new Error(`The Playground exited with code ${code}. Output:\n${playgroundOutput}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        playgroundOutput += `${line}\n`;
        const match = /Listening on (\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
  }

  test('help shows its card, and "About the QA cycle" replaces it in place with the about card', async () => {
    await page.goto(playgroundUrl);
    await page.getByText('Connected.').first().waitFor({ timeout: WAIT_MS });

    // The page has two editable areas (the message box and the log panel); the message box is the textbox.
    const messageBox = page.locator('[contenteditable="true"][role="textbox"]');
    await messageBox.click();
    await page.keyboard.type('help');
    await page.getByRole('button', { name: 'Send Message' }).click();

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


/**
 * The Microsoft 365 Agents Playground (a Teams-like chat client that runs offline) as a
 * child process pointed at a bot, and headless Chromium to drive its page: what the
 * browser tests share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { stopChild, waitForHttp } from '../../dev/child-process';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
const inCi = Boolean(process.env.CI);
export const noChromium = `Chromium is not installed at ${chromiumPath}. Install it with: apt-get install -y chromium`;

/** How long to wait for the Playground to start, or for the page to show what a step should show. */
export const WAIT_MS = 15_000;

/**
 * `describe` when Chromium is there; otherwise skipped with a message saying why. On CI a
 * missing browser is a failure, never a silent skip: the suite runs and its set-up fails.
 */
export function describeWithBrowser(name: string, suite: () => void): void {
  if (haveChromium || inCi) {
    describe(name, suite);
    return;
  }
  console.warn(`Skipping "${name}". ${noChromium}`);
  describe.skip(name, suite);
}

export interface Playground {
  /** The page to open, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** Everything it printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the Playground on a free port, pointed at the bot's /api/messages, and waits until its page answers. */
export async function startPlayground(botUrl: string): Promise<Playground> {
  // Its own working directory: the Playground writes devTools/m365agentsplayground.log there.
  const workDir = mkdtempSync(join(tmpdir(), 'qa-loop-playground-'));
  let output = '';
  const child = spawn(
    process.execPath,
    [require.resolve('@microsoft/m365agentsplayground/cli.js'), '--disable-telemetry', '-p', '0', '-c', 'msteams'],
    { cwd: workDir, env: { ...process.env, BOT_ENDPOINT: botUrl, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child, (line) => (output += `${line}\n`), () => output);
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, WAIT_MS);
    return { url, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The port it really listens on (-p 0 asks for any free one); the line is also how we know it started. */
function listeningPort(child: ChildProcess, onLine: (line: string) => void, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The Playground did not start within ${WAIT_MS} ms. Output:\n${output()}`)), WAIT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The Playground exited with code ${code}. Output:\n${output()}`));
    });
    // Keep reading to the end so the child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      onLine(line);
      const match = /Listening on (\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
}

/** Headless Chromium, quiet: no GPU, no background traffic. Fails with how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(noChromium);
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Opens the Playground's chat and waits until it has connected to the bot. */
export async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByText('Connected.').first().waitFor({ timeout: WAIT_MS });
}

/** Types a message into the chat box and sends it, as a person would. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  // The page has two editable areas (the message box and the log panel); the message box is the textbox.
  const messageBox = page.locator('[contenteditable="true"][role="textbox"]');
  await messageBox.click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { FakeClock } from './fake-clock';
import { startHarness, type Harness } from './harness';
import { launchChromium, startPlayground, WAIT_MS, type Playground } from './playground';
import { runQa } from './qa-process';

/**
 * The world the Playground browser tests share: `qa demo load` run as the real command at a
 * fixed time, the bot serving that SQLite file with a fake clock at the same time, the same
 * file opened separately (what a later process would find), the Agents Playground, and a
 * Chromium page on it.
 */
export interface DemoPlayground {
  h: Harness;
  stored: DatabaseHandle;
  playground: Playground;
  browser: Browser;
  page: Page;
  /** What `qa demo load` printed. */
  demoOutput: string;
  close(): Promise<void>;
}

/** An Adaptive Card as far as finding an input in it by id needs. */
export interface CardElement {
  id?: string;
  value?: unknown;
  body?: CardElement[];
  items?: CardElement[];
}

export function inputOf(element: CardElement, id: string): CardElement | undefined {
  if (element.id === id) return element;
  for (const child of [...(element.body ?? []), ...(element.items ?? [])]) {
    const found = inputOf(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

export async function openDemoPlayground(name: string, now: string, viewport: { width: number; height: number }): Promise<DemoPlayground> {
  const dataDir = mkdtempSync(join(tmpdir(), `qa-loop-${name}-`));
  const opened: Partial<Omit<DemoPlayground, 'close' | 'demoOutput'>> = {};
  const close = async (): Promise<void> => {
    await opened.browser?.close().catch(() => undefined);
    await opened.playground?.stop();
    await opened.stored?.close().catch(() => undefined);
    await opened.h?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    opened.browser = await launchChromium();
    const file = join(dataDir, 'qa-loop.sqlite');
    const demo = await runQa(file, ['demo', 'load'], { QA_NOW: now });
    if (demo.code !== 0) throw new Error(`qa demo load failed (exit code ${demo.code}):\n${demo.stdout}${demo.stderr}`);
    opened.h = await startHarness({ env: { DATABASE_URL: `sqlite:${file}` }, clock: new FakeClock(new Date(now)) });
    opened.stored = openDatabase({ kind: 'sqlite', path: file });
    opened.playground = await startPlayground(opened.h.botUrl);
    opened.page = await opened.browser.newPage({ viewport });
    // A step that does not show what it should fails within this, well inside the test's own limit.
    opened.page.setDefaultTimeout(WAIT_MS);
    const { h, stored, playground, browser, page } = opened as Required<typeof opened>;
    return { h, stored, playground, browser, page, demoOutput: demo.stdout, close };
  } catch (error) {
    await close();
    throw error;
  }
}

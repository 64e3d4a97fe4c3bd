import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { buildTab } from '../tab/build';
import { FakeClock } from '../tests/support/fake-clock';
import { startHarness, type Harness } from '../tests/support/harness';
import { haveChromium, launchChromium, noChromium, WAIT_MS } from '../tests/support/playground';

/**
 * The dashboard tab's first load in headless Chromium: the real bot (tests/support/harness)
 * on the given database, in local mode, so the page signs in as the development identity
 * (the first QA manager on file, as tests/browser/dashboard.test.ts does) and shows the
 * whole trust by service. Each load is in a new browser context (empty cache, new
 * connections). Measured in the page, from navigation start to the moment a selector
 * that appears only with the figures (#breakdown, the trust-by-service table) is in the
 * document; the reference is a trivial static page from a bare node:http server, loaded
 * the same way in alternation with the tab.
 */
export interface LoadTime {
  /** Navigation start to the selector in the document, measured in the page. */
  renderedMs: number;
  /** page.goto to Playwright seeing the selector, measured here. */
  wallMs: number;
  /** The /api/tab/summary request (resource timing), tab only. */
  summaryMs: number;
  heading: string;
  rows: number;
}

export type TabLoad = { skipped: string } | { cold: LoadTime; tab: LoadTime[]; trivial: LoadTime[]; /** The same JSON fetched from Node, no browser: the server's share. */ summaryFromNodeMs: number[] };

const TRIVIAL_PAGE = '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Trivial</title></head><body><h1 id="ready">Ready</h1></body></html>';

async function startTrivialServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(TRIVIAL_PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

async function timeLoad(browser: Browser, url: string, selector: string): Promise<LoadTime> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Runs in the page before its own scripts. A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
    await page.addInitScript({
      content: `(() => {
        const wanted = ${JSON.stringify(selector)};
        new MutationObserver((records, observer) => {
          if (window.__renderedAt === undefined && document.querySelector(wanted) !== null) window.__renderedAt = window.performance.now();
          if (window.__renderedAt !== undefined) observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
      })();`,
    });
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForSelector(selector, { state: 'attached', timeout: WAIT_MS });
    const wallMs = performance.now() - t0;
    // Runs in the page: `performance` is the global one on both sides (not imported here, so not rewritten).
    const inPage = await page.evaluate(() => {
      const summary = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/tab/summary'));
      return {
        renderedMs: (window as unknown as { __renderedAt?: number }).__renderedAt ?? Number.NaN,
        summaryMs: summary?.duration ?? Number.NaN,
        heading: document.querySelector('h1')?.textContent ?? '',
        rows: document.querySelectorAll('#breakdown tbody tr').length,
      };
    });
    return { ...inPage, wallMs };
  } finally {
    await context.close();
  }
}

/** `loads` loads of the tab (after one cold first load) and of the trivial page, alternating. Skipped, with why, when Chromium cannot run. */
export async function measureTabLoad(databaseUrl: string, now: Date, month: string, loads: number, progress: (message: string) => void): Promise<TabLoad> {
  if (!haveChromium) return { skipped: noChromium };
  await buildTab();
  let h: Harness | undefined;
  let trivial: { url: string; server: Server } | undefined;
  let browser: Browser | undefined;
  try {
    h = await startHarness({ env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, clock: new FakeClock(now) });
    trivial = await startTrivialServer();
    try {
      browser = await launchChromium();
    } catch (error) {
      return { skipped: `Chromium did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
    const tabUrl = `${h.baseUrl}/tab?month=${month}`;
    progress(`tab: the first load, then ${loads} loads each of the tab and of a trivial page, alternating`);
    const cold = await timeLoad(browser, tabUrl, '#breakdown');
    if (!cold.heading.includes('The whole trust') || cold.rows === 0) throw new Error(`The tab did not show the whole trust by service: "${cold.heading}", ${cold.rows} rows.`);
    const tab: LoadTime[] = [];
    const reference: LoadTime[] = [];
    for (let i = 0; i < loads; i++) {
      if (i % 2 === 0) {
        reference.push(await timeLoad(browser, trivial.url, '#ready'));
        tab.push(await timeLoad(browser, tabUrl, '#breakdown'));
      } else {
        tab.push(await timeLoad(browser, tabUrl, '#breakdown'));
        reference.push(await timeLoad(browser, trivial.url, '#ready'));
      }
    }
    const summaryFromNodeMs: number[] = [];
    for (let i = 0; i < loads; i++) {
      const t0 = performance.now();
      const response = await fetch(`${h.baseUrl}/api/tab/summary?month=${month}`);
      await response.json();
      summaryFromNodeMs.push(performance.now() - t0);
      if (response.status !== 200) throw new Error(`/api/tab/summary answered ${response.status}.`);
    }
    const errors = h.logLines.filter((line) => Number((JSON.parse(line) as { level?: number }).level) >= 50);
    if (errors.length > 0) throw new Error(`The bot logged ${errors.length} errors while serving the tab: ${errors[0]?.slice(0, 300) ?? ''}`);
    return { cold, tab, trivial: reference, summaryFromNodeMs };
  } finally {
    await browser?.close();
    if (trivial !== undefined) await new Promise((resolve) => trivial?.server.close(resolve));
    await h?.close();
  }
}

/**
 * The dashboard tab: its page in headless Chromium outside Teams, with a stand-in for the
 * Teams host (window.__qaLoopHost, honoured only by a local-mode server) giving the theme;
 * and its JSON endpoint behind Teams sign-in, with tokens signed by a local stand-in for
 * Entra ID (the RSA key and OpenID metadata of tests/support/bot-framework-issuer.ts).
 *
 * The data is the year of known records of tests/reports/report-world.ts (services North
 * and South), looked at in March 2027 from 15 April 2027.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTab } from '../../tab/build';
import { BotFrameworkIssuerStandIn, newSigningKey } from '../support/bot-framework-issuer';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { describeWithBrowser, launchChromium, WAIT_MS } from '../support/playground';
import { buildWorld, PEOPLE, type WorldPerson } from '../reports/report-world';
import type { DashboardSummary } from '../../services/dashboard/dashboard';

const NOW = new Date('2027-04-15T10:00:00Z');
const MONTH = '2027-03';
const APP_ID = '5b0f8d7e-2c4a-4e61-9a3b-7d2e1f0c6a55';
const TENANT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const HOST = 'qaloop.trust.example';
const APP_ID_URI = `api://${HOST}/${APP_ID}`;
const THEMES = ['default', 'dark', 'contrast'] as const;

async function startWorld(env: Record<string, string> = {}): Promise<Harness> {
  const h = await startHarness({ clock: new FakeClock(NOW), env });
  try {
    await buildWorld(h.app.deps.repos, h.app.deps.calendar);
    return h;
  } catch (error) {
    await h.close();
    throw error;
  }
}

interface Answer {
  status: number;
  body: { identity?: { name: string; development: boolean }; summary?: DashboardSummary; code?: string; message?: string };
}

async function summary(h: Harness, query: string, token?: string): Promise<Answer> {
  const response = await fetch(`${h.baseUrl}/api/tab/summary${query}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

describe('dashboard JSON behind Teams sign-in', () => {
  const issuer = new BotFrameworkIssuerStandIn();
  let h: Harness;
  let authority: string;

  beforeAll(async () => {
    await issuer.start();
    authority = new URL(issuer.metadataUrl).origin;
    h = await startWorld({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'stand-in-secret',
      PUBLIC_BASE_URL: `https://${HOST}`,
      ALLOWED_TENANT_IDS: TENANT,
      TAB_SSO_OPENID_METADATA_URL: issuer.metadataUrl,
      TAB_SSO_AUTHORITY: authority,
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await issuer.stop();
  });

  /** An Entra access token for the tab, as Teams would get one for `person`, valid for an hour. */
  const claimsFor = (person: WorldPerson, changes: Record<string, unknown> = {}): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: `${authority}/${TENANT}/v2.0`, aud: APP_ID_URI, tid: TENANT, oid: person.aadObjectId, preferred_username: person.email, name: person.name, iat: now - 60, nbf: now - 60, exp: now + 3600, ver: '2.0', ...changes };
  };
  const tokenFor = (person: WorldPerson, changes: Record<string, unknown> = {}): string => issuer.token(claimsFor(person, changes));

  test('the QA manager sees the whole trust by service, then a service by team, then a team', async () => {
    const trust = await summary(h, `?month=${MONTH}`, tokenFor(PEOPLE.qa));
    expect(trust.status).toBe(200);
    expect(trust.body.identity).toEqual({ name: 'Quinn Assurance', development: false });
    const figures = trust.body.summary!;
    expect(figures.scope).toMatchObject({ kind: 'trust', label: 'The whole trust' });
    expect(figures.breakdown?.level).toBe('service');
    expect(figures.breakdown?.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['North', 'South']));
    // March: Sol South never did his activity, so it is overdue (report-world.ts).
    expect(figures.breakdown?.rows.find((row) => row.name === 'South')?.overdue).toBe(1);
    expect(figures.figures?.activity.overdue).toBe(1);
    expect(figures.figures?.trend).toHaveLength(12);

    const north = await summary(h, `?month=${MONTH}&service=north`, tokenFor(PEOPLE.qa));
    expect(north.status).toBe(200);
    expect(north.body.summary?.scope).toMatchObject({ kind: 'service', service: 'North' });
    expect(north.body.summary?.breakdown?.rows.map((row) => row.name)).toEqual(['North A', 'North B']);
    const team = await summary(h, `?month=${MONTH}&service=North&team=North%20A`, tokenFor(PEOPLE.qa));
    expect(team.body.summary?.scope).toMatchObject({ kind: 'team', label: 'North A, North service' });
    expect(team.body.summary?.trail.map((step) => step.label)).toEqual(['The whole trust', 'North service', 'North A']);
  });

  test('a manager sees their own service (found by email when their Entra id is not on file yet) and gets 403 for another', async () => {
    const own = await summary(h, `?month=${MONTH}`, tokenFor(PEOPLE.n1));
    expect(own.status).toBe(200);
    expect(own.body.summary?.scope).toMatchObject({ kind: 'service', service: 'North' });
    expect(own.body.summary?.trail.map((step) => step.label)).toEqual(['North service']);
    // Someone on file by email only is found by the token's preferred_username, and their Entra id remembered.
    const newcomer = { ...PEOPLE.n3, name: 'Nina New', email: 'nina@trust.example.org', aadObjectId: '77777777-7777-4777-8777-777777777777' };
    await h.app.deps.repos.staff.insert({ email: newcomer.email, name: newcomer.name, tier: 'team_manager', service: 'North', team: 'North B', roles: ['manager'] }, NOW);
    const byEmail = await summary(h, `?month=${MONTH}`, tokenFor(newcomer));
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.summary?.viewer.name).toBe('Nina New');
    expect((await h.app.deps.repos.staff.findByAadObjectId(newcomer.aadObjectId))?.email).toBe(newcomer.email);
    // The email matches but another Entra identity is on file: not the same person.
    expect((await summary(h, `?month=${MONTH}`, tokenFor(PEOPLE.n3, { oid: '88888888-8888-4888-8888-888888888888' }))).status).toBe(403);

    const other = await summary(h, `?month=${MONTH}&service=South`, tokenFor(PEOPLE.n1));
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
    expect(JSON.stringify(other.body)).not.toContain('overdue');
    expect((await summary(h, `?month=${MONTH}&service=Nowhere`, tokenFor(PEOPLE.n1))).status).toBe(403);
    expect((await summary(h, `?month=${MONTH}&service=South&team=South%20A`, tokenFor(PEOPLE.s1))).status).toBe(200);
    expect((await summary(h, `?month=${MONTH}&service=North&team=North%20A`, tokenFor(PEOPLE.s1))).status).toBe(403);
  });

  test('anyone else sees only their own activity and actions', async () => {
    const own = await summary(h, `?month=${MONTH}`, tokenFor(PEOPLE.pNA));
    expect(own.status).toBe(200);
    expect(own.body.summary?.scope).toBeUndefined();
    expect(own.body.summary?.figures).toBeUndefined();
    expect(own.body.summary?.breakdown).toBeUndefined();
    expect(own.body.summary?.personal.openActions).toEqual(expect.any(Number));
    expect(own.body.summary?.personal.moderationWaiting).toBeUndefined();
    expect((await summary(h, `?month=${MONTH}&service=North`, tokenFor(PEOPLE.pNA))).status).toBe(403);
  });

  test('the Application ID URI and the bare client id are both accepted audiences', async () => {
    expect((await summary(h, '', tokenFor(PEOPLE.qa, { aud: APP_ID }))).status).toBe(200);
    expect((await summary(h, '', tokenFor(PEOPLE.qa, { iss: `https://sts.windows.net/${TENANT}/` }))).status).toBe(200);
  });

  test('forged, expired, wrong-audience, wrong-issuer, other-tenant, unsigned and missing tokens are refused with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forger = newSigningKey(issuer.trustedKey.kid);
    const refused = {
      forged: issuer.token(claimsFor(PEOPLE.qa), { key: forger }),
      'forged, unknown key': issuer.token(claimsFor(PEOPLE.qa), { key: newSigningKey() }),
      expired: tokenFor(PEOPLE.qa, { nbf: now - 7200, iat: now - 7200, exp: now - 3600 }),
      'wrong audience': tokenFor(PEOPLE.qa, { aud: 'api://elsewhere.example/other-app' }),
      'wrong issuer': tokenFor(PEOPLE.qa, { iss: `https://login.example.org/${TENANT}/v2.0` }),
      'other tenant': tokenFor(PEOPLE.qa, { tid: '11111111-2222-4333-8444-555555555555', iss: `${authority}/11111111-2222-4333-8444-555555555555/v2.0` }),
      unsigned: issuer.token(claimsFor(PEOPLE.qa), { alg: 'none' }),
      'algorithm confusion': issuer.token(claimsFor(PEOPLE.qa), { alg: 'HS256' }),
      garbage: 'not.a.token',
    };
    for (const [what, token] of Object.entries(refused)) {
      const answer = await summary(h, `?month=${MONTH}`, token);
      expect({ what, status: answer.status, summary: answer.body.summary }).toEqual({ what, status: 401, summary: undefined });
    }
    const missing = await summary(h, `?month=${MONTH}`);
    expect(missing.status).toBe(401);
    // With an app id there is no development identity, whatever is asked for.
    expect((await summary(h, `?as=${PEOPLE.qa.email}`)).status).toBe(401);
  });

  test('someone signed in but not on the staff list is refused with 403', async () => {
    const stranger = { ...PEOPLE.pNA, aadObjectId: '99999999-9999-4999-8999-999999999999', email: 'stranger@elsewhere.example' };
    expect((await summary(h, '', tokenFor(stranger))).status).toBe(403);
  });
});

describeWithBrowser('dashboard tab in headless Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  const shots: string[] = [];

  beforeAll(async () => {
    await buildTab();
    h = await startWorld();
    browser = await launchChromium();
    // bypassCSP: axe-core is put into the page by the test, which the page's own policy forbids.
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1100, height: 900 } });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
    if (shots.length > 0) console.log(`Dashboard screenshots:\n${shots.join('\n')}`);
  });

  /** Opens the tab as Teams would show it in `theme`, through the stand-in host. */
  async function open(theme: string, query = `?month=${MONTH}`): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript((initialTheme: string) => {
      const handlers: ((theme: string) => void)[] = [];
      const w = window as unknown as { __qaLoopHost: unknown; __changeTheme: (theme: string) => void };
      w.__qaLoopHost = { theme: initialTheme, onThemeChange: (handler: (theme: string) => void) => handlers.push(handler) };
      w.__changeTheme = (next: string) => handlers.forEach((handler) => handler(next));
    }, theme);
    await page.goto(`${h.baseUrl}/tab${query}`);
    await page.getByRole('heading', { level: 1, name: /QA dashboard: / }).waitFor({ timeout: WAIT_MS });
    return page;
  }

  async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
  }

  for (const theme of THEMES) {
    test(`in the ${theme} theme: the whole trust for the development QA manager, no serious accessibility problems, screenshot`, async () => {
      const page = await open(theme);
      try {
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        await expect(page.getByRole('note').textContent()).resolves.toBe('Development identity: Quinn Assurance — not signed in');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('QA dashboard: The whole trust');
        for (const caption of ['Grade distribution', 'Final practice reviews and observations, last twelve months', 'Family feedback received in March 2027', 'The trust by service']) {
          await expect(page.locator('caption', { hasText: caption }).count()).resolves.toBe(1);
        }
        await expect(page.getByRole('button', { name: 'North: show its figures' }).count()).resolves.toBe(1);
        expect(await seriousViolations(page)).toEqual([]);
        const file = join(tmpdir(), `qa-loop-dashboard-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        shots.push(file);
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  test('drills down from the trust to a service to a team with the keyboard, and back up', async () => {
    const page = await open('default');
    try {
      const north = page.getByRole('button', { name: 'North: show its figures' });
      await north.focus();
      await page.keyboard.press('Enter');
      const title = page.getByRole('heading', { level: 1 });
      await page.getByRole('heading', { level: 1, name: 'QA dashboard: North service' }).waitFor({ timeout: WAIT_MS });
      // Focus moves to the new heading, so a screen reader says where the person now is.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('title');
      await expect(page.locator('caption', { hasText: 'North service by team' }).count()).resolves.toBe(1);

      await page.getByRole('button', { name: 'North A: show its figures' }).focus();
      await page.keyboard.press('Space');
      await page.getByRole('heading', { level: 1, name: 'QA dashboard: North A, North service' }).waitFor({ timeout: WAIT_MS });
      await expect(page.getByRole('navigation', { name: 'Where you are' }).textContent()).resolves.toContain('North A');
      await expect(page.locator('#breakdown').count()).resolves.toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('navigation', { name: 'Where you are' }).getByRole('button', { name: 'The whole trust' }).click();
      await page.getByRole('heading', { level: 1, name: 'QA dashboard: The whole trust' }).waitFor({ timeout: WAIT_MS });
      await expect(title.textContent()).resolves.toBe('QA dashboard: The whole trust');
    } finally {
      await page.close();
    }
  }, 60_000);

  test('follows a theme change from Teams', async () => {
    const page = await open('default');
    try {
      await page.evaluate(() => (window as unknown as { __changeTheme: (theme: string) => void }).__changeTheme('dark'));
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      expect(background).toBe('rgb(31, 31, 31)');
      await page.evaluate(() => (window as unknown as { __changeTheme: (theme: string) => void }).__changeTheme('contrast'));
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(0, 0, 0)');
    } finally {
      await page.close();
    }
  }, 60_000);

  test('with an app id the page ignores a stand-in host and, outside Teams, asks to be opened in Teams', async () => {
    const signedIn = await startWorld({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'stand-in-secret', PUBLIC_BASE_URL: `https://${HOST}` });
    const page = await context.newPage();
    try {
      await page.addInitScript(() => {
        (window as unknown as { __qaLoopHost: unknown }).__qaLoopHost = { theme: 'dark', token: 'made.up.token' };
      });
      await page.goto(`${signedIn.baseUrl}/tab?as=${encodeURIComponent(PEOPLE.qa.email)}`);
      await page.getByRole('alert').waitFor({ timeout: WAIT_MS });
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Open the QA dashboard in Teams');
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('default');
      await expect(page.getByRole('note').count()).resolves.toBe(0);
    } finally {
      await page.close();
      await signedIn.close();
    }
  }, 60_000);

  test('a manager chosen as the development identity sees their own service only', async () => {
    const page = await open('default', `?month=${MONTH}&as=${encodeURIComponent(PEOPLE.n1.email)}`);
    try {
      await expect(page.getByRole('note').textContent()).resolves.toBe('Development identity: Nadia North — not signed in');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('QA dashboard: North service');
      await expect(page.getByRole('button', { name: 'The whole trust' }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'South: show its figures' }).count()).resolves.toBe(0);
    } finally {
      await page.close();
    }
  }, 60_000);
});

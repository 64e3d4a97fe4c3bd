import { parseCsv } from '../../services/csv';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText, teamChannel } from '../support/teams-client';
import { buildWorld, PEOPLE } from './report-world';

/**
 * Reports in Teams, over HTTP as Teams sends them: the `report` command's card, the full
 * report behind its signed link on the bot's own server, who may see what, and the
 * monthly and quarterly report jobs.
 */
const clock = new FakeClock(new Date('2027-04-06T10:00:00Z'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
  await buildWorld(h.app.deps.repos, h.app.deps.calendar);
  for (const person of [PEOPLE.qa, PEOPLE.n1, PEOPLE.s1, PEOPLE.director, PEOPLE.pNA]) {
    h.connector.addMember(person);
    await h.teams.install(person);
  }
  h.connector.clear();
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  clock.set(new Date('2027-04-06T10:00:00Z'));
});

interface Answer {
  card: Record<string, unknown>;
  text: string;
  link: string | undefined;
}

/** Types to the bot in the personal chat; returns the card it answers with (checked as Teams would) and its link. */
async function ask(person: (typeof PEOPLE)[keyof typeof PEOPLE], text: string): Promise<Answer> {
  const replies = await h.teams.say(person, text);
  expect(replies).toHaveLength(1);
  const card = cardOf(replies[0]);
  expectValidCard(card);
  const actions = (card?.actions ?? []) as { type: string; url?: string }[];
  return { card: card!, text: cardText(card), link: actions.find((action) => action.type === 'Action.OpenUrl')?.url };
}

/** Opens a report link against the test server (the link names the configured public address). */
async function open(link: string, change: (url: URL) => void = () => undefined): Promise<{ status: number; body: string; headers: Headers }> {
  const url = new URL(link);
  change(url);
  const response = await fetch(`${h.baseUrl}${url.pathname}${url.search}`);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('the report command', () => {
  test('the QA manager gets the headline figures on a valid card, well under Teams\' limit, with a link to the full report', async () => {
    const { card, text, link } = await ask(PEOPLE.qa, 'report 2027-01');
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(12 * 1024);
    expect(text).toContain('Monthly QA report: January 2027');
    expect(text).toContain('The whole trust. Figures as at the end of 31 January 2027 (London).');
    for (const fact of ['Completed\n4 of 5: 80% (n=5, small sample)', 'On time\n3: 60% (n=5, small sample)', 'Excused\n1', 'Moderation agreement\n100% (n=1, small sample)', 'Complaints\n3', 'Complaints overdue\n1', 'Overdue\n2']) {
      expect(text).toContain(fact);
    }
    expect(text).toContain('Spotlights posted');
    expect(text).toContain('Briefings sent');
    expect(link).toMatch(/^http:\/\/localhost:\d+\/reports\/monthly\/2027-01\?token=v1\.[\w-]+\.[\w-]+$/);

    const page = await open(link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain('<h1>Monthly QA report: January 2027</h1>');
    expect(page.body).toContain('<dt>Scope</dt><dd>The whole trust</dd>');
    expect(page.body).toContain('<svg');

    // The page's own download links carry the same token.
    const csvLink = /href="([^"]*format=csv)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    expect(csvLink).toBeDefined();
    const csv = await fetch(`${h.baseUrl}${csvLink}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="qa-report-2027-01-trust.csv"');
    const rows = parseCsv(await csv.text());
    expect(rows.find((row) => row.fields[3] === 'activity.all.completed')?.fields.slice(6, 11)).toEqual(['4', 'activity.all.expected', '5', '80', 'small sample']);
    const records = await open(link!, (url) => url.searchParams.set('format', 'records'));
    expect(records.status).toBe(200);
    expect(parseCsv(records.body).filter((row) => row.fields[2] === 'activity.all.excused')).toHaveLength(1);
    const markdown = await open(link!, (url) => url.searchParams.set('format', 'md'));
    expect(markdown.body.startsWith('# Monthly QA report: January 2027')).toBe(true);

    // Opening it is recorded, under whom the link was made for.
    const opened = await h.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'report.viewed').execute();
    expect(opened.map((entry) => [entry.actor, entry.record_id])).toContainEqual([`link:${PEOPLE.qa.email}`, 'monthly/2027-01']);
    // The request log names the path, never the token.
    expect(h.logLines.filter((line) => line.includes('/reports/')).every((line) => !line.includes('token'))).toBe(true);
  });

  test('no period is the last complete month; a kind alone is the last complete one; a service by name; a problem is not echoed', async () => {
    expect((await ask(PEOPLE.qa, 'report')).text).toContain('Monthly QA report: March 2027');
    expect((await ask(PEOPLE.qa, 'Report quarterly')).text).toContain('Quarterly QA report: Q1 2027 (January to March)');
    const south = await ask(PEOPLE.qa, 'report 2027-Q1 service south');
    expect(south.text).toContain('South service.');
    expect(south.text).toContain('Completed\n4 of 5: 80% (n=5, small sample)');
    expect(south.link).toMatch(/\/reports\/quarterly\/2027-Q1\?service=South&token=/);
    const team = await ask(PEOPLE.qa, 'report 2027-Q1 service North team north b');
    expect(team.text).toContain('North B, North service.');
    const unreadable = await ask(PEOPLE.qa, 'report for Bobby Smith CR123456');
    expect(unreadable.text).toContain('QA Loop could not read that.');
    expect(unreadable.text).not.toMatch(/Bobby|CR123456/);
    const unknown = await ask(PEOPLE.qa, 'report 2027-01 service Bobby Smith');
    expect(unknown.text).toContain('There is no service of that name. Services on file: Children and Families, North, Quality Assurance, South.');
    expect(unknown.text).not.toContain('Bobby');
    const future = await ask(PEOPLE.qa, 'report 2027-05');
    expect(future.text).toContain('May 2027 has not started yet');
  });

  test('a manager gets their own service\'s figures and cannot get another service\'s or the trust\'s; directors see the trust', async () => {
    const own = await ask(PEOPLE.n1, 'report 2027-01');
    expect(own.text).toContain('North service.');
    expect(own.text).toContain('Completed\n3 of 4: 75% (n=4, small sample)');
    expect(own.link).toMatch(/\?service=North&token=/);
    for (const asking of ['report 2027-01 service South', 'report 2027-Q1 service south team South A']) {
      const refused = await ask(PEOPLE.n1, asking);
      expect(refused.text).toContain('Not available to you');
      expect(refused.text).toContain('You can see the figures of your own service (North) and its teams.');
      expect(refused.text).not.toMatch(/Completed|of expected/);
      expect(refused.link).toBeUndefined();
    }
    expect((await ask(PEOPLE.n1, 'report 2027-01 service North team North B')).text).toContain('North B, North service.');
    expect((await ask(PEOPLE.s1, 'report 2027-01')).text).toContain('Completed\n1 of 1: 100% (n=1, small sample)');
    expect((await ask(PEOPLE.director, 'report 2027-01')).text).toContain('The whole trust.');
    // Not in a team channel, where everyone would see the figures and the link.
    const replies = await h.teams.say(PEOPLE.qa, 'report 2027-01', teamChannel('North Managers'));
    const inChannel = cardOf(replies[0]);
    expectValidCard(inChannel);
    expect(cardText(inChannel)).toContain('QA Loop shows reports only in your personal chat with it');
    expect(JSON.stringify(inChannel)).not.toMatch(/Action.OpenUrl|Completed/);
    // A practitioner may not run it at all.
    const practitioner = await ask(PEOPLE.pNA, 'report');
    expect(practitioner.text).toContain('Not available to you');
    expect(practitioner.link).toBeUndefined();
  });
});

describe('the link to the full report', () => {
  test('opens only the report it was made for, only until it expires, only as signed', async () => {
    const { link } = await ask(PEOPLE.n1, 'report 2027-01');
    const good = await open(link!);
    expect(good.status).toBe(200);
    expect(good.body).toContain('<dt>Scope</dt><dd>North service</dd>');

    const refused = async (change: (url: URL) => void, message: string): Promise<void> => {
      const answer = await open(link!, change);
      expect(answer.status).toBe(403);
      expect(answer.body).toContain(message);
      expect(answer.body).not.toMatch(/QA activity|of expected|<svg/);
    };
    const token = new URL(link!).searchParams.get('token')!;
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const flip = (text: string, at: number): string => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    // Another scope: South's figures, or the trust's, with North's token.
    await refused((url) => url.searchParams.set('service', 'South'), 'This link does not open this report.');
    await refused((url) => url.searchParams.delete('service'), 'This link does not open this report.');
    // Another period.
    await refused((url) => (url.pathname = '/reports/monthly/2027-02'), 'This link does not open this report.');
    await refused((url) => (url.pathname = '/reports/quarterly/2027-Q1'), 'This link does not open this report.');
    // Tampered: a changed signature, or a payload rewritten to say "South" (its signature no longer matches).
    await refused((url) => url.searchParams.set('token', `${version}.${payload}.${flip(signature, 5)}`), 'This link is not a valid report link.');
    const rewritten = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('service:North', 'service:South'), 'utf8').toString('base64url');
    await refused((url) => {
      url.searchParams.set('token', `${version}.${rewritten}.${signature}`);
      url.searchParams.set('service', 'South');
    }, 'This link is not a valid report link.');
    await refused((url) => url.searchParams.set('token', 'not-a-token'), 'This link is not a valid report link.');
    await refused((url) => url.searchParams.delete('token'), 'This report can only be opened from the link on a QA Loop report card.');
    // Expired: links work for REPORT_LINK_DAYS (14 by default).
    clock.set(new Date('2027-04-20T09:59:00Z'));
    expect((await open(link!)).status).toBe(200);
    clock.set(new Date('2027-04-20T10:00:01Z'));
    await refused(() => undefined, 'This link has expired.');
    // Not a report address at all.
    expect((await open(link!, (url) => (url.pathname = '/reports/weekly/2027-01'))).status).toBe(404);
  });
});

describe('the report jobs', () => {
  test('the monthly report goes to the QA managers on the first working day after an active month, once; none after August', async () => {
    const { scheduler, delivery, calendar } = { scheduler: h.app.scheduler, delivery: h.app.delivery, calendar: h.app.deps.calendar };
    const at = calendar.londonTime(calendar.firstWorkingDay('2027-02'), '09:00');
    clock.set(at);
    expect(await scheduler.runAt('monthly-report', at)).toMatchObject({ job: 'monthly-report', period: '2027-01', result: 'ran', outcome: { queued: 1, detail: { qaManagers: 1, expected: 5, completed: 4 } } });
    expect(await scheduler.runAt('monthly-report', at)).toMatchObject({ period: '2027-01', result: 'done-already' });
    h.connector.clear();
    await delivery.drainOnce(at);
    const sent = h.connector.calls.filter((call) => call.kind === 'send');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.conversationId).toBe(`a:personal-${PEOPLE.qa.aadObjectId}`);
    const card = cardOf(sent[0]?.activity);
    expectValidCard(card);
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('Monthly QA report: January 2027');
    expect(text).toContain('Sent to the QA managers on the first working day after the month.');
    const link = ((card?.actions ?? []) as { type: string; url: string }[]).find((action) => action.type === 'Action.OpenUrl')?.url;
    expect((await open(link!)).status).toBe(200);

    const september = calendar.londonTime(calendar.firstWorkingDay('2027-09'), '09:00');
    expect(await scheduler.runAt('monthly-report', september)).toMatchObject({ period: '2027-08', result: 'not-due' });
  });

  test('the quarterly report goes to the QA managers on the first working day after the quarter, for the Executive Management Team and Trust Board', async () => {
    const calendar = h.app.deps.calendar;
    const at = calendar.londonTime(calendar.firstWorkingDay('2027-04'), '09:00');
    clock.set(at);
    expect(await h.app.scheduler.runAt('quarterly-report', calendar.londonTime('2027-03-31', '09:00'))).toMatchObject({ period: '2027-Q1', result: 'not-due' });
    expect(await h.app.scheduler.runAt('quarterly-report', at)).toMatchObject({ period: '2027-Q1', result: 'ran', outcome: { queued: 1 } });
    expect(await h.app.scheduler.runAt('quarterly-report', at)).toMatchObject({ result: 'done-already' });
    h.connector.clear();
    await h.app.delivery.drainOnce(at);
    const sent = h.connector.calls.filter((call) => call.kind === 'send');
    expect(sent).toHaveLength(1);
    const card = cardOf(sent[0]?.activity);
    expectValidCard(card);
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('Quarterly QA report: Q1 2027 (January to March)');
    expect(text).toContain('For the Executive Management Team and the Trust Board, sent to the QA managers.');
    expect(text).toContain('Completed\n16 of 17: 94% (n=17)');
  });
});

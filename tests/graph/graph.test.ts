import { randomUUID } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createCalendar, loadBankHolidays } from '../../services/calendar';
import { systemClock } from '../../services/clock';
import type { ServiceContext } from '../../services/context';
import { QaError } from '../../services/errors';
import { installForUnreachable } from '../../services/graph/app-install';
import { clientCredentialsToken, createGraphClient, retryDelayMs, type GraphClient } from '../../services/graph/graph-client';
import { DEFAULT_AUTHORITY_HOST, DEFAULT_GRAPH_BASE_URL, readGraphSettings } from '../../services/graph/graph-settings';
import { syncRotaFromGroup, tierFromJobTitle } from '../../services/graph/rota-sync';
import { createLogger } from '../../services/logger';
import { contextFor } from '../../services/runtime';
import type { StaffMember } from '../../services/staff';
import { GraphStandIn, type StandInUser } from '../support/graph-stand-in';

/**
 * Reading the rota from an Entra group and installing the app for unreachable managers,
 * against a real in-memory SQLite database and a Graph stand-in over real HTTP.
 */

const failure = (work: () => unknown): QaError => {
  try {
    work();
  } catch (error) {
    if (error instanceof QaError) return error;
    throw error;
  }
  throw new Error('expected a QaError');
};

describe('Graph settings', () => {
  const credentials = { GRAPH_TENANT_ID: randomUUID(), GRAPH_CLIENT_ID: randomUUID(), GRAPH_CLIENT_SECRET: 's3cret' };

  test('no credentials: no Graph', () => {
    expect(readGraphSettings({})).toBeUndefined();
  });

  test('credentials alone: Microsoft defaults, officeLocation as the team, no app catalogue id', () => {
    expect(readGraphSettings(credentials)).toEqual({
      tenantId: credentials.GRAPH_TENANT_ID,
      clientId: credentials.GRAPH_CLIENT_ID,
      clientSecret: 's3cret',
      baseUrl: DEFAULT_GRAPH_BASE_URL,
      authorityHost: DEFAULT_AUTHORITY_HOST,
      appCatalogId: undefined,
      teamAttribute: 'officeLocation',
    });
    const catalogId = randomUUID();
    expect(
      readGraphSettings({ ...credentials, GRAPH_TENANT_ID: 'trust.onmicrosoft.com', GRAPH_BASE_URL: 'http://localhost:5000/v1.0/', TEAMS_APP_CATALOG_ID: catalogId, GRAPH_TEAM_ATTRIBUTE: 'extensionAttribute3' }),
    ).toMatchObject({ tenantId: 'trust.onmicrosoft.com', baseUrl: 'http://localhost:5000/v1.0', appCatalogId: catalogId, teamAttribute: 'extensionAttribute3' });
  });

  test.each([
    ['half the credentials', { GRAPH_TENANT_ID: credentials.GRAPH_TENANT_ID }, ['GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET']],
    ['a blank secret', { ...credentials, GRAPH_CLIENT_SECRET: ' ' }, ['GRAPH_CLIENT_SECRET']],
    ['a client id that is not a GUID', { ...credentials, GRAPH_CLIENT_ID: 'qa-loop' }, ['GRAPH_CLIENT_ID']],
    ['a tenant that is neither GUID nor domain', { ...credentials, GRAPH_TENANT_ID: 'not a tenant' }, ['GRAPH_TENANT_ID']],
    ['plain http to a remote Graph', { ...credentials, GRAPH_BASE_URL: 'http://graph.example.org/v1.0' }, ['GRAPH_BASE_URL']],
    ['an authority that is not a URL', { ...credentials, GRAPH_AUTHORITY_HOST: 'login' }, ['GRAPH_AUTHORITY_HOST']],
    ['a manifest id as the catalogue id', { ...credentials, TEAMS_APP_CATALOG_ID: 'com.trust.qaloop' }, ['TEAMS_APP_CATALOG_ID']],
    ['a catalogue id without credentials', { TEAMS_APP_CATALOG_ID: randomUUID() }, ['TEAMS_APP_CATALOG_ID']],
    ['department as the team', { ...credentials, GRAPH_TEAM_ATTRIBUTE: 'department' }, ['GRAPH_TEAM_ATTRIBUTE']],
  ])('%s is refused, naming the setting', (_label, env, named) => {
    const error = failure(() => readGraphSettings(env));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.detail).toEqual({ settings: named });
    for (const name of named) expect(error.message).toContain(name);
    expect(error.message).not.toContain('s3cret');
  });
});

describe('job titles to tiers', () => {
  test.each([
    ["Director of Children's Services", 'director'],
    ['Assistant Director, Safeguarding', 'director'],
    ['Head of Service - Children in Care', 'head_of_service'],
    ['Interim head of service', 'head_of_service'],
    ['Service Manager', 'service_manager'],
    ['Service Manager (Independent Chairs)', 'service_manager'],
    ['Team Manager', 'team_manager'],
    ['Assistant Team Manager', 'team_manager'],
    ['Independent Chair', 'independent_chair'],
    ['Senior Social Worker', undefined],
    ['Directorate Support Officer', undefined],
    ['', undefined],
  ])('%s → %s', (title, tier) => {
    expect(tierFromJobTitle(title)).toBe(tier);
  });
});

interface Setup {
  standIn: GraphStandIn;
  graph: GraphClient;
  context: ServiceContext;
  database: DatabaseHandle;
  waits: number[];
}

let setup: Setup;
let org: ReturnType<typeof seedTrust>;
const GROUP = randomUUID();
const NESTED = randomUUID();

/** A small children's services: a chain from Director to practitioner, a nested group, and the awkward cases. */
function seedTrust(standIn: GraphStandIn) {
  const user = (displayName: string, jobTitle: string, department: string, officeLocation: string, extra: Partial<StandInUser> = {}): StandInUser => {
    const mail = `${displayName.toLowerCase().replace(/\s+/g, '.')}@trust.example.org`;
    return standIn.addUser({ id: randomUUID(), displayName, mail, userPrincipalName: mail, jobTitle, department, officeLocation, accountEnabled: true, ...extra });
  };
  const people = {
    ceo: user('Chris Chief', 'Chief Executive', 'Corporate', 'County Hall'),
    dcs: user('Dana Director', "Director of Children's Services", "Children's Services", 'County Hall'),
    hos: user('Hana Head', 'Head of Service, Safeguarding', 'Safeguarding', 'County Hall'),
    sm: user('Sam Service', 'Service Manager', 'Safeguarding', 'North'),
    tm: user('Toni Team', 'Team Manager', 'Safeguarding', 'North Team 1'),
    atm: user('Alex Assistant', 'Assistant Team Manager', 'Safeguarding', 'North Team 1'),
    sw: user('Pat Practitioner', 'Senior Social Worker', 'Safeguarding', 'North Team 1'),
    chair: user('Ira Chair', 'Independent Chair', 'Quality Assurance', 'IRO Service'),
    iroSm: user('Ola Outside', 'Service Manager - Independent Reviewing', 'Quality Assurance', 'IRO Service'),
    eh: user('Eve Early', 'Team Manager', 'Early Help', 'Early Help East'),
    noMail: user('Nora Nomail', 'Team Manager', 'Safeguarding', 'North', { mail: null }),
    gone: user('Gil Gone', 'Team Manager', 'Safeguarding', 'North', { accountEnabled: false }),
  };
  const reports: [keyof typeof people, keyof typeof people][] = [
    ['dcs', 'ceo'],
    ['hos', 'dcs'],
    ['sm', 'hos'],
    ['tm', 'sm'],
    ['atm', 'tm'],
    ['sw', 'tm'],
    ['chair', 'iroSm'],
    ['iroSm', 'hos'],
    ['eh', 'hos'],
    ['noMail', 'sm'],
  ];
  for (const [person, manager] of reports) standIn.managers.set(people[person].id, people[manager].id);
  // Everyone but the Chief Executive and the IRO service manager; Eve only through the nested group, Toni through both.
  standIn.groups.set(GROUP, [people.dcs, people.hos, people.sm, people.tm, people.atm, people.sw, people.chair, people.noMail, people.gone].map((p) => p.id).concat(NESTED));
  standIn.groups.set(NESTED, [people.eh.id, people.tm.id]);
  return people;
}

async function startSetup(): Promise<Setup> {
  const standIn = new GraphStandIn();
  await standIn.start();
  standIn.pageSize = 3;
  const waits: number[] = [];
  const graph = createGraphClient(standIn.settings(), {
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const database = openDatabase({ kind: 'sqlite', path: ':memory:' });
  await migrateToLatest(database.db, database.dialect);
  const context = contextFor(database, createCalendar({ bankHolidays: loadBankHolidays() }), systemClock, createLogger('silent'));
  return { standIn, graph, context, database, waits };
}

const ACTOR = 'qa.manager@trust.example.org';

async function staffByEntraId(context: ServiceContext): Promise<Map<string, StaffMember>> {
  const staff = await context.repos.staff.listAll();
  return new Map(staff.filter((person) => person.aadObjectId !== null).map((person) => [person.aadObjectId!, person]));
}

async function onRota(context: ServiceContext): Promise<string[]> {
  const [members, staff] = await Promise.all([context.repos.rota.listMembers(), context.repos.staff.listAll()]);
  const emailOf = new Map(staff.map((person) => [person.id, person.email]));
  return members.filter((member) => member.onRota).map((member) => emailOf.get(member.staffId)!).sort();
}

async function auditActions(context: ServiceContext): Promise<{ action: string; recordId: string | null; source: string }[]> {
  const entries = await context.repos.audit.list(new Date(0), new Date(Date.now() + 86_400_000), { offset: 0, limit: 500 });
  return entries.map((entry) => ({ action: entry.action, recordId: entry.recordId, source: entry.source }));
}

describe('against the Graph stand-in', () => {
  beforeEach(async () => {
    setup = await startSetup();
    org = seedTrust(setup.standIn);
  });

  afterEach(async () => {
    await setup.standIn.stop();
    await setup.database.close();
  });

  describe('syncRotaFromGroup', () => {
    test('people and their line managers are synced, tiers mapped, managers placed on the rota, and the odd ones skipped with a reason', async () => {
      const { context, graph, standIn } = setup;
      const result = await syncRotaFromGroup(context, graph, GROUP, ACTOR);

      expect(result.import).toEqual({ ok: true, added: 10, updated: 0, joinedRota: 7, leftRota: 0, onRota: 7 });
      expect(result.membersRead).toBe(10);
      expect(result.managersOutsideGroup.sort()).toEqual([org.ceo.mail, org.iroSm.mail].sort());
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          { entraId: org.noMail.id, name: 'Nora Nomail', reason: 'no mail address in Entra' },
          { entraId: org.gone.id, name: 'Gil Gone', reason: 'the account is disabled in Entra' },
        ]),
      );
      expect(result.skipped).toHaveLength(2);

      const byEntra = await staffByEntraId(context);
      const get = (person: StandInUser): StaffMember => byEntra.get(person.id)!;
      expect(byEntra.size).toBe(10);
      expect(
        Object.fromEntries(Object.entries(org).filter(([, person]) => byEntra.has(person.id)).map(([key, person]) => [key, [get(person).tier, get(person).roles]])),
      ).toEqual({
        ceo: ['practitioner', ['practitioner']],
        dcs: ['director', ['manager']],
        hos: ['head_of_service', ['manager']],
        sm: ['service_manager', ['manager']],
        tm: ['team_manager', ['manager']],
        atm: ['team_manager', ['manager']],
        sw: ['practitioner', ['practitioner']],
        chair: ['independent_chair', ['independent_chair']],
        iroSm: ['service_manager', ['manager']],
        eh: ['team_manager', ['manager']],
      });
      expect(get(org.tm)).toMatchObject({ email: org.tm.mail, name: 'Toni Team', service: 'Safeguarding', team: 'North Team 1', active: true });
      // Line managers, including those outside the group; Graph's 404 means none.
      expect(get(org.sw).lineManagerId).toBe(get(org.tm).id);
      expect(get(org.dcs).lineManagerId).toBe(get(org.ceo).id);
      expect(get(org.chair).lineManagerId).toBe(get(org.iroSm).id);
      expect(get(org.eh).lineManagerId).toBe(get(org.hos).id);
      expect(get(org.ceo).lineManagerId).toBeNull();

      expect(await onRota(context)).toEqual([org.dcs, org.hos, org.sm, org.tm, org.atm, org.eh, org.iroSm].map((person) => person.mail).sort());
      expect((await auditActions(context)).map((entry) => entry.action).filter((action) => !action.startsWith('staff.'))).toEqual(['rota.imported', 'rota.synced']);

      // Four pages of three, each after the first asked for by its nextLink, selecting only the properties used.
      const pages = standIn.graphCalls(/transitiveMembers/);
      expect(pages).toHaveLength(4);
      expect(pages.map((call) => call.query.$skiptoken)).toEqual([undefined, '3', '6', '9']);
      for (const page of pages) expect(page.query.$select?.split(',')).toEqual(['id', 'displayName', 'mail', 'userPrincipalName', 'department', 'jobTitle', 'accountEnabled', 'officeLocation']);
      // One manager look-up per enabled member; none for the disabled account.
      expect(standIn.graphCalls(/\/manager$/)).toHaveLength(9);
      expect(standIn.graphCalls(new RegExp(`${org.gone.id}/manager`))).toHaveLength(0);
      // One token for the whole run, sent on every Graph call.
      expect(standIn.tokenCalls()).toHaveLength(1);
      expect(standIn.tokenCalls()[0]?.body).toMatchObject({ grant_type: 'client_credentials', client_id: standIn.clientId, scope: `${standIn.url}/.default` });
      const bearers = new Set(standIn.graphCalls().map((call) => call.authorization));
      expect(bearers.size).toBe(1);
      expect([...bearers][0]).toMatch(/^Bearer stand-in-/);
    });

    test('a re-sync updates the same people, keeps roles Entra cannot know, keeps the email on file, and takes leavers off the rota', async () => {
      const { context, graph, standIn } = setup;
      await syncRotaFromGroup(context, graph, GROUP, ACTOR);
      const before = await staffByEntraId(context);
      await context.repos.staff.update(before.get(org.hos.id)!.id, { roles: ['manager', 'moderator', 'qa_manager'] }, new Date());

      org.tm.jobTitle = 'Service Manager';
      org.tm.officeLocation = 'North';
      org.sw.officeLocation = 'North Team 2';
      org.sw.mail = 'pat.p@trust.example.org';
      org.sm.department = null; // falls back to the service on file
      standIn.groups.set(NESTED, [org.tm.id]); // Eve leaves the group

      const result = await syncRotaFromGroup(context, graph, GROUP, ACTOR);
      expect(result.import).toEqual({ ok: true, added: 0, updated: 9, joinedRota: 0, leftRota: 1, onRota: 6 });
      expect(result.emailsKept).toEqual([{ entraId: org.sw.id, emailOnFile: 'pat.practitioner@trust.example.org', entraMail: 'pat.p@trust.example.org' }]);

      const after = await staffByEntraId(context);
      expect(after.size).toBe(10);
      expect((await context.repos.staff.listAll()).length).toBe(10);
      for (const [entraId, person] of before) expect(after.get(entraId)?.id).toBe(person.id);
      expect(after.get(org.hos.id)?.roles.sort()).toEqual(['manager', 'moderator', 'qa_manager']);
      expect(after.get(org.tm.id)).toMatchObject({ tier: 'service_manager', team: 'North' });
      expect(after.get(org.sw.id)).toMatchObject({ email: 'pat.practitioner@trust.example.org', team: 'North Team 2', lineManagerId: before.get(org.tm.id)!.id });
      expect(after.get(org.sm.id)?.service).toBe('Safeguarding');
      // Eve stays on file (with her history) but is off the rota; nobody appears twice.
      expect(after.get(org.eh.id)?.active).toBe(true);
      expect(await onRota(context)).toEqual([org.dcs, org.hos, org.sm, org.tm, org.atm, org.iroSm].map((person) => person.mail).sort());
      expect((await context.repos.rota.listMembers()).length).toBe(7);
    });

    test('a 429 with Retry-After and a 503 without are waited out and retried; paging still reaches the end', async () => {
      const { context, graph, standIn, waits } = setup;
      standIn.failNext((call) => call.path.includes('transitiveMembers') && call.query.$skiptoken === '6', { status: 503 });
      standIn.failNext((call) => call.path === `/v1.0/users/${org.tm.id}/manager`, { status: 429, headers: { 'Retry-After': '7' } });

      const result = await syncRotaFromGroup(context, graph, GROUP, ACTOR);
      expect(result.import.ok).toBe(true);
      expect(result.membersRead).toBe(10);
      expect(waits).toEqual([1000, 7000]);
      expect(standIn.graphCalls(/transitiveMembers/).map((call) => [call.query.$skiptoken, call.status])).toEqual([
        [undefined, 200],
        ['3', 200],
        ['6', 503],
        ['6', 200],
        ['9', 200],
      ]);
      expect(standIn.graphCalls(new RegExp(`${org.tm.id}/manager`)).map((call) => call.status)).toEqual([429, 200]);
      expect((await staffByEntraId(context)).get(org.atm.id)?.lineManagerId).toBe((await staffByEntraId(context)).get(org.tm.id)?.id);
    });

    test('when Graph keeps failing the sync stops and nothing changes', async () => {
      const { context, graph, standIn, waits } = setup;
      standIn.failNext((call) => call.path === `/v1.0/users/${org.sm.id}/manager`, { status: 503, headers: { 'Retry-After': '2' } }, 3);
      await expect(syncRotaFromGroup(context, graph, GROUP, ACTOR)).rejects.toMatchObject({ code: 'INTERNAL', detail: { status: 503 } });
      expect(waits).toEqual([2000, 2000]);
      expect(await context.repos.staff.listAll()).toEqual([]);
      expect(await auditActions(context)).toEqual([]);
    });

    test('an unknown group is NOT_FOUND; a wrong secret is CONFIG_INVALID with Entra’s reason and without the secret', async () => {
      const { context, graph, standIn } = setup;
      await expect(syncRotaFromGroup(context, graph, randomUUID(), ACTOR)).rejects.toMatchObject({ code: 'NOT_FOUND', detail: { status: 404 } });
      const wrong = createGraphClient(standIn.settings({ clientSecret: 'not-the-secret' }));
      const error = await syncRotaFromGroup(context, wrong, GROUP, ACTOR).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(QaError);
      expect((error as QaError).code).toBe('CONFIG_INVALID');
      expect((error as QaError).message).toContain('AADSTS7000215');
      expect((error as QaError).message).not.toContain('not-the-secret');
    });
  });

  describe('tokens', () => {
    test('are cached until shortly before they expire, and shared by concurrent callers', async () => {
      const { standIn } = setup;
      let now = 1_000_000;
      const token = clientCredentialsToken(standIn.settings(), () => now);
      const [first, second] = await Promise.all([token(), token()]);
      expect(first).toBe(second);
      now += 50 * 60_000;
      expect(await token()).toBe(first);
      now += 5 * 60_000; // within five minutes of the hour's expiry
      expect(await token()).not.toBe(first);
      expect(standIn.tokenCalls()).toHaveLength(2);
    });

    test('Retry-After is read as seconds or a date, else a short doubling back-off, and capped', () => {
      const now = Date.parse('2026-09-01T09:00:00Z');
      expect(retryDelayMs('3', 0, now)).toBe(3000);
      expect(retryDelayMs('Tue, 01 Sep 2026 09:00:10 GMT', 0, now)).toBe(10_000);
      expect(retryDelayMs(null, 0, now)).toBe(1000);
      expect(retryDelayMs(null, 1, now)).toBe(2000);
      expect(retryDelayMs('86400', 0, now)).toBe(120_000);
    });
  });

  describe('installForUnreachable', () => {
    test('installs only for rota members the bot cannot reach; 409 is already installed; one failure does not stop the rest', async () => {
      const { context, graph, standIn } = setup;
      const catalogId = randomUUID();
      await syncRotaFromGroup(context, graph, GROUP, ACTOR);
      const byEntra = await staffByEntraId(context);
      const now = new Date();
      // Dana has the app already and a saved chat; Hana has it but the install event never reached the bot.
      await context.repos.conversations.save(
        {
          conversationId: `a:${randomUUID()}`,
          scope: 'personal',
          tenantId: standIn.tenantId,
          aadObjectId: org.dcs.id,
          staffId: byEntra.get(org.dcs.id)!.id,
          teamId: null,
          channelId: null,
          serviceUrl: 'https://smba.trafficmanager.net/uk/',
          reference: {},
        },
        now,
      );
      standIn.installed.set(org.hos.id, new Set([catalogId]));
      // A manager from an old CSV with no Entra id.
      const noEntra = await context.repos.staff.insert({ email: 'nia.noentra@trust.example.org', name: 'Nia Noentra', tier: 'team_manager', service: 'Safeguarding', team: 'South', roles: ['manager'] }, now);
      await context.repos.rota.join(noEntra.id, 0, '2026-09', now);
      // Sam's install is refused.
      standIn.failNext((call) => call.method === 'POST' && call.path === `/v1.0/users/${org.sm.id}/teamwork/installedApps`, { status: 403, body: { error: { code: 'Forbidden', message: 'No Teams licence.' } } });
      standIn.clear();

      const counts = await installForUnreachable(context, graph, catalogId, { actor: ACTOR, source: 'cli' });
      expect(counts).toEqual({ installed: 4, alreadyInstalled: 1, failed: 1, skippedNoEntraId: 1 });

      const posts = standIn.graphCalls(/installedApps$/);
      const postedFor = posts.map((call) => /users\/([^/]+)\//.exec(call.path)?.[1]).sort();
      expect(postedFor).toEqual([org.hos, org.sm, org.tm, org.atm, org.eh, org.iroSm].map((person) => person.id).sort());
      for (const post of posts) expect(post.body).toEqual({ 'teamsApp@odata.bind': `${standIn.url}/v1.0/appCatalogs/teamsApps/${catalogId}` });
      expect(standIn.installed.get(org.sm.id)).toBeUndefined();
      expect(standIn.installed.get(org.tm.id)).toEqual(new Set([catalogId]));

      const installs = (await auditActions(context)).filter((entry) => entry.action === 'teams_app.installed');
      expect(installs.map((entry) => entry.recordId).sort()).toEqual([org.tm, org.atm, org.eh, org.iroSm].map((person) => byEntra.get(person.id)!.id).sort());
      expect(installs.every((entry) => entry.source === 'cli')).toBe(true);

      // Run again before any install event arrives: the installed ones answer 409, Sam now succeeds.
      expect(await installForUnreachable(context, graph, catalogId)).toEqual({ installed: 1, alreadyInstalled: 5, failed: 0, skippedNoEntraId: 1 });
    });
  });
});

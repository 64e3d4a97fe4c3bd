import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories, type Repositories } from '../../db/repositories';
import { parseDatabaseUrl, type DatabaseSettings } from '../../services/config';

/**
 * The repositories on a real database: SQLite always (in memory), and a live SQL
 * Server as well when TEST_MSSQL_URL is set. Data is made unique per test so the
 * same tests can run against a shared server.
 */
const targets: [string, DatabaseSettings][] = [['SQLite', { kind: 'sqlite', path: ':memory:' }]];
if (process.env.TEST_MSSQL_URL !== undefined && process.env.TEST_MSSQL_URL !== '') {
  targets.push(['SQL Server', parseDatabaseUrl(process.env.TEST_MSSQL_URL)]);
} else {
  console.info('Repository tests on SQL Server skipped: TEST_MSSQL_URL is not set (e.g. mssql://sa:pass@localhost:1433/qaloop_test?encrypt=false).');
}

describe.each(targets)('repositories on %s', (_name, settings) => {
  let handle: DatabaseHandle;
  let repos: Repositories;
  const now = new Date('2026-09-01T08:00:00.000Z');
  const unique = () => randomUUID().slice(0, 8);
  const person = (suffix = unique()) => ({
    email: `Person.${suffix}@Example.org`,
    name: `Person ${suffix}`,
    tier: 'team_manager',
    service: `Service ${suffix}`,
    team: 'Team A',
    roles: ['manager', 'moderator', 'manager'],
  });

  beforeAll(async () => {
    handle = openDatabase(settings);
    await migrateToLatest(handle.db, handle.dialect);
    repos = createRepositories(handle.db, handle.dialect);
  });
  afterAll(async () => {
    await handle.close();
  });

  test('migrations are idempotent: a second run applies nothing', async () => {
    expect(await migrateToLatest(handle.db, handle.dialect)).toEqual([]);
  });

  describe('staff', () => {
    test('insert normalises email and roles; find by id, email and Entra id', async () => {
      const added = await repos.staff.insert(person(), now);
      expect(added.email).toBe(added.email.toLowerCase());
      expect(added.roles).toEqual(['manager', 'moderator']);
      expect(await repos.staff.findById(added.id)).toEqual(added);
      expect((await repos.staff.findByEmail(added.email.toUpperCase()))?.id).toBe(added.id);
      expect(await repos.staff.findByAadObjectId(randomUUID())).toBeUndefined();
    });

    test('the same email twice is a CONFLICT; so is the same Entra id, but many people may have none', async () => {
      const details = person();
      await repos.staff.insert(details, now);
      await expect(repos.staff.insert(details, now)).rejects.toMatchObject({ code: 'CONFLICT' });
      const aad = randomUUID();
      await repos.staff.insert({ ...person(), aadObjectId: aad }, now);
      await expect(repos.staff.insert({ ...person(), aadObjectId: aad }, now)).rejects.toMatchObject({ code: 'CONFLICT' });
      await repos.staff.insert(person(), now);
      await repos.staff.insert(person(), now);
    });

    test('update changes details and keeps the id; linkAadObjectId only fills an empty link', async () => {
      const added = await repos.staff.insert(person(), now);
      const later = new Date(now.getTime() + 1000);
      expect(await repos.staff.update(added.id, { team: 'Team B', roles: ['qa_manager'] }, later)).toBe(true);
      expect(await repos.staff.update(randomUUID(), { team: 'X' }, later)).toBe(false);
      const aad = randomUUID();
      expect(await repos.staff.linkAadObjectId(added.id, aad, later)).toBe(true);
      expect(await repos.staff.linkAadObjectId(added.id, randomUUID(), later)).toBe(false);
      const found = await repos.staff.findByAadObjectId(aad);
      expect(found).toMatchObject({ id: added.id, team: 'Team B', roles: ['qa_manager'], createdAt: now, updatedAt: later });
    });

    test('listActive pages in name order and leaves out people made inactive; countActive agrees', async () => {
      const tag = unique();
      const before = await repos.staff.countActive();
      const added = [];
      for (const letter of ['C', 'A', 'B']) added.push(await repos.staff.insert({ ...person(), name: `${letter} ${tag}` }, now));
      await repos.staff.update(added[0]!.id, { active: false }, now);
      expect(await repos.staff.countActive()).toBe(before + 2);
      const all = [];
      for (let offset = 0; ; offset += 2) {
        const page = await repos.staff.listActive({ offset, limit: 2 });
        all.push(...page);
        if (page.length < 2) break;
      }
      const mine = all.filter((p) => p.name.endsWith(tag)).map((p) => p.name);
      expect(mine).toEqual([`A ${tag}`, `B ${tag}`]);
      expect(all.map((p) => p.name)).toEqual([...all.map((p) => p.name)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  });

  describe('conversations', () => {
    const conversation = (id: string, staffId: string | null = null) => ({
      conversationId: id,
      scope: 'personal' as const,
      tenantId: randomUUID(),
      aadObjectId: randomUUID(),
      staffId,
      teamId: null,
      channelId: null,
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      reference: { conversation: { id }, serviceUrl: 'https://smba.trafficmanager.net/uk/' },
    });

    test('save creates, refreshes, and after a removal reports a reinstall', async () => {
      const id = `a:${unique()}`;
      expect(await repos.conversations.save(conversation(id), now)).toBe('created');
      expect(await repos.conversations.save(conversation(id), now)).toBe('refreshed');
      await repos.conversations.markUninstalled(id, now);
      expect((await repos.conversations.findByConversationId(id))?.installed).toBe(false);
      expect(await repos.conversations.save(conversation(id), now)).toBe('reinstalled');
      expect(await repos.conversations.findByConversationId(id)).toMatchObject({ installed: true, reference: { conversation: { id } } });
    });

    test('a personal chat is found by staff member once linked, and a refresh keeps the link', async () => {
      const staff = await repos.staff.insert(person(), now);
      const id = `a:${unique()}`;
      await repos.conversations.save(conversation(id), now);
      expect(await repos.conversations.findPersonalForStaff(staff.id)).toBeUndefined();
      await repos.conversations.linkStaff(id, staff.id, now);
      await repos.conversations.save(conversation(id, null), now);
      expect((await repos.conversations.findPersonalForStaff(staff.id))?.conversationId).toBe(id);
    });

    test('listInstalled and countInstalled leave out removed conversations', async () => {
      const before = await repos.conversations.countInstalled();
      const team = { ...conversation(`19:${unique()}@thread.tacv2`), scope: 'team' as const, teamId: 't', channelId: 'c' };
      await repos.conversations.save(team, now);
      expect((await repos.conversations.listInstalled('team')).map((c) => c.conversationId)).toContain(team.conversationId);
      expect(await repos.conversations.countInstalled()).toBe(before + 1);
      await repos.conversations.markUninstalled(team.conversationId, now);
      expect((await repos.conversations.listInstalled('team')).map((c) => c.conversationId)).not.toContain(team.conversationId);
    });
  });

  describe('audit log', () => {
    test('append and list by time window, oldest first, with detail', async () => {
      const base = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1e9));
      for (let i = 0; i < 3; i++) {
        await repos.audit.append(
          { actor: 'qa@example.org', actorRole: 'qa_manager', action: `test.${i}`, recordKind: 'staff', recordId: String(i), source: 'cli', ...(i === 1 ? { detail: { n: i } } : {}) },
          new Date(base.getTime() + i * 1000),
        );
      }
      const listed = await repos.audit.list(base, new Date(base.getTime() + 3000), { offset: 0, limit: 10 });
      expect(listed.map((e) => e.action)).toEqual(['test.0', 'test.1', 'test.2']);
      expect(listed[1]?.detail).toEqual({ n: 1 });
      expect(listed[0]?.detail).toBeUndefined();
      expect(await repos.audit.list(base, new Date(base.getTime() + 3000), { offset: 1, limit: 1 })).toHaveLength(1);
    });

    test('the database itself refuses to change or delete an audit entry', async () => {
      const id = await repos.audit.append({ actor: 'a', actorRole: null, action: 'x', recordKind: 'k', recordId: null, source: 'system' }, now);
      // toMatchObject rather than toThrow: Jest's toThrow sometimes fails to recognise the driver's error class.
      const appendOnly = { message: expect.stringMatching(/append-only/) };
      await expect(sql`update audit_log set actor = 'someone else' where id = ${id}`.execute(handle.db)).rejects.toMatchObject(appendOnly);
      await expect(sql`delete from audit_log where id = ${id}`.execute(handle.db)).rejects.toMatchObject(appendOnly);
      expect((await repos.audit.list(now, new Date(now.getTime() + 1), { offset: 0, limit: 500 })).find((e) => e.id === id)?.actor).toBe('a');
    });
  });

  describe('job runs', () => {
    test('only one claim of (job, period) wins; a succeeded run is done', async () => {
      const job = `job-${unique()}`;
      const claims = await Promise.all(['a', 'b', 'c'].map((instance) => repos.jobRuns.claim(job, '2026-09', instance, now, 60_000)));
      expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c === 'busy')).toHaveLength(2);
      const winner = (await repos.jobRuns.find(job, '2026-09'))!.instanceId;
      expect(await repos.jobRuns.finish(job, '2026-09', winner === 'a' ? 'b' : 'a', { error: null }, now)).toBe(false);
      expect(await repos.jobRuns.finish(job, '2026-09', winner, { error: null }, now)).toBe(true);
      expect(await repos.jobRuns.claim(job, '2026-09', 'd', now, 60_000)).toBe('done');
    });

    test('a failed run, or one whose lease ran out, is taken over and counted as a new attempt', async () => {
      const job = `job-${unique()}`;
      await repos.jobRuns.claim(job, '2026-10', 'a', now, 60_000);
      await repos.jobRuns.finish(job, '2026-10', 'a', { error: 'connector down' }, now);
      expect(await repos.jobRuns.claim(job, '2026-10', 'b', now, 60_000)).toBe('claimed');
      // b "dies": before the lease ends c must wait, after it c takes over.
      expect(await repos.jobRuns.claim(job, '2026-10', 'c', new Date(now.getTime() + 30_000), 60_000)).toBe('busy');
      expect(await repos.jobRuns.claim(job, '2026-10', 'c', new Date(now.getTime() + 61_000), 60_000)).toBe('claimed');
      expect(await repos.jobRuns.find(job, '2026-10')).toMatchObject({ instanceId: 'c', attempts: 3, status: 'running', error: 'connector down' });
      const recent = await repos.jobRuns.listRecent({ offset: 0, limit: 500 });
      expect(recent.some((run) => run.job === job)).toBe(true);
    });
  });

  describe('outbox', () => {
    const message = (key: string, notBefore?: Date) => ({
      dedupeKey: key,
      kind: 'reminder',
      conversationId: `a:${key}`,
      staffId: null,
      payload: { type: 'message', text: 'Your QA activity for September' },
      ...(notBefore === undefined ? {} : { notBefore }),
    });

    test('enqueue stores once per dedupe key', async () => {
      const key = `k-${unique()}`;
      expect(await repos.outbox.enqueue(message(key), now)).toBe(true);
      expect(await repos.outbox.enqueue(message(key), now)).toBe(false);
      expect(await repos.outbox.findByDedupeKey(key)).toMatchObject({ status: 'queued', attempts: 0, payload: { text: 'Your QA activity for September' } });
    });

    test('claimDue hands each due message to one worker only, and not before its time', async () => {
      const t0 = new Date(Date.UTC(2032, 0, 1) + Math.floor(Math.random() * 1e9));
      const keys = [0, 1, 2].map((i) => `due-${unique()}-${i}`);
      for (const key of keys) await repos.outbox.enqueue(message(key), t0);
      const later = `later-${unique()}`;
      await repos.outbox.enqueue(message(later, new Date(t0.getTime() + 60_000)), t0);
      const [first, second] = await Promise.all([repos.outbox.claimDue(t0, 1000, 30_000), repos.outbox.claimDue(t0, 1000, 30_000)]);
      const mine = [...first!, ...second!].map((m) => m.dedupeKey).filter((k) => keys.includes(k) || k === later);
      expect(mine.sort()).toEqual([...keys].sort());
      expect((await repos.outbox.findByDedupeKey(keys[0]!))?.status).toBe('sending');
    });

    test("a worker whose lock ran out cannot overwrite the outcome of the worker that took over", async () => {
      const t0 = new Date(Date.UTC(2034, 0, 1) + Math.floor(Math.random() * 1e9));
      const key = `stale-${unique()}`;
      await repos.outbox.enqueue(message(key), t0);
      const first = (await repos.outbox.claimDue(t0, 1000, 30_000)).find((m) => m.dedupeKey === key)!;
      const second = (await repos.outbox.claimDue(new Date(t0.getTime() + 31_000), 1000, 30_000)).find((m) => m.dedupeKey === key)!;
      expect(second.lockedUntil!.getTime()).toBeGreaterThan(first.lockedUntil!.getTime());
      await repos.outbox.markRetry(first.id, t0, 'stale worker: HTTP 503', first.lockedUntil);
      expect(await repos.outbox.findByDedupeKey(key)).toMatchObject({ status: 'sending', attempts: 2 });
      await repos.outbox.markSent(second.id, 'activity-2', t0, second.lockedUntil);
      await repos.outbox.markFinal(first.id, 'failed', 'stale worker gives up', first.lockedUntil);
      expect(await repos.outbox.findByDedupeKey(key)).toMatchObject({ status: 'sent', activityId: 'activity-2', lockedUntil: null });
    });

    test('sent, retried, final; a message whose worker died is due again after its lock', async () => {
      const t0 = new Date(Date.UTC(2033, 0, 1) + Math.floor(Math.random() * 1e9));
      const [a, b, c, d] = [0, 1, 2, 3].map((i) => `m-${unique()}-${i}`) as [string, string, string, string];
      for (const key of [a, b, c, d]) await repos.outbox.enqueue(message(key), t0);
      const claimed = (await repos.outbox.claimDue(t0, 1000, 30_000)).filter((m) => [a, b, c, d].includes(m.dedupeKey));
      const id = (key: string) => claimed.find((m) => m.dedupeKey === key)!.id;
      await repos.outbox.markSent(id(a), 'activity-1', t0);
      await repos.outbox.markRetry(id(b), new Date(t0.getTime() + 5000), 'HTTP 429');
      await repos.outbox.markFinal(id(c), 'blocked', 'HTTP 403 MessageWritesBlocked');
      expect(await repos.outbox.findByDedupeKey(a)).toMatchObject({ status: 'sent', activityId: 'activity-1', sentAt: t0 });
      expect(await repos.outbox.findByDedupeKey(b)).toMatchObject({ status: 'queued', lastError: 'HTTP 429', attempts: 1 });
      expect(await repos.outbox.findByDedupeKey(c)).toMatchObject({ status: 'blocked' });
      const again = (await repos.outbox.claimDue(new Date(t0.getTime() + 31_000), 1000, 30_000)).map((m) => m.dedupeKey);
      expect(again).toEqual(expect.arrayContaining([b, d]));
      expect(again).not.toContain(a);
      const counts = await repos.outbox.countByStatus();
      expect(counts.sent).toBeGreaterThanOrEqual(1);
      expect(counts.blocked).toBeGreaterThanOrEqual(1);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories, type Repositories } from '../../db/repositories';
import type { NewReview } from '../../db/review.repository';
import type { NewAction } from '../../services/actions/action';
import type { Complaint, NewFeedback } from '../../services/feedback/feedback';
import { parseDatabaseUrl, type DatabaseSettings } from '../../services/config';
import type { FormDefinition, FormKey, PublishedForm } from '../../services/forms/form-definition';
import type { PracticeReview } from '../../services/reviews/review';

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

  /** A form definition as the forms service stores it (the records review's one required question). */
  const formDefinition = (key: FormKey, title: string): FormDefinition => ({
    key,
    title,
    sections: [{ id: 'overall', title: 'Overall', questions: [{ id: 'overall_grade', label: 'Overall grade', type: 'grade', required: true }] }],
  });

  /** The current version of a form, stored as version 1 when there is none (as the forms service does). */
  async function currentForm(key: FormKey): Promise<PublishedForm> {
    const latest = await repos.forms.latest(key);
    if (latest !== undefined) return latest;
    return (await repos.forms.insert(key, 1, formDefinition(key, `Shipped ${key}`), 'qa-loop', now)) ?? (await repos.forms.latest(key))!;
  }

  describe('forms', () => {
    test('a version is stored once; a second insert of it is refused; latest() is the highest version', async () => {
      // Relative to what is there already, so the test also runs against a shared SQL Server.
      const key: FormKey = 'family_feedback';
      const base = (await repos.forms.latest(key))?.version ?? 0;
      const higher = await repos.forms.insert(key, base + 2, formDefinition(key, `Feedback ${base + 2}`), 'qa@example.org', now);
      const lower = await repos.forms.insert(key, base + 1, formDefinition(key, `Feedback ${base + 1}`), 'qa@example.org', new Date(now.getTime() + 1000));
      expect(higher).toMatchObject({ key, version: base + 2, publishedBy: 'qa@example.org', publishedAt: now });
      expect(lower?.version).toBe(base + 1);
      expect(await repos.forms.insert(key, base + 2, formDefinition(key, 'Someone else'), 'other@example.org', now)).toBeUndefined();
      // Inserted out of order, the highest version still wins; the refused insert changed nothing.
      expect(await repos.forms.latest(key)).toEqual(higher);
      expect(await repos.forms.findById(lower!.id)).toEqual(lower);
      expect(await repos.forms.findById(randomUUID())).toBeUndefined();
      const versions = (await repos.forms.listVersions(key)).map((form) => form.version);
      expect(versions).toEqual(expect.arrayContaining([base + 1, base + 2]));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
    });
  });

  describe('practice reviews', () => {
    const chairPerson = () => ({ ...person(), tier: 'independent_chair', roles: ['independent_chair'] });
    const practitionerPerson = () => ({ ...person(), tier: 'practitioner', roles: ['practitioner'] });

    /** A reviewer with a practice-review assignment, a practitioner and a chair: what a review is started with. */
    async function reviewInput(): Promise<{ input: NewReview; reviewerId: string; practitionerId: string; chairId: string }> {
      const reviewer = await repos.staff.insert(person(), now);
      const practitioner = await repos.staff.insert(practitionerPerson(), now);
      const chair = await repos.staff.insert(chairPerson(), now);
      const { assignment } = await repos.assignments.create(reviewer.id, '2026-09', 'practice_review', 'assigned', null, now);
      const [records, reflection, family] = [await currentForm('records_review'), await currentForm('reflective_tool'), await currentForm('family_feedback')];
      return {
        reviewerId: reviewer.id,
        practitionerId: practitioner.id,
        chairId: chair.id,
        input: {
          assignmentId: assignment.id,
          reviewerId: reviewer.id,
          practitionerId: practitioner.id,
          chairId: chair.id,
          caseReference: `CR-${unique()}`,
          service: practitioner.service,
          team: practitioner.team,
          recordsFormId: records.id,
          reflectionFormId: reflection.id,
          familyFormId: family.id,
        },
      };
    }

    async function startedReview(overrides: Partial<NewReview> = {}): Promise<PracticeReview> {
      const { input } = await reviewInput();
      return (await repos.reviews.create({ ...input, ...overrides }, now)).review;
    }

    /** Moves a review on through each step, checking each step is taken. */
    async function moveTo(review: PracticeReview, status: 'submitted' | 'moderated' | 'overseen', at: Date): Promise<void> {
      expect(await repos.reviews.transition(review.id, 'draft', 'submitted', { reviewerGrade: 'good' }, at)).toBe(true);
      if (status === 'submitted') return;
      expect(await repos.reviews.transition(review.id, 'submitted', 'moderated', { finalGrade: 'good', moderatorId: review.reviewerId, moderationReason: null, moderationFeedback: 'Clear' }, at)).toBe(true);
      if (status === 'moderated') return;
      expect(await repos.reviews.transition(review.id, 'moderated', 'overseen', { oversightBy: review.reviewerId, oversightDirections: 'Carry on' }, at)).toBe(true);
    }

    test('a review is made once per assignment: a second create finds the first', async () => {
      const { input } = await reviewInput();
      const first = await repos.reviews.create(input, now);
      expect(first.created).toBe(true);
      expect(first.review).toMatchObject({ ...input, status: 'draft', reviewerGrade: null, finalGrade: null, createdAt: now, submittedAt: null, updatedAt: now });
      const second = await repos.reviews.create({ ...input, caseReference: `CR-${unique()}` }, new Date(now.getTime() + 1000));
      expect(second).toEqual({ review: first.review, created: false });
      expect(await repos.reviews.findById(first.review.id)).toEqual(first.review);
      expect((await repos.reviews.findByAssignment(input.assignmentId))?.id).toBe(first.review.id);
      expect(await repos.reviews.findByAssignment(randomUUID())).toBeUndefined();
    });

    test('transition is conditional: a second draft → submitted changes nothing; each step records its own', async () => {
      const review = await startedReview();
      const t1 = new Date(now.getTime() + 60_000);
      const t2 = new Date(now.getTime() + 120_000);
      expect(await repos.reviews.transition(review.id, 'draft', 'submitted', { reviewerGrade: 'good' }, t1)).toBe(true);
      expect(await repos.reviews.transition(review.id, 'draft', 'submitted', { reviewerGrade: 'inadequate' }, t2)).toBe(false);
      expect(await repos.reviews.findById(review.id)).toMatchObject({ status: 'submitted', reviewerGrade: 'good', submittedAt: t1, updatedAt: t1 });
      expect(await repos.reviews.transition(review.id, 'submitted', 'moderated', { finalGrade: 'requires_improvement', moderatorId: review.practitionerId, moderationReason: 'Plan out of date', moderationFeedback: 'See notes' }, t2)).toBe(true);
      expect(await repos.reviews.transition(review.id, 'submitted', 'moderated', { finalGrade: 'outstanding' }, t2)).toBe(false);
      expect(await repos.reviews.findById(review.id)).toMatchObject({
        status: 'moderated', reviewerGrade: 'good', finalGrade: 'requires_improvement', moderationReason: 'Plan out of date', moderationFeedback: 'See notes',
        submittedAt: t1, moderatedAt: t2, oversightAt: null,
      });
      expect(await repos.reviews.transition(randomUUID(), 'draft', 'submitted', {}, t2)).toBe(false);
    });

    test('listByStatus gives the oldest submission first', async () => {
      const base = Date.UTC(2035, 0, 1) + Math.floor(Math.random() * 1e9);
      const reviews = [await startedReview(), await startedReview(), await startedReview()];
      // Submitted in the order 2, 0, 1.
      await moveTo(reviews[2]!, 'submitted', new Date(base));
      await moveTo(reviews[0]!, 'submitted', new Date(base + 1000));
      await moveTo(reviews[1]!, 'submitted', new Date(base + 2000));
      const submitted = await repos.reviews.listByStatus('submitted');
      const ids = reviews.map((review) => review.id);
      expect(submitted.map((review) => review.id).filter((id) => ids.includes(id))).toEqual([ids[2], ids[0], ids[1]]);
      const times = submitted.map((review) => review.submittedAt!.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect((await repos.reviews.listByStatus('draft')).map((review) => review.id)).not.toContain(ids[0]);
    });

    test('listInvolving finds a review for its reviewer, practitioner and chair, and not for anyone else', async () => {
      const { input, reviewerId, practitionerId, chairId } = await reviewInput();
      const { review } = await repos.reviews.create(input, now);
      for (const staffId of [reviewerId, practitionerId, chairId]) expect((await repos.reviews.listInvolving(staffId)).map((r) => r.id)).toEqual([review.id]);
      const stranger = await repos.staff.insert(person(), now);
      expect(await repos.reviews.listInvolving(stranger.id)).toEqual([]);
    });

    test('listAwaitingOversight: moderated reviews of the practitioners named, oldest moderation first', async () => {
      const base = Date.UTC(2036, 0, 1) + Math.floor(Math.random() * 1e9);
      const [later, earlier, onlySubmitted, overseen, someoneElse] = [
        await startedReview(), await startedReview(), await startedReview(), await startedReview(), await startedReview(),
      ] as [PracticeReview, PracticeReview, PracticeReview, PracticeReview, PracticeReview];
      await moveTo(later, 'moderated', new Date(base + 2000));
      await moveTo(earlier, 'moderated', new Date(base + 1000));
      await moveTo(onlySubmitted, 'submitted', new Date(base));
      await moveTo(overseen, 'overseen', new Date(base));
      await moveTo(someoneElse, 'moderated', new Date(base));
      const named = [later, earlier, onlySubmitted, overseen].map((review) => review.practitionerId);
      expect((await repos.reviews.listAwaitingOversight(named)).map((review) => review.id)).toEqual([earlier.id, later.id]);
      expect(await repos.reviews.listAwaitingOversight([])).toEqual([]);
    });

    test('form responses: one per (review, part); a draft is saved until it is submitted, and submitted once', async () => {
      const { input, reviewerId, practitionerId } = await reviewInput();
      const { review } = await repos.reviews.create(input, now);
      const records = await repos.responses.open(review.id, 'records', input.recordsFormId, reviewerId, now);
      expect(records).toMatchObject({ subjectKind: 'review', subjectId: review.id, part: 'records', formId: input.recordsFormId, respondentId: reviewerId, answers: {}, status: 'draft', submittedAt: null });
      // A second open of the same part (double click) finds the first, whoever asks.
      expect(await repos.responses.open(review.id, 'records', input.recordsFormId, practitionerId, new Date(now.getTime() + 1000))).toEqual(records);
      const reflection = await repos.responses.open(review.id, 'reflection', input.reflectionFormId, practitionerId, now);
      const family = await repos.responses.open(review.id, 'family', input.familyFormId, reviewerId, now);
      expect(new Set([records.id, reflection.id, family.id]).size).toBe(3);
      expect((await repos.responses.listFor(review.id)).map((response) => response.part)).toEqual(['family', 'records', 'reflection']);
      expect(await repos.responses.find(review.id, 'reflection')).toEqual(reflection);
      expect(await repos.responses.find(randomUUID(), 'records')).toBeUndefined();

      const t1 = new Date(now.getTime() + 60_000);
      const t2 = new Date(now.getTime() + 120_000);
      expect(await repos.responses.saveDraft(records.id, { overall_grade: 'good' }, t1)).toBe(true);
      expect(await repos.responses.find(review.id, 'records')).toMatchObject({ answers: { overall_grade: 'good' }, status: 'draft', updatedAt: t1 });
      expect(await repos.responses.submit(records.id, { overall_grade: 'outstanding' }, t2)).toBe(true);
      expect(await repos.responses.submit(records.id, { overall_grade: 'inadequate' }, t2)).toBe(false);
      expect(await repos.responses.saveDraft(records.id, { overall_grade: 'inadequate' }, t2)).toBe(false);
      expect(await repos.responses.find(review.id, 'records')).toMatchObject({ answers: { overall_grade: 'outstanding' }, status: 'submitted', submittedAt: t2, updatedAt: t2 });
      // The other parts are untouched.
      expect(await repos.responses.find(review.id, 'reflection')).toEqual(reflection);
    });
  });

  describe('actions', () => {
    const action = (ownerId: string, createdBy: string, dueDate: string, sourceId = randomUUID()): NewAction => ({
      sourceKind: 'review', sourceId, description: `Do ${unique()}`, ownerId, dueDate, createdBy,
    });

    test('create and find; listForSource soonest due first', async () => {
      const owner = await repos.staff.insert(person(), now);
      const manager = await repos.staff.insert(person(), now);
      const source = randomUUID();
      const first = await repos.actions.create(action(owner.id, manager.id, '2026-10-01', source), now);
      const second = await repos.actions.create(action(owner.id, manager.id, '2026-09-15', source), new Date(now.getTime() + 1000));
      expect(first).toMatchObject({ sourceKind: 'review', sourceId: source, ownerId: owner.id, createdBy: manager.id, dueDate: '2026-10-01', status: 'open', createdAt: now, remindedAt: null, overdueNotifiedAt: null, completedAt: null, completedBy: null, completionNote: null });
      expect(await repos.actions.findById(first.id)).toEqual(first);
      expect(await repos.actions.findById(randomUUID())).toBeUndefined();
      expect(await repos.actions.listForSource(source)).toEqual([second, first]);
    });

    test('listOpenFor gives a person their open actions, soonest due first', async () => {
      const owner = await repos.staff.insert(person(), now);
      const manager = await repos.staff.insert(person(), now);
      const dates = ['2026-10-15', '2026-09-20', '2026-11-01', '2026-10-01'];
      const made = [];
      for (const date of dates) made.push(await repos.actions.create(action(owner.id, manager.id, date), now));
      expect(await repos.actions.close(made[3]!.id, 'Done early', owner.id, now)).toBe(true);
      expect((await repos.actions.listOpenFor(owner.id)).map((a) => a.dueDate)).toEqual(['2026-09-20', '2026-10-15', '2026-11-01']);
      expect(await repos.actions.listOpenFor(manager.id)).toEqual([]);
    });

    test('listOpenDueBy: open actions due on or before the date, soonest first', async () => {
      const owner = await repos.staff.insert(person(), now);
      const before = await repos.actions.create(action(owner.id, owner.id, '2026-09-29'), now);
      const on = await repos.actions.create(action(owner.id, owner.id, '2026-09-30'), now);
      const after = await repos.actions.create(action(owner.id, owner.id, '2026-10-01'), now);
      const closed = await repos.actions.create(action(owner.id, owner.id, '2026-09-01'), now);
      await repos.actions.close(closed.id, 'Done', owner.id, now);
      const due = await repos.actions.listOpenDueBy('2026-09-30');
      const mine = [before.id, on.id, after.id, closed.id];
      expect(due.map((a) => a.id).filter((id) => mine.includes(id))).toEqual([before.id, on.id]);
      expect(due.every((a) => a.status === 'open' && a.dueDate <= '2026-09-30')).toBe(true);
      const dueDates = due.map((a) => a.dueDate);
      expect(dueDates).toEqual([...dueDates].sort());
    });

    test('close, markReminded and markOverdueNotified each happen once', async () => {
      const owner = await repos.staff.insert(person(), now);
      const manager = await repos.staff.insert(person(), now);
      const made = await repos.actions.create(action(owner.id, manager.id, '2026-09-10'), now);
      const t1 = new Date(now.getTime() + 60_000);
      const t2 = new Date(now.getTime() + 120_000);
      const t3 = new Date(now.getTime() + 180_000);
      expect(await repos.actions.markReminded(made.id, t1)).toBe(true);
      expect(await repos.actions.markReminded(made.id, t2)).toBe(false);
      expect(await repos.actions.markOverdueNotified(made.id, t2)).toBe(true);
      expect(await repos.actions.markOverdueNotified(made.id, t3)).toBe(false);
      expect(await repos.actions.close(made.id, 'Plan updated', owner.id, t3)).toBe(true);
      expect(await repos.actions.close(made.id, 'Again', manager.id, new Date(t3.getTime() + 1000))).toBe(false);
      expect(await repos.actions.findById(made.id)).toEqual({
        ...made, status: 'done', remindedAt: t1, overdueNotifiedAt: t2, completedAt: t3, completedBy: owner.id, completionNote: 'Plan updated',
      });
      expect(await repos.actions.close(randomUUID(), 'Nothing', owner.id, t3)).toBe(false);
    });
  });

  describe('family feedback and complaints', () => {
    /** A recorder, a practitioner and an officer on file, and the feedback form: what a piece of feedback is recorded with. */
    async function feedbackInput(overrides: Partial<NewFeedback> = {}): Promise<NewFeedback> {
      const recorder = await repos.staff.insert(person(), now);
      const practitioner = await repos.staff.insert({ ...person(), tier: 'practitioner', roles: ['practitioner'] }, now);
      const form = await currentForm('feedback');
      return {
        startKey: randomUUID(), caseReference: `CR-${unique()}`, recordedBy: recorder.id, formId: form.id, kind: 'compliment', source: 'parent', method: 'visit',
        rating: 5, consent: true, practitionerId: practitioner.id, reviewId: null, observationId: null, month: '2026-09', ...overrides,
      };
    }

    async function openComplaint(receivedOn = '2026-09-01', acknowledgeBy = '2026-09-04', respondBy = '2026-09-15'): Promise<Complaint> {
      const { feedback } = await repos.feedback.create(await feedbackInput({ kind: 'complaint' }), now);
      const officer = await repos.staff.insert(person(), now);
      return (await repos.complaints.create({ feedbackId: feedback.id, officerId: officer.id, receivedOn, acknowledgeBy, respondBy }, now)).complaint;
    }

    test('feedback is stored once per start key: a second create (a double press) finds the first', async () => {
      const input = await feedbackInput({ rating: null, consent: false });
      const first = await repos.feedback.create(input, now);
      expect(first.created).toBe(true);
      expect(first.feedback).toMatchObject({ ...input, createdAt: now });
      const second = await repos.feedback.create({ ...input, kind: 'comment', caseReference: `CR-${unique()}` }, new Date(now.getTime() + 1000));
      expect(second).toEqual({ feedback: first.feedback, created: false });
      expect(await repos.feedback.findById(first.feedback.id)).toEqual(first.feedback);
      expect(await repos.feedback.findByStartKey(input.startKey)).toEqual(first.feedback);
      expect(await repos.feedback.findByStartKey(randomUUID())).toBeUndefined();
      expect(await repos.feedback.findById(randomUUID())).toBeUndefined();
    });

    test('listFor: the feedback kept with a practice review, or with an observation, oldest first', async () => {
      const reviewer = await repos.staff.insert(person(), now);
      const practitioner = await repos.staff.insert({ ...person(), tier: 'practitioner', roles: ['practitioner'] }, now);
      const { assignment } = await repos.assignments.create(reviewer.id, '2026-09', 'practice_review', 'assigned', null, now);
      const { review } = await repos.reviews.create(
        {
          assignmentId: assignment.id, reviewerId: reviewer.id, practitionerId: practitioner.id, chairId: null, caseReference: `CR-${unique()}`, service: practitioner.service, team: practitioner.team,
          recordsFormId: (await currentForm('records_review')).id, reflectionFormId: (await currentForm('reflective_tool')).id, familyFormId: (await currentForm('family_feedback')).id,
        },
        now,
      );
      const { observation } = await repos.observations.create(
        { startKey: `card:${randomUUID()}`, assignmentId: null, observerId: reviewer.id, practitionerId: practitioner.id, service: practitioner.service, team: practitioner.team, formId: (await currentForm('practice_observation')).id, reflectionFormId: (await currentForm('observation_reflection')).id },
        now,
      );
      const later = (await repos.feedback.create(await feedbackInput({ reviewId: review.id }), new Date(now.getTime() + 2000))).feedback;
      const earlier = (await repos.feedback.create(await feedbackInput({ reviewId: review.id, kind: 'comment' }), now)).feedback;
      const observed = (await repos.feedback.create(await feedbackInput({ observationId: observation.id }), now)).feedback;
      await repos.feedback.create(await feedbackInput(), now);
      expect(await repos.feedback.listFor({ reviewId: review.id })).toEqual([earlier, later]);
      expect(await repos.feedback.listFor({ observationId: observation.id })).toEqual([observed]);
      expect(await repos.feedback.listFor({ reviewId: randomUUID() })).toEqual([]);
    });

    test('countByKind counts one London month by kind', async () => {
      const month = `${2100 + Math.floor(Math.random() * 800)}-0${1 + Math.floor(Math.random() * 9)}`;
      for (const kind of ['compliment', 'compliment', 'complaint', 'comment', 'compliment'] as const) await repos.feedback.create(await feedbackInput({ kind, month }), now);
      await repos.feedback.create(await feedbackInput({ kind: 'complaint', month: '2026-09' }), now);
      expect(await repos.feedback.countByKind(month)).toEqual({ compliment: 3, comment: 1, complaint: 1, total: 5 });
      expect(await repos.feedback.countByKind('1999-01')).toEqual({ compliment: 0, comment: 0, complaint: 0, total: 0 });
    });

    test('a complaint is opened once per piece of feedback, at stage 1 with its deadlines', async () => {
      const { feedback } = await repos.feedback.create(await feedbackInput({ kind: 'complaint' }), now);
      const officer = await repos.staff.insert(person(), now);
      const input = { feedbackId: feedback.id, officerId: officer.id, receivedOn: '2026-09-01', acknowledgeBy: '2026-09-04', respondBy: '2026-09-15' };
      const first = await repos.complaints.create(input, now);
      expect(first.complaint).toMatchObject({ ...input, stage: 1, status: 'open', acknowledgedAt: null, respondedAt: null, response: null, extendedAt: null, extensionReason: null, acknowledgeOverdueAt: null, respondOverdueAt: null, createdAt: now, updatedAt: now });
      expect(await repos.complaints.create({ ...input, respondBy: '2026-10-01' }, now)).toEqual({ complaint: first.complaint, created: false });
      expect(await repos.complaints.findById(first.complaint.id)).toEqual(first.complaint);
      expect(await repos.complaints.findByFeedback(feedback.id)).toEqual(first.complaint);
      expect(await repos.complaints.findByFeedback(randomUUID())).toBeUndefined();
    });

    test('acknowledge, respond and extend each happen once; a response acknowledges too; an extension clears the told mark', async () => {
      const t1 = new Date(now.getTime() + 60_000);
      const t2 = new Date(now.getTime() + 120_000);
      const t3 = new Date(now.getTime() + 180_000);
      const complaint = await openComplaint();
      expect(await repos.complaints.acknowledge(complaint.id, t1)).toBe(true);
      expect(await repos.complaints.acknowledge(complaint.id, t2)).toBe(false);
      expect(await repos.complaints.markRespondOverdue(complaint.id, t1)).toBe(true);
      expect(await repos.complaints.extend(complaint.id, '2026-09-29', 'Complex', t2)).toBe(true);
      expect(await repos.complaints.extend(complaint.id, '2026-10-13', 'Again', t2)).toBe(false);
      expect(await repos.complaints.findById(complaint.id)).toMatchObject({ status: 'acknowledged', acknowledgedAt: t1, respondBy: '2026-09-29', extensionReason: 'Complex', extendedAt: t2, respondOverdueAt: null });
      expect(await repos.complaints.respond(complaint.id, 'We apologised.', t3)).toBe(true);
      expect(await repos.complaints.respond(complaint.id, 'Again', t3)).toBe(false);
      expect(await repos.complaints.findById(complaint.id)).toMatchObject({ status: 'responded', response: 'We apologised.', respondedAt: t3, acknowledgedAt: t1, updatedAt: t3 });
      // Answered: nothing more is taken.
      expect(await repos.complaints.extend(complaint.id, '2026-10-13', 'Late', t3)).toBe(false);
      expect(await repos.complaints.markRespondOverdue(complaint.id, t3)).toBe(false);

      const straight = await openComplaint();
      expect(await repos.complaints.respond(straight.id, 'Sorted on the phone.', t1)).toBe(true);
      expect(await repos.complaints.findById(straight.id)).toMatchObject({ status: 'responded', acknowledgedAt: t1, respondedAt: t1 });
      expect(await repos.complaints.acknowledge(straight.id, t2)).toBe(false);
      expect(await repos.complaints.acknowledge(randomUUID(), t2)).toBe(false);
    });

    test('listOverdue: deadlines passed before the day and not yet told; marking them takes them off, once', async () => {
      const t1 = new Date(now.getTime() + 60_000);
      const notAcknowledged = await openComplaint('2026-09-01', '2026-09-04', '2026-09-15');
      const acknowledgedLate = await openComplaint('2026-09-01', '2026-09-04', '2026-09-15');
      await repos.complaints.acknowledge(acknowledgedLate.id, t1);
      const notYet = await openComplaint('2026-09-03', '2026-09-08', '2026-09-17');
      const answered = await openComplaint('2026-09-01', '2026-09-04', '2026-09-15');
      await repos.complaints.respond(answered.id, 'Done', t1);
      const mine = [notAcknowledged.id, acknowledgedLate.id, notYet.id, answered.id];
      // Oldest receipt first; the same day in any order.
      const ids = async (today: string): Promise<string[]> => (await repos.complaints.listOverdue(today)).map((c) => c.id).filter((id) => mine.includes(id));
      const sorted = (list: string[]): string[] => [...list].sort();
      expect(await ids('2026-09-04')).toEqual([]);
      expect(await ids('2026-09-07')).toEqual([notAcknowledged.id]);
      expect(await repos.complaints.markAcknowledgeOverdue(notAcknowledged.id, t1)).toBe(true);
      expect(await repos.complaints.markAcknowledgeOverdue(notAcknowledged.id, t1)).toBe(false);
      expect(await repos.complaints.markAcknowledgeOverdue(acknowledgedLate.id, t1)).toBe(false);
      expect(await ids('2026-09-07')).toEqual([]);
      const sixteenth = await ids('2026-09-16');
      expect(sorted(sixteenth.slice(0, 2))).toEqual(sorted([notAcknowledged.id, acknowledgedLate.id]));
      expect(sixteenth[2]).toBe(notYet.id);
      expect(await repos.complaints.markRespondOverdue(acknowledgedLate.id, t1)).toBe(true);
      expect(await repos.complaints.markRespondOverdue(acknowledgedLate.id, t1)).toBe(false);
      expect(await ids('2026-09-18')).toEqual([notAcknowledged.id, notYet.id]);
      expect(await repos.complaints.markAcknowledgeOverdue(notYet.id, t1)).toBe(true);
      expect(await repos.complaints.markRespondOverdue(notYet.id, t1)).toBe(true);
      expect(await repos.complaints.markRespondOverdue(notAcknowledged.id, t1)).toBe(true);
      expect(await ids('2026-09-30')).toEqual([]);
    });

    test('listOpenFor: the complaints a person handles that are not answered, soonest response deadline first', async () => {
      const officer = await repos.staff.insert(person(), now);
      const open = async (respondBy: string): Promise<Complaint> => {
        const { feedback } = await repos.feedback.create(await feedbackInput({ kind: 'complaint' }), now);
        return (await repos.complaints.create({ feedbackId: feedback.id, officerId: officer.id, receivedOn: '2026-09-01', acknowledgeBy: '2026-09-04', respondBy }, now)).complaint;
      };
      const later = await open('2026-09-20');
      const sooner = await open('2026-09-15');
      const answered = await open('2026-09-10');
      await repos.complaints.acknowledge(later.id, now);
      await repos.complaints.respond(answered.id, 'Done', now);
      expect((await repos.complaints.listOpenFor(officer.id)).map((c) => c.id)).toEqual([sooner.id, later.id]);
      expect(await repos.complaints.listOpenFor(randomUUID())).toEqual([]);
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createAdapter } from '../../bot/adapter';
import { ProactiveSender } from '../../bot/proactive-sender';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { createRepositories } from '../../db/repositories';
import { loadConfig } from '../../services/config';
import { DeliveryWorker, realSleep } from '../../services/delivery';
import { createLogger } from '../../services/logger';
import { RateLimiter } from '../../services/rate-limiter';
import { importRota } from '../../services/rota-service';
import { startBotProcess, startQaProcess, type BotProcess } from '../support/bot-process';
import type { ConnectorStandIn } from '../support/connector-stand-in';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { addRecipient } from '../support/recipients';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { TeamsClient, TENANT_ID } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * The bot killed with SIGKILL (no chance to tidy up) as a real process on a SQLite file,
 * then started again on the same file: during a burst of review card presses, during a
 * broadcast of the outbox, and the `qa` command killed during a job run. Afterwards the
 * database must agree with itself (no half-saved review, no duplicate row), nothing may
 * be lost, and nothing sent twice beyond the one gap services/delivery.ts documents.
 */
jest.setTimeout(240_000);

const guid = (n: number): string => `00000000-0000-4000-8000-${String(5000 + n).padStart(12, '0')}`;
/** More team managers than the small trust has, so that a month holds many practice reviews. */
function withExtraManagers(count: number): TrustPerson[] {
  const people = smallTrust({ practitioners: true });
  for (let i = 0; i < count; i++) {
    const service = i % 2 === 0 ? 'Safeguarding' : 'Children in Care';
    const lineManager = people.find((p) => p.tier === 'service_manager' && p.service === service)!;
    const name = `Extra Manager ${i + 1}`;
    const email = `extra.manager.${i + 1}@trust.example.org`;
    const aadObjectId = guid(i);
    people.push({ id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier: 'team_manager', service, team: `Extra Team ${i + 1}`, lineManager: lineManager.email, roles: '' });
  }
  return people;
}

/** Builds state in-process on the file, then closes the bot and its database, keeping the connector stand-in. */
async function prepare(path: string, work: (h: Harness, clock: FakeClock) => Promise<void>): Promise<ConnectorStandIn> {
  const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
  const h = await startHarness({ env: { DATABASE_URL: `sqlite:${path}` }, clock });
  await work(h, clock);
  await h.app.close();
  await h.database.close();
  return h.connector;
}

async function withDatabase<T>(path: string, read: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = openDatabase({ kind: 'sqlite', path });
  try {
    return await read(handle);
  } finally {
    await handle.close();
  }
}

/** Everything about the reviews that must agree, whatever moment the process died at. */
async function reviewProblems(path: string): Promise<{ problems: string[]; submitted: number; drafts: number }> {
  return withDatabase(path, async ({ db }) => {
    const problems: string[] = [];
    const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    if (integrity.rows[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity.rows)}`);
    const duplicates = [
      await sql<{ k: string; n: number }>`select assignment_id as k, count(*) as n from reviews group by assignment_id having count(*) > 1`.execute(db),
      await sql<{ k: string; n: number }>`select subject_id || ':' || part as k, count(*) as n from form_responses group by subject_id, part having count(*) > 1`.execute(db),
      await sql<{ k: string; n: number }>`select dedupe_key as k, count(*) as n from outbox group by dedupe_key having count(*) > 1`.execute(db),
      await sql<{ k: string; n: number }>`select staff_id || ':' || month as k, count(*) as n from assignments group by staff_id, month having count(*) > 1`.execute(db),
      await sql<{ k: string; n: number }>`select action || ':' || record_id as k, count(*) as n from audit_log where action in ('review.started', 'review.submitted') group by action, record_id having count(*) > 1`.execute(db),
    ];
    for (const found of duplicates) for (const row of found.rows) problems.push(`duplicate ${row.k} x${row.n}`);
    const reviews = await db.selectFrom('reviews').select(['id', 'assignment_id', 'status', 'reviewer_grade', 'submitted_at']).execute();
    let submitted = 0;
    for (const review of reviews) {
      const responses = await db.selectFrom('form_responses').select(['part', 'status', 'answers_json']).where('subject_id', '=', review.id).execute();
      const assignment = await db.selectFrom('assignments').select('status').where('id', '=', review.assignment_id).executeTakeFirst();
      const audited = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'review.submitted' and record_id = ${review.id}`.execute(db);
      const partStatus = (part: string): string | undefined => responses.find((r) => r.part === part)?.status;
      for (const response of responses) {
        try {
          JSON.parse(response.answers_json);
        } catch {
          problems.push(`${review.id} ${response.part}: answers are not whole JSON`);
        }
      }
      if (responses.length !== 3) problems.push(`${review.id}: ${responses.length} parts`);
      const facts = `${review.status} records=${partStatus('records')} family=${partStatus('family')} assignment=${assignment?.status} audited=${audited.rows[0]?.n}`;
      const whole = review.status === 'submitted'
        ? partStatus('records') === 'submitted' && partStatus('family') === 'submitted' && assignment?.status === 'done' && Number(audited.rows[0]?.n) === 1 && review.reviewer_grade !== null && review.submitted_at !== null
        : review.status === 'draft' && partStatus('records') === 'draft' && partStatus('family') === 'draft' && assignment?.status === 'started' && Number(audited.rows[0]?.n) === 0;
      if (!whole) problems.push(`${review.id}: half-saved: ${facts}`);
      if (review.status === 'submitted') submitted++;
    }
    return { problems, submitted, drafts: reviews.length - submitted };
  });
}

describe('killed during card presses', () => {
  let dir: string;
  let path: string;
  let connector: ConnectorStandIn;
  const trust = withExtraManagers(24);
  const reviews: { reviewer: TrustPerson; reviewId: string; complete: boolean }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qa-loop-kill-presses-'));
    path = join(dir, 'qa.sqlite');
    connector = await prepare(path, async (h, clock) => {
      trust.forEach((p) => h.connector.addMember(p));
      expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
      clock.set(new Date('2027-01-04T09:00:00Z'));
      await h.app.scheduler.tick(clock.now());
      const practitioners = trust.filter((p) => p.tier === 'practitioner');
      let n = 0;
      for (const person of trust.filter((p) => ['team_manager', 'service_manager', 'head_of_service', 'director'].includes(p.tier))) {
        const id = (await h.app.deps.repos.staff.findByEmail(person.email))!.id;
        const assignment = await h.app.deps.repos.assignments.findFor(id, '2027-01');
        if (assignment?.kind !== 'practice_review') continue;
        n++;
        await pressForCard(h.teams, person, 'review.start', { assignmentId: assignment.id, caseReference: `CR6${String(n).padStart(5, '0')}`, practitionerEmail: practitioners[n % practitioners.length]!.email });
        const reviewId = (await h.app.deps.repos.reviews.findByAssignment(assignment.id))!.id;
        // Every other review has every answer and is ready to submit; the rest are half done.
        const complete = n % 2 === 0;
        for (const [part, key] of [['records', 'records_review'], ['family', 'family_feedback']] as const) {
          const form = shippedForm(key);
          const last = complete ? form.sections.length : part === 'records' ? 3 : 0;
          for (let index = 0; index < last; index++) await pressForCard(h.teams, person, 'review.save', { reviewId, part, section: String(index), move: 'next', ...answersFor(form, index) });
        }
        reviews.push({ reviewer: person, reviewId, complete });
      }
    });
    expect(reviews.filter((r) => r.complete).length).toBeGreaterThanOrEqual(5);
  });
  afterAll(async () => {
    await connector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every review's buttons at once, several times over, in a fixed shuffled order. */
  function burst(teams: TeamsClient, round: number, answered: () => void): Promise<number>[] {
    const records = shippedForm('records_review');
    const presses: (() => Promise<number>)[] = [];
    for (const { reviewer, reviewId, complete } of reviews) {
      for (let index = 0; index < (complete ? records.sections.length : 3); index++) {
        presses.push(async () => (await teams.press(reviewer, 'review.save', { reviewId, part: 'records', section: String(index), move: index % 3 === 0 ? 'later' : 'next', ...answersFor(records, index, { overall_grade: index % 2 === 0 ? 'good' : 'outstanding' }) })).status);
      }
      for (let i = 0; i < 3; i++) presses.push(async () => (await teams.press(reviewer, 'review.submit', { reviewId })).status);
    }
    // A fixed order per round, so a failure reproduces.
    let seed = 7 + round;
    const shuffled = presses.map((press) => ({ press, key: (seed = (seed * 48271) % 2147483647) })).sort((a, b) => a.key - b.key);
    return shuffled.map(({ press }) =>
      press().then(
        (status) => {
          answered();
          return status;
        },
        () => 0,
      ),
    );
  }

  test('SIGKILL at several moments of a burst of saves and submits: after each restart no review is half-saved, no row doubled, and pressing again works', async () => {
    const answeredBeforeKill: number[] = [];
    // Killed once this many presses have been answered (the others are in flight or waiting), so
    // the moments are spread over the burst however fast or loaded the machine is.
    for (const [round, killAfter] of [1, 6, 20, 45, 80].entries()) {
      const bot: BotProcess = await startBotProcess(path, dir);
      const teams = new TeamsClient(bot.botUrl, connector);
      let answered = 0;
      const pending = burst(teams, round, () => answered++);
      const settled = Promise.all(pending);
      let done = false;
      void settled.then(() => (done = true));
      while (answered < killAfter && !done) await realSleep(1);
      await bot.kill('SIGKILL');
      const statuses = await settled;
      answeredBeforeKill.push(statuses.filter((status) => status === 200).length);
      expect(statuses.filter((status) => status !== 200 && status !== 0)).toEqual([]);
      const after = await reviewProblems(path);
      expect({ round, problems: after.problems }).toEqual({ round, problems: [] });
    }
    // The kills really came mid-burst: some presses were answered, and not all of them, in at least one round.
    const total = reviews.reduce((sum, r) => sum + (r.complete ? shippedForm('records_review').sections.length : 3) + 3, 0);
    process.stdout.write(`process-kill: of ${total} presses, answered before each SIGKILL: ${answeredBeforeKill.join(', ')}\n`);
    expect(answeredBeforeKill.some((answered) => answered > 0 && answered < total)).toBe(true);

    // Started once more: every review ready to submit can be, once; a second press stores nothing.
    const bot = await startBotProcess(path, dir);
    try {
      const teams = new TeamsClient(bot.botUrl, connector);
      for (const { reviewer, reviewId, complete } of reviews) {
        const first = await pressForCard(teams, reviewer, 'review.submit', { reviewId });
        if (complete) expect(first.text).toMatch(/Submitted to the QA service for moderation|can no longer be changed/);
        else expect(first.text).toContain('Not submitted yet');
        const second = await pressForCard(teams, reviewer, 'review.submit', { reviewId });
        if (complete) expect(second.text).toContain('can no longer be changed');
      }
    } finally {
      await bot.kill('SIGTERM');
    }
    const final = await reviewProblems(path);
    expect(final.problems).toEqual([]);
    expect(final.submitted).toBe(reviews.filter((r) => r.complete).length);
    expect(final.drafts).toBe(reviews.filter((r) => !r.complete).length);
  });
});

describe('killed during a broadcast of the outbox', () => {
  let dir: string;
  let path: string;
  let connector: ConnectorStandIn;
  const keys: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qa-loop-kill-outbox-'));
    path = join(dir, 'qa.sqlite');
    connector = await prepare(path, async (h) => {
      for (let i = 0; i < 300; i++) {
        const recipient = await addRecipient(h.app.deps.repos, h.connector.url, `kill-${i}`);
        const dedupeKey = `kill:${recipient.staffId}`;
        await h.app.deps.repos.outbox.enqueue({ dedupeKey, kind: 'reminder', conversationId: null, staffId: recipient.staffId, payload: { type: 'message', text: `Reminder [${dedupeKey}]` } }, new Date());
        keys.push(dedupeKey);
      }
    });
  });
  afterAll(async () => {
    await connector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const arrivals = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const call of connector.calls) {
      const key = call.kind === 'send' ? /\[(kill:[^\]]+)\]/.exec(String(call.activity?.text ?? ''))?.[1] : undefined;
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const outboxRows = (): Promise<{ dedupe_key: string; status: string; locked_until: string | null }[]> =>
    withDatabase(path, ({ db }) => db.selectFrom('outbox').select(['dedupe_key', 'status', 'locked_until']).where('dedupe_key', 'like', 'kill:%').execute());

  test('SIGKILL mid-broadcast, then a restart: nothing lost, and sent twice only what was in flight when it died', async () => {
    const first = await startBotProcess(path, dir);
    const deadline = Date.now() + 30_000;
    while ((arrivals().size < 80) && Date.now() < deadline) await realSleep(10);
    await first.kill('SIGKILL');
    const atKill = arrivals();
    expect(atKill.size).toBeGreaterThanOrEqual(80);
    expect(atKill.size).toBeLessThan(300);

    const rows = await outboxRows();
    const inFlight = rows.filter((row) => row.status === 'sending');
    for (const row of rows) {
      const arrived = atKill.get(row.dedupe_key) ?? 0;
      // What the outbox says was sent arrived exactly once; what is queued never left.
      if (row.status === 'sent') expect({ key: row.dedupe_key, arrived }).toEqual({ key: row.dedupe_key, arrived: 1 });
      else if (row.status === 'queued') expect({ key: row.dedupe_key, arrived }).toEqual({ key: row.dedupe_key, arrived: 0 });
      else expect(['sending']).toContain(row.status);
    }
    // The gap: posted to Teams, not yet marked sent. At most one send per lane of the worker (16).
    const gap = inFlight.filter((row) => (atKill.get(row.dedupe_key) ?? 0) === 1).map((row) => row.dedupe_key);
    expect(gap.length).toBeLessThanOrEqual(16);
    process.stdout.write(`process-kill: at SIGKILL ${rows.filter((row) => row.status === 'sent').length} sent, ${inFlight.length} claimed (${gap.length} of them already posted), ${rows.filter((row) => row.status === 'queued').length} queued\n`);

    // Restarted: it sends everything not held by the dead process's claims.
    const second = await startBotProcess(path, dir);
    const held = new Set(inFlight.map((row) => row.dedupe_key));
    const waitUntil = Date.now() + 60_000;
    while (keys.some((key) => !held.has(key) && !arrivals().has(key)) && Date.now() < waitUntil) await realSleep(50);
    await second.kill('SIGTERM');
    // Those claims stay untouched until their lock runs out (two minutes), so a slow process is never raced.
    const afterRestart = await outboxRows();
    expect(afterRestart.filter((row) => row.status === 'sending').map((row) => row.dedupe_key).sort()).toEqual([...held].sort());
    expect(afterRestart.filter((row) => row.status !== 'sent' && row.status !== 'sending')).toEqual([]);

    // After the lock: a worker on the same file (its clock past the lock) delivers them.
    const lockEnds = Math.max(...afterRestart.filter((row) => row.status === 'sending').map((row) => Date.parse(row.locked_until ?? '')), Date.now());
    const config = loadConfig({ DATABASE_URL: `sqlite:${path}` });
    const logger = createLogger('silent');
    await withDatabase(path, async (handle) => {
      const repos = createRepositories(handle.db, handle.dialect);
      const offset = lockEnds + 1_000 - Date.now();
      const later = { now: () => new Date(Date.now() + offset) };
      const worker = new DeliveryWorker({
        outbox: repos.outbox,
        sender: new ProactiveSender({ adapter: createAdapter(config, logger), appId: '', conversations: repos.conversations, timeoutMs: 5_000 }),
        limiter: new RateLimiter(),
        clock: later,
        logger,
        sleep: realSleep,
        options: { startQuietMs: 0 },
      });
      const deadline = Date.now() + 30_000;
      while ((await repos.outbox.countByStatus()).sending + (await repos.outbox.countByStatus()).queued > 0 && Date.now() < deadline) {
        await worker.drainOnce(later.now());
        await realSleep(50);
      }
    });

    const final = await outboxRows();
    expect(final.filter((row) => row.status !== 'sent')).toEqual([]);
    const counts = arrivals();
    const lost = keys.filter((key) => (counts.get(key) ?? 0) === 0);
    const twice = keys.filter((key) => (counts.get(key) ?? 0) > 1).sort();
    expect(lost).toEqual([]);
    expect(twice).toEqual([...gap].sort());
    expect(keys.filter((key) => (counts.get(key) ?? 0) > 2)).toEqual([]);
  });
});

describe('the qa command killed during a job run', () => {
  let dir: string;
  let path: string;
  let connector: ConnectorStandIn;
  const trust = withExtraManagers(160);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qa-loop-kill-job-'));
    path = join(dir, 'qa.sqlite');
    connector = await prepare(path, async (h) => {
      trust.forEach((p) => h.connector.addMember(p));
      expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
      for (const p of trust) await h.teams.install(p);
    });
  });
  afterAll(async () => {
    await connector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const countCards = (): Promise<number> =>
    withDatabase(path, async ({ db }) => Number((await sql<{ n: number }>`select count(*) as n from outbox where dedupe_key like ${'assignment:2027-02:%'}`.execute(db)).rows[0]?.n));

  test('SIGKILL mid-run: the run waits out its lease, is then taken over and finishes; each manager has one assignment and gets one card', async () => {
    const at = ['jobs', 'run', 'assign-month', '--at', '2027-02-01T09:00:00Z'];
    const run = startQaProcess(path, at, dir, { QA_NOW: '2027-02-01T09:00:00Z' });
    const watcher = openDatabase({ kind: 'sqlite', path });
    let seen = 0;
    try {
      const deadline = Date.now() + 60_000;
      while (run.child.exitCode === null && Date.now() < deadline) {
        seen = Number((await sql<{ n: number }>`select count(*) as n from outbox where dedupe_key like ${'assignment:2027-02:%'}`.execute(watcher.db)).rows[0]?.n);
        if (seen >= 10) break;
        await realSleep(2);
      }
    } finally {
      await watcher.close();
    }
    await run.kill('SIGKILL');
    const managers = trust.filter((p) => ['director', 'head_of_service', 'service_manager', 'team_manager'].includes(p.tier)).length;
    const cut = await countCards();
    process.stdout.write(`process-kill: the job was killed after queuing ${cut} of ${managers} assignment cards\n`);
    expect(cut).toBeGreaterThanOrEqual(10);
    expect(cut).toBeLessThan(managers);
    expect(await withDatabase(path, ({ db }) => db.selectFrom('job_runs').select(['status', 'attempts']).where('job', '=', 'assign-month').where('period', '=', '2027-02').executeTakeFirst())).toEqual({ status: 'running', attempts: 1 });

    // Inside the dead run's lease nothing runs; after it, the run is taken over.
    const early = startQaProcess(path, at, dir, { QA_NOW: '2027-02-01T09:05:00Z' });
    await early.exited;
    expect(await countCards()).toBe(cut);
    const late = startQaProcess(path, at, dir, { QA_NOW: '2027-02-01T09:11:00Z' });
    expect((await late.exited).code).toBe(0);
    expect(late.output()).toContain('assign-month ran for 2027-02');

    await withDatabase(path, async ({ db }) => {
      expect(await db.selectFrom('job_runs').select(['status', 'attempts']).where('job', '=', 'assign-month').where('period', '=', '2027-02').executeTakeFirst()).toEqual({ status: 'succeeded', attempts: 2 });
      const assignments = await db.selectFrom('assignments').select(['staff_id', 'status']).where('month', '=', '2027-02').execute();
      expect(assignments).toHaveLength(managers);
      const cards = await sql<{ key: string; n: number }>`select dedupe_key as key, count(*) as n from outbox where dedupe_key like ${'assignment:2027-02:%'} group by dedupe_key`.execute(db);
      expect(new Set(cards.rows.map((row) => row.key))).toEqual(new Set(assignments.filter((a) => a.status !== 'excused').map((a) => `assignment:2027-02:${a.staff_id}`)));
      expect(cards.rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    });

    // Delivered: one card each, however the run was cut. (Queued as at the run's time, so sent from then on.)
    connector.clear();
    const offset = Date.parse('2027-02-01T09:12:00Z') - Date.now();
    const clock = { now: () => new Date(Date.now() + offset) };
    const config = loadConfig({ DATABASE_URL: `sqlite:${path}` });
    const logger = createLogger('silent');
    await withDatabase(path, async (handle) => {
      const repos = createRepositories(handle.db, handle.dialect);
      const worker = new DeliveryWorker({
        outbox: repos.outbox,
        sender: new ProactiveSender({ adapter: createAdapter(config, logger), appId: '', conversations: repos.conversations, timeoutMs: 5_000 }),
        limiter: new RateLimiter({ scale: 10 }),
        clock,
        logger,
        sleep: realSleep,
        options: { startQuietMs: 0 },
      });
      const deadline = Date.now() + 60_000;
      while ((await repos.outbox.countByStatus()).queued > 0 && Date.now() < deadline) {
        await worker.drainOnce(clock.now());
        await realSleep(50);
      }
    });
    const perChat = new Map<string, number>();
    for (const call of connector.calls.filter((c) => c.kind === 'send')) perChat.set(call.conversationId, (perChat.get(call.conversationId) ?? 0) + 1);
    expect([...perChat.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perChat.size).toBe(managers);
  });
});

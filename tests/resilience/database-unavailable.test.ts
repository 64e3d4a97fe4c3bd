import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { QaError } from '../../services/errors';
import { importRota } from '../../services/rota-service';
import { FakeClock } from '../support/fake-clock';
import type { Harness } from '../support/harness';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { startHarnessOnSwitchable, type SwitchableSqlite } from '../support/switchable-sqlite';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * The database going away while the bot runs, on a real SQLite file: its connection is
 * closed under the bot (tests/support/switchable-sqlite.ts), so every statement fails
 * with the driver's own error, and a transaction cut off is rolled back by SQLite. The
 * bot must say so plainly (HTTP 200, the DATABASE_UNAVAILABLE message, never a 500 or a
 * stack), /healthz must say 503, a job must fail and be run again later, and a cut
 * anywhere in a review submit must leave the review as it was or submitted whole.
 */
jest.setTimeout(120_000);

const TRY_AGAIN = new QaError('DATABASE_UNAVAILABLE', 'x').userMessage;
const trust = smallTrust({ practitioners: true });
const managers = trust.filter((p) => ['team_manager', 'service_manager', 'head_of_service', 'director'].includes(p.tier));
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let dir: string;
let h: Harness;
let sqlite: SwitchableSqlite;
let reviewer: TrustPerson;
let assignmentId: string;
let reviewId: string;

const staffId = async (person: TrustPerson): Promise<string> => (await h.app.deps.repos.staff.findByEmail(person.email))!.id;
const logged = (message: string): Record<string, unknown>[] =>
  h.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === message);
/** Nothing a person is shown may carry the driver's words or a stack. */
const expectNoInternals = (shown: unknown): void => expect(JSON.stringify(shown)).not.toMatch(/not open|TypeError|SqliteError|\n\s+at |\.ts:\d+/);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qa-loop-db-away-'));
  const started = await startHarnessOnSwitchable(join(dir, 'qa.sqlite'), { clock });
  h = started;
  sqlite = started.sqlite;
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  for (const p of managers) {
    const assignment = await h.app.deps.repos.assignments.findFor(await staffId(p), '2027-01');
    if (assignment?.kind === 'practice_review') {
      reviewer = p;
      assignmentId = assignment.id;
      break;
    }
  }
  // A review with every answer given, ready to submit.
  const practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== reviewer.email)!;
  await pressForCard(h.teams, reviewer, 'review.start', { assignmentId, caseReference: 'CR700100', practitionerEmail: practitioner.email });
  reviewId = (await h.app.deps.repos.reviews.findByAssignment(assignmentId))!.id;
  for (const [part, key] of [['records', 'records_review'], ['family', 'family_feedback']] as const) {
    const form = shippedForm(key);
    for (let index = 0; index < form.sections.length; index++) {
      await pressForCard(h.teams, reviewer, 'review.save', { reviewId, part, section: String(index), move: 'next', ...answersFor(form, index) });
    }
  }
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  sqlite.giveBack();
});

test('database away: /healthz 503; "my tasks" and a button get the plain "try again shortly" with HTTP 200, never a 500 or a stack; back again, all answers as before', async () => {
  expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  sqlite.takeAway();

  const health = await fetch(`${h.baseUrl}/healthz`);
  expect(health.status).toBe(503);
  expect(await health.json()).toEqual({ status: 'unavailable', database: { engine: 'sqlite', reachable: false } });

  const typed = h.teams.activity(reviewer, { conversationId: `a:personal-${reviewer.aadObjectId}`, conversationType: 'personal' }, { type: 'message', text: 'my tasks' });
  const typedAnswer = await h.teams.post(typed);
  expect(typedAnswer.status).toBe(200);
  const replies = h.connector.calls.filter((call) => call.kind === 'reply' && call.activityId === typed.id).map((call) => call.activity);
  expect(replies.map((reply) => reply?.text)).toEqual([TRY_AGAIN]);

  for (const [verb, data] of [['review.open', { reviewId, view: 'review' }], ['review.submit', { reviewId }], ['assignment.start', { assignmentId }], ['help.show', {}]] as const) {
    const pressed = await h.teams.press(reviewer, verb, data);
    expect({ verb, status: pressed.status }).toEqual({ verb, status: 200 });
    const card = (pressed.body as { value: unknown }).value;
    expect(cardText(card)).toContain(TRY_AGAIN);
    expectNoInternals(pressed.body);
  }
  expectNoInternals(h.connector.calls.map((call) => call.activity));
  // The log names the outage by its code, for whoever is on call.
  expect(logged('turn failed').map((entry) => entry.code)).toContain('DATABASE_UNAVAILABLE');
  expect(logged('card action failed').map((entry) => entry.code)).toEqual(['DATABASE_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'DATABASE_UNAVAILABLE', 'DATABASE_UNAVAILABLE']);
  // Nothing was submitted while it was away.
  sqlite.giveBack();
  expect((await h.app.deps.repos.reviews.findById(reviewId))!.status).toBe('draft');
  expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  const [again] = await h.teams.say(reviewer, 'my tasks');
  expect(cardText(cardOf(again))).toContain('Practice review: CR700100');
});

test('a scheduler tick while the database is away fails its jobs and records nothing; a tick once it is back runs them, once', async () => {
  const { scheduler, deps } = h.app;
  clock.set(new Date('2027-02-01T09:00:00Z'));
  sqlite.takeAway();
  const failed = await scheduler.tick(clock.now());
  expect(failed.map((run) => run.job)).toContain('assign-month');
  expect(failed.filter((run) => run.result !== 'failed')).toEqual([]);
  // Each failed job is logged with the outage's own code, not as an internal fault.
  const failedLines = logged('job').filter((entry) => entry.result === 'failed');
  expect(failedLines.map((entry) => `${String(entry.job)} ${String(entry.code)}`)).toEqual(failed.map((run) => `${run.job} DATABASE_UNAVAILABLE`));

  sqlite.giveBack();
  expect(await deps.repos.jobRuns.find('assign-month', '2027-02')).toBeUndefined();
  expect(await deps.repos.assignments.listForMonth('2027-02')).toEqual([]);

  clock.set(new Date('2027-02-01T09:15:00Z'));
  const later = await scheduler.tick(clock.now());
  expect(later.find((run) => run.job === 'assign-month')).toMatchObject({ result: 'ran', period: '2027-02' });
  expect(await deps.repos.jobRuns.find('assign-month', '2027-02')).toMatchObject({ status: 'succeeded', attempts: 1 });
  const assignments = await deps.repos.assignments.listForMonth('2027-02');
  expect(assignments.length).toBeGreaterThan(0);
  const cards = await sql<{ n: number }>`select count(*) as n from outbox where dedupe_key like ${'assignment:2027-02:%'}`.execute(deps.database.db);
  expect(Number(cards.rows[0]?.n)).toBe(assignments.filter((a) => a.status !== 'excused').length);
  expect((await scheduler.tick(clock.now())).find((run) => run.job === 'assign-month')).toMatchObject({ result: 'done-already' });
});

test('the database cut in the middle of a job run: the run waits out its lease, is then taken over and finished, and nothing is queued twice', async () => {
  const { scheduler, deps } = h.app;
  clock.set(new Date('2027-03-01T09:00:00Z'));
  // Cut as the job makes its fifth assignment: after its claim and part of its work.
  sqlite.takeAwayAt(/insert into "assignments"/i, 5);
  const cut = await scheduler.tick(clock.now());
  expect(cut.find((run) => run.job === 'assign-month')).toMatchObject({ result: 'failed' });
  sqlite.giveBack();
  expect(await deps.repos.jobRuns.find('assign-month', '2027-03')).toMatchObject({ status: 'running', attempts: 1 });
  const partial = await sql<{ n: number }>`select count(*) as n from outbox where dedupe_key like ${'assignment:2027-03:%'}`.execute(deps.database.db);
  expect(Number(partial.rows[0]?.n)).toBeGreaterThan(0);
  expect(Number(partial.rows[0]?.n)).toBeLessThanOrEqual(4);

  // Within the lease the run is taken to be alive elsewhere; after it, it is taken over.
  clock.set(new Date('2027-03-01T09:05:00Z'));
  expect((await scheduler.tick(clock.now())).find((run) => run.job === 'assign-month')).toMatchObject({ result: 'busy-elsewhere' });
  clock.set(new Date('2027-03-01T09:11:00Z'));
  expect((await scheduler.tick(clock.now())).find((run) => run.job === 'assign-month')).toMatchObject({ result: 'ran' });
  expect(await deps.repos.jobRuns.find('assign-month', '2027-03')).toMatchObject({ status: 'succeeded', attempts: 2 });
  const assignments = (await deps.repos.assignments.listForMonth('2027-03')).filter((a) => a.status !== 'excused');
  const cards = await sql<{ key: string; n: number }>`select dedupe_key as key, count(*) as n from outbox where dedupe_key like ${'assignment:2027-03:%'} group by dedupe_key`.execute(deps.database.db);
  expect(cards.rows.map((row) => Number(row.n))).toEqual(assignments.map(() => 1));
  expect(new Set(cards.rows.map((row) => row.key))).toEqual(new Set(assignments.map((a) => `assignment:2027-03:${a.staffId}`)));
});

test('a review submit cut at any statement leaves the review as it was, or submitted whole; never half', async () => {
  const { repos } = h.app.deps;
  const state = async () => {
    const review = (await repos.reviews.findById(reviewId))!;
    const responses = await repos.responses.listFor(reviewId);
    const assignment = (await repos.assignments.findById(assignmentId))!;
    const audit = await sql<{ n: number }>`select count(*) as n from audit_log where action = 'review.submitted' and record_id = ${reviewId}`.execute(h.database.db);
    return {
      review: review.status,
      records: responses.find((r) => r.part === 'records')!.status,
      family: responses.find((r) => r.part === 'family')!.status,
      assignment: assignment.status,
      audited: Number(audit.rows[0]?.n),
    };
  };
  const before = await state();
  expect(before).toEqual({ review: 'draft', records: 'draft', family: 'draft', assignment: 'started', audited: 0 });
  const submitted = { review: 'submitted', records: 'submitted', family: 'submitted', assignment: 'done', audited: 1 };
  const matches = async (expected: typeof submitted): Promise<boolean> => JSON.stringify(await state()) === JSON.stringify(expected);
  let cuts = 0;
  for (let statement = 0; statement < 500 && !(await matches(submitted)); statement++) {
    sqlite.takeAwayAfter(statement);
    const pressed = await h.teams.press(reviewer, 'review.submit', { reviewId });
    const wasCut = sqlite.away;
    sqlite.giveBack();
    expect(pressed.status).toBe(200);
    expectNoInternals(pressed.body);
    const text = cardText((pressed.body as { value: unknown }).value);
    // Whole or nothing, at every cut.
    expect([before, submitted]).toContainEqual(await state());
    if (wasCut) {
      cuts++;
      expect(text).toContain(TRY_AGAIN);
    } else {
      expect(text).toContain('Submitted to the QA service for moderation');
    }
  }
  expect(cuts).toBeGreaterThan(10);
  expect(await state()).toEqual(submitted);
  // Pressed again (the person saw "try again"), it stores nothing more.
  const again = await pressForCard(h.teams, reviewer, 'review.submit', { reviewId });
  expect(again.text).toContain('can no longer be changed');
  expect(await state()).toEqual(submitted);
});

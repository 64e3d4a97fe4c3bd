import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../../db/connect';
import { currentForm } from '../../services/forms/forms-service';
import { startObservation } from '../../services/observations/observation-start';
import { effectiveRoles } from '../../services/roles';
import type { PersonExport } from '../../services/subject-access';
import { runQa, type QaRun } from '../support/qa-process';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { buildReviewWorld, CASE_A, CASE_B, MARKER } from '../support/review-world';
import { storedRows } from '../support/stored-rows';
import { tableDigests } from '../support/table-digest';
import type { TrustPerson } from '../support/trust';

/**
 * `npm run qa -- export person EMAIL` as a real process: everything QA Loop holds about a
 * member of staff, for a subject access request. The trust is built through the bot's own
 * cards (tests/support/review-world.ts: a review moderated and overseen, with an action),
 * then the practitioner's reflection is stored and they close their action by card, their
 * line manager observes them (through the service) and a complaint about them is recorded;
 * the database is then copied to a file for the command to read.
 */
const temp = mkdtempSync(join(tmpdir(), 'qa-loop-export-'));
const database = join(temp, 'trust.sqlite');
/** After everything the world did (January 2027), as the command's clock. */
const env = { QA_NOW: '2027-02-01T12:00:00Z' };
const qa = (...args: string[]): Promise<QaRun> => runQa(database, args, env);

/** Audit entries seeded straight into the file: enough, many in one millisecond, to page through. */
const SEEDED_AT = '2027-01-31T08:00:00.000Z';
const SEEDED_SAME_MS = 1203;
const SEEDED_SPREAD = 410;
const SEEDED_EVERY = 7;

interface World {
  practitioner: TrustPerson;
  practitionerId: string;
  reviewer: TrustPerson;
  reviewerId: string;
  chair: TrustPerson;
  lineManager: TrustPerson;
  qa: TrustPerson;
  reviewId: string;
  reviewBId: string;
  assignmentId: string;
  actionId: string;
  observationId: string;
  feedbackId: string;
  complaintId: string;
  finalGrade: string | null;
  /** Audit entries with the practitioner as actor, seeded in the file. */
  seededByPractitioner: string[];
}

let world: World;

/** Every answer of a shipped form, as a careful person would give them. */
const allAnswers = (key: 'reflective_tool' | 'practice_observation' | 'observation_reflection'): Record<string, string> =>
  Object.assign({}, ...shippedForm(key).sections.map((_, index) => answersFor(shippedForm(key), index))) as Record<string, string>;

async function snapshot(): Promise<{ digests: Record<string, string>; rows: Record<string, number> }> {
  const handle = openDatabase({ kind: 'sqlite', path: database });
  try {
    return { digests: await tableDigests(handle), rows: await storedRows(handle) };
  } finally {
    await handle.close();
  }
}

function lastAuditEntry(): Record<string, unknown> {
  const db = new SqliteDatabase(database, { readonly: true });
  try {
    return db.prepare('select actor, actor_role, action, record_kind, record_id, source, detail_json from audit_log order by at desc, rowid desc limit 1').get() as Record<string, unknown>;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const built = await buildReviewWorld();
  const { h, clock, reviewA, reviewB, qa: qaManager } = built;
  try {
    const { repos } = h.app.deps;
    const services = h.app.deps.services;
    const practitionerId = await built.staffId(reviewA.practitioner);
    const reviewerId = await built.staffId(reviewA.reviewer);
    const lineManagerId = await built.staffId(reviewA.lineManager);
    const qaId = await built.staffId(qaManager);
    clock.set(new Date('2027-01-20T10:00:00Z'));

    // The practitioner's reflection (the review is closed to cards by now: stored directly), and their action closed by their own card.
    const reflection = (await repos.responses.find(reviewA.id, 'reflection'))!;
    await repos.responses.submit(reflection.id, allAnswers('reflective_tool'), clock.now());
    const closed = await pressForCard(h.teams, reviewA.practitioner, 'action.close', { actionId: reviewA.actionId, note: `Plan updated with the family. ${MARKER}` });
    if ((await repos.actions.findById(reviewA.actionId))?.status !== 'done') throw new Error(`The action was not closed: ${closed.text}`);

    // An observation of the practitioner by their line manager, through the service, answered and submitted.
    const observer = (await repos.staff.findById(lineManagerId))!;
    const started = await startObservation(services, observer, effectiveRoles(observer.roles), { assignmentId: '', startToken: 'export-person-test-0001', practitionerId, practitionerEmail: '' });
    if (!started.ok) throw new Error(`The observation did not start: ${JSON.stringify(started.problems)}`);
    const observationId = started.snapshot.observation.id;
    const now = clock.now();
    for (const [part, key] of [['observation', 'practice_observation'], ['reflection', 'observation_reflection']] as const) {
      const response = (await repos.responses.find(observationId, part, 'observation'))!;
      await repos.responses.submit(response.id, allAnswers(key), now);
    }
    await repos.observations.submit(observationId, { observedOn: '2027-01-15', setting: 'home_visit', grade: 'good', focusDayId: null }, now);

    // A complaint about the practitioner, recorded by the reviewer, handled by the QA manager.
    const feedbackForm = await currentForm(services, 'feedback');
    const { feedback } = await repos.feedback.create(
      {
        startKey: 'card:export-person-test',
        caseReference: CASE_A,
        recordedBy: reviewerId,
        formId: feedbackForm.id,
        kind: 'complaint',
        source: 'parent',
        method: 'phone',
        rating: null,
        consent: true,
        practitionerId,
        reviewId: reviewA.id,
        observationId: null,
        month: '2027-01',
      },
      now,
    );
    const feedbackResponse = await repos.responses.open(feedback.id, 'feedback', feedbackForm.id, reviewerId, now, 'feedback');
    await repos.responses.submit(feedbackResponse.id, { summary: `Visits were cancelled. ${MARKER}` }, now);
    const { complaint } = await repos.complaints.create({ feedbackId: feedback.id, officerId: qaId, receivedOn: '2027-01-20', acknowledgeBy: '2027-01-25', respondBy: '2027-02-03' }, now);
    await h.app.delivery.drainOnce(now);

    world = {
      practitioner: reviewA.practitioner,
      practitionerId,
      reviewer: reviewA.reviewer,
      reviewerId,
      chair: reviewA.chair,
      lineManager: reviewA.lineManager,
      qa: qaManager,
      reviewId: reviewA.id,
      reviewBId: reviewB.id,
      assignmentId: reviewA.assignmentId,
      actionId: reviewA.actionId,
      observationId,
      feedbackId: feedback.id,
      complaintId: complaint.id,
      finalGrade: (await repos.reviews.findById(reviewA.id))!.finalGrade,
      seededByPractitioner: [],
    };
    await sql`vacuum into ${sql.lit(database)}`.execute(h.database.db);
  } finally {
    await h.close();
  }

  // A long audit log: many entries in one millisecond (as a job writes them), then more, a few by the practitioner.
  const db = new SqliteDatabase(database);
  try {
    const insert = db.prepare('insert into audit_log (id, at, actor, actor_role, action, record_kind, record_id, source, detail_json) values (?, ?, ?, null, ?, ?, null, ?, null)');
    db.transaction(() => {
      for (let i = 0; i < SEEDED_SAME_MS + SEEDED_SPREAD; i++) {
        const id = `seed-${String(i).padStart(5, '0')}`;
        const at = i < SEEDED_SAME_MS ? SEEDED_AT : new Date(Date.parse(SEEDED_AT) + 1 + Math.floor((i - SEEDED_SAME_MS) / 3)).toISOString();
        const mine = i % SEEDED_EVERY === 0;
        insert.run(id, at, mine ? world.practitioner.email : 'qa-loop', 'seed.entry', 'seed', mine ? 'card' : 'job');
        if (mine) world.seededByPractitioner.push(id);
      }
    })();
  } finally {
    db.close();
  }
}, 180_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('npm run qa -- export person', () => {
  test("--out FILE: the practitioner's staff record, review, observation, action, feedback, messages and audit entries; only an audit entry is added", async () => {
    const before = await snapshot();
    const out = join(temp, 'practitioner.json');
    const run = await qa('export', 'person', world.practitioner.email.toUpperCase(), '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(new RegExp(`^Wrote everything QA Loop holds about ${world.practitioner.email.replace(/\./g, '\\.')} \\(\\d+ items\\) to ${out.replace(/[.\\/]/g, '\\$&')}, readable only by you\\.`));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, 'utf8');
    const data = JSON.parse(text) as PersonExport;

    expect(data.exportedAt).toBe('2027-02-01T12:00:00.000Z');
    expect(data.about).toContain('subject access request');
    expect(data.person).toMatchObject({
      id: world.practitionerId,
      email: world.practitioner.email,
      name: world.practitioner.name,
      aadObjectId: world.practitioner.aadObjectId,
      tier: 'practitioner',
      service: world.practitioner.service,
      team: world.practitioner.team,
      lineManagerEmail: world.lineManager.email,
      active: true,
    });
    expect(data.person.roles).toEqual(world.practitioner.roles.split(';').filter(Boolean));
    // Practitioners are not on the rota: nothing assigned, nothing asked.
    expect(data.rota).toEqual({ membership: null, overrides: [] });
    expect(data.assignments).toEqual([]);
    expect(data.rotaRequests).toEqual([]);

    // The review of their practice: every part, with its answers; the moderator's feedback to the reviewer is not theirs.
    expect(data.reviews).toHaveLength(1);
    const review = data.reviews[0]!;
    expect(review).toMatchObject({
      id: world.reviewId,
      roles: ['practitioner'],
      caseReference: CASE_A,
      reviewer: world.reviewer.email,
      practitioner: world.practitioner.email,
      independentChair: world.chair.email,
      moderator: world.qa.email,
      overseeingManager: world.lineManager.email,
      status: 'overseen',
      finalGrade: world.finalGrade,
    });
    expect(review).toHaveProperty('moderationReason');
    expect(review).not.toHaveProperty('moderationFeedback');
    expect(review.oversightDirections).toContain(MARKER);
    expect(review.parts.map((part) => [part.part, part.form, part.respondent, part.status])).toEqual([
      ['family', 'family_feedback', world.reviewer.email, 'submitted'],
      ['records', 'records_review', world.reviewer.email, 'submitted'],
      ['reflection', 'reflective_tool', world.practitioner.email, 'submitted'],
    ]);
    expect(Object.values(review.parts.find((part) => part.part === 'records')!.answers).some((answer) => answer.includes(MARKER))).toBe(true);
    expect(review.parts.find((part) => part.part === 'reflection')!.answers).toEqual(allAnswers('reflective_tool'));
    // Nothing of a review they are not in.
    expect(text).not.toContain(world.reviewBId);
    expect(text).not.toContain(CASE_B);

    expect(data.observations).toHaveLength(1);
    expect(data.observations[0]).toMatchObject({ id: world.observationId, roles: ['practitioner'], observer: world.lineManager.email, practitioner: world.practitioner.email, status: 'submitted', grade: 'good', setting: 'home_visit' });
    expect(data.observations[0]!.parts.map((part) => [part.part, part.respondent])).toEqual([
      ['observation', world.lineManager.email],
      ['reflection', world.practitioner.email],
    ]);
    expect(Object.keys(data.observations[0]!.parts[0]!.answers).length).toBeGreaterThan(3);

    expect(data.actions).toHaveLength(1);
    expect(data.actions[0]).toMatchObject({ id: world.actionId, roles: ['owner', 'closer'], source: { kind: 'review', id: world.reviewId }, owner: world.practitioner.email, createdBy: world.lineManager.email, completedBy: world.practitioner.email, status: 'done' });
    expect(data.actions[0]!.description).toContain(MARKER);
    expect(data.actions[0]!.completionNote).toBe(`Plan updated with the family. ${MARKER}`);

    expect(data.feedback).toEqual([
      expect.objectContaining({ id: world.feedbackId, roles: ['practitioner'], kind: 'complaint', caseReference: CASE_A, recordedBy: world.reviewer.email, practitioner: world.practitioner.email, reviewId: world.reviewId }),
    ]);
    expect(data.feedback[0]!.parts).toEqual([expect.objectContaining({ part: 'feedback', respondent: world.reviewer.email, answers: { summary: `Visits were cancelled. ${MARKER}` } })]);
    expect(data.complaints).toEqual([expect.objectContaining({ id: world.complaintId, roles: ['feedback'], feedbackId: world.feedbackId, officer: world.qa.email, status: 'open', respondBy: '2027-02-03' })]);

    // Where the bot reaches them: identifiers and scope, never the Teams reference or its address.
    expect(data.conversations.length).toBeGreaterThan(0);
    for (const conversation of data.conversations) {
      expect(Object.keys(conversation).sort()).toEqual(['channelId', 'conversationId', 'createdAt', 'id', 'installed', 'scope', 'teamId', 'tenantId', 'updatedAt']);
    }
    expect(data.conversations.map((conversation) => conversation.scope)).toContain('personal');
    expect(text).not.toMatch(/serviceUrl|service_url|reference_json|"reference"/);
    // Messages to them: kind, status and dates only (the reflective tool card, the findings, ...).
    expect(data.outbox.length).toBeGreaterThan(0);
    for (const message of data.outbox) expect(Object.keys(message).sort()).toEqual(['createdAt', 'id', 'kind', 'sentAt', 'status']);
    expect(text).not.toMatch(/payload|AdaptiveCard|attachments/);

    // Audit entries where they are the actor, and no one else's: their own cards, and every seeded one across the pages.
    expect(data.auditLog.every((entry) => entry.actor === world.practitioner.email || entry.actor === world.practitioner.aadObjectId)).toBe(true);
    expect(new Set(data.auditLog.map((entry) => entry.action))).toEqual(new Set(['app.installed', 'action.closed', 'seed.entry']));
    const seeded = data.auditLog.filter((entry) => entry.action === 'seed.entry').map((entry) => entry.id);
    expect(seeded).toEqual(world.seededByPractitioner);
    expect(new Set(data.auditLog.map((entry) => entry.id)).size).toBe(data.auditLog.length);
    expect(data.auditLog.map((entry) => entry.at)).toEqual([...data.auditLog.map((entry) => entry.at)].sort());

    expect(data.thematicReviews).toEqual([]);
    expect(data.focusDaysScheduled).toEqual([]);
    expect(data.formsPublished).toEqual([]);
    expect(data.themesPlanned).toEqual([]);

    // Read only: every table as it was, but for one audit entry recording the export (and nothing of its contents).
    const after = await snapshot();
    const { audit_log: auditBefore, ...restBefore } = before.digests;
    const { audit_log: auditAfter, ...restAfter } = after.digests;
    expect(restAfter).toEqual(restBefore);
    expect(auditAfter).not.toBe(auditBefore);
    expect(after.rows).toEqual({ ...before.rows, audit_log: (before.rows.audit_log ?? 0) + 1 });
    expect(lastAuditEntry()).toEqual({
      actor: 'cli:cli-test',
      actor_role: null,
      action: 'person.exported',
      record_kind: 'staff',
      record_id: world.practitionerId,
      source: 'cli',
      detail_json: '{"output":"file"}',
    });
  }, 60_000);

  test("to the screen, for the reviewer and the Independent Chair: only the parts they wrote, and what their part in the review gives them", async () => {
    const [reviewerRun, chairRun] = await Promise.all([qa('export', 'person', world.reviewer.email), qa('export', 'person', world.chair.email)]);
    expect(reviewerRun.code).toBe(0);
    expect(reviewerRun.stderr).toMatch(new RegExp(`Exported everything QA Loop holds about ${world.reviewer.email.replace(/\./g, '\\.')} \\(\\d+ items\\)\\. The export is recorded in the audit log\\.`));
    const reviewer = JSON.parse(reviewerRun.stdout) as PersonExport;
    expect(reviewer.person).toMatchObject({ email: world.reviewer.email, tier: world.reviewer.tier });
    expect(reviewer.rota.membership).toMatchObject({ onRota: true });
    expect(reviewer.assignments).toEqual([expect.objectContaining({ id: world.assignmentId, month: '2027-01', kind: 'practice_review', status: 'done' })]);
    const review = reviewer.reviews.find((candidate) => candidate.id === world.reviewId)!;
    expect(review.roles).toEqual(['reviewer']);
    expect(review.parts.map((part) => part.part)).toEqual(['family', 'records']);
    expect(review.moderationFeedback).toContain(MARKER);
    expect(review).not.toHaveProperty('oversightDirections');
    expect(reviewer.feedback.map((piece) => [piece.id, piece.roles])).toEqual([[world.feedbackId, ['recorder']]]);
    expect(reviewer.complaints.map((complaint) => [complaint.id, complaint.roles])).toEqual([[world.complaintId, ['feedback']]]);
    expect(reviewer.actions).toEqual([]);
    expect(reviewer.observations).toEqual([]);
    expect(new Set(reviewer.auditLog.map((entry) => entry.action))).toEqual(new Set(['app.installed', 'review.started', 'review.draft-saved', 'review.submitted']));
    expect(reviewer.auditLog.every((entry) => entry.actor === world.reviewer.email || entry.actor === world.reviewer.aadObjectId)).toBe(true);

    expect(chairRun.code).toBe(0);
    const chair = JSON.parse(chairRun.stdout) as PersonExport;
    expect(chair.reviews).toHaveLength(1);
    expect(chair.reviews[0]).toMatchObject({ id: world.reviewId, roles: ['independent_chair'], finalGrade: world.finalGrade, parts: [] });
    for (const key of ['moderationReason', 'moderationFeedback', 'oversightDirections']) expect(chair.reviews[0]).not.toHaveProperty(key);
    expect(chairRun.stdout).not.toContain(MARKER);
  }, 60_000);

  test('an email not on file: says so plainly, exits 1, writes no file and changes nothing', async () => {
    const before = await snapshot();
    const out = join(temp, 'nobody.json');
    const run = await qa('export', 'person', 'nobody@example.org', '--out', out);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('No one with the email nobody@example.org is on file in QA Loop. Nothing was exported.');
    expect(existsSync(out)).toBe(false);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  test('never overwrites a file, and refuses what is not an email, changing nothing', async () => {
    const before = await snapshot();
    const existing = join(temp, 'existing.json');
    writeFileSync(existing, 'keep me');
    const [overwrite, notEmail, help] = await Promise.all([
      qa('export', 'person', world.practitioner.email, '--out', existing),
      qa('export', 'person', 'not-an-email'),
      qa('--help'),
    ]);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain(`Cannot write ${existing}: it exists already`);
    expect(readFileSync(existing, 'utf8')).toBe('keep me');
    expect(notEmail.code).toBe(2);
    expect(notEmail.stderr).toContain('Usage: npm run qa -- export person EMAIL [--out FILE]');
    expect(help.stdout).toMatch(/^\s+export person EMAIL \[--out FILE\]\s{2,}Everything QA Loop holds about a member of staff/m);
    expect(await snapshot()).toEqual(before);
  }, 60_000);
});

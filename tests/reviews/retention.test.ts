import { loadConfig } from '../../services/config';
import { importRota } from '../../services/rota-service';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { completeReviewByCards, pressForCard } from '../support/review-flow';
import { rotaCsv, smallTrust } from '../support/trust';

/**
 * The retention job: a finished review older than the configured period loses its case
 * reference and free text (grades stay, so the reports still count it), old sent
 * messages are deleted, newer work is untouched, and what it did is in the audit log.
 */
jest.setTimeout(60_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock, env: { RETENTION_CASE_DETAIL_MONTHS: '24', RETENTION_MESSAGES_MONTHS: '3' } });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  await h.app.delivery.drainOnce(clock.now());
});
afterAll(async () => {
  await h.close();
});

test('a wrong retention setting stops start-up naming it', () => {
  expect(() => loadConfig({ RETENTION_CASE_DETAIL_MONTHS: 'three years' })).toThrow(/RETENTION_CASE_DETAIL_MONTHS/);
});

test('case detail past its period is removed, grades kept; old sent messages deleted; recent work untouched', async () => {
  const reviews = (await h.app.deps.repos.assignments.listForMonth('2027-01')).filter((a) => a.kind === 'practice_review').slice(0, 2);
  const ids: string[] = [];
  for (const [i, assignment] of reviews.entries()) {
    const staff = (await h.app.deps.repos.staff.findById(assignment.staffId))!;
    const reviewer = trust.find((p) => p.email === staff.email)!;
    const practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== reviewer.email)!;
    ids.push(await completeReviewByCards(h.teams, reviewer, assignment.id, practitioner.email, async () => (await h.app.deps.repos.reviews.findByAssignment(assignment.id))!.id, `CR80000${i}`));
  }
  // The first is moderated (finished) now; the second only later, so it is recent when the job runs.
  await pressForCard(h.teams, qa, 'review.moderate', { reviewId: ids[0], agree: 'yes', feedback: 'A careful review of CR800000.' });
  clock.set(new Date('2028-06-01T09:00:00Z'));
  await pressForCard(h.teams, qa, 'review.moderate', { reviewId: ids[1], agree: 'yes', feedback: 'Good.' });
  await h.app.delivery.drainOnce(clock.now());
  const sentBefore = await h.database.db.selectFrom('outbox').select(['id', 'created_at']).where('status', '=', 'sent').execute();

  const jobRunsBefore = await h.database.db.selectFrom('job_runs').select(['id', 'status', 'finished_at']).execute();
  clock.set(new Date('2029-02-01T09:00:00Z'));
  expect(await h.app.scheduler.runAt('retention', clock.now())).toMatchObject({ result: 'ran', outcome: { detail: { reviews: 1, observations: 0 } } });

  const old = (await h.app.deps.repos.reviews.findById(ids[0]!))!;
  expect(old).toMatchObject({ caseReference: 'REMOVED', moderationFeedback: null, finalGrade: 'good', reviewerGrade: 'good' });
  const answers = (await h.app.deps.repos.responses.find(ids[0]!, 'records'))!.answers;
  expect(answers.overall_grade).toBe('good');
  expect(answers.lived_experience_grade).toBe('good');
  expect(answers.strengths).toBeUndefined();
  expect(answers.lived_experience_rationale).toBeUndefined();
  const recent = (await h.app.deps.repos.reviews.findById(ids[1]!))!;
  expect(recent.caseReference).toBe('CR800001');
  expect((await h.app.deps.repos.responses.find(ids[1]!, 'records'))!.answers.strengths).toBeDefined();

  const sentAfter = await h.database.db.selectFrom('outbox').select('id').where('status', '=', 'sent').execute();
  const cutoff = new Date('2028-11-01T09:00:00Z').toISOString();
  expect(sentAfter).toHaveLength(sentBefore.filter((row) => row.created_at >= cutoff).length);
  expect(sentBefore.length).toBeGreaterThan(sentAfter.length);
  // Job runs that succeeded before the cutoff are gone; later ones (this run's own) are kept.
  const jobRunsAfter = await h.database.db.selectFrom('job_runs').select(['id', 'finished_at']).execute();
  const oldRuns = jobRunsBefore.filter((run) => run.status === 'succeeded' && run.finished_at !== null && run.finished_at < cutoff);
  expect(oldRuns.length).toBeGreaterThan(0);
  expect(jobRunsAfter.some((run) => oldRuns.some((old) => old.id === run.id))).toBe(false);
  expect(jobRunsAfter.length).toBeGreaterThan(0);

  const audit = await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 });
  expect(audit.filter((entry) => entry.action === 'retention.anonymised').map((entry) => entry.recordId)).toEqual([ids[0]]);
  expect(audit.find((entry) => entry.action === 'retention.messages-deleted')?.detail).toMatchObject({ months: 3 });

  // Run again next month: nothing left to do, nothing done twice.
  clock.set(new Date('2029-03-01T09:00:00Z'));
  expect(await h.app.scheduler.runAt('retention', clock.now())).toMatchObject({ result: 'ran', outcome: { detail: { reviews: 0, messages: 0 } } });
});

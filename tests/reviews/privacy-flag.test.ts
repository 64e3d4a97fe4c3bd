import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { rotaCsv, smallTrust } from '../support/trust';

/**
 * Free text that looks like a child's full name or a date of birth is flagged back to the
 * writer before it is stored; sending the same text back (pressing the flagged card's
 * button again) keeps it; changed text is checked afresh.
 */
const trust = smallTrust({ practitioners: true });
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
const records = shippedForm('records_review');
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
});
afterAll(async () => {
  await h.close();
});

test('a name in a rationale is flagged and not stored; the same text sent back is kept; other answers are saved meanwhile', async () => {
  const assignment = (await h.app.deps.repos.assignments.listForMonth('2027-01')).find((a) => a.kind === 'practice_review')!;
  const staff = (await h.app.deps.repos.staff.findById(assignment.staffId))!;
  const person = trust.find((p) => p.email === staff.email)!;
  const practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== person.email)!;
  await pressForCard(h.teams, person, 'review.start', { assignmentId: assignment.id, caseReference: 'CR700001', practitionerEmail: practitioner.email });
  const reviewId = (await h.app.deps.repos.reviews.findByAssignment(assignment.id))!.id;
  const named = 'Jane Smith told us she feels safe at home.';

  const flagged = await h.teams.press(person, 'review.save', { reviewId, part: 'records', section: '0', move: 'next', ...answersFor(records, 0, { lived_experience_rationale: named }) });
  const card = (flagged.body as { value: { actions: { title: string; data: Record<string, string> }[] } }).value;
  expectValidCard(card);
  expect(JSON.stringify(card)).toContain("may include someone's full name");
  expect(JSON.stringify(card)).toContain(named);
  const saved = (await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers;
  expect(saved.lived_experience_rationale).toBeUndefined();
  expect(saved.lived_experience_grade).toBe('good');

  // Changed text is checked afresh: a date of birth is flagged too.
  const next = card.actions.find((action) => action.title === 'Save and continue')!;
  const dob = await pressForCard(h.teams, person, 'review.save', { ...next.data, ...answersFor(records, 0, { lived_experience_rationale: 'DOB 12/03/2015; seen alone.' }) });
  expect(dob.text).toContain('may include a date of birth');
  expect((await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers.lived_experience_rationale).toBeUndefined();

  // The writer confirms the first text by sending it back unchanged from the card that flagged it.
  const kept = await pressForCard(h.teams, person, 'review.save', { ...next.data, ...answersFor(records, 0, { lived_experience_rationale: named }) });
  expect(kept.text).toContain('Section 2 of 8');
  expect((await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers.lived_experience_rationale).toBe(named);
});

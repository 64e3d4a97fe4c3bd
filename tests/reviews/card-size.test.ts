import { importRota } from '../../services/rota-service';
import { defaultMaxLength } from '../../services/forms/form-definition';
import { TEAMS_CARD_LIMIT_BYTES, expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * Every answer at its longest, in two-byte characters: each card of the review (every
 * section, the moderation card with the whole review on it, the findings) must still be
 * one Teams accepts, well under its size limit.
 */
jest.setTimeout(60_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let h: Harness;

const longest = (form: ReturnType<typeof shippedForm>, index: number): Record<string, string> => {
  const answers = answersFor(form, index);
  for (const question of form.sections[index]!.questions) {
    if (question.type === 'text' || question.type === 'longtext') answers[question.id] = 'é'.repeat(question.maxLength ?? defaultMaxLength[question.type]);
  }
  return answers;
};

const sizes: number[] = [];
async function press(person: TrustPerson, verb: string, data: Record<string, unknown>): Promise<string> {
  const { card, text } = await pressForCard(h.teams, person, verb, data);
  expectValidCard(card);
  sizes.push(Buffer.byteLength(JSON.stringify(card), 'utf8'));
  return text;
}

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

test('with every answer at its longest, every card of a review stays under 24 KB', async () => {
  const assignments = await h.app.deps.repos.assignments.listForMonth('2027-01');
  const assignment = assignments.find((a) => a.kind === 'practice_review')!;
  const staff = (await h.app.deps.repos.staff.findById(assignment.staffId))!;
  const reviewer = trust.find((p) => p.email === staff.email)!;
  const practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== reviewer.email)!;
  await press(reviewer, 'review.start', { assignmentId: assignment.id, caseReference: 'CR555001', practitionerEmail: practitioner.email });
  const reviewId = (await h.app.deps.repos.reviews.findByAssignment(assignment.id))!.id;
  for (const [part, key] of [['records', 'records_review'], ['family', 'family_feedback']] as const) {
    const form = shippedForm(key);
    for (let index = 0; index < form.sections.length; index++) {
      // Shown back with the answers in it (a problem elsewhere on the card keeps the person there).
      await press(reviewer, 'review.save', { reviewId, part, section: String(index), move: 'later', ...longest(form, index) });
      await press(reviewer, 'review.save', { reviewId, part, section: String(index), move: 'next', ...longest(form, index) });
    }
  }
  const reflection = shippedForm('reflective_tool');
  await press(practitioner, 'review.save', { reviewId, part: 'reflection', section: '0', move: 'next', ...longest(reflection, 0) });
  expect(await press(reviewer, 'review.submit', { reviewId })).toContain('Submitted to the QA service');
  expect(await press(qa, 'review.open', { reviewId, view: 'moderation' })).toContain('Moderate: practice review CR555001');
  await press(qa, 'review.moderate', { reviewId, agree: 'yes', feedback: 'é'.repeat(4000) });
  expect(await press(reviewer, 'review.open', { reviewId, view: 'review' })).toContain('Moderation');
  expect(Math.max(...sizes)).toBeLessThan(24 * 1024);
  expect(Math.max(...sizes)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
});

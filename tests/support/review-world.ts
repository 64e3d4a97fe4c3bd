import { importRota } from '../../services/rota-service';
import { FakeClock } from './fake-clock';
import { startHarness, type Harness } from './harness';
import { answersFor, pressForCard, shippedForm } from './review-flow';
import { rotaCsv, smallTrust, type TrustPerson } from './trust';

/**
 * A trust in January 2027 with practice reviews in several states, all made through the
 * bot's own cards over HTTP (as tests/reviews/practice-review.test.ts walks one):
 *
 * - review A (case reference CR900001): started with an Independent Chair, every section
 *   answered, submitted, moderated by the QA manager, management oversight recorded with
 *   one open action owned by the practitioner;
 * - review B (CR900002): started by another reviewer, the first section saved, still a draft;
 * - a waiting swap/excusal request from a third manager.
 *
 * Free-text answers, the moderator's feedback and the oversight directions carry
 * `MARKER`, so a test can look for any of it in what the bot says to someone else.
 */
export const MARKER = 'QZ-MARKER-7731';
export const CASE_A = 'CR900001';
export const CASE_B = 'CR900002';

export interface ReviewWorld {
  h: Harness;
  clock: FakeClock;
  trust: TrustPerson[];
  qa: TrustPerson;
  reviewA: { id: string; assignmentId: string; reviewer: TrustPerson; practitioner: TrustPerson; lineManager: TrustPerson; chair: TrustPerson; actionId: string };
  reviewB: { id: string; assignmentId: string; reviewer: TrustPerson; practitioner: TrustPerson };
  request: { id: string; manager: TrustPerson; assignmentId: string };
  /** Everything about reviews A and B that only the people in them (and the QA service) may read. */
  secrets: string[];
  staffId(person: TrustPerson): Promise<string>;
}

/** `extraPeople` are added to the rota file (and installed) alongside the trust. */
export async function buildReviewWorld(extraPeople: readonly TrustPerson[] = []): Promise<ReviewWorld> {
  const trust = [...smallTrust({ practitioners: true }), ...extraPeople];
  const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
  const chair = trust.find((p) => p.tier === 'independent_chair')!;
  const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
  const h = await startHarness({ clock });
  try {
    trust.forEach((p) => h.connector.addMember(p));
    const imported = await importRota(h.app.deps.services, rotaCsv(trust), 'test');
    if (!imported.ok) throw new Error(`rota import failed: ${imported.problems.join('; ')}`);
    for (const p of trust) await h.teams.install(p);
    clock.set(new Date('2027-01-04T09:00:00Z'));
    await h.app.scheduler.tick(clock.now());

    const { repos } = h.app.deps;
    const staffId = async (person: TrustPerson): Promise<string> => (await repos.staff.findByEmail(person.email))!.id;
    const reviewers: { person: TrustPerson; assignmentId: string }[] = [];
    const others: { person: TrustPerson; assignmentId: string }[] = [];
    for (const p of trust.filter((person) => ['team_manager', 'service_manager', 'head_of_service'].includes(person.tier))) {
      const assignment = await repos.assignments.findFor(await staffId(p), '2027-01');
      if (assignment === undefined) continue;
      (assignment.kind === 'practice_review' ? reviewers : others).push({ person: p, assignmentId: assignment.id });
    }
    const [a, b] = reviewers;
    const c = others[0];
    if (a === undefined || b === undefined || c === undefined) throw new Error('the trust needs two practice reviewers and one other manager in January 2027');

    const practitioners = trust.filter((p) => p.tier === 'practitioner' && p.lineManager !== a.person.email && p.lineManager !== b.person.email);
    const practitionerA = practitioners[0]!;
    const practitionerB = practitioners[1]!;
    const lineManagerA = trust.find((p) => p.email === practitionerA.lineManager)!;
    const press = async (person: TrustPerson, verb: string, data: Record<string, unknown>, expect: string): Promise<void> => {
      const { text } = await pressForCard(h.teams, person, verb, data);
      if (!text.includes(expect)) throw new Error(`${verb} by ${person.name} did not say "${expect}":\n${text}`);
    };
    const withMarker = (answers: Record<string, string>): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [key, value] of Object.entries(answers)) out[key] = value.startsWith('Evidence for') ? `${value} ${MARKER}` : value;
      return out;
    };

    // Review A: the whole way to management oversight.
    await press(a.person, 'review.start', { assignmentId: a.assignmentId, caseReference: CASE_A, practitionerId: '', practitionerEmail: practitionerA.email, chairId: await staffId(chair) }, 'Section 1 of');
    const reviewAId = (await repos.reviews.findByAssignment(a.assignmentId))!.id;
    for (const [part, key] of [['records', 'records_review'], ['family', 'family_feedback']] as const) {
      const form = shippedForm(key);
      for (let index = 0; index < form.sections.length; index++) {
        await press(a.person, 'review.save', { reviewId: reviewAId, part, section: String(index), move: 'next', ...withMarker(answersFor(form, index)) }, 'Saved');
      }
    }
    await press(a.person, 'review.submit', { reviewId: reviewAId }, 'Submitted to the QA service');
    await press(qa, 'review.moderate', { reviewId: reviewAId, agree: 'yes', grade: '', reason: '', feedback: `Thorough work. ${MARKER}` }, 'Moderated');
    await press(
      lineManagerA,
      'review.oversee',
      { reviewId: reviewAId, directions: `Review the plan with the family. ${MARKER}`, action1: `Update the plan ${MARKER}`, action1Owner: await staffId(practitionerA), action1Due: '2027-02-15' },
      'Management oversight recorded',
    );
    const actionId = (await repos.actions.listForSource(reviewAId))[0]!.id;

    // Review B: started, one section saved.
    await press(b.person, 'review.start', { assignmentId: b.assignmentId, caseReference: CASE_B, practitionerId: '', practitionerEmail: practitionerB.email, chairId: '' }, 'Section 1 of');
    const reviewBId = (await repos.reviews.findByAssignment(b.assignmentId))!.id;
    await press(b.person, 'review.save', { reviewId: reviewBId, part: 'records', section: '0', move: 'next', ...withMarker(answersFor(shippedForm('records_review'), 0)) }, 'Section 2 of');

    // A waiting request from a third manager.
    await press(c.person, 'assignment.request', { assignmentId: c.assignmentId, request: 'excuse', reason: `On leave all month ${MARKER}` }, 'Sent to');
    const request = await h.database.db.selectFrom('rota_requests').select('id').where('staff_id', '=', await staffId(c.person)).executeTakeFirstOrThrow();

    await h.app.delivery.drainOnce(clock.now());
    h.connector.clear();
    return {
      h,
      clock,
      trust,
      qa,
      reviewA: { id: reviewAId, assignmentId: a.assignmentId, reviewer: a.person, practitioner: practitionerA, lineManager: lineManagerA, chair, actionId },
      reviewB: { id: reviewBId, assignmentId: b.assignmentId, reviewer: b.person, practitioner: practitionerB },
      request: { id: request.id, manager: c.person, assignmentId: c.assignmentId },
      secrets: [CASE_A, CASE_B, MARKER, a.person.name, b.person.name, practitionerA.name, practitionerB.name, chair.name, lineManagerA.name],
      staffId,
    };
  } catch (error) {
    await h.close();
    throw error;
  }
}

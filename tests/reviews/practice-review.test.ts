import { publishForm } from '../../services/forms/forms-service';
import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { buttons, cardSession } from '../support/card-session';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, shippedForm } from '../support/review-flow';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * One collaborative practice review from the assignment card to its last action closed,
 * driven over HTTP as Teams sends it, with each person's cards read from the connector
 * stand-in: the reviewer, the practitioner, the moderator, the line manager, the service
 * manager, and people pressing buttons that are not theirs.
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
const MONTH = '2027-01';
const records = shippedForm('records_review');
const family = shippedForm('family_feedback');
const reflection = shippedForm('reflective_tool');

let h: Harness;
const { press, deliveredTo, idOf } = cardSession(() => h, clock);
let reviewer: TrustPerson;
let practitioner: TrustPerson;
let lineManager: TrustPerson;
let serviceManager: TrustPerson;
let stranger: TrustPerson;
const chair = trust.find((p) => p.tier === 'independent_chair')!;
let assignmentId: string;
let reviewId: string;



/** Delivers what is queued and returns the cards each person received since the last call. */

const auditActions = async (): Promise<string[]> =>
  (await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 })).map((entry) => entry.action);


beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  // The reviewer: a manager whose January activity is a practice review.
  for (const p of trust.filter((person) => ['team_manager', 'service_manager', 'head_of_service'].includes(person.tier))) {
    const assignment = await h.app.deps.repos.assignments.findFor(await idOf(p), MONTH);
    if (assignment?.kind === 'practice_review') {
      reviewer = p;
      assignmentId = assignment.id;
      break;
    }
  }
  expect(reviewer).toBeDefined();
  practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== reviewer.email)!;
  lineManager = trust.find((p) => p.email === practitioner.lineManager)!;
  serviceManager = trust.find((p) => p.email === lineManager.lineManager)!;
  stranger = trust.find((p) => p.tier === 'team_manager' && p !== lineManager && p !== reviewer)!;
  expect(serviceManager.tier).toBe('service_manager');
  // The month's assignment cards are out of the way: what is delivered from here on is the review's.
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
});
afterAll(async () => {
  await h.close();
});

test('the assignment card starts the practice review; "Mark as done" is not how a review is finished', async () => {
  const [reply] = await h.teams.say(reviewer, 'my tasks');
  const card = cardOf(reply)!;
  expectValidCard(card);
  expect([...buttons(card).keys()]).toContain('Start the practice review');
  expect([...buttons(card).keys()]).not.toContain('Mark as done');
  const refused = await press(reviewer, 'assignment.complete', { assignmentId });
  expect(refused.text).toContain('A practice review is done when you submit it');
  expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('assigned');
});

test('bad start answers come back on the start card, beside their fields, with the answers kept and nothing stored', async () => {
  const form = await press(reviewer, 'review.begin', { assignmentId });
  expect(form.text).toContain('Start your practice review');
  expect(form.text).toContain('never by name');
  const refused = await press(reviewer, 'review.start', { assignmentId, caseReference: 'Jane Smith', practitionerId: '', practitionerEmail: 'nobody@trust.example.org', chairId: '' });
  expect(refused.text).toContain('That is not a case reference');
  expect(refused.text).toContain('QA Loop does not know that member of staff');
  expect(refused.text).toContain('nobody@trust.example.org');
  expect(await h.app.deps.repos.reviews.findByAssignment(assignmentId)).toBeUndefined();
});

test('a valid start opens section 1 and sends the practitioner the reflective tool once, however often it is pressed', async () => {
  const form = await press(reviewer, 'review.begin', { assignmentId });
  const choiceSet = JSON.stringify(form.card);
  const practitionerId = await idOf(practitioner);
  // The practitioner is offered in the list only when they work in the reviewer's service.
  const data = choiceSet.includes(practitionerId) ? { practitionerId, practitionerEmail: '' } : { practitionerId: '', practitionerEmail: practitioner.email };
  expect(choiceSet).toContain(chair.name);
  const start = { assignmentId, caseReference: 'cr204518', chairId: await idOf(chair), ...data };
  const [first, second] = await Promise.all([press(reviewer, 'review.start', start), press(reviewer, 'review.start', start)]);
  const texts = [first.text, second.text];
  expect(texts.some((text) => text.includes('Section 1 of 8'))).toBe(true);
  const review = (await h.app.deps.repos.reviews.findByAssignment(assignmentId))!;
  reviewId = review.id;
  expect(review).toMatchObject({ caseReference: 'CR204518', status: 'draft', practitionerId, chairId: await idOf(chair) });
  expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('started');
  expect((await auditActions()).filter((action) => action === 'review.started')).toHaveLength(1);
  const toPractitioner = await deliveredTo(practitioner);
  expect(toPractitioner).toHaveLength(1);
  expect(toPractitioner[0]!.text).toContain('Your reflection for a practice review');
  expect([...buttons(toPractitioner[0]!.card).keys()]).toEqual(['Add your reflection']);
});

test('a section with problems comes back with each problem beside its field and every answer kept; the valid ones are saved', async () => {
  const answers = answersFor(records, 0, { lived_experience_grade: '', lived_experience_rationale: 'Visits are regular; the voice of CR204518 is clear.' });
  const reply = await press(reviewer, 'review.save', { reviewId, part: 'records', section: '0', move: 'next', ...answers });
  expect(reply.text).toContain('Section 1 of 8');
  expect(reply.text).toContain('Choose an answer.');
  expect(reply.text).toContain('Visits are regular; the voice of CR204518 is clear.');
  const saved = (await h.app.deps.repos.responses.find(reviewId, 'records'))!;
  expect(saved.answers).toEqual({ lived_experience_rationale: 'Visits are regular; the voice of CR204518 is clear.' });
  const wrong = await press(reviewer, 'review.save', { reviewId, part: 'records', section: '0', move: 'later', lived_experience_grade: 'excellent', lived_experience_rationale: 'Visits are regular; the voice of CR204518 is clear.' });
  expect(wrong.text).toContain('Choose one of the options.');
  expect(wrong.text).toContain('Visits are regular');
});

test('stopping half-way loses nothing: "my tasks" on another device resumes where the reviewer left off', async () => {
  const replies = await h.teams.say(reviewer, 'my tasks');
  const card = cardOf(replies[0])!;
  expectValidCard(card);
  expect(cardText(card)).toContain('Practice review: CR204518');
  const resume = buttons(card).get('Continue the records review')!;
  expect(resume.data).toMatchObject({ part: 'records', section: '0' });
  const reopened = await press(reviewer, resume.verb, resume.data);
  expect(reopened.text).toContain('Visits are regular; the voice of CR204518 is clear.');
});

test('a form version published mid-review: this review keeps its version; new work gets the new one', async () => {
  const edited = structuredClone(records) as { sections: { id: string; title: string; questions: unknown[] }[] };
  edited.sections.splice(1, 0, { id: 'family_network', title: 'Family network', questions: [{ id: 'family_network_grade', label: 'Grade', type: 'grade', required: true }] });
  const published = await publishForm(h.app.deps.services, edited, qa.email, 'cli');
  expect(published).toMatchObject({ ok: true, form: { version: 2 } });
  const second = await press(reviewer, 'review.save', { reviewId, part: 'records', section: '0', move: 'next', ...answersFor(records, 0) });
  expect(second.text).toContain('Section 2 of 8');
  expect(second.text).toContain('version 1');
  expect(second.text).toContain('Assessment and analysis');
  expect(second.text).not.toContain('Family network');
});

test('people who are not the reviewer cannot fill the records review: the practitioner sees it read-only, a stranger is refused', async () => {
  const asPractitioner = await press(practitioner, 'review.save', { reviewId, part: 'records', section: '1', move: 'next', ...answersFor(records, 1, { assessment_grade: 'inadequate' }) });
  expect(asPractitioner.text).toContain(`Only ${reviewer.name} can fill this in`);
  expect(buttons(asPractitioner.card).has('Submit for moderation')).toBe(false);
  const asStranger = await press(stranger, 'review.save', { reviewId, part: 'records', section: '1', move: 'next', ...answersFor(records, 1) });
  expect(asStranger.text).toContain('not one you are part of');
  expect(asStranger.text).not.toContain('CR204518');
  expect((await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers.assessment_grade).toBeUndefined();
});

test('the reviewer completes the records review and the family feedback; "declined" needs a reason', async () => {
  for (let index = 1; index < records.sections.length; index++) {
    const reply = await press(reviewer, 'review.save', { reviewId, part: 'records', section: String(index), move: 'next', ...answersFor(records, index) });
    expect(reply.text).not.toContain('need attention');
  }
  const declinedNoReason = await press(reviewer, 'review.save', { reviewId, part: 'family', section: '1', move: 'next', child_outcome: 'declined' });
  expect(declinedNoReason.text).toContain('This needs an answer.');
  await press(reviewer, 'review.save', { reviewId, part: 'family', section: '0', move: 'next', ...answersFor(family, 0, { parent_words: 'She said the social worker listens and explains things.' }) });
  const done = await press(reviewer, 'review.save', { reviewId, part: 'family', section: '1', move: 'next', child_outcome: 'declined', child_reason: 'The young person did not want to talk about the plan.' });
  expect(done.text).toContain('When you are ready, submit it for moderation.');
  expect([...buttons(done.card).keys()]).toContain('Submit for moderation');
});

test('the practitioner adds their reflection from their card; the reviewer sees it is done', async () => {
  const incomplete = await press(practitioner, 'review.save', { reviewId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflection, 0, { went_well: '' }) });
  expect(incomplete.text).toContain('This needs an answer.');
  expect(incomplete.text).toContain('Evidence for child_voice found in the record.');
  const sent = await press(practitioner, 'review.save', { reviewId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflection, 0) });
  expect(sent.text).toContain(`Your reflection is with ${reviewer.name}`);
  const again = await press(practitioner, 'review.save', { reviewId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflection, 0, { went_well: 'changed' }) });
  expect(again.text).toContain('can no longer be changed');
  expect((await h.app.deps.repos.responses.find(reviewId, 'reflection'))!.answers.went_well).not.toBe('changed');
  const view = await press(reviewer, 'review.open', { reviewId, view: 'review' });
  expect(view.text).toMatch(/Practitioner's reflection\nSent/);
});

test('a double submit stores once and completes the assignment', async () => {
  const [first, second] = await Promise.all([press(reviewer, 'review.submit', { reviewId }), press(reviewer, 'review.submit', { reviewId })]);
  expect([first.text, second.text].filter((text) => text.includes('Submitted to the QA service for moderation'))).toHaveLength(1);
  expect((await auditActions()).filter((action) => action === 'review.submitted')).toHaveLength(1);
  expect((await h.app.deps.repos.reviews.findById(reviewId))!).toMatchObject({ status: 'submitted', reviewerGrade: 'good' });
  expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('done');
});

test('a stale section card pressed after submission shows what is true now and changes nothing', async () => {
  const before = (await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers;
  const stale = await press(reviewer, 'review.save', { reviewId, part: 'records', section: '0', move: 'next', ...answersFor(records, 0, { lived_experience_grade: 'inadequate' }) });
  expect(stale.text).toContain('can no longer be changed');
  expect(stale.text).toContain('Waiting for moderation');
  expect((await h.app.deps.repos.responses.find(reviewId, 'records'))!.answers).toEqual(before);
});

test('"moderate" lists the queue for the QA service only', async () => {
  const [refused] = await h.teams.say(reviewer, 'moderate');
  expect(cardText(cardOf(refused))).toContain('is for the QA service');
  const [queue] = await h.teams.say(qa, 'moderate');
  const card = cardOf(queue)!;
  expectValidCard(card);
  expect(cardText(card)).toContain('1 waiting');
  expect(cardText(card)).toContain('CR204518');
  expect(buttons(card).get('Moderate CR204518')!.data).toMatchObject({ reviewId, view: 'moderation' });
  const asManager = await press(lineManager, 'review.moderate', { reviewId, agree: 'yes', feedback: 'Fine' });
  expect(asManager.text).toContain('Not available to you');
});

test('the moderator disagrees: a missing reason comes back; with it both grades are kept, the reviewer gets the feedback and the findings go out', async () => {
  const opened = await press(qa, 'review.open', { reviewId, view: 'moderation' });
  expect(opened.text).toContain('Moderate: practice review CR204518');
  expect(opened.text).toContain('She said the social worker listens and explains things.');
  const noReason = await press(qa, 'review.moderate', { reviewId, agree: 'no', grade: 'requires_improvement', reason: '', feedback: 'Clear analysis; say more about drift.' });
  expect(noReason.text).toContain('Give the reason for a different grade');
  expect(noReason.text).toContain('Clear analysis; say more about drift.');
  const done = await press(qa, 'review.moderate', { reviewId, agree: 'no', grade: 'requires_improvement', reason: 'Drift between reviews is not addressed.', feedback: 'Clear analysis; say more about drift.' });
  expect(done.text).toContain('Moderated: the review is final');
  expect((await h.app.deps.repos.reviews.findById(reviewId))!).toMatchObject({ status: 'moderated', reviewerGrade: 'good', finalGrade: 'requires_improvement', moderationReason: 'Drift between reviews is not addressed.' });

  const [toReviewer] = await deliveredTo(reviewer);
  expect(toReviewer!.text).toContain('Your practice review has been moderated');
  expect(toReviewer!.text).toContain('Clear analysis; say more about drift.');
  const [toPractitioner] = await deliveredTo(practitioner);
  expect(toPractitioner!.text).toContain('Findings of a practice review: CR204518');
  expect(toPractitioner!.text).toContain('Requires improvement to be good');
  expect(toPractitioner!.text).not.toContain('Clear analysis; say more about drift.');
  const [toLineManager] = await deliveredTo(lineManager);
  expect([...buttons(toLineManager!.card).keys()]).toEqual(['Record management oversight']);
  const [toServiceManager] = await deliveredTo(serviceManager);
  expect(toServiceManager!.text).toContain('Findings of a practice review');
  expect(buttons(toServiceManager!.card).size).toBe(0);
  const [toChair] = await deliveredTo(chair);
  expect(toChair!.text).toContain('Findings of a practice review: CR204518');
  expect(toChair!.text).not.toContain('Clear analysis; say more about drift.');

  const twice = await press(qa, 'review.moderate', { reviewId, agree: 'yes', feedback: 'Again' });
  expect(twice.text).toContain('moderated this review on');
  expect((await auditActions()).filter((action) => action === 'review.moderated')).toHaveLength(1);
});

test('management oversight is the line manager\'s: bad action rows come back with their problems; a valid one creates tracked actions', async () => {
  const notTheirs = await press(stranger, 'review.oversee', { reviewId, directions: 'Do this' });
  expect(notTheirs.text).toContain('not one you are part of');
  const asServiceManager = await press(serviceManager, 'review.oversee', { reviewId, directions: 'Do this' });
  expect(asServiceManager.text).toContain(`Management oversight is for ${lineManager.name}`);

  const form = await press(lineManager, 'review.open', { reviewId, view: 'oversight' });
  expect(form.text).toContain('Management oversight: CR204518');
  const practitionerId = await idOf(practitioner);
  const bad = await press(lineManager, 'review.oversee', {
    reviewId,
    directions: 'Address drift: review the plan with the family within four weeks.',
    action1: 'Update the child plan with timescales',
    action1Owner: '',
    action1Due: '2026-12-01',
  });
  expect(bad.text).toContain('Choose who will do it.');
  expect(bad.text).toContain('The due date has passed');
  expect(bad.text).toContain('Update the child plan with timescales');
  expect(bad.text).toContain('Address drift: review the plan with the family within four weeks.');
  expect(await h.app.deps.repos.actions.listForSource(reviewId)).toHaveLength(0);

  const good = await press(lineManager, 'review.oversee', {
    reviewId,
    directions: 'Address drift: review the plan with the family within four weeks.',
    action1: 'Update the child plan with timescales',
    action1Owner: practitionerId,
    action1Due: '2027-01-20',
    action2: 'Discuss the review in supervision',
    action2Owner: await idOf(lineManager),
    action2Due: '2027-02-05',
  });
  expect(good.text).toContain('Management oversight recorded with 2 actions');
  expect(good.text).toContain('Discuss the review in supervision');
  const actions = await h.app.deps.repos.actions.listForSource(reviewId);
  expect(actions.map((a) => [a.description, a.dueDate, a.status])).toEqual([
    ['Update the child plan with timescales', '2027-01-20', 'open'],
    ['Discuss the review in supervision', '2027-02-05', 'open'],
  ]);
  const [toPractitioner] = await deliveredTo(practitioner);
  expect(toPractitioner!.text).toContain('Management oversight of your practice review');
  expect(toPractitioner!.text).toContain('Address drift');
  const again = await press(lineManager, 'review.oversee', { reviewId, directions: 'Again' });
  expect(again.text).toContain('recorded management oversight on');
});

test('actions are reminded before they are due, escalated to the owner\'s manager when overdue, and closed by their owner with a note', async () => {
  const [listed] = await h.teams.say(practitioner, 'actions');
  expect(cardText(cardOf(listed))).toContain('Update the child plan with timescales');

  clock.set(new Date('2027-01-18T09:00:00Z'));
  expect(await h.app.scheduler.runAt('action-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { detail: { reminded: 1, overdue: 0 } } });
  const [reminder] = await deliveredTo(practitioner);
  expect(reminder!.text).toContain('Reminder: action due Wednesday 20 January');

  clock.set(new Date('2027-01-21T09:00:00Z'));
  expect(await h.app.scheduler.runAt('action-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { detail: { reminded: 0, overdue: 1 } } });
  const [overdue] = await deliveredTo(lineManager);
  expect(overdue!.text).toContain(`Overdue action: ${practitioner.name}`);
  expect(buttons(overdue!.card).size).toBe(0);
  clock.set(new Date('2027-01-22T09:00:00Z'));
  expect(await h.app.scheduler.runAt('action-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });

  const action = (await h.app.deps.repos.actions.listForSource(reviewId))[0]!;
  const notTheirs = await press(stranger, 'action.close', { actionId: action.id, note: 'Done it' });
  expect(notTheirs.text).toContain('Only the person this action belongs to can close it.');
  const noNote = await press(practitioner, 'action.close', { actionId: action.id, note: '' });
  expect(noNote.text).toContain('Say what was done');
  const closed = await press(practitioner, 'action.close', { actionId: action.id, note: 'Plan updated with dates and shared with the family.' });
  expect(closed.text).toContain('Closed: thank you.');
  const twice = await press(practitioner, 'action.close', { actionId: action.id, note: 'Again' });
  expect(twice.text).toContain('already closed');
  expect((await h.app.deps.repos.actions.findById(action.id))!).toMatchObject({ status: 'done', completionNote: 'Plan updated with dates and shared with the family.' });
});

test('every change of state is in the audit log', async () => {
  const actions = new Set(await auditActions());
  for (const expected of ['review.started', 'review.draft-saved', 'form.published', 'review.reflection-submitted', 'review.submitted', 'review.moderated', 'review.oversight-recorded', 'action.created', 'action.overdue-escalated', 'action.closed']) {
    expect(actions).toContain(expected);
  }
});

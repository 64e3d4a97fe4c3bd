import { currentForm } from '../../services/forms/forms-service';
import { countFeedback } from '../../services/feedback/record-feedback';
import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { buttons, cardSession } from '../support/card-session';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';

import { storedRows } from '../support/stored-rows';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * Family feedback over HTTP as Teams sends it: the `feedback` card, bad answers kept on
 * it, a compliment (pressed twice at once) stored once and passed to the practitioner and
 * their service manager, feedback attached to a practice review and to an observation,
 * and the paused month's reflection message with its "Record family feedback" button and
 * the month's count.
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const byName = (name: string): TrustPerson => trust.find((p) => p.name === name)!;
const recorder = byName('Safeguarding Team Manager 2');
const practitioner = byName('Safeguarding Practitioner 1');
const teamManager = byName('Safeguarding Team Manager 1');
const serviceManager = byName('Safeguarding Service Manager 1');
const stranger = byName('Children in Care Team Manager 2');
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
const WORDS = 'She always explains things to us and my son CR410001 says she listens to him.';

let h: Harness;
const { press, deliveredTo, idOf } = cardSession(() => h, clock);





function input(card: unknown, id: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.id === id && typeof record.type === 'string' && record.type.startsWith('Input.')) found = record;
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

async function feedbackCommand(person: TrustPerson): Promise<{ card: Record<string, unknown>; text: string; startKey: string }> {
  const [reply] = await h.teams.say(person, 'feedback');
  const card = cardOf(reply)!;
  expectValidCard(card);
  return { card, text: cardText(card), startKey: buttons(card).get('Record the feedback')!.data.startKey! };
}

const compliment = { source: 'parent', method: 'visit', kind: 'compliment', words: WORDS, rating: '5', consent: 'yes', response: '' };

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
  clock.set(new Date('2027-01-12T10:00:00Z'));
});
afterAll(async () => {
  await h.close();
});

test('"feedback" opens the card for anyone: the case reference, the form\'s questions, the practitioner, a complaint\'s officer, and this month\'s count', async () => {
  const { card, text, startKey } = await feedbackCommand(practitioner);
  expect(text).toContain('Record family feedback');
  expect(text).toContain('No family feedback has been recorded yet in January 2027.');
  for (const label of ['Case reference (required)', 'Who gave it (required)', 'How (required)', 'Kind (required)', 'Their words (required)', 'They agreed to their words being shared (required)', 'What we did about it', 'Practitioner it is about (if any)', 'Complaints: the officer who will handle it', 'Complaints: the date it was received']) {
    expect(text).toContain(label);
  }
  expect(text).toContain('never by name');
  expect(input(card, 'receivedOn')?.value).toBe('2027-01-12');
  const choices = (input(card, 'practitionerId')?.choices ?? []) as { title: string }[];
  expect(choices.map((choice) => choice.title)).toContain(`${practitioner.name}, ${practitioner.team}`);
  expect(choices.every((choice) => choice.title.startsWith('Safeguarding Practitioner'))).toBe(true);
  // Every card has its own key.
  expect((await feedbackCommand(practitioner)).startKey).not.toBe(startKey);
});

test('bad answers come back on the same card, beside their fields, with every answer kept and nothing stored', async () => {
  const { startKey } = await feedbackCommand(recorder);
  const before = await storedRows(h.database);
  const reply = await press(recorder, 'feedback.record', { startKey, reviewId: '', observationId: '', caseReference: 'Jane Smith', ...compliment, kind: '', practitionerId: await idOf(practitioner), receivedOn: '2027-01-12' });
  expect(reply.text).toContain('Not recorded yet: see the notes beside the answers.');
  expect(reply.text).toContain('That is not a case reference');
  expect(reply.text).toContain('Choose an answer.');
  expect(input(reply.card, 'caseReference')?.value).toBe('JANE SMITH');
  expect(input(reply.card, 'words')?.value).toBe(WORDS);
  expect(input(reply.card, 'source')?.value).toBe('parent');
  expect(input(reply.card, 'rating')?.value).toBe('5');
  expect(input(reply.card, 'practitionerId')?.value).toBe(await idOf(practitioner));
  expect(buttons(reply.card).get('Record the feedback')!.data.startKey).toBe(startKey);
  const noEmail = await press(recorder, 'feedback.record', { startKey, caseReference: 'CR410001', ...compliment, practitionerEmail: 'nobody@trust.example.org', consent: 'maybe' });
  expect(noEmail.text).toContain('QA Loop does not know that member of staff');
  expect(noEmail.text).toContain('Choose one of the options.');
  expect(input(noEmail.card, 'practitionerEmail')?.value).toBe('nobody@trust.example.org');
  const stale = await press(recorder, 'feedback.record', { caseReference: 'CR410001', ...compliment });
  expect(stale.text).toContain('That card is out of date. Type "feedback" for a fresh one.');
  expect(await storedRows(h.database)).toEqual(before);
});

test('their words that look like a full name are flagged beside the field and not stored until sent again unchanged', async () => {
  const { startKey } = await feedbackCommand(recorder);
  const words = 'Thank you to Sarah Jones at the contact centre for CR410009.';
  const data = { startKey, caseReference: 'CR410009', ...compliment, words, practitionerId: await idOf(practitioner) };
  const flagged = await press(recorder, 'feedback.record', data);
  expect(flagged.text).toContain("This looks like it may include someone's full name.");
  expect(input(flagged.card, 'words')?.value).toBe(words);
  expect(await h.app.deps.repos.feedback.findByStartKey(startKey)).toBeUndefined();
  const { privacyChecked } = buttons(flagged.card).get('Record the feedback')!.data;
  expect(privacyChecked).toMatch(/^words\.[0-9a-f]{16}$/);
  // Changed text is checked afresh; the same text sent back is the recorder confirming it (a colleague's name).
  expect((await press(recorder, 'feedback.record', { ...data, words: `${words} Olivia Brown too.`, privacyChecked })).text).toContain('full name');
  const kept = await press(recorder, 'feedback.record', { ...data, privacyChecked });
  expect(kept.text).toContain('Family feedback recorded: CR410009');
  expect((await h.app.deps.repos.feedback.findByStartKey(startKey))!.caseReference).toBe('CR410009');
  await deliveredTo(practitioner);
  await deliveredTo(serviceManager);
});

test('a compliment pressed twice at once is stored once, and reaches the practitioner and their service manager', async () => {
  const { startKey } = await feedbackCommand(recorder);
  const data = { startKey, reviewId: '', observationId: '', caseReference: 'CR410001', ...compliment, practitionerId: await idOf(practitioner), receivedOn: '2027-01-12' };
  const [first, second] = await Promise.all([press(recorder, 'feedback.record', data), press(recorder, 'feedback.record', data)]);
  const texts = [first.text, second.text];
  expect(texts.some((text) => text.includes(`Recorded: thank you. It has been passed on to ${practitioner.name} and ${serviceManager.name}.`))).toBe(true);
  expect(texts.some((text) => text.includes('This feedback was already recorded: here it is. Nothing was stored twice.'))).toBe(true);
  const stored = await h.database.db.selectFrom('feedback').selectAll().where('start_key', '=', startKey).execute();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ kind: 'compliment', source: 'parent', method: 'visit', rating: 5, consent: 1, practitioner_id: await idOf(practitioner), month: '2027-01', case_reference: 'CR410001' });
  expect(await h.database.db.selectFrom('form_responses').selectAll().where('subject_kind', '=', 'feedback').where('subject_id', '=', stored[0]!.id).execute()).toHaveLength(1);
  expect(await h.database.db.selectFrom('complaints').selectAll().execute()).toHaveLength(0);
  expect(await h.database.db.selectFrom('audit_log').select('id').where('action', '=', 'feedback.recorded').where('record_id', '=', stored[0]!.id).execute()).toHaveLength(1);
  // A third press, later, of the same card: still once.
  expect((await press(recorder, 'feedback.record', data)).text).toContain('already recorded');

  const toPractitioner = await deliveredTo(practitioner);
  expect(toPractitioner).toHaveLength(1);
  expect(toPractitioner[0]!.text).toContain('A compliment about your work');
  expect(toPractitioner[0]!.text).toContain(WORDS);
  expect(toPractitioner[0]!.text).toContain('5 of 5');
  const toServiceManager = await deliveredTo(serviceManager);
  expect(toServiceManager).toHaveLength(1);
  expect(toServiceManager[0]!.text).toContain(`A compliment for ${practitioner.name}`);
  expect(toServiceManager[0]!.text).toContain('You are told as their service manager.');
  // Not the team manager in between, and not the recorder.
  expect(await deliveredTo(teamManager)).toEqual([]);
  expect(await deliveredTo(recorder)).toEqual([]);
});

test('a compliment whose givers did not agree to share their words is passed on without them', async () => {
  const { startKey } = await feedbackCommand(recorder);
  const words = 'Thank you for getting the school place sorted for CR410002.';
  const recorded = await press(recorder, 'feedback.record', { startKey, caseReference: 'CR410002', ...compliment, words, consent: 'no', rating: '', practitionerEmail: practitioner.email });
  expect(recorded.text).toContain('Recorded: thank you.');
  const [card] = await deliveredTo(practitioner);
  expect(card!.text).toContain('A compliment about your work');
  expect(card!.text).toContain('They did not agree to their words being shared');
  expect(card!.text).not.toContain(words);
  expect(card!.text).not.toContain('of 5');
  expect(await deliveredTo(serviceManager)).toHaveLength(1);
});

test('feedback attached to a practice review: "Add family feedback" on the reviewer\'s card, the case reference filled in and kept', async () => {
  let reviewer: TrustPerson | undefined;
  let assignmentId = '';
  for (const p of trust.filter((person) => person.tier === 'team_manager' || person.tier === 'service_manager')) {
    const assignment = await h.app.deps.repos.assignments.findFor(await idOf(p), '2027-01');
    if (assignment?.kind === 'practice_review') {
      reviewer = p;
      assignmentId = assignment.id;
      break;
    }
  }
  expect(reviewer).toBeDefined();
  const reviewed = trust.find((p) => p.tier === 'practitioner' && p.lineManager !== reviewer!.email)!;
  const started = await press(reviewer!, 'review.start', { assignmentId, caseReference: 'CR420001', practitionerId: '', practitionerEmail: reviewed.email, chairId: '' });
  expect(started.text).toContain('Section 1 of');
  const review = (await h.app.deps.repos.reviews.findByAssignment(assignmentId))!;
  const reviewCard = await press(reviewer!, 'review.open', { reviewId: review.id, view: 'review' });
  const add = buttons(reviewCard.card).get('Add family feedback')!;
  expect(add).toEqual({ verb: 'feedback.begin', data: { reviewId: review.id, observationId: '' } });
  // Only for the reviewer: the practitioner's view of the review has no such button, and a stranger pressing it is refused.
  expect(buttons((await press(reviewed, 'review.open', { reviewId: review.id, view: 'review' })).card).has('Add family feedback')).toBe(false);
  const refused = await press(stranger, add.verb, add.data);
  expect(refused.text).toContain('Only the reviewer (or the QA manager) can add family feedback to a practice review.');
  expect(refused.text).not.toContain('CR420001');

  const form = await press(reviewer!, add.verb, add.data);
  expect(form.text).toContain('Family feedback: practice review CR420001');
  expect(input(form.card, 'caseReference')?.value).toBe('CR420001');
  expect(input(form.card, 'practitionerId')?.value).toBe(review.practitionerId);
  const record = buttons(form.card).get('Record the feedback')!;
  expect(record.data).toMatchObject({ reviewId: review.id, observationId: '' });
  const answers = { source: 'young_person', method: 'conversation', kind: 'comment', words: 'I would like to see my sister more often.', consent: 'yes', practitionerId: review.practitionerId, receivedOn: '2027-01-12' };
  const wrongCase = await press(reviewer!, record.verb, { ...record.data, ...answers, caseReference: 'CR999999' });
  expect(wrongCase.text).toContain('This feedback is for the practice review of case CR420001: keep that case reference.');
  expect(input(wrongCase.card, 'words')?.value).toBe('I would like to see my sister more often.');
  const done = await press(reviewer!, record.verb, { ...record.data, ...answers, caseReference: 'CR420001' });
  expect(done.text).toContain('Family feedback recorded: CR420001');
  expect(done.text).toContain('The practice review of this case');
  expect(await h.app.deps.repos.feedback.listFor({ reviewId: review.id })).toMatchObject([{ kind: 'comment', source: 'young_person', reviewId: review.id, observationId: null, caseReference: 'CR420001' }]);
  expect(buttons(done.card).get('Record more feedback')).toEqual({ verb: 'feedback.begin', data: { reviewId: review.id, observationId: '' } });
});

test('feedback attached to a practice observation: its observer only, the observation carried', async () => {
  const services = h.app.deps.services;
  const [form, reflection] = [await currentForm(services, 'practice_observation'), await currentForm(services, 'observation_reflection')];
  const observer = teamManager;
  const { observation } = await h.app.deps.repos.observations.create(
    { startKey: 'card:test-observation-1', assignmentId: null, observerId: await idOf(observer), practitionerId: await idOf(practitioner), service: practitioner.service, team: practitioner.team, formId: form.id, reflectionFormId: reflection.id },
    clock.now(),
  );
  expect((await press(recorder, 'feedback.begin', { reviewId: '', observationId: observation.id })).text).toContain('Only the observer (or the QA manager)');
  const opened = await press(observer, 'feedback.begin', { reviewId: '', observationId: observation.id });
  expect(opened.text).toContain('Family feedback: your practice observation');
  expect(input(opened.card, 'practitionerId')?.value).toBe(await idOf(practitioner));
  const record = buttons(opened.card).get('Record the feedback')!;
  const done = await press(observer, record.verb, { ...record.data, caseReference: 'CR430001', source: 'carer', method: 'visit', kind: 'compliment', words: 'The visit was calm and kind.', consent: 'yes', practitionerId: await idOf(practitioner), receivedOn: '2027-01-12' });
  expect(done.text).toContain('A practice observation');
  expect(await h.app.deps.repos.feedback.listFor({ observationId: observation.id })).toMatchObject([{ kind: 'compliment', observationId: observation.id, reviewId: null }]);
  await deliveredTo(practitioner);
  await deliveredTo(serviceManager);
});

test('a paused month: the reflection message asks for family feedback and its button opens the card; what comes back is counted by kind', async () => {
  expect(await countFeedback(h.app.deps.services, '2027-01')).toEqual({ compliment: 4, comment: 1, complaint: 0, total: 5 });
  clock.set(new Date('2027-08-02T08:00:00Z'));
  expect(await h.app.scheduler.runAt('reflection', clock.now())).toMatchObject({ result: 'ran' });
  const [message] = await deliveredTo(recorder);
  expect(message!.text).toContain('August 2027: a month for reflection');
  expect(message!.text).toContain('Record family feedback');
  const record = buttons(message!.card).get('Record family feedback')!;
  expect(record.verb).toBe('feedback.begin');
  const form = await press(recorder, record.verb, record.data);
  expect(form.text).toContain('Record family feedback');
  expect(form.text).toContain('No family feedback has been recorded yet in August 2027.');
  const key = buttons(form.card).get('Record the feedback')!.data;
  const done = await press(recorder, 'feedback.record', { ...key, caseReference: 'CR440001', source: 'child', method: 'survey', kind: 'comment', words: 'I like my new foster carers.', rating: '4', consent: 'yes', receivedOn: '2027-08-02' });
  expect(done.text).toContain('Recorded: thank you.');
  expect((await feedbackCommand(recorder)).text).toContain('1 piece of family feedback has come back in August 2027: 1 comment.');
  expect(await countFeedback(h.app.deps.services, '2027-08')).toEqual({ compliment: 0, comment: 1, complaint: 0, total: 1 });
});

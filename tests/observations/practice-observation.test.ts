import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { buttons, cardSession } from '../support/card-session';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, shippedForm } from '../support/review-flow';
import { cardOf, cardText, teamChannel } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * A practice observation from its assignment card to its actions, over HTTP as Teams
 * sends it: a Practice Focused Day scheduled and announced first, bad answers on each
 * card, a double submit, the practitioner adding their reflection, and people pressing
 * buttons that are not theirs. Also an observation recorded at any time with "observe".
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
const MONTH = '2027-01';
const form = shippedForm('practice_observation');

let h: Harness;
const { press, deliveredTo, idOf } = cardSession(() => h, clock);
let observer: TrustPerson;
let practitioner: TrustPerson;
let stranger: TrustPerson;
let assignmentId: string;
let observationId: string;



const personal = (person: TrustPerson): string => `a:personal-${person.aadObjectId}`;


beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  await h.teams.install(qa, teamChannel('Safeguarding'));
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  for (const p of trust.filter((person) => person.tier === 'team_manager')) {
    const assignment = await h.app.deps.repos.assignments.findFor(await idOf(p), MONTH);
    if (assignment?.kind === 'practice_observation') {
      observer = p;
      assignmentId = assignment.id;
      break;
    }
  }
  expect(observer).toBeDefined();
  practitioner = trust.find((p) => p.tier === 'practitioner' && p.lineManager === observer.email)!;
  stranger = trust.find((p) => p.tier === 'team_manager' && p !== observer)!;
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
});
afterAll(async () => {
  await h.close();
});

test('the QA manager schedules a Practice Focused Day; bad dates come back; it is announced to managers and the team channel', async () => {
  const [reply] = await h.teams.say(qa, 'focus days');
  expect(cardText(cardOf(reply))).toContain('None scheduled');
  const weekend = await press(qa, 'focus-day.add', { day: '2027-01-16', theme: 'Hearing the voice of the child', toChannels: 'channels' });
  expect(weekend.text).toContain('That is not a working day');
  expect(weekend.text).toContain('Hearing the voice of the child');
  const added = await press(qa, 'focus-day.add', { day: '2027-01-14', theme: 'Hearing the voice of the child', toChannels: 'channels' });
  expect(added.text).toContain('Scheduled for Thursday 14 January');
  const again = await press(qa, 'focus-day.add', { day: '2027-01-14', theme: 'Another', toChannels: 'managers' });
  expect(again.text).toContain('There is already a Practice Focused Day on that date.');
  const [toObserver] = await deliveredTo(personal(observer));
  expect(toObserver!.text).toContain('Practice Focused Day: Thursday 14 January');
  const [toChannel] = await deliveredTo(teamChannel('Safeguarding').conversationId);
  expect(toChannel!.text).toContain('Hearing the voice of the child');
  const asManager = await press(observer, 'focus-day.add', { day: '2027-01-21', theme: 'Mine' });
  expect(asManager.text).toContain('Not available to you');
});

test('the assignment card records the observation; "Mark as done" does not finish one', async () => {
  const [reply] = await h.teams.say(observer, 'my tasks');
  const card = cardOf(reply)!;
  expectValidCard(card);
  expect([...buttons(card).keys()]).toContain('Record the observation');
  expect([...buttons(card).keys()]).not.toContain('Mark as done');
  expect((await press(observer, 'assignment.complete', { assignmentId })).text).toContain('An observation is done when you submit it');
});

test('starting offers the observer\'s own practitioners; no choice comes back; a double press starts one', async () => {
  const start = await press(observer, 'observation.begin', { assignmentId });
  expect(start.text).toContain(practitioner.name);
  const none = await press(observer, 'observation.start', { assignmentId, startToken: '', practitionerId: '', practitionerEmail: '' });
  expect(none.text).toContain('Choose the practitioner you observed.');
  const practitionerId = await idOf(practitioner);
  const [a, b] = await Promise.all([
    press(observer, 'observation.start', { assignmentId, startToken: '', practitionerId, practitionerEmail: '' }),
    press(observer, 'observation.start', { assignmentId, startToken: '', practitionerId, practitionerEmail: '' }),
  ]);
  expect([a.text, b.text].some((text) => text.includes('Section 1 of 4'))).toBe(true);
  const rows = await h.database.db.selectFrom('observations').select('id').where('assignment_id', '=', assignmentId).execute();
  expect(rows).toHaveLength(1);
  observationId = rows[0]!.id;
  expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('started');
});

test('each section: bad answers come back beside their fields with everything kept; others cannot fill it in', async () => {
  const bad = await press(observer, 'observation.save', { observationId, part: 'observation', section: '0', move: 'next', ...answersFor(form, 0, { observed_on: '2027-02-30', setting: 'other', setting_other: '' }) });
  expect(bad.text).toContain('Enter a date as YYYY-MM-DD.');
  expect(bad.text).toContain('This needs an answer.');
  expect(bad.text).toContain('Evidence for preparation found in the record.');
  const notTheirs = await press(stranger, 'observation.save', { observationId, part: 'observation', section: '0', move: 'next', ...answersFor(form, 0) });
  expect(notTheirs.text).toContain('not one you are part of');
  const asPractitioner = await press(practitioner, 'observation.save', { observationId, part: 'observation', section: '0', move: 'next', ...answersFor(form, 0) });
  expect(asPractitioner.text).toContain(`Only ${observer.name} can fill this in`);
  const earlyReflection = await press(practitioner, 'observation.save', { observationId, part: 'reflection', section: '0', move: 'next', how_it_went: 'Fine' });
  expect(earlyReflection.text).toContain('once the observation has been submitted');

  await press(observer, 'observation.save', { observationId, part: 'observation', section: '0', move: 'next', ...answersFor(form, 0, { observed_on: '2027-01-14', setting: 'home_visit' }) });
  await press(observer, 'observation.save', { observationId, part: 'observation', section: '1', move: 'next', ...answersFor(form, 1) });
  const family = await press(observer, 'observation.save', { observationId, part: 'observation', section: '2', move: 'next', family_view_outcome: 'given', development_needs: 'Confidence in direct work with teenagers.' });
  expect(family.text).toContain('This needs an answer.');
  expect(family.text).toContain('Confidence in direct work with teenagers.');
  await press(observer, 'observation.save', { observationId, part: 'observation', section: '2', move: 'next', family_view_outcome: 'given', family_view: 'Mum said the worker listened.', development_needs: 'Confidence in direct work with teenagers.' });
  const last = await press(observer, 'observation.save', { observationId, part: 'observation', section: '3', move: 'next', ...answersFor(form, 3, { overall_grade: 'good' }) });
  expect(last.text).toContain('Actions and submit');
});

test('actions with problems come back; the submit stores once, completes the assignment, tags the focus day and sends the practitioner the feedback', async () => {
  const practitionerId = await idOf(practitioner);
  const bad = await press(observer, 'observation.submit', { observationId, action1: 'Shadow a colleague on a teenager visit', action1Owner: '', action1Due: '2027-02-10' });
  expect(bad.text).toContain('Choose who will do it.');
  expect(bad.text).toContain('Shadow a colleague on a teenager visit');
  const submit = { observationId, action1: 'Shadow a colleague on a teenager visit', action1Owner: practitionerId, action1Due: '2027-02-10' };
  const [a, b] = await Promise.all([press(observer, 'observation.submit', submit), press(observer, 'observation.submit', submit)]);
  expect([a.text, b.text].filter((text) => text.includes('Submitted to the QA service. '))).toHaveLength(1);
  expect([a.text, b.text].join('\n')).toContain('Practice Focused Day on "Hearing the voice of the child"');
  const stored = (await h.app.deps.repos.observations.findById(observationId))!;
  expect(stored).toMatchObject({ status: 'submitted', observedOn: '2027-01-14', setting: 'home_visit', grade: 'good' });
  expect(stored.focusDayId).not.toBeNull();
  expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('done');
  expect(await h.app.deps.repos.actions.listForSource(observationId, 'observation')).toHaveLength(1);
  const [feedback] = await deliveredTo(personal(practitioner));
  expect(feedback!.text).toContain('Feedback from your practice observation');
  expect(feedback!.text).toContain('Confidence in direct work with teenagers.');
  expect([...buttons(feedback!.card).keys()]).toEqual(['Add your reflection']);
  const stale = await press(observer, 'observation.save', { observationId, part: 'observation', section: '0', move: 'next', ...answersFor(form, 0) });
  expect(stale.text).toContain('can no longer be changed');
});

test('the practitioner adds their reflection; the observer is told; a second one changes nothing', async () => {
  const reflectionForm = shippedForm('observation_reflection');
  const missing = await press(practitioner, 'observation.save', { observationId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflectionForm, 0, { how_it_went: '' }) });
  expect(missing.text).toContain('This needs an answer.');
  const sent = await press(practitioner, 'observation.save', { observationId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflectionForm, 0) });
  expect(sent.text).toContain(`${observer.name} can see your reflection`);
  const [toObserver] = await deliveredTo(personal(observer));
  expect(toObserver!.text).toContain('Reflection added to your observation');
  expect(toObserver!.text).toContain('Evidence for how_it_went found in the record.');
  const again = await press(practitioner, 'observation.save', { observationId, part: 'reflection', section: '0', move: 'next', ...answersFor(reflectionForm, 0) });
  expect(again.text).toContain('added their reflection on');
});

test('"observe" records one at any time; the same card pressed twice starts one; the audit log has every step', async () => {
  const [reply] = await h.teams.say(observer, 'observe');
  const card = cardOf(reply)!;
  expectValidCard(card);
  const start = [...buttons(card).values()][0]!;
  const practitionerId = await idOf(practitioner);
  await press(observer, start.verb, { ...start.data, practitionerId, practitionerEmail: '' });
  const second = await press(observer, start.verb, { ...start.data, practitionerId, practitionerEmail: '' });
  expect(second.text).toContain('already started');
  expect(await h.database.db.selectFrom('observations').select('id').where('assignment_id', 'is', null).execute()).toHaveLength(1);
  const [refused] = await h.teams.say(practitioner, 'observe');
  expect(cardText(cardOf(refused))).toContain('is for');
  const actions = new Set((await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 })).map((entry) => entry.action));
  for (const expected of ['focus-day.added', 'observation.started', 'observation.draft-saved', 'observation.submitted', 'observation.reflection-submitted', 'action.created']) expect(actions).toContain(expected);
});

import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { buttons, cardSession } from '../support/card-session';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';

import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * A complaint from a parent, from the feedback card to stage 1 complete, over HTTP as
 * Teams sends it, with every person's cards read from the connector stand-in: the named
 * officer's card and buttons, people pressing buttons that are not theirs, the missed
 * acknowledgement and response deadlines (the officer reminded, the service manager told,
 * once each), and the one extension stage 1 allows.
 *
 * Received Monday 11 January 2027: acknowledge by Thursday 14 January (3 working days),
 * respond by Monday 25 January (10), extended once to Monday 8 February.
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const byName = (name: string): TrustPerson => trust.find((p) => p.name === name)!;
const recorder = byName('Safeguarding Team Manager 2');
const officer = byName('Safeguarding Team Manager 1');
const serviceManager = byName('Safeguarding Service Manager 1');
const practitioner = byName('Safeguarding Practitioner 3');
const stranger = byName('Children in Care Team Manager 1');
const head = byName('Safeguarding Head');
const clock = new FakeClock(new Date('2027-01-12T10:00:00Z'));
const WORDS = 'Nobody called us back after the conference about CR300100, and the plan was never explained.';

let h: Harness;
const { press, deliveredTo, idOf } = cardSession(() => h, clock);
let complaintId: string;





/** The value an input of a card shows, by id. */
function inputValue(card: unknown, id: string): unknown {
  let found: unknown;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record.id === id && typeof record.type === 'string' && record.type.startsWith('Input.')) found = record.value;
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

const auditActions = async (): Promise<string[]> =>
  (await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 1000 })).map((entry) => entry.action);

/** The feedback card's start key, from its "Record the feedback" button. */
async function freshCard(person: TrustPerson): Promise<{ card: Record<string, unknown>; startKey: string }> {
  const [reply] = await h.teams.say(person, 'feedback');
  const card = cardOf(reply)!;
  expectValidCard(card);
  const startKey = buttons(card).get('Record the feedback')!.data.startKey!;
  expect(startKey).toMatch(/^[0-9a-f-]{36}$/);
  return { card, startKey };
}

const complaintAnswers = { source: 'parent', method: 'phone', kind: 'complaint', words: WORDS, rating: '1', consent: 'no', response: 'Apologised and arranged a call with the team manager.' };

/** A job run at 09:00 London on a day in winter (GMT). */
const runJob = (day: string) => {
  clock.set(new Date(`${day}T09:00:00Z`));
  return h.app.scheduler.runAt('complaint-deadlines', clock.now());
};

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
});
afterAll(async () => {
  await h.close();
});

test('a complaint without an officer comes back on the same card with the problem beside the field and every answer kept; nothing is stored', async () => {
  const { startKey } = await freshCard(recorder);
  const reply = await press(recorder, 'feedback.record', { startKey, reviewId: '', observationId: '', caseReference: 'CR300100', ...complaintAnswers, practitionerId: await idOf(practitioner), receivedOn: '2027-01-11' });
  expect(reply.text).toContain('Not recorded yet');
  expect(reply.text).toContain('A complaint needs a named officer to handle it');
  expect(inputValue(reply.card, 'words')).toBe(WORDS);
  expect(inputValue(reply.card, 'kind')).toBe('complaint');
  expect(inputValue(reply.card, 'caseReference')).toBe('CR300100');
  expect(inputValue(reply.card, 'receivedOn')).toBe('2027-01-11');
  expect(buttons(reply.card).get('Record the feedback')!.data.startKey).toBe(startKey);
  expect(await h.app.deps.repos.feedback.findByStartKey(startKey)).toBeUndefined();
  const future = await press(recorder, 'feedback.record', { startKey, caseReference: 'CR300100', ...complaintAnswers, officerId: await idOf(officer), receivedOn: '2027-02-01' });
  expect(future.text).toContain('The date received cannot be in the future.');
  const aboutThemselves = await press(recorder, 'feedback.record', { startKey, caseReference: 'CR300100', ...complaintAnswers, practitionerId: await idOf(officer), officerId: await idOf(officer), receivedOn: '2027-01-11' });
  expect(aboutThemselves.text).toContain('The complaint is about this practitioner: choose someone else to handle it.');
  expect(await h.app.deps.repos.feedback.findByStartKey(startKey)).toBeUndefined();
});

test('recorded with its officer: stage 1 opens with deadlines in working days, and the officer gets the complaint with its buttons', async () => {
  const { startKey } = await freshCard(recorder);
  const data = { startKey, reviewId: '', observationId: '', caseReference: 'cr300100', ...complaintAnswers, practitionerId: await idOf(practitioner), officerId: '', officerEmail: officer.email.toUpperCase(), receivedOn: '2027-01-11' };
  const recorded = await press(recorder, 'feedback.record', data);
  expect(recorded.text).toContain('Family feedback recorded: CR300100');
  expect(recorded.text).toContain(`${officer.name} has been sent the complaint, to acknowledge by Thursday 14 January and respond to by Monday 25 January.`);
  const feedback = (await h.app.deps.repos.feedback.findByStartKey(startKey))!;
  expect(feedback).toMatchObject({ kind: 'complaint', source: 'parent', method: 'phone', rating: 1, consent: false, caseReference: 'CR300100', practitionerId: await idOf(practitioner), recordedBy: await idOf(recorder), month: '2027-01', reviewId: null });
  const complaint = (await h.app.deps.repos.complaints.findByFeedback(feedback.id))!;
  complaintId = complaint.id;
  expect(complaint).toMatchObject({ officerId: await idOf(officer), stage: 1, receivedOn: '2027-01-11', acknowledgeBy: '2027-01-14', respondBy: '2027-01-25', status: 'open' });
  const response = (await h.app.deps.repos.responses.find(feedback.id, 'feedback', 'feedback'))!;
  expect(response).toMatchObject({ status: 'submitted', formId: feedback.formId, answers: complaintAnswers });

  const [toOfficer, ...more] = await deliveredTo(officer);
  expect(more).toHaveLength(0);
  expect(toOfficer!.text).toContain('A complaint for you to handle: CR300100');
  expect(toOfficer!.text).toContain(WORDS);
  expect(toOfficer!.text).toContain('Thursday 14 January');
  expect([...buttons(toOfficer!.card).keys()]).toEqual(['Acknowledge', 'Record the response', 'Extend the deadline']);
  expect(toOfficer!.card.refresh).toMatchObject({ action: { verb: 'complaint.open', data: { complaintId } } });
  // Complaints are not compliments: nobody else is sent anything.
  expect(await deliveredTo(practitioner)).toEqual([]);
  expect(await deliveredTo(serviceManager)).toEqual([]);
});

test('someone else pressing the officer\'s buttons is refused plainly, told nothing about it, and nothing changes', async () => {
  for (const person of [stranger, recorder, serviceManager, practitioner]) {
    for (const verb of ['complaint.acknowledge', 'complaint.respond', 'complaint.extend', 'complaint.open']) {
      const refused = await press(person, verb, { complaintId, response: 'Done', extensionReason: 'Complex' });
      expect(refused.text).toContain('Only the officer handling this complaint, or the QA manager, can act on it.');
      expect(refused.text).not.toContain('CR300100');
      expect(refused.text).not.toContain(WORDS);
    }
  }
  expect((await h.app.deps.repos.complaints.findById(complaintId))!).toMatchObject({ status: 'open', extendedAt: null, response: null });
  // The QA manager may see it.
  const asQa = await press(qa, 'complaint.open', { complaintId });
  expect(asQa.text).toContain('Complaint: CR300100');
});

test('the acknowledgement deadline passes: the officer is reminded and their service manager told, once', async () => {
  expect(await runJob('2027-01-14')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  expect(await runJob('2027-01-15')).toMatchObject({ result: 'ran', outcome: { queued: 2, detail: { acknowledge: 1, respond: 0 } } });
  const [reminder] = await deliveredTo(officer);
  expect(reminder!.text).toContain('Overdue: acknowledge the complaint about CR300100');
  expect(reminder!.text).toContain(`${serviceManager.name} has been told.`);
  expect([...buttons(reminder!.card).keys()]).toContain('Acknowledge');
  const [told] = await deliveredTo(serviceManager);
  expect(told!.text).toContain('Complaint deadline missed: CR300100');
  expect(told!.text).toContain(`It was due to be acknowledged by Thursday 14 January and has not been.`);
  expect(told!.text).toContain(`you are told as ${officer.name}'s service manager`);
  expect(told!.text).not.toContain(WORDS);
  expect(buttons(told!.card).size).toBe(0);
  expect(told!.card.refresh).toBeUndefined();
  expect(await runJob('2027-01-18')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  expect(await deliveredTo(officer)).toEqual([]);
});

test('the officer acknowledges it (late); a second press changes nothing', async () => {
  clock.set(new Date('2027-01-18T11:00:00Z'));
  const done = await press(officer, 'complaint.acknowledge', { complaintId, response: 'Started a draft.', extensionReason: '' });
  expect(inputValue(done.card, 'response')).toBe('Started a draft.');
  expect(done.text).toContain('Acknowledged. Next, record the response');
  expect(done.text).toContain('acknowledged Monday 18 January');
  expect([...buttons(done.card).keys()]).toEqual(['Record the response', 'Extend the deadline']);
  const again = await press(officer, 'complaint.acknowledge', { complaintId });
  expect(again.text).toContain('This complaint was acknowledged on Monday 18 January. Nothing was changed.');
  expect((await auditActions()).filter((action) => action === 'complaint.acknowledged')).toHaveLength(1);
});

test('an extension needs a reason; it moves the response deadline 10 working days, once; a second extension is refused with what was typed kept', async () => {
  const draft = 'We have spoken to the family and are looking into the conference notes.';
  const noReason = await press(officer, 'complaint.extend', { complaintId, response: draft, extensionReason: '' });
  expect(noReason.text).toContain('Give the reason for the extension');
  expect(inputValue(noReason.card, 'response')).toBe(draft);
  expect((await h.app.deps.repos.complaints.findById(complaintId))!.extendedAt).toBeNull();

  const extended = await press(officer, 'complaint.extend', { complaintId, response: draft, extensionReason: 'Three agencies involved; notes needed from each.' });
  expect(extended.text).toContain('Extended by 10 working days');
  expect(extended.text).toContain('Monday 8 February, extended once');
  expect(extended.text).toContain('Three agencies involved; notes needed from each.');
  expect([...buttons(extended.card).keys()]).toEqual(['Record the response']);
  // The response being written stays on the card; the reason, now stored, is cleared.
  expect(inputValue(extended.card, 'response')).toBe(draft);
  expect(inputValue(extended.card, 'extensionReason')).toBeUndefined();
  expect((await h.app.deps.repos.complaints.findById(complaintId))!).toMatchObject({ respondBy: '2027-02-08', extensionReason: 'Three agencies involved; notes needed from each.' });

  // A stale card pressed again: refused, what was typed kept, nothing changed.
  const second = await press(officer, 'complaint.extend', { complaintId, response: draft, extensionReason: 'Still waiting for notes.' });
  expect(second.text).toContain('Not extended: the response deadline was already extended once');
  expect(second.text).toContain('The deadline can be extended only once.');
  expect(inputValue(second.card, 'response')).toBe(draft);
  expect(inputValue(second.card, 'extensionReason')).toBe('Still waiting for notes.');
  expect((await h.app.deps.repos.complaints.findById(complaintId))!).toMatchObject({ respondBy: '2027-02-08', extensionReason: 'Three agencies involved; notes needed from each.' });
  expect((await auditActions()).filter((action) => action === 'complaint.extended')).toHaveLength(1);
});

test('the extended response deadline passes unanswered: the officer is reminded and the service manager told, once', async () => {
  // The first deadline (25 January) is no longer the one that counts.
  expect(await runJob('2027-01-26')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  expect(await runJob('2027-02-08')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  expect(await runJob('2027-02-09')).toMatchObject({ result: 'ran', outcome: { queued: 2, detail: { acknowledge: 0, respond: 1 } } });
  const [reminder] = await deliveredTo(officer);
  expect(reminder!.text).toContain('Overdue: respond to the complaint about CR300100');
  expect(reminder!.text).toContain('The response was due by Monday 8 February.');
  const [told] = await deliveredTo(serviceManager);
  expect(told!.text).toContain('It was due to be answered by Monday 8 February and has not been.');
  expect(await runJob('2027-02-10')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
});

test('the officer records the response: it needs words; then stage 1 is complete and every button is gone', async () => {
  clock.set(new Date('2027-02-10T14:00:00Z'));
  const empty = await press(officer, 'complaint.respond', { complaintId, response: '  ' });
  expect(empty.text).toContain('Write the response given to the family');
  const answer = 'We met the family, apologised, and agreed a named contact and fortnightly calls.';
  const done = await press(officer, 'complaint.respond', { complaintId, response: answer });
  expect(done.text).toContain('Response recorded: stage 1 of this complaint is complete.');
  expect(done.text).toContain(answer);
  expect(buttons(done.card).size).toBe(0);
  const again = await press(officer, 'complaint.respond', { complaintId, response: 'Another answer' });
  expect(again.text).toContain('This complaint was answered on Wednesday 10 February. Nothing was changed.');
  expect((await h.app.deps.repos.complaints.findById(complaintId))!).toMatchObject({ status: 'responded', response: answer });
  // The officer's older cards refresh to what is true now.
  const refreshed = await press(officer, 'complaint.open', { complaintId });
  expect(refreshed.text).toContain('Answered: stage 1 complete');
  expect(await runJob('2027-02-11')).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
});

test('an officer with no service manager above them: the QA managers are told instead', async () => {
  clock.set(new Date('2027-02-11T10:00:00Z'));
  const { startKey } = await freshCard(recorder);
  const recorded = await press(recorder, 'feedback.record', { startKey, caseReference: 'CR300200', ...complaintAnswers, officerId: await idOf(head), receivedOn: '2027-02-11' });
  expect(recorded.text).toContain('Family feedback recorded: CR300200');
  expect((await deliveredTo(head))[0]!.text).toContain('A complaint for you to handle: CR300200');
  // Acknowledge by Tuesday 16 February: the day after, the deadline has passed.
  expect(await runJob('2027-02-17')).toMatchObject({ result: 'ran', outcome: { queued: 2, detail: { acknowledge: 1 } } });
  const [toQa] = await deliveredTo(qa);
  expect(toQa!.text).toContain('Complaint deadline missed: CR300200');
  expect(toQa!.text).toContain('QA manager (no service manager is on file above them)');
  expect((await deliveredTo(head))[0]!.text).toContain(`${qa.name} has been told.`);
});

test('"feedback" shows the officer the complaints waiting for them, and every change of state is in the audit log', async () => {
  const [reply] = await h.teams.say(head, 'feedback');
  // One message, its cards shown as a list.
  const texts = ((reply!.attachments ?? []) as { content: unknown }[]).map(({ content }) => {
    expectValidCard(content);
    return cardText(content);
  });
  expect(texts).toHaveLength(2);
  expect(texts[0]).toContain('Record family feedback');
  expect(texts[0]).toContain('1 piece of family feedback has come back in February 2027: 1 complaint.');
  expect(texts[1]).toContain('Complaint: CR300200');
  const actions = new Set(await auditActions());
  for (const expected of ['feedback.recorded', 'complaint.opened', 'complaint.acknowledged', 'complaint.extended', 'complaint.responded', 'complaint.acknowledge-overdue', 'complaint.respond-overdue']) {
    expect(actions).toContain(expected);
  }
});

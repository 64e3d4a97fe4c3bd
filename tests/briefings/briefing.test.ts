import type { Clock } from '../../services/clock';
import { importRota } from '../../services/rota-service';
import { saveTheme } from '../../services/themes/themes-service';
import type { SpotlightContent } from '../../services/spotlights/spotlight';
import { briefingPartKeys } from '../../services/briefings/briefing';
import { buttons, cardSession } from '../support/card-session';
import { expectValidCard } from '../support/card-check';
import type { TeamsMember } from '../support/connector-stand-in';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText, personalChat, teamChannel, TENANT_ID, BOT } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * A seven-minute briefing from a spotlight to its recall, over HTTP as Teams sends it, with
 * the real delivery worker sending through the connector stand-in: drafted from the
 * spotlight (a row inserted directly, as the spotlight feature lands alongside), an invalid
 * draft kept with its problems, refused to its author as approver, approved by another,
 * scheduled for a London time and sent by the job when due (not before) to 502 people and 2
 * channels with some not installed and some 429s, the delivery card updated in place,
 * acknowledgements counted, a manager seeing who has not read it, one reminder to the rest,
 * the team's use recorded once, and the recall.
 *
 * March 2027 is GMT, so London times equal UTC here.
 */
jest.setTimeout(240_000);

/** A clock that runs with real time (the worker's rate limits and waits are real) and can be moved to any day. */
class MovingClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  set(to: Date): void {
    this.offset = to.getTime() - Date.now();
  }
}

const trust = smallTrust({ practitioners: true });
const byName = (name: string): TrustPerson => trust.find((p) => p.name === name)!;
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
// The QA manager also holds the approver role: still refused their own draft.
qa.roles = 'qa_manager;moderator;approver';
const director = byName('Dana Director');
director.roles = 'approver';
const teamManager = byName('Safeguarding Team Manager 1');
const practitioner = byName('Safeguarding Practitioner 1');
const stranger = byName('Children in Care Team Manager 2');
const channels = [teamChannel('Safeguarding Practice'), teamChannel('Children in Care Practice')];

const clock = new MovingClock();
clock.set(new Date('2027-03-08T10:00:00Z'));
let h: Harness;
const { press, deliveredTo, idOf } = cardSession(() => h, clock);

const BULK = 500;
const NOT_INSTALLED = 30;
/** 500 people of one service in five teams; the last 30 never installed the app. */
const bulk: (TeamsMember & { staffId: string; installed: boolean; team: string })[] = [];
let briefingId = '';
let spotlightId = '';

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

/** The card's top facts, by title. */
function factsOf(card: unknown): Record<string, string> {
  const body = (card as { body: { type: string; facts?: { title: string; value: string }[] }[] }).body;
  return Object.fromEntries((body.find((item) => item.type === 'FactSet')?.facts ?? []).map((fact) => [fact.title, fact.value]));
}

const auditActions = async (): Promise<string[]> => (await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 5000 })).map((entry) => entry.action);

const queuedWith = async (prefix: string): Promise<number> => {
  const counts = await h.app.deps.repos.outbox.countByStatusWithPrefix(prefix);
  return counts.queued + counts.sending;
};

/** Runs the real worker until `done` holds (checked every 200 ms), then stops it. */
async function deliverUntil(done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  h.app.delivery.start();
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('delivery did not finish in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await h.app.delivery.stop();
  }
}

const sendsTo = (conversationId: string) => h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId === conversationId);

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  for (const place of channels) await h.teams.install(qa, place);
  const { repos } = h.app.deps;
  const now = clock.now();
  for (let i = 0; i < BULK; i++) {
    const aadObjectId = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
    const team = `FS Team ${(i % 5) + 1}`;
    const staff = await repos.staff.insert({ email: `bulk${i}@trust.example.org`, aadObjectId, name: `Bulk Person ${i}`, tier: 'practitioner', service: 'Family Support', team, roles: [] }, now);
    const installed = i < BULK - NOT_INSTALLED;
    const member = { id: `29:${aadObjectId}`, aadObjectId, name: staff.name, email: staff.email, userPrincipalName: staff.email, tenantId: TENANT_ID };
    if (installed) {
      const conversationId = personalChat(member).conversationId;
      await repos.conversations.save(
        {
          conversationId, scope: 'personal', tenantId: TENANT_ID, aadObjectId, staffId: staff.id, teamId: null, channelId: null, serviceUrl: h.connector.url,
          reference: { channelId: 'msteams', serviceUrl: h.connector.url, conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID }, bot: BOT, user: { id: member.id } },
        },
        now,
      );
    }
    bulk.push({ ...member, staffId: staff.id, installed, team });
  }
  // The month's spotlight, stored as the spotlight feature stores it.
  const theme = await saveTheme(h.app.deps.services, { month: '2027-02', title: 'Voice of the child', origin: 'pib', why: 'The Practice Improvement Board asked how well plans show what children tell us.', sampleSize: 2, channels: [], questions: undefined }, qa.email, 'cli');
  const content: SpotlightContent = {
    figures: { managers: 6, casesSampled: 12, questions: [{ key: 'voice', label: 'Is the child\'s voice recorded in the plan', answered: 12, counts: [{ answer: 'yes', count: 7 }] }], grades: [{ grade: 'good', count: 5 }, { grade: 'requires_improvement', count: 3 }], reviewsConsidered: 8, observationsConsidered: 3 },
    edits: { headline: 'Children\'s words are in most plans, but not how they changed the plan.', strengths: ['direct work is recorded well'], gaps: ['plans rarely say what changed because of what the child said'], quotes: ['We wrote down what she wanted and then did it.'] },
  };
  spotlightId = '0f0e0d0c-0000-4000-8000-000000000001';
  await h.database.db
    .insertInto('spotlights')
    .values({ id: spotlightId, theme_id: theme.id, month: '2027-02', status: 'posted', content_json: JSON.stringify(content), created_by: qa.email, created_at: now.toISOString(), updated_at: now.toISOString(), posted_by: qa.email, posted_at: now.toISOString() })
    .execute();
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
});
afterAll(async () => {
  await h.close();
});

test('drafted from the spotlight: every part pre-filled from its findings; an invalid draft comes back with problems beside the parts and every answer kept', async () => {
  const draft = await press(qa, 'briefing.draft', { spotlightId });
  expect(inputValue(draft.card, 'title')).toBe('Seven-minute briefing: Voice of the child');
  expect(inputValue(draft.card, 'background')).toContain('The Practice Improvement Board asked');
  expect(inputValue(draft.card, 'background')).toContain('6 managers dip-sampled 12 cases');
  expect(inputValue(draft.card, 'keyPoint1')).toContain('direct work is recorded well');
  expect(inputValue(draft.card, 'keyPoint2')).toContain('plans rarely say what changed');
  expect(inputValue(draft.card, 'whatToDo')).toContain('For team discussion: Is the child\'s voice recorded in the plan?');
  const preview = buttons(draft.card).get('Preview')!;
  briefingId = preview.data.briefingId!;
  expect(preview.data.spotlightId).toBe(spotlightId);

  const values = Object.fromEntries(['title', ...briefingPartKeys].map((key) => [key, String(inputValue(draft.card, key))]));
  const bad = await press(qa, 'briefing.preview', { ...preview.data, ...values, title: '', keyPoint3: 'x'.repeat(701), remember: 'Remember what Oliver Smith told his social worker.' });
  expect(bad.text).toContain('Not saved yet: see the notes beside the parts.');
  expect(bad.text).toContain('Give the briefing a short title.');
  expect(bad.text).toContain('Keep this to 700 characters: it is 701.');
  expect(bad.text).toContain("This looks like it may include someone's full name.");
  expect(inputValue(bad.card, 'background')).toBe(values.background);
  expect(inputValue(bad.card, 'remember')).toBe('Remember what Oliver Smith told his social worker.');
  expect(await h.app.deps.repos.briefings.findById(briefingId)).toBeUndefined();

  const shown = await press(qa, 'briefing.preview', { ...preview.data, ...values });
  expect(shown.text).toContain('Preview: this is how people will see it.');
  expect((await h.app.deps.repos.briefings.findById(briefingId))!).toMatchObject({ status: 'draft', spotlightId, title: values.title });
  // The approver choice never offers the author.
  const approverChoices = JSON.stringify(shown.card);
  expect(approverChoices).toContain(await idOf(director));
  expect(approverChoices).not.toContain(`"value":"${await idOf(qa)}"`);
  // A double press of the first save stores one briefing.
  await press(qa, 'briefing.save', { ...preview.data, ...values });
  expect((await h.app.deps.repos.briefings.list({ offset: 0, limit: 10 })).length).toBe(1);
});

test('sent for approval to a second person; its author (who holds the approver role) is refused; sent back with a reason, then approved by another', async () => {
  const self = await press(qa, 'briefing.submit', { briefingId, approverId: await idOf(qa) });
  expect(self.text).toContain('You cannot approve your own briefing');
  const submitted = await press(qa, 'briefing.submit', { briefingId, approverId: await idOf(director) });
  expect(submitted.text).toContain('Sent to Dana Director for approval.');
  const [approval] = await deliveredTo(director);
  expect(approval!.text).toContain('For approval: Seven-minute briefing: Voice of the child');
  expect([...buttons(approval!.card).keys()]).toEqual(['Approve', 'Send back']);

  const ownApproval = await press(qa, 'briefing.approve', { briefingId });
  expect(ownApproval.text).toContain('You wrote this briefing, so you cannot approve it');
  const noRole = await press(teamManager, 'briefing.approve', { briefingId });
  expect(noRole.text).toContain('Your role does not allow that.');
  expect((await h.app.deps.repos.briefings.findById(briefingId))!.status).toBe('awaiting_approval');

  const noReason = await press(director, 'briefing.send-back', { briefingId, reason: '' });
  expect(noReason.text).toContain('Say what needs to change, so the author knows.');
  const sentBack = await press(director, 'briefing.send-back', { briefingId, reason: 'Add what teams should do differently.' });
  expect(sentBack.text).toContain('Sent back to the author with your reason.');
  const [back] = await deliveredTo(qa);
  expect(back!.text).toContain('Add what teams should do differently.');
  await press(qa, 'briefing.submit', { briefingId, approverId: await idOf(director) });
  const approved = await press(director, 'briefing.approve', { briefingId });
  expect(approved.text).toContain('Approved. The author has been told and can now send it.');
  const twice = await press(director, 'briefing.approve', { briefingId });
  expect(twice.text).toContain('already been approved');
  expect((await h.app.deps.repos.briefings.findById(briefingId))!).toMatchObject({ status: 'approved', approverId: await idOf(director) });
  // The approver's card, refreshed, shows where it went, without the buttons; a stranger is refused.
  const refreshed = await press(director, 'briefing.open', { briefingId, view: 'approval' });
  expect(refreshed.text).toContain('Approved');
  expect([...buttons(refreshed.card).keys()]).toEqual([]);
  expect((await press(stranger, 'briefing.open', { briefingId, view: 'approval' })).text).not.toContain('Voice of the child');
  const told = await deliveredTo(qa);
  expect(told.map((card) => card.text).join('\n')).toContain('Choose audience and send');
});

test('audience and schedule: problems beside the fields with the choices kept; scheduled for a London time; the job sends it when due and not before', async () => {
  const base = { briefingId, channels: channels.map((c) => c.conversationId).join(','), groups: '', services: 'Family Support', teams: 'Safeguarding::Team 1', emails: '', when: 'later', sendDate: '2027-03-09', sendTime: '14:30', reminderDays: '3' };
  const unknown = await press(qa, 'briefing.schedule', { ...base, emails: 'email\nnobody@elsewhere.example.org\nbulk1@trust.example.org' });
  expect(unknown.text).toContain('Nobody on file has this address: nobody@elsewhere.example.org.');
  expect(inputValue(unknown.card, 'services')).toBe('Family Support');
  expect(inputValue(unknown.card, 'sendTime')).toBe('14:30');
  const past = await press(qa, 'briefing.schedule', { ...base, sendDate: '2027-03-08', sendTime: '09:00' });
  expect(past.text).toContain('That time has passed');
  const nobody = await press(qa, 'briefing.schedule', { ...base, channels: '', services: '', teams: '' });
  expect(nobody.text).toContain('Choose at least one channel or group of people.');

  const scheduled = await press(qa, 'briefing.schedule', base);
  expect(scheduled.text).toContain('Scheduled for Tuesday 9 March at 14:30 (London time), to 502 people and 2 channels.');
  expect((await h.app.deps.repos.briefings.findById(briefingId))!.sendAt!.toISOString()).toBe('2027-03-09T14:30:00.000Z');
  expect((await press(qa, 'briefing.schedule', base)).text).toContain('already on its way');

  clock.set(new Date('2027-03-09T14:25:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran' });
  expect((await h.app.deps.repos.briefings.findById(briefingId))!.status).toBe('scheduled');
  clock.set(new Date('2027-03-09T14:30:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 504 } });
  expect((await h.app.deps.repos.briefings.findById(briefingId))!.status).toBe('sent');
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'done-already' });
});

test('broadcast through the real worker: every installed person once, not-installed counted, 429s retried, and the delivery card updated in place to the real figures', async () => {
  const c = h.connector;
  c.enforceTeamsLimits();
  const throttled = bulk.filter((p) => p.installed).slice(0, 3).map((p) => personalChat(p).conversationId);
  // Counted from the posts each conversation has had already (a channel had the bot's welcome).
  for (const conversationId of [...throttled, channels[0]!.conversationId]) c.scriptFault({ conversationId, attempts: [c.postsReceived(conversationId) + 1], status: 429, retryAfterSeconds: 1 });
  const total = 504;
  // The last update carries the final figures (keyed by them: sent-failed-not installed-cancelled-queued-acknowledged-read).
  const finalKey = `briefing-delivery:${briefingId}:${total - NOT_INSTALLED}-0-${NOT_INSTALLED}-0-0-0-0`;
  await deliverUntil(async () => (await queuedWith(`briefing:${briefingId}:`)) === 0 && (await h.app.deps.repos.outbox.latestWithPrefix(`briefing-delivery:${briefingId}:`))?.dedupeKey === finalKey && (await h.app.deps.repos.outbox.findByDedupeKey(finalKey))?.status === 'sent');

  for (const person of bulk) expect(sendsTo(personalChat(person).conversationId)).toHaveLength(person.installed ? 1 : 0);
  for (const person of [teamManager, practitioner]) expect(sendsTo(personalChat(person).conversationId).filter((call) => String(call.activity?.summary).startsWith('Seven-minute'))).toHaveLength(1);
  for (const place of channels) {
    const [copy, ...more] = sendsTo(place.conversationId);
    expect(more).toHaveLength(0);
    const text = cardText(cardOf(copy!.activity));
    expect(text).toContain('please press "I\'ve read this" there');
    expect(buttons(cardOf(copy!.activity)!).size).toBe(0);
  }
  expect(c.faulted.filter((call) => call.status === 429).length).toBeGreaterThanOrEqual(4);
  const counts = await h.app.deps.repos.outbox.countByStatusWithPrefix(`briefing:${briefingId}:`);
  expect(counts).toMatchObject({ sent: total - NOT_INSTALLED, not_installed: NOT_INSTALLED, failed: 0, queued: 0, sending: 0 });

  // The delivery card went to the QA manager once, then was changed in place (PUT to its activity id).
  const deliveryPosts = sendsTo(personalChat(qa).conversationId).filter((call) => String(call.activity?.summary).startsWith('Delivery:'));
  expect(deliveryPosts).toHaveLength(1);
  const cardMessage = (await h.app.deps.repos.outbox.findByDedupeKey(`briefing-delivery:${briefingId}`))!;
  const updates = c.calls.filter((call) => call.kind === 'update' && call.activityId === cardMessage.activityId);
  expect(updates.length).toBeGreaterThanOrEqual(1);
  const last = factsOf(cardOf(updates.at(-1)!.activity));
  const reallySent = c.calls.filter((call) => call.kind === 'send' && String(call.activity?.summary).startsWith('Seven-minute briefing')).length;
  expect(reallySent).toBe(total - NOT_INSTALLED);
  expect(last).toMatchObject({ Queued: '0', Delivered: String(reallySent), 'Not installed': String(NOT_INSTALLED), Failed: '0', Copies: '504 (502 people, 2 channels)' });
  const refreshed = await press(qa, 'briefing.delivery', { briefingId });
  expect(factsOf(refreshed.card)).toMatchObject({ Delivered: String(reallySent), 'Not installed': String(NOT_INSTALLED) });
  c.enforceTeamsLimits(undefined);
});

test('acknowledgements: stored once, counted by service and team; only the person\'s own copy; a manager sees who in the team has not', async () => {
  const readers = bulk.filter((p) => p.installed).slice(0, 10);
  for (const person of readers) {
    const reply = await press(person, 'briefing.acknowledge', { briefingId });
    expect(reply.text).toContain('Thank you: your acknowledgement is recorded.');
    expect(reply.text).toContain('Read on');
    expect(reply.text).toContain('Tuesday 9 March');
    expect(buttons(reply.card).has("I've read this")).toBe(false);
  }
  expect((await press(readers[0]!, 'briefing.acknowledge', { briefingId })).text).toContain('You had already told us you read this');
  expect((await press(stranger, 'briefing.acknowledge', { briefingId })).text).toContain('This briefing was not sent to you');
  const managerReply = await press(teamManager, 'briefing.acknowledge', { briefingId });
  expect([...buttons(managerReply.card).keys()]).toEqual(['Record how your team used it']);

  const counts = await h.app.deps.repos.briefingCopies.ackCounts(briefingId);
  const fs1 = counts.find((row) => row.service === 'Family Support' && row.team === 'FS Team 1')!;
  expect(fs1).toMatchObject({ people: 100, acknowledged: 2 });
  expect(counts.find((row) => row.service === 'Safeguarding' && row.team === 'Team 1')).toMatchObject({ people: 2, delivered: 2, acknowledged: 1 });
  expect(counts.reduce((sum, row) => sum + row.acknowledged, 0)).toBe(11);

  const [view] = await h.teams.say(teamManager, 'briefings');
  const card = cardOf(view)!;
  expectValidCard(card);
  const text = cardText(card);
  expect(text).toContain('1 of 2 in Team 1');
  expect(text).toContain('Not yet acknowledged');
  expect(text).toContain('Safeguarding Practitioner 1');
  expect(text).not.toContain('Safeguarding Team Manager 1,');
  const [qaView] = await h.teams.say(qa, 'briefings');
  expect(cardText(cardOf(qaView))).toContain('Acknowledged');
  expect(cardText(cardOf(qaView))).toContain('11 of 502');
});

test('read receipts: reading the chat past a copy marks it read, counted apart from acknowledgements; reading up to an earlier message does not', async () => {
  const [reader, early] = bulk.filter((p) => p.installed).slice(10, 12);
  const receipt = async (person: TeamsMember, lastReadMessageId: string) => {
    const response = await h.teams.post(h.teams.activity(person, personalChat(person), { type: 'event', name: 'application/vnd.microsoft.readReceipt', value: { lastReadMessageId } }));
    expect(response.status).toBe(200);
  };
  const copyOf = async (person: { staffId: string }) => h.app.deps.repos.outbox.findByDedupeKey(`briefing:${briefingId}:${person.staffId}`);
  const readerCopy = await copyOf(reader!);
  const earlyCopy = await copyOf(early!);
  expect(readerCopy?.activityId).toMatch(/^\d+$/);
  await receipt(reader!, readerCopy!.activityId!);
  await receipt(early!, String(Number(earlyCopy!.activityId) - 1));
  const rows = await h.database.db.selectFrom('briefing_recipients').select(['staff_id', 'read_at', 'acknowledged_at']).where('briefing_id', '=', briefingId).where('read_at', 'is not', null).execute();
  expect(rows).toEqual([{ staff_id: reader!.staffId, read_at: expect.stringMatching(/^2027-03-/), acknowledged_at: null }]);
  // A second receipt changes nothing.
  await receipt(reader!, readerCopy!.activityId!);
  expect(await h.database.db.selectFrom('briefing_recipients').select('id').where('briefing_id', '=', briefingId).where('read_at', 'is not', null).execute()).toHaveLength(1);
});

test('one reminder after the working days to those who have not acknowledged; never twice', async () => {
  h.connector.clear();
  clock.set(new Date('2027-03-11T09:00:05Z'));
  expect(await h.app.scheduler.runAt('briefing-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  clock.set(new Date('2027-03-12T09:00:05Z'));
  const expected = BULK - NOT_INSTALLED - 10 + 1; // the practitioner too; the team manager acknowledged
  expect(await h.app.scheduler.runAt('briefing-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: expected } });
  expect(await h.app.scheduler.runAt('briefing-reminders', clock.now())).toMatchObject({ result: 'done-already' });
  clock.set(new Date('2027-03-15T09:00:05Z'));
  expect(await h.app.scheduler.runAt('briefing-reminders', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  await deliverUntil(async () => (await queuedWith(`briefing-reminder:${briefingId}:`)) === 0);
  const reminders = h.connector.calls.filter((call) => call.kind === 'send' && String(call.activity?.summary).startsWith('Reminder:'));
  expect(reminders).toHaveLength(expected);
  expect(new Set(reminders.map((call) => call.conversationId)).size).toBe(expected);
  expect(reminders.some((call) => call.conversationId === personalChat(bulk[0]!).conversationId)).toBe(false);
  expect(reminders.some((call) => call.conversationId === personalChat(practitioner).conversationId)).toBe(true);
});

test('a team manager records how the team used it, once on a double press, with its actions tracked; others are refused', async () => {
  const form = await press(teamManager, 'briefing.usage', { briefingId, step: 'form' });
  expect(form.text).toContain('How your team used it');
  const answers = { briefingId, step: 'save', setting: 'team_meeting', discussedOn: '2027-03-12', notes: 'Discussed at the Friday team meeting.', action1: 'Add the child\'s words to every plan review', action1Owner: await idOf(practitioner), action1Due: '2027-04-09' };
  const future = await press(teamManager, 'briefing.usage', { ...answers, discussedOn: '2027-03-30' });
  expect(future.text).toContain('That date is still to come');
  expect(inputValue(future.card, 'notes')).toBe('Discussed at the Friday team meeting.');
  const recorded = await press(teamManager, 'briefing.usage', answers);
  expect(recorded.text).toContain('Recorded: thank you. 1 action will be tracked to completion.');
  const again = await press(teamManager, 'briefing.usage', answers);
  expect(again.text).toContain('This was already recorded: nothing new was stored.');
  expect(await h.app.deps.repos.briefingCopies.listUsage(briefingId)).toHaveLength(1);
  const actions = await h.app.deps.repos.actions.listForSource(briefingId, 'briefing');
  expect(actions).toHaveLength(1);
  expect(actions[0]).toMatchObject({ ownerId: await idOf(practitioner), dueDate: '2027-04-09', status: 'open' });
  expect((await press(practitioner, 'briefing.usage', answers)).text).toContain('Your role does not allow that.');
  expect((await press(teamManager, 'briefing.recall', { briefingId })).text).toContain('Your role does not allow that.');
});

test('recalled: personal copies and reminders deleted, channel copies replaced by the withdrawn card; acknowledging now says it was withdrawn; every step audited', async () => {
  h.connector.clear();
  const recalled = await press(qa, 'briefing.recall', { briefingId });
  expect(recalled.text).toContain('Recalled:');
  expect((await press(qa, 'briefing.recall', { briefingId })).text).toContain('already recalled');
  await deliverUntil(async () => (await queuedWith(`briefing-recall:${briefingId}:`)) === 0);
  const deletes = h.connector.calls.filter((call) => call.kind === 'delete');
  const personsSent = 502 - NOT_INSTALLED;
  const remindersSent = BULK - NOT_INSTALLED - 10 + 1;
  expect(deletes).toHaveLength(personsSent + remindersSent);
  expect(new Set(deletes.map((call) => `${call.conversationId}/${call.activityId}`)).size).toBe(deletes.length);
  for (const place of channels) {
    const puts = h.connector.calls.filter((call) => call.kind === 'update' && call.conversationId === place.conversationId);
    expect(puts).toHaveLength(1);
    expect(cardText(cardOf(puts[0]!.activity))).toContain('The QA service has withdrawn this seven-minute briefing.');
  }
  // The sweep finds nothing new.
  clock.set(new Date('2027-03-15T10:00:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  const late = await press(bulk[20]!, 'briefing.acknowledge', { briefingId });
  expect(late.text).toContain('withdrawn by the QA service');
  const actions = await auditActions();
  for (const action of ['briefing.drafted', 'briefing.edited', 'briefing.submitted', 'briefing.sent-back', 'briefing.approved', 'briefing.scheduled', 'briefing.sent', 'briefing.acknowledged', 'briefing.reminded', 'briefing.usage-recorded', 'briefing.recalled']) {
    expect(actions).toContain(action);
  }
  expect(actions.filter((action) => action === 'briefing.acknowledged')).toHaveLength(11);
});

test('an outbox update or delete reaches the stand-in as a PUT or DELETE of that activity id', async () => {
  h.connector.clear();
  const { outbox } = h.app.deps.repos;
  const staffId = await idOf(practitioner);
  const now = clock.now();
  await outbox.enqueue({ dedupeKey: 'test-update', kind: 'test', conversationId: null, staffId, payload: { type: 'message', text: 'changed' }, operation: { kind: 'update', activityId: 'activity-77' } }, now);
  await outbox.enqueue({ dedupeKey: 'test-delete', kind: 'test', conversationId: null, staffId, payload: {}, operation: { kind: 'delete', activityId: 'activity-78' } }, now);
  await h.app.delivery.drainOnce(clock.now());
  const conversationId = personalChat(practitioner).conversationId;
  const seen = h.connector.calls.map((call) => ({ kind: call.kind, conversationId: call.conversationId, activityId: call.activityId })).sort((a, b) => a.kind.localeCompare(b.kind));
  expect(seen).toEqual([
    { kind: 'delete', conversationId, activityId: 'activity-78' },
    { kind: 'update', conversationId, activityId: 'activity-77' },
  ]);
  expect(h.connector.calls.find((call) => call.kind === 'update')!.activity).toMatchObject({ text: 'changed', id: 'activity-77' });
});

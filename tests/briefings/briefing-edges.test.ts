import { briefingPartKeys } from '../../services/briefings/briefing';
import { updateDeliveryCard } from '../../services/briefings/briefing-delivery';
import { briefingKeys } from '../../services/briefings/briefing-messages';
import { importRota } from '../../services/rota-service';
import { spotlightOutboxKey } from '../../services/spotlights/spotlights-service';
import { briefingContext } from '../../bot/verbs/briefing-replies';
import { buttons, cardSession } from '../support/card-session';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText, personalChat } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * The edges of seven-minute briefings, over HTTP as Teams sends it: a recall that finds
 * copies queued, not installed or being sent (none arrives later, whatever installs or
 * retries follow); the delivery card keyed by its figures; team usage kept apart between
 * services; the approver's reason checked for names; who sees the approval card; only the
 * author edits or submits a draft; impossible dates and times; a save that loses the race
 * to a submit; cancelling a scheduled send; short outbox keys for long conversation ids.
 *
 * March 2027 is GMT, so London times equal UTC here. The worker is drained by hand.
 */
jest.setTimeout(60_000);

const trust = smallTrust({ practitioners: true });
const byName = (name: string): TrustPerson => trust.find((p) => p.name === name)!;
const qa = byName('Quinn Assurance');
qa.roles = 'qa_manager;approver';
const director = byName('Dana Director');
director.roles = 'approver';
// A second QA manager who also approves: may approve Quinn's drafts, never rewrite them.
const otherQa = byName('Safeguarding Head');
otherQa.roles = 'qa_manager;approver';
const sgTm1 = byName('Safeguarding Team Manager 1');
const sgP1 = byName('Safeguarding Practitioner 1');
const sgTm2 = byName('Safeguarding Team Manager 2');
const sgP2 = byName('Safeguarding Practitioner 2');
const sgTm3 = byName('Safeguarding Team Manager 3');
const sgP3 = byName('Safeguarding Practitioner 3');
const cicTm1 = byName('Children in Care Team Manager 1');
const cicP1 = byName('Children in Care Practitioner 1');
/** Not in Teams with the app at first: their copies find no chat. */
const notInstalled = [sgP2, cicP1];

const clock = new FakeClock(new Date('2027-03-08T10:00:00Z'));
let h: Harness;
const { press, idOf } = cardSession(() => h, clock);

const values = Object.fromEntries([['title', 'Seven-minute briefing: Recording the child\'s voice'], ...briefingPartKeys.map((key) => [key, `The ${key} part, written for teams to discuss.`])]);
const audience = (teams: string, extra: Record<string, string> = {}) => ({ channels: '', groups: '', services: '', teams, emails: '', when: 'now', sendDate: '', sendTime: '', reminderDays: '0', ...extra });

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

/** A draft by Quinn, stored (previewed); its id. */
async function draft(): Promise<string> {
  const shown = await press(qa, 'briefing.draft', {});
  const preview = buttons(shown.card).get('Preview')!;
  await press(qa, 'briefing.preview', { ...preview.data, ...values });
  return preview.data.briefingId!;
}

async function approved(): Promise<string> {
  const id = await draft();
  await press(qa, 'briefing.submit', { briefingId: id, approverId: await idOf(director) });
  expect((await press(director, 'briefing.approve', { briefingId: id })).text).toContain('Approved.');
  return id;
}

const outbox = () => h.app.deps.repos.outbox;
const copyOf = async (briefingId: string, person: TrustPerson) => (await outbox().findByDedupeKey(briefingKeys.copy(briefingId, await idOf(person))))!;
const setOutbox = async (id: string, set: Record<string, string | null>) => {
  await h.database.db.updateTable('outbox').set(set).where('id', '=', id).execute();
};
const callsTo = (person: TrustPerson, kind: 'send' | 'delete' | 'update') => h.connector.calls.filter((call) => call.kind === kind && call.conversationId === personalChat(person).conversationId);
const auditActions = async (): Promise<string[]> => (await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 5000 })).map((entry) => entry.action);

async function waitFor(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) if (!notInstalled.includes(p)) await h.teams.install(p);
  await h.app.delivery.drainOnce(clock.now());
  h.connector.clear();
});
afterAll(async () => {
  await h.close();
});

test('recall: queued and not-installed copies are cancelled for good; copies being sent at the recall are removed once they go (by the tracker within seconds, by the job days later)', async () => {
  const id = await approved();
  const sent = await press(qa, 'briefing.schedule', { briefingId: id, ...audience('Safeguarding::Team 1,Safeguarding::Team 2,Safeguarding::Team 3') });
  expect(sent.text).toContain('On its way to 6 people');
  // At the moment of the recall: Team Manager 2's copy is still queued, Practitioners 1 and 3
  // and Team Manager 3 are being sent; the rest go now (Practitioner 2 has no chat).
  await setOutbox((await copyOf(id, sgTm2)).id, { next_attempt_at: '2027-03-08T12:00:00.000Z' });
  await setOutbox((await copyOf(id, sgP1)).id, { status: 'sending', locked_until: '2027-03-08T11:00:00.000Z' });
  for (const person of [sgP3, sgTm3]) await setOutbox((await copyOf(id, person)).id, { status: 'sending', locked_until: '2027-03-30T11:00:00.000Z' });
  await h.app.delivery.drainOnce(clock.now());
  expect((await copyOf(id, sgTm1)).status).toBe('sent');
  expect((await copyOf(id, sgP2)).status).toBe('not_installed');

  const recalled = await press(qa, 'briefing.recall', { briefingId: id });
  expect(recalled.text).toContain('Recalled: 2 copies not yet sent were cancelled, and 1 sent copy is being removed');
  expect((await copyOf(id, sgTm2)).status).toBe('cancelled');
  expect((await copyOf(id, sgP2)).status).toBe('cancelled');
  await h.app.delivery.drainOnce(clock.now());
  expect(callsTo(sgTm1, 'delete')).toHaveLength(1);

  // Practitioner 2 installs the app: what was waiting is not brought back.
  await h.teams.install(sgP2);
  clock.set(new Date('2027-03-08T12:30:00Z'));
  await h.app.delivery.drainOnce(clock.now());
  expect(callsTo(sgP2, 'send').filter((call) => String(call.activity?.summary).startsWith('Seven-minute'))).toHaveLength(0);
  expect(callsTo(sgTm2, 'send').filter((call) => String(call.activity?.summary).startsWith('Seven-minute'))).toHaveLength(0);

  // Practitioner 1's copy goes after the recall (its worker took it over): the tracker's next look removes it.
  await setOutbox((await copyOf(id, sgP1)).id, { locked_until: '2027-03-08T12:00:00.000Z' });
  await h.app.delivery.drainOnce(clock.now());
  const late = await copyOf(id, sgP1);
  expect(late.status).toBe('sent');
  const recipient = (await h.app.deps.repos.briefingCopies.findRecipient(id, await idOf(sgP1)))!;
  await waitFor(async () => (await outbox().findByDedupeKey(briefingKeys.recallCopy(id, recipient.id))) !== undefined);
  await h.app.delivery.drainOnce(clock.now());
  expect(callsTo(sgP1, 'delete').map((call) => call.activityId)).toEqual([late.activityId]);

  // Team Manager 3's copy was refused (429) and queued again; Practitioner 3's went, with no
  // tracker in that process. Thursday's job run (days after the recall) finishes both.
  await outbox().markRetry((await copyOf(id, sgTm3)).id, new Date('2027-03-08T12:31:00Z'), 'HTTP 429');
  await outbox().markSent((await copyOf(id, sgP3)).id, 'activity-late-p3', clock.now());
  clock.set(new Date('2027-03-11T10:00:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 1, detail: { swept: 1, cancelled: 1 } } });
  expect((await copyOf(id, sgTm3)).status).toBe('cancelled');
  await h.app.delivery.drainOnce(clock.now());
  expect(callsTo(sgP3, 'delete').map((call) => call.activityId)).toEqual(['activity-late-p3']);
  expect(callsTo(sgTm3, 'send').filter((call) => String(call.activity?.summary).startsWith('Seven-minute'))).toHaveLength(0);
  // Nothing is left to finish: the next run finds nothing, and no copy is removed twice.
  expect(await h.app.deps.repos.briefings.listRecalledUnfinished()).toEqual([]);
  clock.set(new Date('2027-03-11T10:05:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  const deletes = h.connector.calls.filter((call) => call.kind === 'delete');
  expect(new Set(deletes.map((call) => `${call.conversationId}/${call.activityId}`)).size).toBe(deletes.length);
});

let sentId = '';

test('the delivery card follows its figures: a not-installed copy re-queued and sent updates it, though as many copies have finished; never over an update still being sent', async () => {
  h.connector.clear();
  clock.set(new Date('2027-03-12T10:00:00Z'));
  sentId = await approved();
  await press(qa, 'briefing.schedule', { briefingId: sentId, ...audience('Children in Care::Team 1,Safeguarding::Team 1') });
  await h.app.delivery.drainOnce(clock.now());
  const prefix = briefingKeys.deliveryUpdatePrefix(sentId);
  const card = (await outbox().findByDedupeKey(briefingKeys.delivery(sentId)))!;
  await waitFor(async () => (await outbox().latestWithPrefix(prefix))?.dedupeKey === `${prefix}3-0-1-0-0-0-0`);
  await h.app.delivery.drainOnce(clock.now());

  await h.teams.install(cicP1);
  await h.app.delivery.drainOnce(clock.now());
  expect((await copyOf(sentId, cicP1)).status).toBe('sent');
  await waitFor(async () => (await outbox().latestWithPrefix(prefix))?.dedupeKey === `${prefix}4-0-0-0-0-0-0`);
  await h.app.delivery.drainOnce(clock.now());
  const updates = h.connector.calls.filter((call) => call.kind === 'update' && call.activityId === card.activityId);
  expect(cardText(cardOf(updates.at(-1)!.activity))).toMatch(/Delivered\s*4[\s\S]*Not installed\s*0/);

  // An update being sent holds back the next one; the next look sends it.
  const briefing = (await h.app.deps.repos.briefings.findById(sentId))!;
  expect(await updateDeliveryCard(briefingContext(h.app.deps), briefing)).toBe('same');
  await press(sgP1, 'briefing.acknowledge', { briefingId: sentId });
  const latest = (await outbox().latestWithPrefix(prefix))!;
  await setOutbox(latest.id, { status: 'sending', locked_until: '2027-03-12T11:00:00.000Z' });
  expect(await updateDeliveryCard(briefingContext(h.app.deps), briefing)).toBe('busy');
  await setOutbox(latest.id, { status: 'sent', locked_until: null });
  expect(await updateDeliveryCard(briefingContext(h.app.deps), briefing)).toBe('queued');
  expect((await outbox().latestWithPrefix(prefix))!.dedupeKey).toBe(`${prefix}4-0-0-0-0-1-0`);
});

test('team usage: each service\'s "Team 1" sees only its own; only a manager who had a copy may record it', async () => {
  const answers = { briefingId: sentId, step: 'save', setting: 'team_meeting', discussedOn: '2027-03-12', notes: '' };
  expect((await press(sgTm1, 'briefing.usage', answers)).text).toContain('Recorded: thank you.');
  const own = await press(sgTm1, 'briefing.usage', { briefingId: sentId, step: 'form' });
  expect(JSON.stringify(own.card)).toContain('"title":"Recorded"');
  const other = await press(cicTm1, 'briefing.usage', { briefingId: sentId, step: 'form' });
  expect(other.text).toContain('How your team used it');
  expect(JSON.stringify(other.card)).not.toContain('"title":"Recorded"');
  expect((await press(sgTm2, 'briefing.usage', { briefingId: sentId, step: 'form' })).text).toContain('This briefing was not sent to you.');
  expect((await press(sgTm2, 'briefing.usage', { ...answers, discussedOn: '2027-03-11' })).text).toContain('This briefing was not sent to you.');
  expect(await h.app.deps.repos.briefingCopies.listUsage(sentId)).toHaveLength(1);
});

test('approval: the reason is checked for names (kept as typed, kept when sent again unchanged); the approval card only while it awaits approval; only the author edits or submits', async () => {
  const id = await draft();
  const refusal = 'Only Quinn Assurance can change or send this draft for approval';
  expect((await press(otherQa, 'briefing.save', { briefingId: id, ...values, title: 'Rewritten' })).text).toContain(refusal);
  expect((await press(otherQa, 'briefing.submit', { briefingId: id, approverId: await idOf(director) })).text).toContain(refusal);
  expect((await h.app.deps.repos.briefings.findById(id))!).toMatchObject({ status: 'draft', title: values.title });
  await press(qa, 'briefing.submit', { briefingId: id, approverId: await idOf(director) });

  const reason = 'Oliver Smith told us the plan missed what he said.';
  const flagged = await press(director, 'briefing.send-back', { briefingId: id, reason });
  expect(flagged.text).toContain("This looks like it may include someone's full name.");
  expect(inputValue(flagged.card, 'reason')).toBe(reason);
  expect((await h.app.deps.repos.briefings.findById(id))!.status).toBe('awaiting_approval');
  const again = buttons(flagged.card).get('Send back')!;
  expect((await press(director, 'briefing.send-back', { ...again.data, reason })).text).toContain('Sent back to the author with your reason.');
  expect((await h.app.deps.repos.briefings.findById(id))!.decisionNote).toBe(reason);

  await press(qa, 'briefing.submit', { briefingId: id, approverId: await idOf(director) });
  expect((await press(director, 'briefing.open', { briefingId: id, view: 'approval' })).text).toContain('For approval:');
  // Another QA manager who approves may approve it.
  expect((await press(otherQa, 'briefing.approve', { briefingId: id })).text).toContain('Approved.');
  expect((await press(director, 'briefing.open', { briefingId: id, view: 'approval' })).text).toContain('This briefing was not sent to you.');
  const qaView = await press(otherQa, 'briefing.open', { briefingId: id, view: 'approval' });
  expect(qaView.text).toContain('Send: ');
  expect(buttons(qaView.card).has('Approve')).toBe(false);
});

test('a save that loses the race to a submit stores nothing and says so', async () => {
  const id = await draft();
  const stale = (await h.app.deps.repos.briefings.findById(id))!;
  await press(qa, 'briefing.submit', { briefingId: id, approverId: await idOf(director) });
  const edits = (await auditActions()).filter((action) => action === 'briefing.edited').length;
  const spy = jest.spyOn(h.app.deps.repos.briefings, 'findById').mockResolvedValueOnce(stale);
  const lost = await press(qa, 'briefing.save', { briefingId: id, ...values, title: 'Too late' });
  spy.mockRestore();
  expect(lost.text).toContain('already sent for approval');
  expect(lost.text).not.toContain('Saved');
  expect((await h.app.deps.repos.briefings.findById(id))!).toMatchObject({ status: 'awaiting_approval', title: values.title });
  expect((await auditActions()).filter((action) => action === 'briefing.edited')).toHaveLength(edits);
});

test('impossible days and times come back beside the field with every answer kept; a scheduled send can be cancelled and never goes', async () => {
  const id = await approved();
  const later = audience('Safeguarding::Team 1', { when: 'later', sendDate: '2027-03-16', sendTime: '14:30', reminderDays: '2' });
  const badDay = await press(qa, 'briefing.schedule', { briefingId: id, ...later, sendDate: '2026-02-30' });
  expect(badDay.text).toContain('Choose the day to send it.');
  expect(inputValue(badDay.card, 'sendDate')).toBe('2026-02-30');
  expect(inputValue(badDay.card, 'teams')).toBe('Safeguarding::Team 1');
  const badTime = await press(qa, 'briefing.schedule', { briefingId: id, ...later, sendTime: '12:75' });
  expect(badTime.text).toContain('Choose the time to send it (London time).');
  expect(inputValue(badTime.card, 'sendTime')).toBe('12:75');
  expect(inputValue(badTime.card, 'reminderDays')).toBe('2');

  const scheduled = await press(qa, 'briefing.schedule', { briefingId: id, ...later });
  expect(scheduled.text).toContain('Scheduled for Tuesday 16 March at 14:30');
  const cancel = buttons(scheduled.card).get('Cancel the scheduled send')!;
  const cancelled = await press(qa, cancel.verb, cancel.data);
  expect(cancelled.text).toContain('The scheduled send is cancelled');
  expect(inputValue(cancelled.card, 'teams')).toBe('Safeguarding::Team 1');
  expect((await press(qa, cancel.verb, cancel.data)).text).toContain('This briefing is not scheduled: nothing was changed.');
  expect((await h.app.deps.repos.briefings.findById(id))!).toMatchObject({ status: 'approved', sendAt: null, audience: expect.objectContaining({ teams: ['Safeguarding::Team 1'] }) });
  expect((await auditActions()).filter((action) => action === 'briefing.schedule-cancelled')).toHaveLength(1);
  clock.set(new Date('2027-03-16T14:30:10Z'));
  expect(await h.app.scheduler.runAt('briefing-sends', clock.now())).toMatchObject({ result: 'ran', outcome: { queued: 0 } });
  expect((await h.app.deps.repos.briefings.findById(id))!.status).toBe('approved');
  expect((await press(sgTm1, 'briefing.cancel-schedule', { briefingId: id })).text).toContain('Your role does not allow that.');
});

test('outbox keys stay within 200 characters for a 400-character conversation id, and stay as they were for short ones', () => {
  const long = `19:${'a'.repeat(397)}`;
  const id = '0f0e0d0c-0000-4000-8000-000000000001';
  expect(briefingKeys.copy(id, long)).toMatch(/^briefing:0f0e0d0c-0000-4000-8000-000000000001:h-[0-9a-f]{32}$/);
  expect(briefingKeys.copy(id, long)).toBe(briefingKeys.copy(id, long));
  expect(spotlightOutboxKey(id, long).length).toBeLessThanOrEqual(200);
  expect(spotlightOutboxKey(id, '19:short@thread.tacv2')).toBe(`spotlight:${id}:19:short@thread.tacv2`);
});

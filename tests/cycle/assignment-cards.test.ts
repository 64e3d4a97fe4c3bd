import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust } from '../support/trust';

/** A manager and the QA manager working an assignment through its cards, over HTTP as Teams sends them. */
const trust = smallTrust();
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const manager = trust.find((p) => p.tier === 'team_manager')!;
const other = trust.filter((p) => p.tier === 'team_manager')[1]!;
const clock = new FakeClock(new Date('2027-01-04T09:00:00Z'));

let h: Harness;
let assignmentId: string;

interface InvokeBody {
  value: unknown;
}
const pressCard = async (...args: Parameters<Harness['teams']['press']>) => {
  const response = await h.teams.press(...args);
  expect(response.status).toBe(200);
  const card = (response.body as InvokeBody).value;
  expectValidCard(card);
  return cardText(card);
};

beforeAll(async () => {
  clock.set(new Date('2026-12-10T10:00:00Z'));
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of [qa, manager, other]) await h.teams.install(p);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  const staff = await h.app.deps.repos.staff.findByEmail(manager.email);
  assignmentId = (await h.app.deps.repos.assignments.findFor(staff!.id, '2027-01'))!.id;
});
afterAll(async () => {
  await h.close();
});

test('my tasks shows this month\'s activity with its buttons', async () => {
  const replies = await h.teams.say(manager, 'my tasks');
  const card = cardOf(replies[0]);
  expectValidCard(card);
  const text = cardText(card);
  expect(text).toContain('Your QA activity for January 2027');
  expect(text).toContain('Not started');
  expect(text).toContain('Start');
  expect(text).toContain('Ask for a swap or excusal');
});

test('a request with no choice and no reason comes back on the same card, answers kept, nothing stored', async () => {
  const text = await pressCard(manager, 'assignment.request', { assignmentId, request: '', reason: 'Annual leave for two weeks' });
  expect(text).toContain('Your request was not sent');
  expect(text).toContain('Choose a swap or an excusal.');
  expect(text).toContain('Annual leave for two weeks');
  const staff = await h.app.deps.repos.staff.findByEmail(manager.email);
  expect(await h.app.deps.repos.rota.pendingRequestFor(staff!.id, '2027-01')).toBe(false);
});

test('a valid request goes to the QA manager once, even when pressed twice', async () => {
  const first = await pressCard(manager, 'assignment.request', { assignmentId, request: 'swap:thematic_review', reason: 'Observation not possible: team on training' });
  expect(first).toContain(`Sent to ${qa.name}`);
  const second = await pressCard(manager, 'assignment.request', { assignmentId, request: 'swap:thematic_review', reason: 'Observation not possible: team on training' });
  expect(second).toContain('Nothing new was sent');
  const staff = await h.app.deps.repos.staff.findByEmail(qa.email);
  const queued = await h.app.deps.repos.outbox.claimDue(clock.now(), 100, 1);
  const forQa = queued.filter((m) => m.staffId === staff!.id && m.kind === 'request-for-decision');
  expect(forQa).toHaveLength(1);
  const card = cardOf(forQa[0]!.payload);
  expectValidCard(card);
  expect(cardText(card)).toContain(`Rota request from ${manager.name}`);
});

test('only the QA manager may decide; agreeing swaps the month and a second press changes nothing', async () => {
  const managerStaff = await h.app.deps.repos.staff.findByEmail(manager.email);
  const request = (await h.database.db.selectFrom('rota_requests').select('id').where('staff_id', '=', managerStaff!.id).executeTakeFirstOrThrow()).id;
  expect(await pressCard(other, 'rota.decide', { requestId: request, decision: 'approve' })).toContain('Your role does not allow that');
  expect(await pressCard(qa, 'rota.decide', { requestId: request, decision: 'approve' })).toContain(`${manager.name} has been told`);
  expect(await pressCard(qa, 'rota.decide', { requestId: request, decision: 'decline' })).toContain('already decided');
  const assignment = await h.app.deps.repos.assignments.findById(assignmentId);
  expect(assignment).toMatchObject({ kind: 'thematic_review', status: 'assigned' });
});

test('start then mark as done; a double click changes nothing and says so', async () => {
  expect(await pressCard(manager, 'assignment.start', { assignmentId })).toContain('Started.');
  expect(await pressCard(manager, 'assignment.start', { assignmentId })).toContain('already started');
  expect(await pressCard(manager, 'assignment.complete', { assignmentId })).toContain('Done: thank you');
  expect(await pressCard(manager, 'assignment.complete', { assignmentId })).toContain('already done');
  const audit = await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 100 });
  expect(audit.filter((e) => e.recordId === assignmentId).map((e) => e.action).sort()).toEqual(['assignment.completed', 'assignment.created', 'assignment.started']);
});

test("nobody can act on someone else's assignment", async () => {
  expect(await pressCard(other, 'assignment.start', { assignmentId })).toContain('not one of yours');
  expect(await pressCard(other, 'assignment.complete', { assignmentId: 'x"; drop table staff' })).toContain('missing what QA Loop needs');
});

test('the QA manager excuses a manager on the rota card; a missing reason is shown next to it, answers kept', async () => {
  const replies = await h.teams.say(qa, 'rota');
  const card = cardOf(replies[0]);
  expectValidCard(card);
  expect(cardText(card)).toContain(other.name);
  const missing = await pressCard(qa, 'rota.change', { email: other.email, month: '2027-01', change: 'excuse', reason: '' });
  expect(missing).toContain('An excusal needs a reason');
  expect(JSON.stringify((await h.teams.press(qa, 'rota.change', { email: other.email, month: '2027-01', change: 'excuse', reason: '' })).body)).toContain(`"value":"${other.email}"`);
  const saved = await pressCard(qa, 'rota.change', { email: other.email, month: '2027-01', change: 'excuse', reason: 'Long-term sick leave' });
  expect(saved).toContain(`Saved: ${other.name} is excused in January 2027. They have been told.`);
  const told = await h.database.db.selectFrom('outbox').select('payload_json').where('kind', '=', 'rota-changed').execute();
  expect(told).toHaveLength(1);
  const toldCard = cardOf(JSON.parse(told[0]!.payload_json) as Record<string, unknown>);
  expectValidCard(toldCard);
  expect(cardText(toldCard)).toContain('excused you from this month');
  const staff = await h.app.deps.repos.staff.findByEmail(other.email);
  expect(await h.app.deps.repos.assignments.findFor(staff!.id, '2027-01')).toMatchObject({ status: 'excused', excuseReason: 'Long-term sick leave' });
  expect(await pressCard(other, 'rota.change', { email: other.email, month: '2027-01', change: 'swap:practice_review', reason: '' })).toContain('Your role does not allow that');
});

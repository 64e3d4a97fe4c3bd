import { Scheduler } from '../../services/scheduler';
import type { CycleJob } from '../../services/cycle-jobs';
import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * Found in review: people who installed the app before they were on file must still be
 * reached; simultaneous presses must store once; one job's failure must not stop the
 * others; a job replayed before its due time must not send.
 */
const trust = smallTrust();
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const manager = trust.find((p) => p.tier === 'team_manager')!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let h: Harness;

beforeEach(async () => {
  clock.set(new Date('2026-12-10T10:00:00Z'));
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
});
afterEach(async () => {
  await h.close();
});

const withoutEntraIds = (people: TrustPerson[]) => rotaCsv(people).replace(/,00000000-0000-4000-8000-\d{12}$/gm, ',');

test('a manager who installed the app before being on the rota gets their assignment', async () => {
  await h.teams.install(manager);
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  await h.app.delivery.drainOnce(clock.now());
  const sent = h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId === `a:personal-${manager.aadObjectId}`);
  expect(sent.map((call) => cardText(cardOf(call.activity)).split('\n')[0])).toEqual(['Your QA activity for January 2027']);
});

test('with no Entra id on the rota, the waiting card goes out once the person next talks to the bot', async () => {
  await h.teams.install(manager);
  expect((await importRota(h.app.deps.services, withoutEntraIds(trust), 'test')).ok).toBe(true);
  clock.set(new Date('2027-01-04T09:00:00Z'));
  await h.app.scheduler.tick(clock.now());
  await h.app.delivery.drainOnce(clock.now());
  const staff = (await h.app.deps.repos.staff.findByEmail(manager.email))!;
  expect(await h.app.deps.repos.outbox.findByDedupeKey(`assignment:2027-01:${staff.id}`)).toMatchObject({ status: 'not_installed' });
  await h.teams.say(manager, 'help');
  await h.app.delivery.drainOnce(clock.now());
  expect(await h.app.deps.repos.outbox.findByDedupeKey(`assignment:2027-01:${staff.id}`)).toMatchObject({ status: 'sent' });
  const audit = await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 });
  expect(audit.filter((e) => e.action === 'staff.linked-to-teams' && e.recordId === staff.id)).toHaveLength(1);
});

describe('simultaneous presses', () => {
  let assignmentId: string;
  beforeEach(async () => {
    expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
    for (const p of [qa, manager]) await h.teams.install(p);
    clock.set(new Date('2027-01-04T09:00:00Z'));
    await h.app.scheduler.tick(clock.now());
    const staff = (await h.app.deps.repos.staff.findByEmail(manager.email))!;
    assignmentId = (await h.app.deps.repos.assignments.findFor(staff.id, '2027-01'))!.id;
  });

  test('two "Send" presses at once store one request and tell the QA manager once', async () => {
    const data = { assignmentId, request: 'excuse', reason: 'Covering an absent colleague' };
    const responses = await Promise.all([h.teams.press(manager, 'assignment.request', data), h.teams.press(manager, 'assignment.request', data)]);
    responses.forEach((response) => expectValidCard((response.body as { value: unknown }).value));
    const requests = await h.database.db.selectFrom('rota_requests').selectAll().execute();
    expect(requests).toHaveLength(1);
    const outbox = await h.database.db.selectFrom('outbox').select('kind').where('kind', '=', 'request-for-decision').execute();
    expect(outbox).toHaveLength(1);
  });

  test('agree and decline pressed at once: one decision, applied once, the manager told once', async () => {
    await h.teams.press(manager, 'assignment.request', { assignmentId, request: 'excuse', reason: 'Covering an absent colleague' });
    const requestId = (await h.database.db.selectFrom('rota_requests').select('id').executeTakeFirstOrThrow()).id;
    await Promise.all([
      h.teams.press(qa, 'rota.decide', { requestId, decision: 'approve' }),
      h.teams.press(qa, 'rota.decide', { requestId, decision: 'decline' }),
      h.teams.press(qa, 'rota.decide', { requestId, decision: 'approve' }),
    ]);
    const request = (await h.app.deps.repos.rota.findRequest(requestId))!;
    const assignment = (await h.app.deps.repos.assignments.findById(assignmentId))!;
    expect(assignment.status).toBe(request.status === 'approved' ? 'excused' : 'assigned');
    const audit = await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 });
    expect(audit.filter((e) => e.action.startsWith('rota.request-'))).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'rota.excused')).toHaveLength(request.status === 'approved' ? 1 : 0);
    expect(await h.database.db.selectFrom('outbox').select('id').where('kind', '=', 'request-decided').execute()).toHaveLength(1);
  });

  test('agreeing to a swap of an activity already done leaves the request waiting and says why', async () => {
    await h.teams.press(manager, 'assignment.request', { assignmentId, request: 'swap:thematic_review', reason: 'Team on training' });
    // Done by whatever route its kind takes (a practice review by submitting it): here, directly.
    expect(await h.app.deps.repos.assignments.transition(assignmentId, ['assigned', 'started'], 'done', clock.now())).toBe(true);
    const requestId = (await h.database.db.selectFrom('rota_requests').select('id').executeTakeFirstOrThrow()).id;
    const response = await h.teams.press(qa, 'rota.decide', { requestId, decision: 'approve' });
    const card = (response.body as { value: unknown }).value;
    expectValidCard(card);
    expect(cardText(card)).toContain('Not agreed:');
    expect(cardText(card)).toContain('Agree');
    expect((await h.app.deps.repos.rota.findRequest(requestId))?.status).toBe('pending');
  });
});

describe('the scheduler', () => {
  test('one job failing does not stop the jobs after it', async () => {
    expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
    const broken: CycleJob = { ...h.app.scheduler.jobs[0]!, name: 'broken', dueAt: () => { throw new Error('bad calendar'); } };
    const scheduler = new Scheduler({ ...h.app.deps.services, compose: h.app.deps.compose }, [broken, ...h.app.scheduler.jobs], { instanceId: 'x', leaseMs: 60_000 });
    const results = await scheduler.tick(new Date('2027-01-04T09:00:00Z'));
    expect(results.filter((r) => r.job === 'broken').map((r) => r.result)).toEqual(['failed', 'failed']);
    expect(results.find((r) => r.job === 'assign-month')?.result).toBe('ran');
  });

  test('a job replayed before its due time sends nothing and keeps its run for the real time', async () => {
    expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
    await h.app.scheduler.runAt('assign-month', new Date('2027-01-04T09:00:00Z'));
    const early = await h.app.scheduler.runAt('final-reminder', new Date('2027-01-05T09:00:00Z'));
    expect(early).toMatchObject({ result: 'not-due', dueAt: new Date('2027-01-27T09:00:00Z') });
    expect(await h.database.db.selectFrom('outbox').select('id').where('kind', '=', 'final-reminder').execute()).toHaveLength(0);
    expect(await h.app.scheduler.runAt('final-reminder', new Date('2027-01-27T09:00:00Z'))).toMatchObject({ result: 'ran' });
  });

  test('ticks that fire together run one after the other, each job once', async () => {
    expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
    const at = new Date('2027-01-04T09:00:00Z');
    const [first, second] = await Promise.all([h.app.scheduler.tick(at), h.app.scheduler.tick(at)]);
    const ran = first!.filter((r) => r.result === 'ran').map((r) => r.job);
    expect(ran).toContain('assign-month');
    expect(new Set(ran).size).toBe(ran.length);
    // The second tick finds every one of them done, in the same order.
    expect(second!.map((r) => [r.job, r.result])).toEqual(ran.map((job) => [job, 'done-already']));
  });
});

test('uninstalling is recorded once although Teams announces it twice', async () => {
  await h.teams.install(manager);
  const place = { conversationId: `a:personal-${manager.aadObjectId}`, conversationType: 'personal' as const };
  await h.teams.post(h.teams.activity(manager, place, { type: 'installationUpdate', action: 'remove' }));
  await h.teams.post(h.teams.activity(manager, place, { type: 'conversationUpdate', membersRemoved: [{ id: '28:qa-loop-bot' }] }));
  const audit = await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 500 });
  expect(audit.filter((e) => e.action === 'app.uninstalled')).toHaveLength(1);
});

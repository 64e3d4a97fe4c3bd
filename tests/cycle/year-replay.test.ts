import { createBotApp, type BotApp } from '../../bot/app';
import { cycleJobs, nudge } from '../../services/cycle-jobs';
import { kindAt } from '../../services/rota';
import { importRota } from '../../services/rota-service';
import { Scheduler } from '../../services/scheduler';
import { loadConfig } from '../../services/config';
import { createLogger } from '../../services/logger';
import type { Notice } from '../../services/notices';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';
import { expectValidCard } from '../support/card-check';
import { completeObservationByCards, completeReviewByCards } from '../support/review-flow';

/**
 * A whole calendar year, hour by hour in fake time, through the real jobs, the real
 * outbox and delivery worker, and the connector stand-in — with a second instance
 * running the same jobs, a run that fails half-way, and an instance that dies holding
 * a run. What reaches Teams is then checked against the framework's rules.
 */
jest.setTimeout(180_000);

const YEAR = 2027;
const HOUR = 3_600_000;
const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
const londonParts = (at: Date) => Object.fromEntries(london.formatToParts(at).map((part) => [part.type, part.value])) as Record<string, string>;

interface Delivered {
  at: Date;
  conversationId: string;
  kind: 'assignment' | 'nudge' | 'final' | 'escalation' | 'reflection' | 'review' | 'report' | 'other';
  heading: string;
  text: string;
}

function kindOf(heading: string): Delivered['kind'] {
  if (heading.startsWith('Your QA activity for')) return 'assignment';
  if (heading.startsWith('Reminder:')) return 'nudge';
  if (heading.startsWith('Last reminder:')) return 'final';
  if (heading.startsWith('Overdue QA activity')) return 'escalation';
  if (heading.includes('a month for reflection')) return 'reflection';
  if (/^(Monthly|Quarterly) QA report: /.test(heading)) return 'report';
  // Sent when a manager starts a practice review or submits an observation: when they press, not a job's.
  if (heading.startsWith('Your reflection for a practice review') || heading.startsWith('Feedback from your practice observation')) return 'review';
  return 'other';
}

describe(`a year of the QA cycle (${YEAR})`, () => {
  let h: Harness;
  let second: BotApp;
  const clock = new FakeClock(new Date(`${YEAR - 1}-12-15T10:00:00Z`));
  const trust = smallTrust({ practitioners: true });
  const practitioners = trust.filter((p) => p.tier === 'practitioner');
  const managers = trust.filter((p) => ['director', 'head_of_service', 'service_manager', 'team_manager'].includes(p.tier));
  const byConversation = new Map<string, TrustPerson>();
  const delivered: Delivered[] = [];
  const completedBy = new Map<string, Set<string>>(); // month -> emails who completed
  let crashes = 0;
  let retriedInTransit = 0;

  /** Who completes their activity in which month: two in three, varying by person and month. */
  const completes = (managerIndex: number, monthIndex: number): boolean => (managerIndex + monthIndex) % 3 !== 0;

  beforeAll(async () => {
    // The outbox is the record checked at the end, so the retention job keeps sent messages here.
    h = await startHarness({ clock, env: { INSTANCE_ID: 'instance-a', RETENTION_MESSAGES_MONTHS: '0' } });
    trust.forEach((p) => h.connector.addMember(p));
    const result = await importRota(h.app.deps.services, rotaCsv(trust), 'test');
    expect(result).toMatchObject({ ok: true, onRota: managers.length });
    for (const p of trust) {
      await h.teams.install(p);
      byConversation.set(`a:personal-${p.aadObjectId}`, p);
    }
    h.connector.clear();
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', INSTANCE_ID: 'instance-b', LOG_LEVEL: 'silent', RETENTION_MESSAGES_MONTHS: '0' });
    second = createBotApp({ config, logger: createLogger('silent'), database: h.database, clock, calendar: h.app.deps.calendar });

    const calendar = h.app.deps.calendar;
    const seen = new Set<object>();
    const collect = (at: Date): void => {
      for (const call of h.connector.calls) {
        if (seen.has(call)) continue;
        seen.add(call);
        if (call.kind !== 'send') continue;
        const card = cardOf(call.activity);
        expectValidCard(card);
        const text = cardText(card);
        const heading = text.split('\n')[0] ?? '';
        delivered.push({ at, conversationId: call.conversationId, kind: kindOf(heading), heading, text });
      }
    };
    /**
     * Delivers what is due, as both instances' workers would. A send that failed in
     * transit (a dropped keep-alive connection, under load) is retried a minute later in
     * fake time, as the worker's backoff would do within the same hour.
     */
    const drain = async (at: Date): Promise<void> => {
      let when = at;
      for (let round = 0; round < 10; round++) {
        clock.set(when);
        const a = await h.app.delivery.drainOnce(when);
        const b = await second.delivery.drainOnce(when);
        collect(when);
        if (a.retried + b.retried + a.deferred + b.deferred === 0) break;
        retriedInTransit += a.retried + b.retried;
        when = new Date(when.getTime() + 60_000);
      }
    };

    for (let t = new Date(`${YEAR}-01-01T00:00:00Z`).getTime(); t < new Date(`${YEAR + 1}-01-01T00:00:00Z`).getTime(); t += HOUR) {
      const at = new Date(t);
      clock.set(at);
      const date = calendar.londonDateOf(at);
      const month = date.slice(0, 7);
      const parts = londonParts(at);

      // Managers who complete this month press "Mark as done" on the eighth working day, at 11:00.
      if (calendar.isActiveMonth(month) && parts.hour === '11' && calendar.workingDays(month)[7] === date) {
        const monthIndex = calendar.activeMonthIndex(month);
        for (const [index, manager] of managers.entries()) {
          if (!completes(index, monthIndex)) continue;
          const staff = await h.app.deps.repos.staff.findByEmail(manager.email);
          const assignment = await h.app.deps.repos.assignments.findFor(staff!.id, month);
          if (assignment!.kind === 'practice_review') {
            // A practice review is done when it is submitted, by its cards.
            const practitioner = practitioners.find((p) => p.service === manager.service) ?? practitioners[0]!;
            const findReviewId = async () => (await h.app.deps.repos.reviews.findByAssignment(assignment!.id))!.id;
            await completeReviewByCards(h.teams, manager, assignment!.id, practitioner.email, findReviewId, `CR${index}${monthIndex}0001`);
            expect((await h.app.deps.repos.assignments.findById(assignment!.id))!.status).toBe('done');
          } else if (assignment!.kind === 'practice_observation') {
            const practitioner = practitioners.find((p) => p.lineManager === manager.email) ?? practitioners.find((p) => p.service === manager.service) ?? practitioners[0]!;
            const findObservationId = async () => (await h.app.deps.repos.observations.findByStartKey(`assignment:${assignment!.id}`))!.id;
            await completeObservationByCards(h.teams, manager, assignment!.id, practitioner.email, findObservationId, date);
            expect((await h.app.deps.repos.assignments.findById(assignment!.id))!.status).toBe('done');
          } else {
            const pressed = await h.teams.press(manager, 'assignment.complete', { assignmentId: assignment!.id });
            expect(JSON.stringify(pressed.body)).toContain('Done: thank you');
          }
          completedBy.set(month, (completedBy.get(month) ?? new Set()).add(manager.email));
        }
      }

      if (month === `${YEAR}-03` && date === calendar.firstWorkingDay(month) && parts.hour === '09') {
        // Instance A's run fails half-way (after five cards); instance B takes it over at the same tick.
        let composed = 0;
        // It dies once, at the sixth card; any later job in the same tick composes normally.
        const faulty = (notice: Notice) => {
          if (++composed === 6) {
            crashes++;
            throw new Error('simulated crash in the middle of a reminder run');
          }
          return h.app.deps.compose(notice);
        };
        const crashing = new Scheduler({ ...h.app.deps.services, compose: faulty }, cycleJobs, { instanceId: 'instance-a', leaseMs: 600_000 });
        const results = await crashing.tick(at);
        expect(results.find((r) => r.job === 'assign-month')?.result).toBe('failed');
        await second.scheduler.tick(at);
      } else if (month === `${YEAR}-05` && date === calendar.midMonthWorkingDay(month) && parts.hour === '09') {
        // An instance claims the nudge run and dies after queuing some of it: the others must wait for its lease.
        await h.app.deps.repos.jobRuns.claim('nudge', month, 'instance-dead', at, 10 * 60_000);
        let composed = 0;
        await expect(
          nudge.run({ ...h.app.deps.services, compose: (notice) => { if (++composed > 2) throw new Error('killed'); return h.app.deps.compose(notice); } }, month),
        ).rejects.toMatchObject({ message: 'killed' });
        crashes++;
        expect((await h.app.scheduler.tick(at)).find((r) => r.job === 'nudge')?.result).toBe('busy-elsewhere');
        await drain(at);
        // The fifteen-minute catch-up sweep after the lease has run out.
        const sweep = new Date(t + 15 * 60_000);
        clock.set(sweep);
        expect((await second.scheduler.tick(sweep)).find((r) => r.job === 'nudge')?.result).toBe('ran');
        await h.app.scheduler.tick(sweep);
        await drain(sweep);
        continue;
      } else {
        await h.app.scheduler.tick(at);
        await second.scheduler.tick(at);
      }
      await drain(at);
    }
  });

  afterAll(async () => {
    await h.close();
  });

  const monthsOf = (kind: Delivered['kind']) => new Set(delivered.filter((d) => d.kind === kind).map((d) => londonParts(d.at).month));

  test('exactly ten active months: assignments in each, none in August or December', async () => {
    expect([...monthsOf('assignment')].sort()).toEqual(['01', '02', '03', '04', '05', '06', '07', '09', '10', '11']);
    const months = new Set<string>();
    for (let m = 1; m <= 12; m++) {
      const month = `${YEAR}-${String(m).padStart(2, '0')}`;
      if ((await h.app.deps.repos.assignments.listForMonth(month)).length > 0) months.add(month);
    }
    expect(months.size).toBe(10);
    expect(months.has(`${YEAR}-08`) || months.has(`${YEAR}-12`)).toBe(false);
  });

  test('each manager gets ten assignment cards, alternating review, observation and thematic', async () => {
    for (const manager of managers) {
      const staff = (await h.app.deps.repos.staff.findByEmail(manager.email))!;
      const cards = delivered.filter((d) => d.kind === 'assignment' && byConversation.get(d.conversationId)?.email === manager.email);
      expect(cards).toHaveLength(10);
      const member = (await h.app.deps.repos.rota.listMembers()).find((m) => m.staffId === staff.id)!;
      const kinds: string[] = [];
      for (const month of ['01', '02', '03', '04', '05', '06', '07', '09', '10', '11']) {
        const assignment = (await h.app.deps.repos.assignments.findFor(staff.id, `${YEAR}-${month}`))!;
        expect(assignment.kind).toBe(kindAt(member.rotationOffset, h.app.deps.calendar.activeMonthIndex(`${YEAR}-${month}`)));
        kinds.push(assignment.kind);
      }
      for (let i = 1; i < kinds.length; i++) expect(kinds[i]).not.toBe(kinds[i - 1]);
      expect(new Set(kinds).size).toBe(3);
    }
  });

  test('no assignment or reminder in August or December; a reflection message instead', () => {
    const paused = delivered.filter((d) => ['08', '12'].includes(londonParts(d.at).month ?? ''));
    expect(paused.filter((d) => ['assignment', 'nudge', 'final'].includes(d.kind))).toEqual([]);
    expect(paused.filter((d) => d.kind === 'reflection')).toHaveLength(managers.length * 2);
    expect(delivered.filter((d) => d.kind === 'other')).toEqual([]);
  });

  test('the QA manager gets each monthly QA report on the first working day after an active month, and each quarterly one after a quarter, once', () => {
    const calendar = h.app.deps.calendar;
    const reports = delivered.filter((d) => d.kind === 'report');
    expect(new Set(reports.map((d) => byConversation.get(d.conversationId)?.email))).toEqual(new Set(trust.filter((p) => p.roles.includes('qa_manager')).map((p) => p.email)));
    const monthly = reports.filter((d) => d.heading.startsWith('Monthly'));
    expect(monthly.map((d) => londonParts(d.at).month)).toEqual(['02', '03', '04', '05', '06', '07', '08', '10', '11', '12']);
    for (const d of [...monthly, ...reports.filter((r) => r.heading.startsWith('Quarterly'))]) expect(calendar.londonDateOf(d.at)).toBe(calendar.firstWorkingDay(calendar.londonDateOf(d.at).slice(0, 7)));
    expect(reports.filter((d) => d.heading.startsWith('Quarterly')).map((d) => d.heading)).toEqual([
      `Quarterly QA report: Q4 ${YEAR - 1} (October to December)`,
      `Quarterly QA report: Q1 ${YEAR} (January to March)`,
      `Quarterly QA report: Q2 ${YEAR} (April to June)`,
      `Quarterly QA report: Q3 ${YEAR} (July to September)`,
    ]);
  });

  test('every message goes out on a working day at 09:xx London time', () => {
    const calendar = h.app.deps.calendar;
    const off = delivered.filter((d) => d.kind !== 'review' && (londonParts(d.at).hour !== '09' || !calendar.isWorkingDay(calendar.londonDateOf(d.at))));
    expect(off.map((d) => `${d.at.toISOString()} ${d.heading}`)).toEqual([]);
  });

  test('nudges, last reminders and escalations only for work not done, escalated to the line manager', async () => {
    const calendar = h.app.deps.calendar;
    for (const month of ['01', '02', '03', '04', '05', '06', '07', '09', '10', '11'].map((m) => `${YEAR}-${m}`)) {
      const done = completedBy.get(month) ?? new Set<string>();
      const notDone = managers.filter((m) => !done.has(m.email));
      const inMonth = (d: Delivered) => calendar.londonDateOf(d.at).startsWith(month);
      const recipients = (kind: Delivered['kind']) => delivered.filter((d) => d.kind === kind && inMonth(d)).map((d) => byConversation.get(d.conversationId)!.email).sort();
      expect(recipients('nudge')).toEqual(notDone.map((m) => m.email).sort());
      expect(recipients('final')).toEqual(notDone.map((m) => m.email).sort());
      const escalations = delivered.filter((d) => d.kind === 'escalation' && calendar.londonDateOf(d.at) === calendar.firstWorkingDay(nextMonthOf(month)));
      const expected = notDone.map((m) => `${m.lineManager ?? trust.find((p) => p.roles.includes('qa_manager'))!.email} <- ${m.name}`).sort();
      expect(escalations.map((d) => `${byConversation.get(d.conversationId)!.email} <- ${d.heading.replace('Overdue QA activity: ', '')}`).sort()).toEqual(expected);
    }
  });

  test('zero duplicates despite a second instance, a failed run and a dead instance', async () => {
    expect(crashes).toBe(2);
    // Retries are allowed (at least once), duplicates are not: reported for the record.
    if (retriedInTransit > 0) console.info(`${retriedInTransit} sends were retried after a transient failure`);
    const keys = delivered.map((d) => `${d.conversationId}|${d.heading}|${d.text.includes('Manager') || d.kind === 'review' ? d.text : ''}`);
    expect(keys.length - new Set(keys).size).toBe(0);
    const counts = await h.app.deps.repos.outbox.countByStatus();
    expect(counts).toMatchObject({ queued: 0, sending: 0, failed: 0, blocked: 0, not_installed: 0 });
    expect(counts.sent).toBe(delivered.length);
    // Every run of the year, a page at a time (the daily and five-minute jobs make more than one page).
    const runs = [];
    for (let offset = 0; ; offset += 500) {
      const page = await h.app.deps.repos.jobRuns.listRecent({ offset, limit: 500 });
      runs.push(...page);
      if (page.length < 500) break;
    }
    expect(runs.filter((run) => run.status !== 'succeeded')).toEqual([]);
    expect(runs.find((run) => run.job === 'assign-month' && run.period === `${YEAR}-03`)).toMatchObject({ instanceId: 'instance-b', attempts: 2 });
    expect(runs.find((run) => run.job === 'nudge' && run.period === `${YEAR}-05`)).toMatchObject({ instanceId: 'instance-b', attempts: 2 });
  });
});

function nextMonthOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

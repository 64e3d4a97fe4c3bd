import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { briefingContext } from '../bot/verbs/briefing-replies';
import { briefingPartKeys, type BriefingParts } from '../services/briefings/briefing';
import { BriefingDeliveryTracker, DELIVERY_CARD_INTERVAL_MS, deliveryFigures } from '../services/briefings/briefing-delivery';
import { decideBriefing, saveDraft, submitForApproval } from '../services/briefings/briefing-drafts';
import { briefingKeys, briefingKinds } from '../services/briefings/briefing-messages';
import { checkSchedule } from '../services/briefings/briefing-schedule';
import { sendOrSchedule } from '../services/briefings/briefing-send';
import type { JobContext } from '../services/cycle-jobs';
import { defaultDeliveryOptions, realSleep, type DeliveryOptions, type DeliveryWorker } from '../services/delivery';
import { DEFAULT_RATE_MARGIN_MS } from '../services/rate-limiter';
import type { StaffMember } from '../services/staff';
import { startHarness, type Harness } from '../tests/support/harness';
import { addRecipient, type Recipient } from '../tests/support/recipients';
import { cardOf } from '../tests/support/teams-client';
import { benchWorker } from './bench-worker';
import { countsEachSecond, percentile, round, type Bench, type BenchResult } from './measure';
import { RemoteConnector } from './remote-connector';

/**
 * A seven-minute briefing broadcast to 5,000 people, as the QA manager sends it: drafted,
 * approved by a second person, then sent now to a service through the real service
 * functions (sendOrSchedule queues a copy each and the delivery card in one transaction).
 * The real delivery worker sends them through the real adapter to the connector stand-in
 * in its own process, which enforces Teams' limits scaled by SCALE, while the briefing
 * delivery tracker (hooked to the worker's onProgress as bot/app.ts hooks it) updates the
 * QA manager's delivery card in place.
 *
 * The figure is the time from the broadcast call to the last copy's outcome over what the
 * scaled app limit allows, n / (50 * SCALE) seconds (goal at most 1.10), with no copy lost
 * or sent twice (counted per person's conversation at the stand-in), and the delivery
 * card's last update saying what the stand-in received.
 *
 * The app's own worker (h.app.delivery) has an unscaled limiter that cannot be changed from
 * outside, so the bench builds one as bot/app.ts does, with a scaled limiter, and hooks the
 * tracker to it the same way.
 */

const PEOPLE = 5000;
/** A broadcast to other people first, untimed: JIT warm-up, first connections, the tracker's queries. */
const WARMUP_PEOPLE = 500;
/**
 * Teams' own limits by default (5,000 copies at 50 a second: 100 s), so that fixed costs
 * such as queueing the copies weigh what they would in Teams; BROADCAST_SCALE=10 runs ten
 * times faster for a quick look, where those costs weigh ten times more.
 */
const SCALE = Number(process.env.BROADCAST_SCALE ?? '1');
/** BROADCAST_COMPARE=1 sends the same broadcast again with no delivery tracker, to show what it costs. */
const COMPARE = process.env.BROADCAST_COMPARE === '1';
const SERVICE = 'Fostering';
const TEAMS = ['Team A', 'Team B', 'Team C', 'Team D', 'Team E'];
const WARMUP_SERVICE = 'Adoption';
const delivery: Partial<DeliveryOptions> = {
  // Production defaults (concurrency, claim size, lock, limiter margin) except:
  pollIntervalMs: 50,
  // Each run starts with a fresh limiter and a fresh enforcer at the stand-in: nothing to wait out.
  startQuietMs: 0,
};

/** The briefing's seven parts: plain words, no names, within the limits. */
const parts = (tag: string): BriefingParts =>
  Object.fromEntries(briefingPartKeys.map((key) => [key, `The ${key} part of the ${tag} briefing: what teams should take from this month's audits and talk about together.`])) as BriefingParts;

/** People with a saved personal chat at the stand-in, in `service`, spread over TEAMS (untimed). */
async function seedPeople(h: Harness, serviceUrl: string, from: number, count: number, service: string, progress: (message: string) => void): Promise<Recipient[]> {
  const { repos } = h.app.deps;
  const out: Recipient[] = [];
  for (let i = from; i < from + count; i++) {
    const person = await addRecipient(repos, serviceUrl, `bench-${i}`);
    const team = TEAMS[i % TEAMS.length]!;
    // addRecipient files everyone in Fostering, Team A.
    if (service !== SERVICE || team !== TEAMS[0]) await repos.staff.update(person.staffId, { service, team }, new Date());
    out.push(person);
    if ((i + 1) % 1000 === 0) progress(`seeded ${i + 1} people`);
  }
  return out;
}

/** Someone outside the audience's services with a personal chat and the given roles. */
async function seedStaff(h: Harness, serviceUrl: string, label: string, roles: string[]): Promise<{ staff: StaffMember; conversationId: string }> {
  const { repos } = h.app.deps;
  const person = await addRecipient(repos, serviceUrl, label);
  await repos.staff.update(person.staffId, { service: 'Quality Assurance', team: 'QA Service', tier: 'qa_service', roles }, new Date());
  return { staff: (await repos.staff.findById(person.staffId))!, conversationId: person.conversationId };
}

/** Drafted by the QA manager and approved by the approver, through the services the cards call. */
async function approvedBriefing(context: JobContext, qa: StaffMember, approver: StaffMember, tag: string): Promise<string> {
  const id = randomUUID();
  const saved = await saveDraft(context, qa, id, null, { title: `Seven-minute briefing: ${tag}`, parts: parts(tag) }, '');
  if (!saved.saved) throw new Error(`The ${tag} draft was not saved: ${saved.note} ${JSON.stringify('problems' in saved ? saved.problems : {})}`);
  const submitted = await submitForApproval(context, qa, id, approver.id);
  if (!('submitted' in submitted) || !submitted.submitted) throw new Error(`The ${tag} briefing did not go for approval: ${submitted.note}`);
  const decided = await decideBriefing(context, approver, id, 'approve', '');
  if (decided.briefing.status !== 'approved') throw new Error(`The ${tag} briefing was not approved: ${decided.note}`);
  return id;
}

/** What the audience card sends for "send now to this service, no reminder"; checked as the card's verb checks it. */
async function sendNow(context: JobContext, qa: StaffMember, briefingId: string, service: string): Promise<{ people: number; note: string }> {
  const check = await checkSchedule(context, { channels: '', groups: '', services: service, teams: '', emails: '', when: 'now', sendDate: '', sendTime: '', reminderDays: '0' });
  if (!check.ok) throw new Error(`The audience was refused: ${JSON.stringify(check.problems)}`);
  const outcome = await sendOrSchedule(context, qa, briefingId, check);
  if (outcome.briefing.status !== 'sent') throw new Error(`The briefing did not go: ${outcome.note}`);
  return { people: check.people, note: outcome.note };
}

interface Run {
  /** performance.now() just before the broadcast call, and when it returned. */
  pressedAt: number;
  queuedAt: number;
  /** When the last copy's outcome was recorded. */
  lastOutcomeAt: number;
  /** When the card update with every copy finished had been sent. */
  finalCardAt: number;
  stats: DeliveryWorker['stats'];
  note: string;
}

/**
 * A fresh worker and limiter (as bot/app.ts builds them, the limiter scaled), with the
 * tracker on its onProgress; broadcasts the briefing, waits for every copy and then for
 * the delivery card's final update, and stops the worker.
 */
/** What follows the worker's progress: the briefing delivery tracker. */
type Follower = Pick<BriefingDeliveryTracker, 'onProgress' | 'settled'>;

async function broadcastAndDeliver(h: Harness, context: JobContext, tracker: Follower | undefined, qa: StaffMember, briefingId: string, service: string, count: number, progress: (message: string) => void): Promise<Run> {
  let finished = 0;
  let lastOutcomeAt = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const worker = benchWorker(h, SCALE, delivery, (event) => {
    // As bot/app.ts: every event to the tracker. Then the bench's own count of copies.
    tracker?.onProgress(event);
    if (event.kind !== briefingKinds.copy || event.outcome === 'retried' || event.outcome === 'deferred') return;
    finished++;
    lastOutcomeAt = performance.now();
    if (finished % 1000 === 0) progress(`${finished} copies delivered`);
    if (finished === count) resolveDone();
  });
  worker.start();
  const pressedAt = performance.now();
  const { people, note } = await sendNow(context, qa, briefingId, service);
  const queuedAt = performance.now();
  if (people !== count) throw new Error(`The audience was ${people} people, not ${count}.`);
  // Three times what the limit allows: a stuck run ends and reports, rather than hanging.
  const timeout = setTimeout(resolveDone, Math.max(30_000, (3 * count * 1000) / (50 * SCALE)));
  await done;
  clearTimeout(timeout);
  // The tracker updates the card at most every ~2 s, and always once after the last copy:
  // wait for that look and for every update it queued to have gone.
  const deadline = performance.now() + 30_000;
  const updatesPending = async (): Promise<boolean> => {
    const counts = await h.app.deps.repos.outbox.countByStatusWithPrefix(briefingKeys.deliveryUpdatePrefix(briefingId));
    return counts.queued + counts.sending > 0;
  };
  if (tracker !== undefined) {
    await tracker.settled();
    while ((await updatesPending()) && performance.now() < deadline) await realSleep(20);
  }
  const finalCardAt = performance.now();
  await worker.stop();
  return { pressedAt, queuedAt, lastOutcomeAt, finalCardAt, stats: worker.stats, note };
}

/** The card's facts, by title. */
function factsOf(card: Record<string, unknown> | undefined): Record<string, string> {
  const body = (card?.body ?? []) as { type?: string; facts?: { title: string; value: string }[] }[];
  return Object.fromEntries((body.find((item) => item.type === 'FactSet')?.facts ?? []).map((fact) => [fact.title, fact.value]));
}

export const broadcastBench: Bench = {
  name: 'broadcast',
  async run(progress): Promise<BenchResult> {
    const connector = await RemoteConnector.start(SCALE);
    const h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
    try {
      const { deps } = h.app;
      const { repos } = deps;
      const context = briefingContext(deps);
      // One tracker for the process, as bot/app.ts makes it.
      const tracker = new BriefingDeliveryTracker(context, deps.logger.child({ component: 'briefing-delivery' }));
      const qa = await seedStaff(h, connector.url, 'bench-qa-manager', ['qa_manager']);
      const approver = await seedStaff(h, connector.url, 'bench-approver', ['approver']);
      await seedPeople(h, connector.url, 0, WARMUP_PEOPLE, WARMUP_SERVICE, progress);
      const people = await seedPeople(h, connector.url, WARMUP_PEOPLE, PEOPLE, SERVICE, progress);
      const warmupId = await approvedBriefing(context, qa.staff, approver.staff, 'warm-up');
      const briefingId = await approvedBriefing(context, qa.staff, approver.staff, 'bench');
      const untrackedId = await approvedBriefing(context, qa.staff, approver.staff, 'untracked');

      // Also delivers the approval and "approved" messages of both briefings.
      progress(`warming up: a briefing to ${WARMUP_PEOPLE} other people, untimed`);
      await broadcastAndDeliver(h, context, tracker, qa.staff, warmupId, WARMUP_SERVICE, WARMUP_PEOPLE, () => undefined);
      // Let the warm-up's sends leave every short window, then count afresh.
      await realSleep(2500);
      await connector.reset();

      progress(`broadcasting to ${PEOPLE} people, limits scaled x${SCALE} (${50 * SCALE} a second for the app)`);
      const run = await broadcastAndDeliver(h, context, tracker, qa.staff, briefingId, SERVICE, PEOPLE, progress);
      const elapsedMs = run.lastOutcomeAt - run.pressedAt;
      const queueMs = run.queuedAt - run.pressedAt;

      const card = await repos.outbox.findByDedupeKey(briefingKeys.delivery(briefingId));
      const report = await connector.report(card?.activityId ?? undefined);
      const sends = new Map(report.sendsByConversation);
      const lost = people.filter((person) => !sends.has(person.conversationId)).length;
      const duplicates = people.filter((person) => (sends.get(person.conversationId) ?? 0) > 1).length;
      const copiesReceived = people.reduce((sum, person) => sum + (sends.get(person.conversationId) ?? 0), 0);
      const cardPosts = sends.get(qa.conversationId) ?? 0;
      const counted = await repos.outbox.countByStatusWithPrefix(briefingKeys.copyPrefix(briefingId));
      const stored = await deliveryFigures(repos, briefingId);
      // The figures as the last PUT'd card says them (its FactSet), not as the database has them now.
      const facts = factsOf(cardOf(report.updates.last));
      const shown = { delivered: facts.Delivered ?? '?', failed: facts.Failed ?? '?', notInstalled: facts['Not installed'] ?? '?', queued: facts.Queued ?? '?' };
      const cardMatches = shown.delivered === String(copiesReceived) && shown.failed === '0' && shown.notInstalled === '0' && shown.queued === '0';
      const idealMs = (PEOPLE / (50 * SCALE)) * 1000;
      const ratio = elapsedMs / idealMs;
      const deliveryRatio = (run.lastOutcomeAt - run.queuedAt) / idealMs;
      const { rates, fullSeconds } = countsEachSecond(report.sendTimes);

      // The same broadcast to the same people with nothing on the worker's onProgress: what the tracker costs.
      let bareRatio = Number.NaN;
      let bareMissed = 0;
      if (COMPARE) {
        await realSleep(2500);
        await connector.reset();
        progress(`again with no delivery tracker on the worker, for comparison`);
        const bare = await broadcastAndDeliver(h, context, undefined, qa.staff, untrackedId, SERVICE, PEOPLE, () => undefined);
        bareRatio = (bare.lastOutcomeAt - bare.pressedAt) / idealMs;
        const bareSends = new Map((await connector.report()).sendsByConversation);
        bareMissed = people.filter((person) => bareSends.get(person.conversationId) !== 1).length;
      }

      const figures = {
        people: PEOPLE,
        scale: SCALE,
        appLimitPerSecond: 50 * SCALE,
        idealSeconds: round(idealMs / 1000, 2),
        elapsedSeconds: round(elapsedMs / 1000, 2),
        ratio: round(ratio, 3),
        goalRatio: 1.1,
        queueSeconds: round(queueMs / 1000, 3),
        ratioFromQueued: round(deliveryRatio, 3),
        ratioWithoutTracker: COMPARE ? round(bareRatio, 3) : null,
        lostOrDuplicatedWithoutTracker: bareMissed,
        lost,
        duplicates,
        throttledByStandIn: report.throttled,
        outboxCopies: counted,
        copiesReceived,
        deliveryCardPosts: cardPosts,
        deliveryCardShown: shown,
        deliveryCardStored: { sent: stored.sent, failed: stored.failed, notInstalled: stored.notInstalled, queued: stored.queued },
        deliveryCardMatches: cardMatches,
        deliveryCardUpdates: report.updates.count,
        finalCardAfterLastCopySeconds: round((run.finalCardAt - run.lastOutcomeAt) / 1000, 2),
        worker: run.stats,
        sendsPerSecondMedian: round(percentile(fullSeconds, 50), 0),
        sendsPerSecondMax: Math.max(...rates),
        sendsEachSecond: rates,
        concurrency: defaultDeliveryOptions.concurrency,
        batchSize: defaultDeliveryOptions.batchSize,
        limiterMarginMs: DEFAULT_RATE_MARGIN_MS,
        cardIntervalMs: DELIVERY_CARD_INTERVAL_MS,
        warmupPeople: WARMUP_PEOPLE,
      };
      const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
      return {
        name: 'broadcast',
        title: `broadcast: a seven-minute briefing to ${PEOPLE} people, ${SCALE === 1 ? "at Teams' own limits" : `Teams limits scaled x${SCALE}`}, with the delivery card updated in place`,
        table: [
          ['measure', 'value', 'goal', ''],
          ['elapsed / (n / (50 x scale))', ratio.toFixed(3), '<= 1.10', verdict(ratio <= 1.1)],
          ['elapsed s (broadcast call to last copy)', (elapsedMs / 1000).toFixed(2), `${(idealMs / 1000).toFixed(2)} allowed`, ''],
          ['queueing the copies (the broadcast call) s', (queueMs / 1000).toFixed(3), '', ''],
          ['lost copies', String(lost), '0', verdict(lost === 0)],
          ['duplicate copies', String(duplicates), '0', verdict(duplicates === 0)],
          ['429s from the stand-in', String(report.throttled), '0', verdict(report.throttled === 0)],
          ['outbox sent', String(counted.sent), String(PEOPLE), verdict(counted.sent === PEOPLE)],
          [
            'delivery card: sent / failed / not installed / queued',
            `${shown.delivered} / ${shown.failed} / ${shown.notInstalled} / ${shown.queued}`,
            `${copiesReceived} / 0 / 0 / 0 (stand-in)`,
            verdict(cardMatches),
          ],
          ['delivery card updates (PUTs)', String(report.updates.count), '>= 1', verdict(report.updates.count >= 1)],
          ['final card update after last copy s', ((run.finalCardAt - run.lastOutcomeAt) / 1000).toFixed(2), '', ''],
          ['sends a second (median, max)', `${figures.sendsPerSecondMedian}, ${figures.sendsPerSecondMax}`, `<= ${50 * SCALE}`, ''],
          ...(COMPARE ? [['same broadcast, no tracker: elapsed / allowed', bareRatio.toFixed(3), '(comparison)', bareMissed === 0 ? '' : `${bareMissed} lost or twice`]] : []),
        ],
        notes: [
          `Worker with production defaults: concurrency ${defaultDeliveryOptions.concurrency}, claims of up to ${defaultDeliveryOptions.batchSize}, limiter margin ${DEFAULT_RATE_MARGIN_MS} ms per window; the briefing delivery tracker on its onProgress as in bot/app.ts (card updates at most every ${DELIVERY_CARD_INTERVAL_MS} ms, and once at the end).`,
          `Elapsed runs from the broadcast call (sendOrSchedule: audience resolved, ${PEOPLE} recipient rows and copies queued in one transaction) to the last copy's outcome; the worker was already running. From queued to last copy alone: ${deliveryRatio.toFixed(3)}.`,
          "The delivery card's figures are read from the FactSet of the last PUT of its activity at the stand-in, and compared with the copies the stand-in received for the 5,000 people.",
          `A briefing to ${WARMUP_PEOPLE} other people went first, untimed; the timed run starts with a fresh limiter and a fresh enforcer. The stand-in runs in its own process.`,
        ],
        figures,
      };
    } finally {
      await h.close();
      await connector.stop();
    }
  },
};

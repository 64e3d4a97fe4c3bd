import { performance } from 'node:perf_hooks';
import { defaultDeliveryOptions, realSleep, type DeliveryOptions, type DeliveryStats } from '../services/delivery';
import { DEFAULT_RATE_MARGIN_MS } from '../services/rate-limiter';
import { startHarness, type Harness } from '../tests/support/harness';
import { addRecipient, type Recipient } from '../tests/support/recipients';
import { benchWorker } from './bench-worker';
import { countsEachSecond, percentile, round, type Bench, type BenchResult } from './measure';
import { RemoteConnector } from './remote-connector';

/**
 * One reminder each to 5,000 people through the outbox, the delivery worker, the real
 * adapter and the connector stand-in, which enforces Teams' limits (50 requests a second
 * per app; 7/1 s, 8/2 s, 60/30 s, 1800/h per conversation), all scaled by SCALE so the run
 * is short. The figure is elapsed time over what the scaled app limit allows,
 * n / (50 * SCALE) seconds; goal at most 1.10, with no message lost or sent twice.
 *
 * The stand-in runs in a child process (bench/remote-connector.ts): Teams does not share
 * the bot's event loop, and in-process its work would be charged to the worker.
 */

const PEOPLE = 5000;
/** Delivered first, untimed, so that the timed run does not pay for JIT warm-up and first connections. */
const WARMUP_PEOPLE = 500;
const SCALE = 10;
const delivery: Partial<DeliveryOptions> = {
  // Production defaults (concurrency, claim size, lock, limiter margin) except:
  pollIntervalMs: 50,
  // Each run starts with a fresh limiter and a fresh enforcer at the stand-in: nothing to wait out.
  startQuietMs: 0,
};

type Seeded = Recipient;

/** People with a saved personal chat at the stand-in (untimed). */
async function seedPeople(h: Harness, serviceUrl: string, from: number, count: number, progress: (message: string) => void): Promise<Seeded[]> {
  const out: Seeded[] = [];
  for (let i = from; i < from + count; i++) {
    out.push(await addRecipient(h.app.deps.repos, serviceUrl, `bench-${i}`));
    if ((i + 1) % 1000 === 0) progress(`seeded ${i + 1} people`);
  }
  return out;
}

async function enqueueReminders(h: Harness, people: readonly Seeded[], tag: string): Promise<string[]> {
  const keys: string[] = [];
  for (const person of people) {
    const dedupeKey = `reminder:${tag}:${person.staffId}`;
    await h.app.deps.repos.outbox.enqueue(
      { dedupeKey, kind: 'reminder', conversationId: null, staffId: person.staffId, payload: { type: 'message', text: `Your QA audit is due [${dedupeKey}]` } },
      new Date(),
    );
    keys.push(dedupeKey);
  }
  return keys;
}

/** Delivers everything queued with a fresh limiter and worker; says when it started and when the last message ended. */
async function deliverAll(h: Harness, count: number, progress: (message: string) => void): Promise<{ started: number; lastOutcomeAt: number; stats: DeliveryStats }> {
  let finished = 0;
  let lastOutcomeAt = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const worker = benchWorker(h, SCALE, delivery, (event) => {
    if (event.outcome === 'retried' || event.outcome === 'deferred') return;
    finished++;
    lastOutcomeAt = performance.now();
    if (finished % 1000 === 0) progress(`${finished} delivered`);
    if (finished === count) resolveDone();
  });
  const started = performance.now();
  worker.start();
  const timeout = setTimeout(resolveDone, 120_000);
  await done;
  clearTimeout(timeout);
  await worker.stop();
  return { started, lastOutcomeAt, stats: worker.stats };
}

export const deliveryBench: Bench = {
  name: 'delivery',
  async run(progress): Promise<BenchResult> {
    const connector = await RemoteConnector.start(SCALE);
    const h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
    try {
      const warmupPeople = await seedPeople(h, connector.url, 0, WARMUP_PEOPLE, progress);
      const people = await seedPeople(h, connector.url, WARMUP_PEOPLE, PEOPLE, progress);
      const { repos } = h.app.deps;

      progress(`warming up: ${WARMUP_PEOPLE} reminders, untimed`);
      await enqueueReminders(h, warmupPeople, 'warmup');
      await deliverAll(h, WARMUP_PEOPLE, () => undefined);
      const keys = await enqueueReminders(h, people, 'bench');
      // Let the warm-up's sends leave every short window, then count afresh.
      await realSleep(2500);
      await connector.reset();
      const warmupSent = (await repos.outbox.countByStatus()).sent;

      progress(`delivering ${PEOPLE} reminders, limits scaled x${SCALE} (${50 * SCALE} a second for the app)`);
      const { started, lastOutcomeAt, stats } = await deliverAll(h, PEOPLE, progress);
      const elapsedMs = lastOutcomeAt - started;

      const report = await connector.report();
      const arrivals = new Map(report.arrivals);
      const lost = keys.filter((key) => !arrivals.has(key)).length;
      const duplicates = keys.filter((key) => (arrivals.get(key) ?? 0) > 1).length;
      const counted = await repos.outbox.countByStatus();
      const statuses = { ...counted, sent: counted.sent - warmupSent };
      const idealMs = (PEOPLE / (50 * SCALE)) * 1000;
      const ratio = elapsedMs / idealMs;
      // Sends arriving at the stand-in in each second of the run.
      const { rates, fullSeconds } = countsEachSecond(report.sendTimes);

      const figures = {
        people: PEOPLE,
        scale: SCALE,
        appLimitPerSecond: 50 * SCALE,
        idealSeconds: round(idealMs / 1000, 2),
        elapsedSeconds: round(elapsedMs / 1000, 2),
        ratio: round(ratio, 3),
        goalRatio: 1.1,
        lost,
        duplicates,
        throttledByStandIn: report.throttled,
        outbox: statuses,
        worker: stats,
        sendsPerSecondMedian: round(percentile(fullSeconds, 50), 0),
        sendsPerSecondMax: Math.max(...rates),
        sendsEachSecond: rates,
        concurrency: defaultDeliveryOptions.concurrency,
        batchSize: defaultDeliveryOptions.batchSize,
        limiterMarginMs: DEFAULT_RATE_MARGIN_MS,
        warmupPeople: WARMUP_PEOPLE,
      };
      const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
      return {
        name: 'delivery',
        title: `delivery: one reminder each to ${PEOPLE} people, Teams limits scaled x${SCALE}, through the adapter to the rate-enforcing stand-in`,
        table: [
          ['measure', 'value', 'goal', ''],
          ['elapsed / (n / (50 x scale))', ratio.toFixed(3), '<= 1.10', verdict(ratio <= 1.1)],
          ['elapsed s', (elapsedMs / 1000).toFixed(2), `${(idealMs / 1000).toFixed(2)} allowed`, ''],
          ['lost messages', String(lost), '0', verdict(lost === 0)],
          ['duplicate messages', String(duplicates), '0', verdict(duplicates === 0)],
          ['429s from the stand-in', String(report.throttled), '0', verdict(report.throttled === 0)],
          ['outbox sent', String(statuses.sent), String(PEOPLE), verdict(statuses.sent === PEOPLE)],
          ['sends a second (median, max)', `${figures.sendsPerSecondMedian}, ${figures.sendsPerSecondMax}`, `<= ${50 * SCALE}`, ''],
        ],
        notes: [
          `Worker with production defaults: concurrency ${defaultDeliveryOptions.concurrency}, claims of up to ${defaultDeliveryOptions.batchSize}, limiter margin ${DEFAULT_RATE_MARGIN_MS} ms per window, each slot counted from when its send finished.`,
          `${WARMUP_PEOPLE} reminders to other people went first, untimed (JIT warm-up, first connections); the timed run starts with a fresh limiter and a fresh enforcer.`,
          'In production start() first waits 2.1 s (sends of a process that just stopped are invisible to a new limiter); that is off here, as each run starts with the enforcer empty.',
          'The stand-in runs in its own process; bot, SQLite (in memory) and worker share one.',
        ],
        figures,
      };
    } finally {
      await h.close();
      await connector.stop();
    }
  },
};

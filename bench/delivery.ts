import { performance } from 'node:perf_hooks';
import { createAdapter } from '../bot/adapter';
import { ProactiveSender } from '../bot/proactive-sender';
import { systemClock } from '../services/clock';
import { DeliveryWorker, realSleep, type DeliveryOptions } from '../services/delivery';
import { RateLimiter } from '../services/rate-limiter';
import { startHarness, type Harness } from '../tests/support/harness';
import { BOT, TENANT_ID } from '../tests/support/teams-client';
import { percentile, round, type Bench, type BenchResult } from './measure';

/**
 * One reminder each to 5,000 people through the outbox, the delivery worker, the real
 * adapter and the connector stand-in, which enforces Teams' limits (50 requests a second
 * per app; 7/1 s, 8/2 s, 60/30 s, 1800/h per conversation), all scaled by SCALE so the run
 * is short. The figure is elapsed time over what the scaled app limit allows,
 * n / (50 * SCALE) seconds; goal at most 1.10, with no message lost or sent twice.
 */

const PEOPLE = 5000;
const SCALE = 10;
const delivery: Partial<DeliveryOptions> = {
  concurrency: 32,
  batchSize: 100,
  pollIntervalMs: 50,
  // The stand-in has seen no traffic before the run, so there is nothing to wait out.
  startQuietMs: 0,
};

async function seed(h: Harness, progress: (message: string) => void): Promise<string[]> {
  const { repos } = h.app.deps;
  const now = new Date();
  const keys: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const staff = await repos.staff.insert({ email: `bench${i}@example.org`, name: `Person ${i}`, tier: 'practitioner', service: 'Fostering', team: 'Team A', roles: [] }, now);
    const conversationId = `a:personal-bench-${i}`;
    await repos.conversations.save(
      {
        conversationId,
        scope: 'personal',
        tenantId: TENANT_ID,
        aadObjectId: null,
        staffId: staff.id,
        teamId: null,
        channelId: null,
        serviceUrl: h.connector.url,
        reference: {
          channelId: 'msteams',
          serviceUrl: h.connector.url,
          conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
          bot: BOT,
          user: { id: `29:bench-${i}` },
        },
      },
      now,
    );
    const dedupeKey = `reminder:bench:${staff.id}`;
    await repos.outbox.enqueue(
      { dedupeKey, kind: 'reminder', conversationId: null, staffId: staff.id, payload: { type: 'message', text: `Your QA audit is due [${dedupeKey}]` } },
      now,
    );
    keys.push(dedupeKey);
    if ((i + 1) % 1000 === 0) progress(`seeded ${i + 1} people`);
  }
  return keys;
}

export const deliveryBench: Bench = {
  name: 'delivery',
  async run(progress): Promise<BenchResult> {
    const h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
    try {
      const keys = await seed(h, progress);
      const { config, logger, repos } = h.app.deps;
      h.connector.enforceTeamsLimits({ scale: SCALE });
      const limiter = new RateLimiter({ scale: SCALE });
      const sender = new ProactiveSender({ adapter: createAdapter(config, logger), appId: config.microsoftAppId, conversations: repos.conversations });
      let finished = 0;
      let lastOutcomeAt = 0;
      let resolveDone: () => void = () => undefined;
      const done = new Promise<void>((resolve) => (resolveDone = resolve));
      const worker = new DeliveryWorker({
        outbox: repos.outbox,
        sender,
        limiter,
        clock: systemClock,
        logger,
        sleep: realSleep,
        onUnreachable: (conversationId) => repos.conversations.markUninstalled(conversationId, new Date()),
        onProgress: (event) => {
          if (event.outcome === 'retried' || event.outcome === 'deferred') return;
          finished++;
          lastOutcomeAt = performance.now();
          if (finished % 1000 === 0) progress(`${finished} delivered`);
          if (finished === PEOPLE) resolveDone();
        },
        options: delivery,
      });

      progress(`delivering ${PEOPLE} reminders, limits scaled x${SCALE} (${50 * SCALE} a second for the app)`);
      const started = performance.now();
      worker.start();
      const timeout = setTimeout(resolveDone, 120_000);
      await done;
      clearTimeout(timeout);
      const elapsedMs = lastOutcomeAt - started;
      await worker.stop();

      // What reached the stand-in, per dedupe key.
      const arrivals = new Map<string, number>();
      const sendTimes: number[] = [];
      for (const call of h.connector.calls) {
        if (call.kind !== 'send') continue;
        sendTimes.push(call.at);
        const key = /\[(.+)\]/.exec(String(call.activity?.text ?? ''))?.[1];
        if (key !== undefined) arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
      }
      const lost = keys.filter((key) => !arrivals.has(key)).length;
      const duplicates = keys.filter((key) => (arrivals.get(key) ?? 0) > 1).length;
      const statuses = await repos.outbox.countByStatus();
      const idealMs = (PEOPLE / (50 * SCALE)) * 1000;
      const ratio = elapsedMs / idealMs;
      // Sends per second of the run, second by second (after the first).
      const first = Math.min(...sendTimes);
      const perSecond = new Map<number, number>();
      for (const at of sendTimes) perSecond.set(Math.floor((at - first) / 1000), (perSecond.get(Math.floor((at - first) / 1000)) ?? 0) + 1);
      const rates = [...perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, count]) => count);
      const fullSeconds = rates.slice(0, -1).sort((a, b) => a - b);

      const stats = worker.stats;
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
        throttledByStandIn: h.connector.throttled.length,
        outbox: statuses,
        worker: stats,
        sendsPerSecondMedian: round(percentile(fullSeconds, 50), 0),
        sendsPerSecondMax: Math.max(...rates),
        concurrency: delivery.concurrency,
        batchSize: delivery.batchSize,
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
          ['429s from the stand-in', String(h.connector.throttled.length), '0', verdict(h.connector.throttled.length === 0)],
          ['outbox sent', String(statuses.sent), String(PEOPLE), verdict(statuses.sent === PEOPLE)],
          ['sends a second (median, max)', `${figures.sendsPerSecondMedian}, ${figures.sendsPerSecondMax}`, `<= ${50 * SCALE}`, ''],
        ],
        notes: [
          `Worker: concurrency ${delivery.concurrency}, claims of up to ${delivery.batchSize}, limiter margin 100 ms per window, each slot counted from when its send finished.`,
          'The limiter lets a full window go at once, then waits for it to pass, so a run can beat n / rate slightly: the last window is not waited out.',
          'In production start() first waits 2.1 s (sends of a process that just stopped are invisible to a new limiter); that is off here, as the stand-in starts empty.',
          'Bot, SQLite (in memory), stand-in and worker share one Node process and event loop.',
        ],
        figures,
      };
    } finally {
      await h.close();
    }
  },
};

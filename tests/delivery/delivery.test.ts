import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdapter } from '../../bot/adapter';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories, type Repositories } from '../../db/repositories';
import { describeFailure, parseRetryAfter, ProactiveSender, resultForFailure } from '../../bot/proactive-sender';
import { systemClock } from '../../services/clock';
import { createLogger } from '../../services/logger';
import { DeliveryWorker, realSleep, type DeliveryEvent, type DeliveryOptions, type Sender, type SendResult } from '../../services/delivery';
import type { OutboxMessage } from '../../services/outbox';
import type { OutboxStatus } from '../../services/outbox';
import { RateLimiter } from '../../services/rate-limiter';
import { BLOCKED_BY_USER_BODY, type ConnectorStandIn } from '../support/connector-stand-in';
import { addRecipient, type Recipient } from '../support/recipients';
import { startHarness, type Harness } from '../support/harness';
import { BOT, people, personalChat } from '../support/teams-client';

/**
 * The delivery worker with the real bot around it: real SQLite, the real adapter and its
 * connector client, and the connector stand-in over HTTP, enforcing Teams' limits where a
 * test asks it to. Every message's text carries its dedupe key, so the stand-in's records
 * show how often each one really arrived.
 */

/** Fast retries for tests: backoff in tens of ms, a short poll, no quiet start (each test's stand-in starts with no traffic). */
const fast: Partial<DeliveryOptions> = { pollIntervalMs: 20, backoffBaseMs: 20, backoffCapMs: 200, concurrency: 16, batchSize: 40, startQuietMs: 0 };

interface Rig {
  worker: DeliveryWorker;
  limiter: RateLimiter;
}

/** A worker on this bot instance, sending through an adapter built exactly as the bot builds its own. */
function workerFor(
  h: Harness,
  options: { limiter?: RateLimiter; scale?: number; delivery?: Partial<DeliveryOptions>; onProgress?: (event: DeliveryEvent) => void } = {},
): Rig {
  const { config, logger, repos } = h.app.deps;
  const limiter = options.limiter ?? new RateLimiter({ scale: options.scale ?? 1 });
  const sender = new ProactiveSender({ adapter: createAdapter(config, logger), appId: config.microsoftAppId, conversations: repos.conversations, timeoutMs: 5000 });
  const worker = new DeliveryWorker({
    outbox: repos.outbox,
    sender,
    limiter,
    clock: systemClock,
    logger,
    sleep: realSleep,
    onUnreachable: async (conversationId) => void (await repos.conversations.markUninstalled(conversationId, systemClock.now())),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    options: { ...fast, sendTimeoutMs: 5000, ...options.delivery },
  });
  return { worker, limiter };
}

let serial = 0;

/** People on the rota with a saved personal chat whose service URL is the stand-in's. */
async function addRecipients(h: Harness, count: number, connector: ConnectorStandIn = h.connector): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (let i = 0; i < count; i++) out.push(await addRecipient(h.app.deps.repos, connector.url, `test-${++serial}`));
  return out;
}

/**
 * The worker kept to Teams' pace. On a loaded machine requests taken in order can still
 * arrive bunched, so the enforcer may answer the odd 429 (which the worker retries: the
 * each-once checks still hold); more than one in a hundred means the pace was wrong.
 */
function expectPaceKept(connector: ConnectorStandIn): void {
  const sends = connector.calls.filter((call) => call.kind === 'send').length;
  expect(connector.throttled.length).toBeLessThanOrEqual(Math.max(1, Math.floor(sends / 100)));
}

const keyOf = (recipient: Recipient, tag: string): string => `${tag}:${recipient.staffId}`;

async function enqueueReminders(h: Harness, recipients: readonly Recipient[], tag: string): Promise<string[]> {
  const keys: string[] = [];
  for (const recipient of recipients) {
    const dedupeKey = keyOf(recipient, tag);
    await h.app.deps.repos.outbox.enqueue(
      { dedupeKey, kind: 'reminder', conversationId: null, staffId: recipient.staffId, payload: { type: 'message', text: `Reminder [${dedupeKey}]` } },
      new Date(),
    );
    keys.push(dedupeKey);
  }
  return keys;
}

/** How many times each dedupe key arrived at the stand-in as a successful proactive send. */
function arrivals(connector: ConnectorStandIn): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of connector.calls) {
    if (call.kind !== 'send') continue;
    const key = /\[(.+)\]/.exec(String(call.activity?.text ?? ''))?.[1];
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function expectEachOnce(connector: ConnectorStandIn, keys: readonly string[]): void {
  const counts = arrivals(connector);
  const wrong = keys.filter((key) => counts.get(key) !== 1).map((key) => `${key}: ${counts.get(key) ?? 0}`);
  expect(wrong).toEqual([]);
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await realSleep(20);
  }
}

async function counts(h: Harness): Promise<Record<OutboxStatus, number>> {
  return h.app.deps.repos.outbox.countByStatus();
}

const settled = async (h: Harness): Promise<boolean> => {
  const c = await counts(h);
  return c.queued === 0 && c.sending === 0;
};

describe('delivery worker through the real adapter', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  test('reminders reach people who installed the app, once each, as new messages in their personal chat', async () => {
    const { repos } = h.app.deps;
    for (const person of [people.alex, people.megan, people.adele]) {
      await repos.staff.insert({ email: person.email, name: person.name, tier: 'team_manager', service: 'Fostering', team: 'Team A', roles: ['manager'] }, new Date());
    }
    await h.teams.install(people.alex);
    await h.teams.install(people.megan);
    // Adele is on the rota but has not installed the app.
    const staff = await Promise.all([people.alex, people.megan, people.adele].map((p) => repos.staff.findByEmail(p.email)));
    const [alex, megan, adele] = staff.map((s) => {
      if (s === undefined) throw new Error('staff missing');
      return s;
    }) as [NonNullable<(typeof staff)[number]>, NonNullable<(typeof staff)[number]>, NonNullable<(typeof staff)[number]>];
    expect((await repos.conversations.findPersonalForStaff(alex.id))?.conversationId).toBe(personalChat(people.alex).conversationId);
    h.connector.clear();
    h.connector.enforceTeamsLimits();

    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Your audit is due' }] } };
    for (const [person, key] of [
      [alex, 'r:alex'],
      [megan, 'r:megan'],
      [adele, 'r:adele'],
    ] as const) {
      await repos.outbox.enqueue({ dedupeKey: key, kind: 'reminder', conversationId: null, staffId: person.id, payload: { type: 'message', text: `Reminder [${key}]`, attachments: [card] } }, new Date());
    }
    // By conversation id as well: the same chat, addressed directly.
    await repos.outbox.enqueue(
      { dedupeKey: 'r:alex-direct', kind: 'note', conversationId: personalChat(people.alex).conversationId, staffId: null, payload: { text: 'Note [r:alex-direct]' } },
      new Date(),
    );

    const { worker } = workerFor(h);
    const stats = await worker.drainOnce(new Date());
    expect(stats).toMatchObject({ claimed: 4, sent: 3, notInstalled: 1, retried: 0, failed: 0 });

    expectEachOnce(h.connector, ['r:alex', 'r:megan', 'r:alex-direct']);
    const sends = h.connector.calls.filter((call) => call.kind === 'send');
    expect(sends.map((call) => call.conversationId).sort()).toEqual(
      [personalChat(people.alex).conversationId, personalChat(people.alex).conversationId, personalChat(people.megan).conversationId].sort(),
    );
    // Proactive: POST .../activities (a new message), never a reply to some activity.
    expect(h.connector.calls.filter((call) => call.kind === 'reply')).toHaveLength(0);
    const toAlex = sends.find((call) => String(call.activity?.text).includes('[r:alex]'))?.activity;
    expect(toAlex).toMatchObject({ type: 'message', from: { id: BOT.id }, conversation: { id: personalChat(people.alex).conversationId }, attachments: [card] });
    expect(h.connector.throttled).toHaveLength(0);

    const row = await repos.outbox.findByDedupeKey('r:alex');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(row?.activityId).toMatch(/^\d{13}$/);
    expect(await repos.outbox.findByDedupeKey('r:adele')).toMatchObject({ status: 'not_installed' });
  });

  test('429 (Retry-After honoured), 412 and 5xx are retried until delivered once; one request per attempt; 403 blocked stops and uninstalls', async () => {
    const { repos } = h.app.deps;
    const recipients = await addRecipients(h, 30);
    const keys = await enqueueReminders(h, recipients, 'faults');
    const [throttled, flaky, s500, s502, s504, s412, blocked, refused, hopeless, subBlocked, removed] = recipients as [
      Recipient, Recipient, Recipient, Recipient, Recipient, Recipient, Recipient, Recipient, Recipient, Recipient, Recipient,
    ];
    const c = h.connector;
    c.enforceTeamsLimits();
    c.scriptFault({ conversationId: throttled.conversationId, attempts: [1], status: 429, retryAfterSeconds: 1 });
    c.scriptFault({ conversationId: flaky.conversationId, attempts: [1, 2], status: 503 });
    c.scriptFault({ conversationId: s500.conversationId, attempts: [1], status: 500 });
    c.scriptFault({ conversationId: s502.conversationId, attempts: [1], status: 502 });
    c.scriptFault({ conversationId: s504.conversationId, attempts: [1, 2, 3], status: 504 });
    c.scriptFault({ conversationId: s412.conversationId, attempts: [1], status: 412 });
    c.scriptFault({ conversationId: blocked.conversationId, attempts: [1, 2, 3], status: 403, body: BLOCKED_BY_USER_BODY });
    c.scriptFault({ conversationId: refused.conversationId, attempts: [1, 2, 3], status: 400, body: { error: { code: 'BadArgument', message: 'Bad activity' } } });
    c.scriptFault({ conversationId: hopeless.conversationId, attempts: [1, 2, 3, 4, 5, 6], status: 503 });
    // The documented form: a 403 whose subCode is MessageWritesBlocked.
    c.scriptFault({ conversationId: subBlocked.conversationId, attempts: [1], status: 403, body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked', message: 'Bot is blocked.' } } });
    // The app was removed from the chat: not installed, and the chat is marked so.
    c.scriptFault({ conversationId: removed.conversationId, attempts: [1], status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } });

    const events: string[] = [];
    const { worker: rig } = workerFor(h, { delivery: { maxAttempts: 4 }, onProgress: (event) => events.push(`${event.outcome}:${event.status ?? ''}`) });
    rig.start();
    await waitUntil(() => settled(h), 20_000, 'the outbox to settle');
    await rig.stop();

    const undelivered = [blocked, refused, hopeless, subBlocked, removed].map((r) => keyOf(r, 'faults'));
    const delivered = keys.filter((key) => !undelivered.includes(key));
    expectEachOnce(c, delivered);
    expect(arrivals(c).get(keyOf(blocked, 'faults'))).toBeUndefined();

    // Exactly one HTTP request per attempt: the SDK's own retry policy is out of the way.
    expect(c.postsReceived(flaky.conversationId)).toBe(3);
    expect(c.postsReceived(s504.conversationId)).toBe(4);
    expect(c.postsReceived(s412.conversationId)).toBe(2);
    expect(c.postsReceived(throttled.conversationId)).toBe(2);
    // Retry-After: 1 s between the 429 and the next try.
    const first = c.faulted.find((call) => call.conversationId === throttled.conversationId)?.at ?? 0;
    const second = c.calls.find((call) => call.kind === 'send' && call.conversationId === throttled.conversationId)?.at ?? 0;
    expect(second - first).toBeGreaterThanOrEqual(950);

    // Blocked: one request, never again; the outbox says blocked and the chat is marked uninstalled.
    expect(c.postsReceived(blocked.conversationId)).toBe(1);
    expect(await repos.outbox.findByDedupeKey(keyOf(blocked, 'faults'))).toMatchObject({ status: 'blocked' });
    expect((await repos.conversations.findByConversationId(blocked.conversationId))?.installed).toBe(false);
    expect(await repos.conversations.findPersonalForStaff(blocked.staffId)).toBeUndefined();
    // Another 4xx: failed at once. Always 503: failed after maxAttempts.
    expect(c.postsReceived(refused.conversationId)).toBe(1);
    expect(await repos.outbox.findByDedupeKey(keyOf(refused, 'faults'))).toMatchObject({ status: 'failed', attempts: 1 });
    expect(c.postsReceived(hopeless.conversationId)).toBe(4);
    expect(await repos.outbox.findByDedupeKey(keyOf(hopeless, 'faults'))).toMatchObject({ status: 'failed', attempts: 4 });
    expect((await repos.outbox.findByDedupeKey(keyOf(hopeless, 'faults')))?.lastError).toMatch(/gave up after 4 attempts; HTTP 503/);

    for (const r of [subBlocked, removed]) {
      expect(c.postsReceived(r.conversationId)).toBe(1);
      expect((await repos.conversations.findByConversationId(r.conversationId))?.installed).toBe(false);
    }
    expect(await repos.outbox.findByDedupeKey(keyOf(subBlocked, 'faults'))).toMatchObject({ status: 'blocked' });
    expect(await repos.outbox.findByDedupeKey(keyOf(removed, 'faults'))).toMatchObject({ status: 'not_installed' });

    expect(await counts(h)).toMatchObject({ sent: 25, blocked: 2, not_installed: 1, failed: 2, queued: 0, sending: 0 });
    expect(rig.stats).toMatchObject({ sent: 25, blocked: 2, notInstalled: 1, failed: 2, retried: 1 + 2 + 1 + 1 + 3 + 1 + 3 });
    expect(events.filter((e) => e === 'retried:429')).toHaveLength(1);
    expect(events.filter((e) => e === 'retried:503')).toHaveLength(2 + 3);
    // None of those 429s came from our own pace.
    expect(c.throttled).toHaveLength(0);
    // The person never hears about delivery trouble: no apology posted by onTurnError.
    expect(c.calls.filter((call) => call.kind === 'reply')).toHaveLength(0);
  });

  test('at a steady load the limiter keeps every conversation and the app inside Teams limits: no 429 at all', async () => {
    const scale = 4;
    const recipients = await addRecipients(h, 150);
    const keys = await enqueueReminders(h, recipients, 'pace');
    // And a busy chat: 40 messages to one conversation, more than its per-second limit allows at once.
    const busy = recipients[0] as Recipient;
    for (let i = 0; i < 40; i++) {
      const dedupeKey = `pace-busy:${i}`;
      await h.app.deps.repos.outbox.enqueue({ dedupeKey, kind: 'note', conversationId: busy.conversationId, staffId: null, payload: { text: `Note [${dedupeKey}]` } }, new Date());
      keys.push(dedupeKey);
    }
    h.connector.enforceTeamsLimits({ scale });
    const { worker } = workerFor(h, { scale, delivery: { concurrency: 24 } });
    const started = Date.now();
    worker.start();
    await waitUntil(() => settled(h), 20_000, 'the outbox to settle');
    await worker.stop();
    const elapsed = Date.now() - started;

    expectEachOnce(h.connector, keys);
    expectPaceKept(h.connector);
    expect(await counts(h)).toMatchObject({ sent: 190, queued: 0, sending: 0 });
    // 190 sends at 200/s, and 41 to one chat at 28/s, 32 per 2 s: at least a second, and not idling.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(8000);
  });
});

describe('delivery across instances (one SQLite file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qa-loop-delivery-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('a worker stopped mid-run and one that died holding claims: a new instance delivers the rest, none lost, none twice', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'qa.sqlite')}` };
    const first = await startHarness({ env });
    const connector = first.connector;
    let second: Harness | undefined;
    try {
      connector.enforceTeamsLimits({ scale: 4 });
      const recipients = await addRecipients(first, 240);
      const keys = await enqueueReminders(first, recipients, 'resume');

      const one = workerFor(first, { scale: 4 });
      one.worker.start();
      await waitUntil(() => arrivals(connector).size >= 60, 20_000, 'some messages to go out');
      await one.worker.stop();
      const afterStop = await counts(first);
      expect(afterStop.sent).toBeGreaterThanOrEqual(60);
      expect(afterStop.sent).toBeLessThan(240);
      // stop() finished what was in flight and put back what had not started.
      expect(afterStop.sending).toBe(0);
      expect(arrivals(connector).size).toBe(afterStop.sent);

      // A third worker claims 20 and dies (never sends, never records).
      const lockMs = 400;
      const claimedAt = Date.now();
      const deadClaims = await first.app.deps.repos.outbox.claimDue(new Date(claimedAt), 20, lockMs);
      expect(deadClaims).toHaveLength(20);
      // Stop this instance (keeping its connector stand-in, where the saved chats point).
      await first.app.close();
      await first.database.close();

      const next = await startHarness({ env });
      second = next;
      // As after a restart: this worker waits out the short windows of the sends it cannot see.
      const two = workerFor(next, { scale: 4, delivery: { startQuietMs: 2100 } });
      two.worker.start();
      await waitUntil(() => settled(next), 20_000, 'the outbox to settle');
      await two.worker.stop();

      expectEachOnce(connector, keys);
      expect(await counts(next)).toMatchObject({ sent: 240, queued: 0, sending: 0 });
      // The dead worker's claims were left alone until their lock ran out, then sent once.
      const deadKeys = deadClaims.map((m) => m.dedupeKey);
      const resentAt = connector.calls
        .filter((call) => call.kind === 'send' && deadKeys.some((key) => String(call.activity?.text).includes(`[${key}]`)))
        .map((call) => call.at);
      expect(resentAt).toHaveLength(20);
      expect(Math.min(...resentAt)).toBeGreaterThanOrEqual(claimedAt + lockMs);
      for (const key of deadKeys) expect((await next.app.deps.repos.outbox.findByDedupeKey(key))?.status).toBe('sent');
      expectPaceKept(connector);
    } finally {
      await second?.close();
      await first.close().catch(() => undefined);
    }
  });

  test('two instances draining the same outbox at once never send a message twice', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'qa.sqlite')}` };
    const a = await startHarness({ env });
    const b = await startHarness({ env });
    try {
      const connector = a.connector;
      connector.enforceTeamsLimits({ scale: 4 });
      const recipients = await addRecipients(a, 300);
      const keys = await enqueueReminders(a, recipients, 'pair');
      // One process, one app: both workers share the one limiter, as they would share Teams' budget.
      const limiter = new RateLimiter({ scale: 4 });
      const wa = workerFor(a, { limiter, delivery: { batchSize: 20 } }).worker;
      const wb = workerFor(b, { limiter, delivery: { batchSize: 20 } }).worker;
      wa.start();
      wb.start();
      await waitUntil(() => settled(a), 20_000, 'the outbox to settle');
      await Promise.all([wa.stop(), wb.stop()]);

      expectEachOnce(connector, keys);
      expect(connector.calls.filter((call) => call.kind === 'send')).toHaveLength(300);
      expect(wa.stats.sent + wb.stats.sent).toBe(300);
      expect(wa.stats.sent).toBeGreaterThan(0);
      expect(wb.stats.sent).toBeGreaterThan(0);
      expect(await counts(b)).toMatchObject({ sent: 300, queued: 0, sending: 0 });
      expectPaceKept(connector);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('delivery worker rules (scripted sender, real SQLite)', () => {
  let handle: DatabaseHandle;
  let repos: Repositories;
  const start = new Date('2026-09-01T08:00:00.000Z');
  /** A clock the test moves; sleeping moves it too unless `frozen`. */
  const time = { now: start.getTime(), frozen: false };
  const clock = { now: () => new Date(time.now) };
  const sleep = async (ms: number): Promise<void> => {
    if (!time.frozen) time.now += ms;
  };

  beforeEach(async () => {
    handle = openDatabase({ kind: 'sqlite', path: ':memory:' });
    await migrateToLatest(handle.db, handle.dialect);
    repos = createRepositories(handle.db, handle.dialect);
    time.now = start.getTime();
    time.frozen = false;
  });
  afterEach(async () => {
    await handle.close();
  });

  const enqueue = async (count: number, conversation = (i: number) => `a:c${i}`): Promise<void> => {
    for (let i = 0; i < count; i++) {
      await repos.outbox.enqueue({ dedupeKey: `k${i}`, kind: 'reminder', conversationId: conversation(i), staffId: null, payload: { text: `m${i}` } }, clock.now());
    }
  };

  /** Sends by calling the gate, then answers with whatever `answer` says. */
  const scripted = (answer: (message: OutboxMessage) => SendResult | Promise<SendResult>): Sender & { sent: string[] } => {
    const sent: string[] = [];
    return {
      sent,
      async send(message, gate) {
        if (!(await gate(message.conversationId ?? 'none'))) return { kind: 'deferred' };
        sent.push(message.dedupeKey);
        return answer(message);
      },
    };
  };

  const worker = (sender: Sender, options: Partial<DeliveryOptions> = {}, random = () => 0.5): DeliveryWorker =>
    new DeliveryWorker({
      outbox: repos.outbox,
      sender,
      limiter: new RateLimiter({ marginMs: 0 }),
      clock,
      logger: createLogger('silent'),
      sleep,
      random,
      options: { startQuietMs: 0, ...options },
    });

  test('with a clock that stands still, a full window puts the rest back for later instead of waiting for ever', async () => {
    time.frozen = true;
    await enqueue(60);
    const sender = scripted(() => ({ kind: 'sent', activityId: 'x' }));
    const stats = await worker(sender).drainOnce(clock.now());
    expect(stats).toMatchObject({ claimed: 60, sent: 50, deferred: 10 });
    expect(sender.sent).toHaveLength(50);
    const putBack = (await Promise.all(Array.from({ length: 60 }, (_, i) => repos.outbox.findByDedupeKey(`k${i}`)))).filter((m) => m?.status === 'queued');
    expect(putBack).toHaveLength(10);
    for (const message of putBack) {
      expect(message).toMatchObject({ lastError: 'waiting for a rate-limit slot' });
      expect(message?.nextAttemptAt.getTime()).toBe(start.getTime() + 1000);
    }
    // A second later they go.
    time.now += 1000;
    expect(await worker(sender).drainOnce(clock.now())).toMatchObject({ sent: 10 });
  });

  test('backoff without Retry-After: full jitter under base x 2^(attempt-1), capped; Retry-After wins when given', async () => {
    await enqueue(2);
    const sender = scripted((m) => (m.dedupeKey === 'k0' ? { kind: 'retry', status: 503, error: 'busy' } : { kind: 'retry', status: 429, retryAfterMs: 7000, error: 'slow down' }));
    const w = worker(sender, { backoffBaseMs: 1000, backoffCapMs: 5000 }, () => 0.5);
    const next = async (key: string): Promise<number> => ((await repos.outbox.findByDedupeKey(key))?.nextAttemptAt.getTime() ?? 0) - time.now;
    await w.drainOnce(clock.now());
    expect(await next('k0')).toBe(500); // attempt 1: 0.5 x 1000
    expect(await next('k1')).toBe(7000);
    const expected = [1000, 2000, 2500, 2500]; // attempts 2..5: 0.5 x 2000, 4000, then the 5000 cap
    for (const delay of expected) {
      time.now += 10_000;
      await w.drainOnce(clock.now());
      expect(await next('k0')).toBe(delay);
    }
    expect((await repos.outbox.findByDedupeKey('k0'))?.lastError).toBe('HTTP 503: busy');
  });

  test('after maxAttempts the message fails for good; a sender that throws counts as a retry', async () => {
    await enqueue(1);
    let calls = 0;
    const sender = scripted(() => {
      calls++;
      throw new Error('socket hang up');
    });
    const w = worker(sender, { maxAttempts: 3, backoffBaseMs: 10, backoffCapMs: 10 });
    for (let i = 0; i < 5; i++) {
      time.now += 1000;
      await w.drainOnce(clock.now());
    }
    expect(calls).toBe(3);
    expect(await repos.outbox.findByDedupeKey('k0')).toMatchObject({ status: 'failed', attempts: 3 });
    expect((await repos.outbox.findByDedupeKey('k0'))?.lastError).toMatch(/gave up after 3 attempts; no response: socket hang up/);
  });

  test('no send starts that its lock might not cover: a claim too old to finish in time goes back unsent', async () => {
    time.now -= 60_000;
    await enqueue(1);
    time.now += 60_000;
    const sender = scripted(() => ({ kind: 'sent', activityId: 'x' }));
    const w = worker(sender, { lockMs: 60_000, sendTimeoutMs: 30_000, lockSafetyMs: 5_000 });
    // Claimed 26 s ago by the clock: a 30 s send could outlive the 60 s lock.
    const stats = await w.drainOnce(new Date(time.now - 26_000));
    expect(stats).toMatchObject({ claimed: 1, sent: 0, deferred: 1 });
    expect(sender.sent).toEqual([]);
    expect(await repos.outbox.findByDedupeKey('k0')).toMatchObject({ status: 'queued' });
  });

  test("Teams' answers map to what the worker does: Retry-After in seconds or as a date, network errors retried", () => {
    const failure = (statusCode: number | undefined, body?: unknown, retryAfter?: string, code?: string): unknown => ({
      statusCode,
      code,
      message: 'failed',
      response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) }, bodyAsText: body === undefined ? '' : JSON.stringify(body) },
    });
    const now = Date.parse('2026-10-21T07:28:00Z');
    const map = (error: unknown): SendResult => resultForFailure(describeFailure(error, now), 'a:c');
    expect(map(failure(429, undefined, '3'))).toEqual({ kind: 'retry', status: 429, retryAfterMs: 3000, error: 'failed' });
    expect(map(failure(503, undefined, 'Wed, 21 Oct 2026 07:28:30 GMT'))).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: 30_000 });
    expect(map(failure(undefined, undefined, undefined, 'ECONNRESET'))).toMatchObject({ kind: 'retry', status: 0 });
    expect(map(failure(412))).toMatchObject({ kind: 'retry', status: 412 });
    expect(map(failure(403, BLOCKED_BY_USER_BODY))).toMatchObject({ kind: 'blocked', conversationId: 'a:c' });
    expect(map(failure(403, { error: { code: 'Forbidden', innerHttpError: { subCode: 'MessageWritesBlocked' } } }))).toMatchObject({ kind: 'blocked' });
    expect(map(failure(403, { error: { code: 'BotDisabledByAdmin', message: 'x' } }))).toMatchObject({ kind: 'failed', status: 403 });
    expect(map(failure(404, { error: { code: 'ConversationNotFound', message: 'x' } }))).toMatchObject({ kind: 'failed', status: 404 });
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  test('blocked and not installed end the message and report the conversation once', async () => {
    await enqueue(3);
    const unreachable: string[] = [];
    const sender = scripted((m): SendResult => {
      if (m.dedupeKey === 'k0') return { kind: 'blocked', error: 'blocked', conversationId: 'a:c0' };
      if (m.dedupeKey === 'k1') return { kind: 'notInstalled', error: 'gone', conversationId: 'a:c1' };
      return { kind: 'notInstalled', error: 'no chat saved' };
    });
    const w = new DeliveryWorker({
      outbox: repos.outbox,
      sender,
      limiter: new RateLimiter(),
      clock,
      logger: createLogger('silent'),
      sleep,
      onUnreachable: async (conversationId, reason) => {
        unreachable.push(`${conversationId}:${reason}`);
      },
    });
    expect(await w.drainOnce(clock.now())).toMatchObject({ blocked: 1, notInstalled: 2 });
    expect(unreachable.sort()).toEqual(['a:c0:blocked', 'a:c1:not_installed']);
    expect(await repos.outbox.countByStatus()).toMatchObject({ blocked: 1, not_installed: 2 });
  });
});

import type { Clock } from './clock';
import type { Logger } from './logger';
import type { OutboxMessage } from './outbox';
import type { DeliveryEvent, DeliveryOptions, DeliveryOutcome, DeliveryStats, OutboxStore, SendGate, SendResult, Sender } from './delivery-contract';
import type { RateLimiter } from './rate-limiter';

// The types live in their own file; importers of the worker get them from here too.
export * from './delivery-contract';

/**
 * Delivery of the outbox: claims due messages, sends each once per attempt within
 * Teams' rate limits, and records how each attempt ended. The outbox row is the truth:
 * a message is `sending` only while a live worker holds its lock, and a worker that dies
 * leaves it to be claimed again once the lock runs out.
 *
 * Delivery is at least once, never knowingly twice: a message is only sent again when
 * its last attempt did not say "sent". The one gap no client can close is a crash (or a
 * lost response) between Teams accepting a message and `markSent`; Teams has no
 * idempotency key, so that message goes again. The worker keeps that gap to one
 * database write and never starts a send that could outlive its lock.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

/** Longest single sleep while waiting for a rate slot. */
const GATE_NAP_MS = 50;

export const defaultDeliveryOptions: DeliveryOptions = {
  batchSize: 100,
  concurrency: 16,
  lockMs: 120_000,
  sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
  lockSafetyMs: 5_000,
  pollIntervalMs: 2_000,
  maxAttempts: 8,
  backoffBaseMs: 2_000,
  backoffCapMs: 15 * 60_000,
  maxHoldMs: 3_000,
  startQuietMs: 2_100,
};

export interface DeliveryDeps {
  outbox: OutboxStore;
  sender: Sender;
  /** One per process, shared by every worker in it. With N processes sending, give each `scale: 1 / N`. */
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  /** Waits `ms`; tests may pass one that moves a fake clock on. */
  sleep: (ms: number) => Promise<void>;
  /** The person blocked the app, or the bot is no longer in the conversation: mark it uninstalled. */
  onUnreachable?: (conversationId: string, reason: 'blocked' | 'not_installed') => Promise<void>;
  onProgress?: (event: DeliveryEvent) => void;
  /** For the backoff jitter; Math.random unless a test fixes it. */
  random?: () => number;
  options?: Partial<DeliveryOptions>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Full jitter: anywhere from 0 to the capped exponential step for this attempt. */
export function backoffMs(attempt: number, options: Pick<DeliveryOptions, 'backoffBaseMs' | 'backoffCapMs'>, random: () => number): number {
  const ceiling = Math.min(options.backoffCapMs, options.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

const emptyStats = (): DeliveryStats => ({ claimed: 0, sent: 0, retried: 0, deferred: 0, failed: 0, blocked: 0, notInstalled: 0 });

export class DeliveryWorker {
  private readonly options: DeliveryOptions;
  private readonly random: () => number;
  private readonly totals = emptyStats();
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Wakes the loop early: set while it pauses. */
  private wakePause: (() => void) | undefined;
  /** Wakes the loop when a message finishes: set while it waits for room. */
  private wakeRoom: (() => void) | undefined;

  constructor(private readonly deps: DeliveryDeps) {
    this.options = { ...defaultDeliveryOptions, ...deps.options };
    this.random = deps.random ?? Math.random;
  }

  /** Counts since this worker was made. */
  get stats(): Readonly<DeliveryStats> {
    return { ...this.totals };
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs until stop(): claims while there is room and work, pauses when the queue is empty. */
  start(): void {
    if (this.running !== undefined) return;
    this.stopping = false;
    if (this.options.startQuietMs > 0) this.deps.limiter.holdAll(this.deps.clock.now().getTime() + this.options.startQuietMs);
    this.running = this.loop()
      .catch((error: unknown) => this.deps.logger.error({ err: errorText(error) }, 'delivery loop stopped on an error'))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Stops claiming, lets messages already being sent finish (unsent ones go back to the queue), then resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakePause?.();
    this.wakeRoom?.();
    await this.running;
  }

  /** New messages were queued: look now rather than at the next poll. */
  poke(): void {
    this.wakePause?.();
  }

  /**
   * Delivers what is due at `now`, start to finish: claims a batch, sends it, records every
   * outcome, and claims again while batches come back full. Messages put back for later
   * (retries, rate limits) are not due at `now`, so this ends. For tests and one-off runs;
   * `now` should agree with the clock, which times the locks.
   */
  async drainOnce(now: Date = this.deps.clock.now()): Promise<DeliveryStats> {
    const before = { ...this.totals };
    for (;;) {
      const claimed = await this.deps.outbox.claimDue(now, this.options.batchSize, this.options.lockMs);
      this.totals.claimed += claimed.length;
      const queue = [...claimed];
      const lane = async (): Promise<void> => {
        for (let message = queue.shift(); message !== undefined; message = queue.shift()) await this.handle(message, now.getTime());
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency, queue.length) }, lane));
      if (claimed.length < this.options.batchSize) break;
    }
    const delta = emptyStats();
    for (const key of Object.keys(delta) as (keyof DeliveryStats)[]) delta[key] = this.totals[key] - before[key];
    return delta;
  }

  /**
   * Keeps up to `concurrency` messages in hand and a claimed batch waiting behind them, so
   * that claiming (one query for many messages) overlaps with sending.
   */
  private async loop(): Promise<void> {
    const { concurrency, batchSize, pollIntervalMs } = this.options;
    const active = new Set<Promise<void>>();
    const waiting: { message: OutboxMessage; claimedAtMs: number }[] = [];
    let drained = false;
    while (!this.stopping) {
      if (waiting.length < concurrency && !drained) {
        const now = this.deps.clock.now();
        let claimed: OutboxMessage[];
        try {
          claimed = await this.deps.outbox.claimDue(now, batchSize, this.options.lockMs);
        } catch (error) {
          this.deps.logger.error({ err: errorText(error) }, 'could not claim outbox messages');
          await this.pause(pollIntervalMs);
          continue;
        }
        this.totals.claimed += claimed.length;
        for (const message of claimed) waiting.push({ message, claimedAtMs: now.getTime() });
        // Fewer than asked for: the queue is empty for now.
        drained = claimed.length < batchSize;
      }
      while (waiting.length > 0 && active.size < concurrency) {
        const { message, claimedAtMs } = waiting.shift() as (typeof waiting)[number];
        const task: Promise<void> = this.handle(message, claimedAtMs, true)
          .catch((error: unknown) => this.deps.logger.error({ messageId: message.id, err: errorText(error) }, 'delivery of a message failed unexpectedly'))
          .finally(() => {
            active.delete(task);
            this.wakeRoom?.();
          });
        active.add(task);
      }
      if (waiting.length === 0 && drained) {
        await this.pause(pollIntervalMs);
        drained = false;
      } else if (active.size >= concurrency) {
        await this.waitForRoom();
      }
    }
    // Claimed but not started: back to the queue now, rather than after the lock.
    const now = this.deps.clock.now();
    for (const { message } of waiting) {
      await this.persist(() => this.deps.outbox.markRetry(message.id, now, 'put back unsent: the worker stopped', message.lockedUntil), message);
      this.count('deferred', message);
    }
    await Promise.all(active);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        this.wakePause = undefined;
        resolve();
      };
      this.wakePause = finish;
      void this.deps.sleep(ms).then(finish);
    });
  }

  private waitForRoom(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.wakeRoom = () => {
        this.wakeRoom = undefined;
        resolve();
      };
    });
  }

  /** Sends one claimed message and records the outcome. One the loop started goes back unsent if the worker is stopping. */
  private async handle(message: OutboxMessage, claimedAtMs: number, fromLoop = false): Promise<void> {
    const { sendTimeoutMs, lockMs, lockSafetyMs, maxHoldMs } = this.options;
    // No send may start unless it ends (or times out) while the claim still holds.
    const lastStart = claimedAtMs + lockMs - sendTimeoutMs - lockSafetyMs;
    let putBackAt: number | undefined;
    let slot: { conversationId: string; at: number } | undefined;
    const gate: SendGate = async (conversationId) => {
      let stalled = 0;
      for (;;) {
        const now = this.deps.clock.now().getTime();
        if ((fromLoop && this.stopping) || now > lastStart) {
          putBackAt = now;
          return false;
        }
        const wait = this.deps.limiter.reserve(conversationId, now);
        if (wait === 0) {
          slot = { conversationId, at: now };
          return true;
        }
        if (wait > maxHoldMs || now + wait > lastStart) {
          putBackAt = now + wait;
          return false;
        }
        // Short naps, asking again after each: the wait is recomputed anyway, and a clock
        // that stands still through nap after nap (a test's fixed clock) would keep the slot
        // from ever freeing, so the message goes back for when it will have. (One still nap
        // can happen with a real clock: a timer may fire within the same millisecond.)
        await this.deps.sleep(Math.min(wait, GATE_NAP_MS));
        stalled = this.deps.clock.now().getTime() <= now ? stalled + 1 : 0;
        if (stalled >= 3) {
          putBackAt = now + wait;
          return false;
        }
      }
    };
    let result: SendResult;
    try {
      result = await this.deps.sender.send(message, gate);
    } catch (error) {
      // Whether it reached Teams is unknown: trying again is the safe side (at least once).
      result = { kind: 'retry', status: 0, error: errorText(error) };
    }
    // Count the send from when it finished: never before Teams counted it.
    if (slot !== undefined) this.deps.limiter.settle(slot.conversationId, slot.at, this.deps.clock.now().getTime());
    await this.record(message, result, putBackAt);
  }

  private async record(message: OutboxMessage, result: SendResult, putBackAt: number | undefined): Promise<void> {
    const now = this.deps.clock.now();
    const { outbox, logger } = this.deps;
    const facts = { messageId: message.id, kind: message.kind, attempts: message.attempts };
    switch (result.kind) {
      case 'sent':
        await this.persist(() => outbox.markSent(message.id, result.activityId, now, message.lockedUntil), message);
        return this.count('sent', message);
      case 'deferred':
        await this.persist(() => outbox.markRetry(message.id, new Date(putBackAt ?? now.getTime()), 'waiting for a rate-limit slot', message.lockedUntil), message);
        return this.count('deferred', message);
      case 'retry': {
        const error = `${result.status === 0 ? 'no response' : `HTTP ${result.status}`}: ${result.error}`;
        if (message.attempts >= this.options.maxAttempts) {
          logger.warn({ ...facts, status: result.status }, 'message given up after its last attempt');
          await this.persist(() => outbox.markFinal(message.id, 'failed', `gave up after ${message.attempts} attempts; ${error}`, message.lockedUntil), message);
          return this.count('failed', message, result.status);
        }
        const delay = result.retryAfterMs ?? backoffMs(message.attempts, this.options, this.random);
        logger.info({ ...facts, status: result.status, retryInMs: delay }, 'message will be tried again');
        await this.persist(() => outbox.markRetry(message.id, new Date(now.getTime() + delay), error, message.lockedUntil), message);
        return this.count('retried', message, result.status);
      }
      case 'blocked':
        logger.info(facts, 'recipient has blocked the app');
        await this.persist(() => outbox.markFinal(message.id, 'blocked', result.error, message.lockedUntil), message);
        if (result.conversationId !== undefined) await this.unreachable(result.conversationId, 'blocked');
        return this.count('blocked', message);
      case 'notInstalled':
        logger.info(facts, 'recipient has not installed the app');
        await this.persist(() => outbox.markFinal(message.id, 'not_installed', result.error, message.lockedUntil), message);
        if (result.conversationId !== undefined) await this.unreachable(result.conversationId, 'not_installed');
        return this.count('notInstalled', message);
      case 'failed':
        logger.warn({ ...facts, status: result.status }, 'message refused');
        await this.persist(() => outbox.markFinal(message.id, 'failed', result.status === 0 ? result.error : `HTTP ${result.status}: ${result.error}`, message.lockedUntil), message);
        return this.count('failed', message, result.status);
    }
  }

  /**
   * Writes an outcome, trying a few times: if the write never lands, the message stays
   * `sending` and is claimed again after its lock (sent again, if it had been sent).
   */
  private async persist(write: () => Promise<void>, message: OutboxMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (attempt >= 3) {
          this.deps.logger.error({ messageId: message.id, err: errorText(error) }, 'could not record a delivery outcome; the message will be claimed again after its lock');
          return;
        }
        await this.deps.sleep(250 * attempt);
      }
    }
  }

  private async unreachable(conversationId: string, reason: 'blocked' | 'not_installed'): Promise<void> {
    try {
      await this.deps.onUnreachable?.(conversationId, reason);
    } catch (error) {
      this.deps.logger.error({ err: errorText(error), reason }, 'could not mark a conversation as unreachable');
    }
  }

  private count(outcome: DeliveryOutcome, message: OutboxMessage, status?: number): void {
    this.totals[outcome] += 1;
    this.deps.onProgress?.({
      outcome,
      messageId: message.id,
      kind: message.kind,
      attempts: message.attempts,
      ...(status === undefined ? {} : { status }),
      stats: { ...this.totals },
    });
  }
}

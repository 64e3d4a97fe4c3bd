import type { OutboxMessage, OutboxStatus } from './outbox';

// What the delivery worker works with: the sender it calls, the store it claims from, and its settings and counts.

/** How one send attempt ended, as the sender saw it. */
export type SendResult =
  | { kind: 'sent'; activityId: string | null }
  /** Worth trying again: throttled (429), 412, 5xx, a timeout or a network failure. */
  | { kind: 'retry'; status: number; retryAfterMs?: number; error: string }
  /** The person blocked or removed the app: stop writing to `conversationId`. */
  | { kind: 'blocked'; error: string; conversationId?: string }
  /** There is nowhere to send it: no saved conversation, or the bot is no longer in it. */
  | { kind: 'notInstalled'; error: string; conversationId?: string }
  /** Refused for good (another 4xx). */
  | { kind: 'failed'; status: number; error: string }
  /** The gate said "not now" (see SendGate): nothing was sent. */
  | { kind: 'deferred' };

/**
 * Given to the sender with each message. The sender calls it once it knows which
 * conversation the message goes to, immediately before its one HTTP request. It resolves
 * true once a rate-limit slot is taken (send now), or false when the message should go
 * back to the queue instead (send nothing and return `{ kind: 'deferred' }`).
 */
export type SendGate = (conversationId: string) => Promise<boolean>;

/**
 * Sends one outbox message with exactly one request to Teams: no retries of its own (the
 * worker decides when to try again) and no request that can outlive `sendTimeoutMs`.
 */
export interface Sender {
  send(message: OutboxMessage, gate: SendGate): Promise<SendResult>;
}

/** The outbox operations the worker needs (db/outbox.repository.ts provides them). */
export interface OutboxStore {
  claimDue(now: Date, count: number, lockMs: number): Promise<OutboxMessage[]>;
  /** Each outcome write names the claim it ends (`message.lockedUntil`), so a stale worker's write changes nothing. */
  markSent(id: string, activityId: string | null, now: Date, claim?: Date | null): Promise<void>;
  markRetry(id: string, nextAttemptAt: Date, error: string, claim?: Date | null): Promise<void>;
  markFinal(id: string, status: Extract<OutboxStatus, 'failed' | 'blocked' | 'not_installed'>, error: string, claim?: Date | null): Promise<void>;
}

export type DeliveryOutcome = 'sent' | 'retried' | 'deferred' | 'failed' | 'blocked' | 'notInstalled';

export interface DeliveryStats {
  claimed: number;
  sent: number;
  /** Attempts that failed and were put back for a later try. */
  retried: number;
  /** Messages put back unsent (no rate slot soon enough, or the worker stopping). */
  deferred: number;
  failed: number;
  blocked: number;
  notInstalled: number;
}

export interface DeliveryEvent {
  outcome: DeliveryOutcome;
  messageId: string;
  kind: string;
  attempts: number;
  /** HTTP status for retried and failed attempts (0: no response). */
  status?: number;
  stats: Readonly<DeliveryStats>;
}

export interface DeliveryOptions {
  /** Most messages claimed by one query. */
  batchSize: number;
  /** Most messages handled at once (claimed and not yet finished). */
  concurrency: number;
  /** How long a claim holds a message; another worker may take it after that. */
  lockMs: number;
  /** The longest one send may take (the sender enforces it); no send starts unless it can end inside the lock. */
  sendTimeoutMs: number;
  /** Allowance for clocks of different instances disagreeing, taken off the lock too. */
  lockSafetyMs: number;
  /** Wait between looks at an empty queue. */
  pollIntervalMs: number;
  /**
   * A message that has been claimed this many times and fails again is given up as
   * `failed`. The outbox counts claims, so a claim put back unsent (no rate slot soon
   * enough, or a stop) counts too; those are rare, and never fail a message themselves.
   */
  maxAttempts: number;
  /** Backoff without Retry-After: a random delay up to min(cap, base * 2^(attempt-1)). */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Longest a claimed message waits in memory for a rate slot before it is put back in the queue. */
  maxHoldMs: number;
  /**
   * start() sends nothing for this long: the sends of a process that stopped just before
   * (a restart, a deploy) are still in Teams' short windows but not in this limiter.
   * Covers the app window and the 1 s and 2 s conversation windows, with the margin.
   */
  startQuietMs: number;
}

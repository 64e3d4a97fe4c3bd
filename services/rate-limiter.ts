import { QaError } from './errors';

/**
 * Teams' rate limits for bots, kept on our side so that Teams never has to throttle us.
 * Each limit is a sliding window: "at most `limit` sends in any `windowMs`". One set of
 * windows is shared by every send of the app (Teams counts per app per tenant; QA Loop
 * serves one tenant) and another set applies to each conversation on its own.
 *
 * Pure and clock-injected: the caller passes `now` (ms) and gets back how long to wait.
 */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** 50 requests a second per app per tenant. */
export const TEAMS_APP_WINDOWS: readonly RateWindow[] = [{ limit: 50, windowMs: 1000 }];

/** Per conversation: 7 a second, 8 in 2 s, 60 in 30 s, 1800 an hour. */
export const TEAMS_CONVERSATION_WINDOWS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1000 },
  { limit: 8, windowMs: 2000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1800, windowMs: 3_600_000 },
];

export interface RateLimiterOptions {
  /** Multiplies every limit (and nothing else): benches and tests run faster with, say, 10. */
  scale?: number;
  /**
   * Each window is treated as this much longer than Teams' own. With `settle` (sends
   * counted from when they finished) it only has to absorb how Teams rounds and bounds its
   * windows; without it, also how much later than it left us a send reaches Teams. Costs
   * about marginMs / windowMs of throughput on a saturated window.
   */
  marginMs?: number;
  appWindows?: readonly RateWindow[];
  conversationWindows?: readonly RateWindow[];
}

export const DEFAULT_RATE_MARGIN_MS = 25;

/** How often (in clock time) idle conversations are dropped, so memory stays bounded. */
const SWEEP_EVERY_MS = 60_000;

/** Ascending send times, with the old ones dropped from the front. */
class SendLog {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  get last(): number | undefined {
    return this.times[this.times.length - 1];
  }

  push(time: number): void {
    this.times.push(time);
  }

  /** Drops every time at or before `cutoff`. */
  dropUpTo(cutoff: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= cutoff) this.head++;
    if (this.head > 64 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Moves one entry at `from` to the later time `to`, keeping the order; false if none is kept at `from`. */
  move(from: number, to: number): boolean {
    const at = this.firstAtOrAfter(from);
    if (at >= this.times.length || this.times[at] !== from) return false;
    this.times.splice(at, 1);
    const into = this.firstAfter(to);
    this.times.splice(into, 0, to);
    return true;
  }

  /** Index into `times` of the first kept time after `after`. */
  private firstAfter(after: number): number {
    return this.search((time) => time <= after);
  }

  private firstAtOrAfter(at: number): number {
    return this.search((time) => time < at);
  }

  /** First index (from `head`) whose time fails `before`; times are ascending. */
  private search(before: (time: number) => boolean): number {
    let low = this.head;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(this.times[mid] as number)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Ms from `now` until one more send fits every window; 0 when it fits now. */
  waitFor(windows: readonly RateWindow[], now: number): number {
    let wait = 0;
    for (const window of windows) {
      const start = this.firstAfter(now - window.windowMs);
      const inWindow = this.times.length - start;
      if (inWindow < window.limit) continue;
      // The send that must leave the window before one more fits.
      const leaving = this.times[start + inWindow - window.limit] as number;
      wait = Math.max(wait, leaving + window.windowMs - now);
    }
    return wait;
  }
}

export class RateLimiter {
  private readonly appWindows: readonly RateWindow[];
  private readonly conversationWindows: readonly RateWindow[];
  private readonly appSpanMs: number;
  private readonly conversationSpanMs: number;
  private readonly app = new SendLog();
  private readonly conversations = new Map<string, SendLog>();
  private lastNow = Number.NEGATIVE_INFINITY;
  private holdUntil = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions = {}) {
    const scale = options.scale ?? 1;
    const marginMs = options.marginMs ?? DEFAULT_RATE_MARGIN_MS;
    if (!Number.isFinite(scale) || scale <= 0) throw new QaError('INVALID_INPUT', `Rate limit scale must be a positive number, not ${scale}.`);
    if (!Number.isFinite(marginMs) || marginMs < 0) throw new QaError('INVALID_INPUT', `Rate limit margin must be zero or more, not ${marginMs}.`);
    const shape = (windows: readonly RateWindow[]): RateWindow[] =>
      windows.map((window) => ({ limit: Math.max(1, Math.floor(window.limit * scale)), windowMs: window.windowMs + marginMs }));
    this.appWindows = shape(options.appWindows ?? TEAMS_APP_WINDOWS);
    this.conversationWindows = shape(options.conversationWindows ?? TEAMS_CONVERSATION_WINDOWS);
    this.appSpanMs = Math.max(0, ...this.appWindows.map((window) => window.windowMs));
    this.conversationSpanMs = Math.max(0, ...this.conversationWindows.map((window) => window.windowMs));
  }

  /** The windows as applied (scaled, margin added). */
  get limits(): { app: readonly RateWindow[]; conversation: readonly RateWindow[] } {
    return { app: this.appWindows, conversation: this.conversationWindows };
  }

  /**
   * Asks for a slot to send to `conversationId` at `now` (ms). Returns 0 when the send may
   * go now, and the slot is then taken; otherwise the ms to wait before asking again (no
   * slot is taken). Time never runs backwards here: an earlier `now` counts as the latest seen.
   */
  reserve(conversationId: string, now: number): number {
    now = Math.max(now, this.lastNow);
    this.lastNow = now;
    if (now < this.holdUntil) return this.holdUntil - now;
    this.sweep(now);
    this.app.dropUpTo(now - this.appSpanMs);
    const conversation = this.conversations.get(conversationId);
    conversation?.dropUpTo(now - this.conversationSpanMs);
    const wait = Math.max(this.app.waitFor(this.appWindows, now), conversation?.waitFor(this.conversationWindows, now) ?? 0);
    if (wait > 0) return wait;
    this.app.push(now);
    if (conversation === undefined) {
      const log = new SendLog();
      log.push(now);
      this.conversations.set(conversationId, log);
    } else {
      conversation.push(now);
    }
    return 0;
  }

  /**
   * Optional second half of a reservation: the send that took a slot at `reservedAt` has
   * finished (its response came back, or it was given up) at `doneAt`, so it is counted
   * from then. Teams counts a request when it arrives, which is after we reserved and
   * before we hear back: counted from `doneAt`, its slot frees no earlier than Teams' does,
   * however long the network took. (A send still unanswered after a whole window plus the
   * margin is the one case this cannot cover.)
   */
  settle(conversationId: string, reservedAt: number, doneAt: number): void {
    const to = Math.max(reservedAt, doneAt);
    if (to === reservedAt) return;
    this.app.move(reservedAt, to);
    this.conversations.get(conversationId)?.move(reservedAt, to);
  }

  /**
   * Gives no slot before `until`. For a limiter that has just been made while sends it
   * cannot see may still be in Teams' windows: those of the process before a restart.
   */
  holdAll(until: number): void {
    this.holdUntil = Math.max(this.holdUntil, until);
  }

  /** How many conversations the limiter is remembering (for tests of its memory use). */
  get trackedConversations(): number {
    return this.conversations.size;
  }

  /** How many send times the limiter holds in all. */
  get trackedSends(): number {
    let total = this.app.size;
    for (const log of this.conversations.values()) total += log.size;
    return total;
  }

  /** Now and then, forgets conversations with no send inside any window. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    const cutoff = now - this.conversationSpanMs;
    for (const [conversationId, log] of this.conversations) {
      if ((log.last ?? Number.NEGATIVE_INFINITY) <= cutoff) this.conversations.delete(conversationId);
      else log.dropUpTo(cutoff);
    }
  }
}

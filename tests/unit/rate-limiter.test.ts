import { RateLimiter, TEAMS_APP_WINDOWS, TEAMS_CONVERSATION_WINDOWS, type RateWindow } from '../../services/rate-limiter';

/**
 * The limiter against Teams' own windows, checked by brute force: every send time is the
 * end of a window, and no window ending there may hold more than its limit.
 */

interface Request {
  conversationId: string;
  at: number;
}

interface Admitted {
  conversationId: string;
  at: number;
}

/** A binary min-heap of pending asks, earliest first, ties in arrival order. */
class Asks {
  private items: { conversationId: string; at: number; seq: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  private before(a: number, b: number): boolean {
    const x = this.items[a] as { at: number; seq: number };
    const y = this.items[b] as { at: number; seq: number };
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
  private swap(a: number, b: number): void {
    [this.items[a], this.items[b]] = [this.items[b] as (typeof this.items)[number], this.items[a] as (typeof this.items)[number]];
  }
  push(item: { conversationId: string; at: number; seq: number }): void {
    this.items.push(item);
    for (let i = this.items.length - 1; i > 0 && this.before(i, (i - 1) >> 1); i = (i - 1) >> 1) this.swap(i, (i - 1) >> 1);
  }
  pop(): { conversationId: string; at: number; seq: number } {
    const top = this.items[0] as { conversationId: string; at: number; seq: number };
    const last = this.items.pop() as typeof top;
    if (this.items.length > 0) {
      this.items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.before(l, m)) m = l;
        if (r < this.items.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/**
 * Runs requests as a worker would: ask, wait what the limiter says, ask again. Each
 * conversation's requests go in arrival order (only the first waiting one asks), so the
 * run stays fast; the limiter is asked at every moment a send could go.
 */
function simulate(limiter: RateLimiter, requests: readonly Request[]): Admitted[] {
  const queues = new Map<string, { at: number; seq: number }[]>();
  requests
    .map((request, seq) => ({ ...request, seq }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq)
    .forEach((request) => queues.set(request.conversationId, [...(queues.get(request.conversationId) ?? []), request]));
  const asks = new Asks();
  for (const [conversationId, queue] of queues) asks.push({ conversationId, ...(queue.shift() as { at: number; seq: number }) });
  const admitted: Admitted[] = [];
  while (asks.size > 0) {
    const ask = asks.pop();
    const wait = limiter.reserve(ask.conversationId, ask.at);
    if (wait > 0) {
      asks.push({ ...ask, at: ask.at + wait });
      continue;
    }
    expect(wait).toBe(0);
    admitted.push({ conversationId: ask.conversationId, at: ask.at });
    const next = queues.get(ask.conversationId)?.shift();
    if (next !== undefined) asks.push({ conversationId: ask.conversationId, at: Math.max(next.at, ask.at), seq: next.seq });
  }
  return admitted;
}

const scaled = (windows: readonly RateWindow[], scale: number): RateWindow[] =>
  windows.map((window) => ({ limit: Math.max(1, Math.floor(window.limit * scale)), windowMs: window.windowMs }));

/** The most sends found in any window (t - windowMs, t]; throws if a window holds more than its limit. */
function assertWithin(times: readonly number[], windows: readonly RateWindow[], label: string): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (const window of windows) {
    let start = 0;
    for (let end = 0; end < sorted.length; end++) {
      while ((sorted[start] as number) <= (sorted[end] as number) - window.windowMs) start++;
      // Sends at the same instant as `end` count too.
      let last = end;
      while (last + 1 < sorted.length && sorted[last + 1] === sorted[end]) last++;
      const inWindow = last - start + 1;
      if (inWindow > window.limit) {
        throw new Error(`${label}: ${inWindow} sends in ${window.windowMs} ms ending at ${sorted[end]}, limit ${window.limit}`);
      }
    }
  }
}

function assertTeamsLimits(admitted: readonly Admitted[], scale = 1): void {
  assertWithin(
    admitted.map((a) => a.at),
    scaled(TEAMS_APP_WINDOWS, scale),
    'app',
  );
  const byConversation = new Map<string, number[]>();
  for (const a of admitted) byConversation.set(a.conversationId, [...(byConversation.get(a.conversationId) ?? []), a.at]);
  for (const [conversationId, times] of byConversation) assertWithin(times, scaled(TEAMS_CONVERSATION_WINDOWS, scale), conversationId);
}

const burst = (conversationId: string, count: number, at = 0): Request[] => Array.from({ length: count }, () => ({ conversationId, at }));

/** A seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('rate limiter: Teams limits hold exactly', () => {
  test('the brute-force check itself catches a window that holds one too many', () => {
    expect(() => assertWithin([0, 0, 0, 0, 0, 0, 0, 999], [{ limit: 7, windowMs: 1000 }], 'x')).toThrow(/8 sends in 1000 ms/);
    expect(() => assertWithin([0, 0, 0, 0, 0, 0, 0, 1000], [{ limit: 7, windowMs: 1000 }], 'x')).not.toThrow();
    expect(() => assertWithin([5, 1, 9], [{ limit: 2, windowMs: 10 }], 'x')).toThrow(/3 sends/);
  });

  test('a burst to one conversation: 7 in a second, 8 in two, 60 in thirty, never more, and no slower', () => {
    const admitted = simulate(new RateLimiter({ marginMs: 0 }), burst('a:one', 200));
    assertTeamsLimits(admitted);
    const times = admitted.map((a) => a.at);
    // 7 at once; the 8th as soon as the first second has passed; the 9th must wait for the 2 s window.
    expect(times.slice(0, 9)).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
    // The 30 s window is used in full, and the 61st goes the moment the first sends leave it.
    expect(times.filter((t) => t < 30_000)).toHaveLength(60);
    expect(times[60]).toBe(30_000);
  });

  test('many conversations at once: 50 a second across the app, each conversation within its own limits', () => {
    const requests = Array.from({ length: 1000 }, (_, i) => ({ conversationId: `a:${i}`, at: 0 }));
    const admitted = simulate(new RateLimiter({ marginMs: 0 }), requests);
    assertTeamsLimits(admitted);
    // Exactly 50 every second: nothing lost to slack.
    expect(admitted.map((a) => a.at)).toEqual(admitted.map((_, i) => Math.floor(i / 50) * 1000));
  });

  test('random traffic, several busy conversations among many quiet ones: no window of either kind is ever exceeded', () => {
    const random = seeded(42);
    const requests: Request[] = [];
    for (let i = 0; i < 3000; i++) {
      const busy = random() < 0.4;
      requests.push({ conversationId: busy ? `busy:${Math.floor(random() * 5)}` : `quiet:${Math.floor(random() * 400)}`, at: Math.floor(random() * 20_000) });
    }
    const admitted = simulate(new RateLimiter({ marginMs: 0 }), requests);
    expect(admitted).toHaveLength(requests.length);
    assertTeamsLimits(admitted);
  });

  test('the margin makes every window that much longer, and never lets more through', () => {
    const limiter = new RateLimiter({ marginMs: 100 });
    const admitted = simulate(limiter, Array.from({ length: 120 }, (_, i) => ({ conversationId: `a:${i}`, at: 0 })));
    assertTeamsLimits(admitted);
    expect(admitted[49]?.at).toBe(0);
    expect(admitted[50]?.at).toBe(1100);
    expect(admitted[100]?.at).toBe(2200);
  });

  test('a refused request takes no slot; an earlier `now` than already seen counts as the latest', () => {
    const limiter = new RateLimiter({ marginMs: 0 });
    for (let i = 0; i < 7; i++) expect(limiter.reserve('a:x', 5000)).toBe(0);
    expect(limiter.reserve('a:x', 5400)).toBe(600);
    expect(limiter.reserve('a:x', 5400)).toBe(600);
    expect(limiter.trackedSends).toBe(14); // 7 in the app log, 7 in the conversation's
    expect(limiter.reserve('a:x', 1000)).toBe(600);
    expect(limiter.reserve('a:x', 6000)).toBe(0);
  });
});

describe('rate limiter: settling and holding', () => {
  test('a settled send counts from when it finished, so its slot frees no earlier than Teams frees it', () => {
    const limiter = new RateLimiter({ marginMs: 0 });
    for (let i = 0; i < 50; i++) expect(limiter.reserve(`a:${i}`, 0)).toBe(0);
    // The first send took 300 ms to come back; the others were instant.
    limiter.settle('a:0', 0, 300);
    // At 1000 the window (0, 1000] still holds the one counted at 300: room for 49, not 50.
    let admitted = 0;
    while (limiter.reserve(`b:${admitted}`, 1000) === 0) admitted++;
    expect(admitted).toBe(49);
    expect(limiter.reserve('b:late', 1000)).toBe(300);
    expect(limiter.reserve('b:late', 1300)).toBe(0);
    // Settling never moves a send earlier, and one the limiter does not hold is ignored.
    limiter.settle('a:1', 0, -50);
    limiter.settle('a:nobody', 12345, 20000);
    // App log: the 50 of the last second; conversation logs: 50 + 49 + 1.
    expect(limiter.trackedSends).toBe(50 + 100);
  });

  test('holdAll gives no slot before the given time, then the windows apply as usual', () => {
    const limiter = new RateLimiter({ marginMs: 0 });
    limiter.holdAll(2100);
    expect(limiter.reserve('a:x', 0)).toBe(2100);
    expect(limiter.reserve('a:x', 2000)).toBe(100);
    limiter.holdAll(1000); // never shortens a hold
    expect(limiter.reserve('a:x', 2100)).toBe(0);
  });
});

describe('rate limiter: scale', () => {
  test('scale 10 multiplies every limit by 10 and leaves the windows as they are', () => {
    const limiter = new RateLimiter({ scale: 10, marginMs: 0 });
    expect(limiter.limits.app).toEqual([{ limit: 500, windowMs: 1000 }]);
    expect(limiter.limits.conversation).toEqual([
      { limit: 70, windowMs: 1000 },
      { limit: 80, windowMs: 2000 },
      { limit: 600, windowMs: 30_000 },
      { limit: 18_000, windowMs: 3_600_000 },
    ]);
    const many = simulate(limiter, Array.from({ length: 1500 }, (_, i) => ({ conversationId: `a:${i}`, at: 0 })));
    assertTeamsLimits(many, 10);
    expect(many.map((a) => a.at)).toEqual(many.map((_, i) => Math.floor(i / 500) * 1000));

    const one = simulate(new RateLimiter({ scale: 10, marginMs: 0 }), burst('a:one', 100));
    assertTeamsLimits(one, 10);
    expect(one.filter((a) => a.at === 0)).toHaveLength(70);
    expect(one[70]?.at).toBe(1000);
  });

  test('a small scale still lets one through per window', () => {
    const limiter = new RateLimiter({ scale: 0.1, marginMs: 0 });
    expect(limiter.limits.app).toEqual([{ limit: 5, windowMs: 1000 }]);
    expect(limiter.limits.conversation.map((window) => window.limit)).toEqual([1, 1, 6, 180]);
    const admitted = simulate(limiter, burst('a:one', 8));
    assertTeamsLimits(admitted, 0.1);
    expect(admitted.map((a) => a.at)).toEqual([0, 2000, 4000, 6000, 8000, 10_000, 30_000, 32_000]);
  });

  test('a scale that is not a positive number is refused', () => {
    expect(() => new RateLimiter({ scale: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new RateLimiter({ scale: Number.NaN })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => new RateLimiter({ marginMs: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('rate limiter: memory', () => {
  test('conversations quiet for longer than the longest window are forgotten; old send times are dropped', () => {
    const limiter = new RateLimiter({ marginMs: 0 });
    // 20,000 conversations, one send each, spread over three hours.
    let refused = 0;
    for (let i = 0; i < 20_000; i++) if (limiter.reserve(`a:${i}`, i * 540) !== 0) refused++;
    expect(refused).toBe(0);
    // Only those of roughly the last hour (and a sweep interval) are remembered.
    expect(limiter.trackedConversations).toBeLessThanOrEqual(Math.ceil((3_600_000 + 60_000) / 540) + 1);
    expect(limiter.trackedConversations).toBeGreaterThan(3_600_000 / 540 - 1);
    expect(limiter.reserve('a:late', 20_000 * 540 + 3_700_000)).toBe(0);
    expect(limiter.trackedConversations).toBe(1);
    expect(limiter.trackedSends).toBe(2);
  });

  test('one busy conversation holds at most its hourly limit of send times', () => {
    const limiter = new RateLimiter({ marginMs: 0 });
    const admitted = simulate(limiter, burst('a:busy', 2000));
    expect(admitted[1800]?.at).toBeGreaterThanOrEqual(3_600_000);
    assertTeamsLimits(admitted);
    // App log: sends of the last second; conversation log: of the last hour.
    expect(limiter.trackedSends).toBeLessThanOrEqual(1800 + 50);
  });
});

import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { Verbs } from '../cards/verbs';
import { personalChat, type BotResponse } from '../tests/support/teams-client';
import { median, percentile, round, timeSequential, type Bench, type BenchResult, type Operation } from './measure';
import { checkAnswer, checkStored, nextPress, setUp, startFileBot, type Reviewer } from './review-save';

/**
 * Load: USERS reviewers (built as review-save.ts builds its 50) pressing `review.save` at
 * once for a sustained minute, through the real bot over HTTP into /api/messages, on a
 * SQLite file in WAL. Each has one press in flight and presses again as soon as it is
 * answered, walking the records review's sections next and back with valid answers.
 *
 * Reported: every press stored once (one draft-saved audit row per press answered, none
 * lost, none twice, each draft holding each section's last answers); p99 under load against
 * the unloaded p99 of the same press, one at a time, measured in the same run (before and
 * after the load, pooled); the bot process's memory sampled every 250 ms (peak, and the
 * start of the minute against its end); and every error.
 *
 * The users run in a child process (this same file, started with CLIENT_ROLE set), as Teams
 * does not share the bot's event loop: in-process, 200 clients' work would be charged to the
 * bot's latency and memory. LOAD_SECONDS shortens (or lengthens) the minute for a quick run.
 */

const USERS = 200;
const DEFAULT_SECONDS = 60;
/** Load before the minute starts (the first presses all at once, JIT), not counted in its latencies. */
const MAX_WARMUP_MS = 5000;
/** One press at a time, before and after the load; pooled for the unloaded reference. */
const MAX_UNLOADED_MS = 5000;
const SAMPLE_EVERY_MS = 250;
/** The start and the end of the minute are each this long a window (at most a quarter of it), compared by their lowest heap. */
const MAX_WINDOW_MS = 15_000;
/** "Steady": the heap at the end of the minute at most this much above the heap after warm-up. */
const STEADY_WITHIN = 0.2;
const TEAMS_INVOKE_DEADLINE_MS = 5000;
const MB = 1024 * 1024;
const CLIENT_ROLE = 'QA_LOOP_BENCH_LOAD_CLIENT';

function loadSeconds(): number {
  const text = (process.env.LOAD_SECONDS ?? '').trim();
  if (text === '') return DEFAULT_SECONDS;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`LOAD_SECONDS must be a number of seconds above 0, not "${text}".`);
  return seconds;
}

type Activity = Record<string, unknown>;

/** What the presses got back, counted as they are answered (nothing of an answer is kept). */
interface Tally {
  sent: number;
  answered: number;
  withCard: number;
  asExpected: number;
  /** Requests that got no HTTP answer at all. */
  failed: number;
  unexpected: string[];
}

const newTally = (): Tally => ({ sent: 0, answered: 0, withCard: 0, asExpected: 0, failed: 0, unexpected: [] });

/** What the load phase hands back: latencies of presses made within the minute, and when it was (wall clock, for the bot's memory samples). */
interface Sustained {
  latenciesMs: number[];
  /** Presses answered in each second of the minute. */
  perSecond: number[];
  /** The slowest press of all, warm-up included, and when it started relative to the minute (ms, negative in warm-up). */
  slowest: { ms: number; startedMs: number };
  /** Latencies of the first press of each user: all of them at once. */
  firstPressesMs: number[];
  minuteStartEpochMs: number;
  minuteEndEpochMs: number;
  drainMs: number;
}

/** Messages between the bench and its users' process. */
type ToClient =
  | { type: 'users'; botUrl: string; users: { reviewer: Reviewer; template: Activity }[] }
  | { type: 'one-at-a-time'; ms: number }
  | { type: 'load'; warmupMs: number; minuteMs: number }
  | { type: 'state' };
type FromClient =
  | { type: 'ready' }
  | { type: 'progress'; message: string }
  | { type: 'one-at-a-time'; latenciesMs: number[]; tally: Tally }
  | { type: 'load'; sustained: Sustained; tally: Tally }
  | { type: 'state'; reviewers: Pick<Reviewer, 'presses' | 'saved'>[] };

// ---- The users' side (the child process) ----

interface User {
  reviewer: Reviewer;
  /** An `adaptiveCard/action` invoke from this user, as TeamsClient builds it; each press gets fresh ids and its own data. */
  template: Activity;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** One press: the template with new ids and this press's data, posted as TeamsClient.post posts. */
async function post(botUrl: string, user: User, data: Record<string, string>): Promise<BotResponse> {
  const value = isRecord(user.template.value) ? user.template.value : {};
  const action = isRecord(value.action) ? value.action : {};
  const activity = { ...user.template, id: `act-${randomUUID()}`, timestamp: new Date().toISOString(), value: { ...value, action: { ...action, id: randomUUID(), data } } };
  const response = await fetch(botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}

/** Presses once for `user` and counts the answer; the latency in ms, or undefined when no answer came. */
async function pressOnce(botUrl: string, user: User, slot: number, tally: Tally): Promise<number | undefined> {
  const press = nextPress(user.reviewer, slot, 0);
  tally.sent++;
  const t0 = performance.now();
  let response: BotResponse;
  try {
    response = await post(botUrl, user, press.data);
  } catch (error) {
    tally.failed++;
    if (tally.unexpected.length < 3) tally.unexpected.push(`no answer: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const ms = performance.now() - t0;
  tally.answered++;
  const checked = checkAnswer(press, response);
  if (checked.withCard) tally.withCard++;
  if (checked.unexpected === undefined) tally.asExpected++;
  else if (tally.unexpected.length < 3) tally.unexpected.push(checked.unexpected);
  return ms;
}

/** The same press by one user at a time: the users take turns, one press in flight. */
function oneAtATime(botUrl: string, users: readonly User[], tally: Tally): Operation<number> {
  let turn = 0;
  return {
    prepare: () => turn++ % users.length,
    run: async (slot) => {
      if ((await pressOnce(botUrl, users[slot]!, slot, tally)) === undefined) throw new Error('A press one at a time got no answer.');
    },
  };
}

/** Every user presses, waits for the answer and presses again, from now to the end of the minute. */
async function sustain(botUrl: string, users: readonly User[], warmupMs: number, minuteMs: number, tally: Tally, progress: (message: string) => void): Promise<Sustained> {
  const minuteStart = performance.now() + warmupMs;
  const minuteEnd = minuteStart + minuteMs;
  const minuteStartEpochMs = Date.now() + warmupMs;
  const latenciesMs: number[] = [];
  const firstPressesMs: number[] = [];
  const perSecond: number[] = Array.from({ length: Math.ceil(minuteMs / 1000) }, () => 0);
  const slowest = { ms: 0, startedMs: 0 };
  const ticker = setInterval(() => {
    const at = performance.now();
    if (at >= minuteStart) progress(`${((at - minuteStart) / 1000).toFixed(0)} s: ${latenciesMs.length} presses answered in the minute`);
  }, 10_000);
  const worker = async (user: User, slot: number): Promise<void> => {
    let first = true;
    while (performance.now() < minuteEnd) {
      const started = performance.now();
      const ms = await pressOnce(botUrl, user, slot, tally);
      if (ms === undefined) continue;
      if (ms > slowest.ms) Object.assign(slowest, { ms, startedMs: started - minuteStart });
      if (first) firstPressesMs.push(ms);
      first = false;
      if (started < minuteStart) continue;
      latenciesMs.push(ms);
      const second = Math.floor((started + ms - minuteStart) / 1000);
      if (second < perSecond.length) perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(users.map(worker));
  } finally {
    clearInterval(ticker);
  }
  return { latenciesMs, perSecond, slowest, firstPressesMs, minuteStartEpochMs, minuteEndEpochMs: minuteStartEpochMs + minuteMs, drainMs: performance.now() - minuteEnd };
}

function serveUsers(): void {
  let botUrl = '';
  let users: User[] = [];
  const reply = (message: FromClient): void => {
    process.send?.(message);
  };
  const handle = async (message: ToClient): Promise<void> => {
    if (message.type === 'users') {
      botUrl = message.botUrl;
      users = message.users;
      reply({ type: 'ready' });
    } else if (message.type === 'one-at-a-time') {
      const tally = newTally();
      const samples = await timeSequential(oneAtATime(botUrl, users, tally), message.ms);
      reply({ type: 'one-at-a-time', latenciesMs: samples.latenciesMs, tally });
    } else if (message.type === 'load') {
      const tally = newTally();
      const sustained = await sustain(botUrl, users, message.warmupMs, message.minuteMs, tally, (text) => reply({ type: 'progress', message: text }));
      reply({ type: 'load', sustained, tally });
    } else {
      reply({ type: 'state', reviewers: users.map(({ reviewer }) => ({ presses: reviewer.presses, saved: reviewer.saved })) });
    }
  };
  process.on('message', (message: ToClient) => {
    handle(message).catch((error: unknown) => {
      process.stderr.write(`load bench users failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
  });
  process.once('disconnect', () => process.exit(0));
}

if (process.env[CLIENT_ROLE] === '1') serveUsers();

// ---- The bench's side (the bot's process) ----

/** The parent's side of the users' process. */
class RemoteUsers {
  private constructor(private readonly child: ChildProcess) {}

  static start(progress: (message: string) => void): RemoteUsers {
    const child = fork(__filename, [], { env: { ...process.env, [CLIENT_ROLE]: '1' } });
    child.on('message', (message: FromClient) => {
      if (message.type === 'progress') progress(message.message);
    });
    return new RemoteUsers(child);
  }

  /** Sends `message` and waits for the answer of `type` (progress aside); fails if the process ends first. */
  private ask<T extends FromClient['type']>(message: ToClient, type: T): Promise<Extract<FromClient, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: FromClient): void => {
        if (answer.type !== type) return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        resolve(answer as Extract<FromClient, { type: T }>);
      };
      const onExit = (code: number | null): void => {
        this.child.off('message', onMessage);
        reject(new Error(`The users' process ended (${String(code)}) before answering ${message.type}.`));
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(message);
    });
  }

  users(botUrl: string, users: { reviewer: Reviewer; template: Activity }[]): Promise<unknown> {
    return this.ask({ type: 'users', botUrl, users }, 'ready');
  }

  oneAtATime(ms: number): Promise<{ latenciesMs: number[]; tally: Tally }> {
    return this.ask({ type: 'one-at-a-time', ms }, 'one-at-a-time');
  }

  load(warmupMs: number, minuteMs: number): Promise<{ sustained: Sustained; tally: Tally }> {
    return this.ask({ type: 'load', warmupMs, minuteMs }, 'load');
  }

  async state(): Promise<Pick<Reviewer, 'presses' | 'saved'>[]> {
    return (await this.ask({ type: 'state' }, 'state')).reviewers;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    await ended;
  }
}

interface MemorySample {
  atEpochMs: number;
  rss: number;
  heapUsed: number;
}

/** Samples this process's RSS and heap used every `everyMs` until stopped. */
function sampleMemory(everyMs: number): { samples: MemorySample[]; stop(): void } {
  const samples: MemorySample[] = [];
  const take = (): void => {
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ atEpochMs: Date.now(), rss, heapUsed });
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      take();
    },
  };
}

/**
 * The bot's side of each request, from Node's own HTTP diagnostics: when a connection was
 * accepted, and how long each request took from arriving (headers read) to its response sent.
 */
function watchServer(): { accepts: number[]; requests: { atEpochMs: number; ms: number }[]; stop(): void } {
  const accepts: number[] = [];
  const requests: { atEpochMs: number; ms: number }[] = [];
  const arrived = new WeakMap<object, { atEpochMs: number; t: number }>();
  const requestOf = (message: unknown): object | undefined => {
    const request = isRecord(message) ? message.request : undefined;
    return typeof request === 'object' && request !== null ? request : undefined;
  };
  const onSocket = (): void => void accepts.push(Date.now());
  const onStart = (message: unknown): void => {
    const request = requestOf(message);
    if (request !== undefined) arrived.set(request, { atEpochMs: Date.now(), t: performance.now() });
  };
  const onFinish = (message: unknown): void => {
    const request = requestOf(message);
    const start = request === undefined ? undefined : arrived.get(request);
    if (start !== undefined) requests.push({ atEpochMs: start.atEpochMs, ms: performance.now() - start.t });
  };
  diagnostics.subscribe('net.server.socket', onSocket);
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);
  return {
    accepts,
    requests,
    stop: () => {
      diagnostics.unsubscribe('net.server.socket', onSocket);
      diagnostics.unsubscribe('http.server.request.start', onStart);
      diagnostics.unsubscribe('http.server.response.finish', onFinish);
    },
  };
}

/**
 * The samples taken in [from, to): the lowest heap used (just after a collection: what is
 * still live, the figure a leak raises), its median (live and not yet collected), and the median RSS.
 */
function windowOf(samples: readonly MemorySample[], from: number, to: number): { heapFloor: number; heapMedian: number; rss: number; samples: number } {
  const within = samples.filter((sample) => sample.atEpochMs >= from && sample.atEpochMs < to);
  const heap = within.map((s) => s.heapUsed);
  return { heapFloor: Math.min(...heap), heapMedian: median(heap), rss: median(within.map((s) => s.rss)), samples: within.length };
}

interface Tail {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}
const tail = (latenciesMs: readonly number[]): Tail => {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { count: sorted.length, meanMs: sorted.reduce((sum, value) => sum + value, 0) / sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
};
const roundTail = (t: Tail): Tail => ({ count: t.count, meanMs: round(t.meanMs), p50Ms: round(t.p50Ms), p99Ms: round(t.p99Ms) });

const ms = (value: number): string => value.toFixed(1);
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const times = (value: number): string => `${value.toFixed(1)}x`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const signedPercent = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(0)}%`;

export const loadBench: Bench = {
  name: 'load',
  async run(progress): Promise<BenchResult> {
    const seconds = loadSeconds();
    const minuteMs = seconds * 1000;
    const warmupMs = Math.min(MAX_WARMUP_MS, minuteMs / 4);
    const unloadedMs = Math.max(1000, Math.min(MAX_UNLOADED_MS, minuteMs / 12));
    const windowMs = Math.min(MAX_WINDOW_MS, minuteMs / 4);
    const bot = await startFileBot();
    const { h, clock, journalMode, synchronous } = bot;
    const remote = RemoteUsers.start(progress);
    try {
      const reviewers = await setUp(h, clock, progress, USERS);
      if (reviewers.length !== USERS) throw new Error(`${reviewers.length} reviewers set up, not ${USERS}.`);
      // Each user's invoke as TeamsClient.press sends it; the users' process gives each press fresh ids and its data.
      const users = reviewers.map((reviewer) => ({
        reviewer,
        template: h.teams.activity(reviewer.person, personalChat(reviewer.person), {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', id: '', verb: Verbs.saveReviewSection, data: {} }, trigger: 'manual' },
        }),
      }));
      await remote.users(h.botUrl, users);

      progress(`one press at a time: ${(unloadedMs / 1000).toFixed(1)} s after a warm-up of the same length`);
      const warm = await remote.oneAtATime(unloadedMs);
      const before = await remote.oneAtATime(unloadedMs);

      progress(`${USERS} users pressing at once: ${(warmupMs / 1000).toFixed(1)} s warm-up, then ${seconds} s`);
      const memory = sampleMemory(SAMPLE_EVERY_MS);
      const server = watchServer();
      const loadStartEpochMs = Date.now();
      let loaded: { sustained: Sustained; tally: Tally };
      try {
        loaded = await remote.load(warmupMs, minuteMs);
      } finally {
        memory.stop();
        server.stop();
      }
      const { sustained } = loaded;

      progress(`one press at a time again: ${(unloadedMs / 1000).toFixed(1)} s`);
      const after = await remote.oneAtATime(unloadedMs);

      // Where each user's walk left their draft, for the stored-once check.
      (await remote.state()).forEach((state, i) => Object.assign(reviewers[i]!, state));
      const stored = await checkStored(h, reviewers);
      const errorsLogged = h.logLines.filter((line) => Number((JSON.parse(line) as { level?: number }).level) >= 50).length;
      const connectorCalls = h.connector.calls.length;

      const unloaded = { before: tail(before.latenciesMs), after: tail(after.latenciesMs), pooled: tail([...before.latenciesMs, ...after.latenciesMs]) };
      const underLoad = tail(sustained.latenciesMs);
      const firstPresses = tail(sustained.firstPressesMs);
      const p99OverUnloaded = underLoad.p99Ms / unloaded.pooled.p99Ms;
      const p99OverDeadline = underLoad.p99Ms / TEAMS_INVOKE_DEADLINE_MS;
      const minutePerSecond = sustained.latenciesMs.length / seconds;
      const tenSeconds: number[] = [];
      for (let s = 0; s + 10 <= sustained.perSecond.length; s += 10) tenSeconds.push(sustained.perSecond.slice(s, s + 10).reduce((sum, n) => sum + n, 0) / 10);
      const overDeadline = sustained.latenciesMs.filter((value) => value >= TEAMS_INVOKE_DEADLINE_MS).length;
      const inBot = tail(server.requests.filter((r) => r.atEpochMs >= sustained.minuteStartEpochMs && r.atEpochMs < sustained.minuteEndEpochMs).map((r) => r.ms));
      const lastAcceptS = server.accepts.length === 0 ? Number.NaN : (Math.max(...server.accepts) - loadStartEpochMs) / 1000;

      const { samples } = memory;
      const peakRss = Math.max(...samples.map((s) => s.rss));
      const peakHeapUsed = Math.max(...samples.map((s) => s.heapUsed));
      const start = windowOf(samples, sustained.minuteStartEpochMs, sustained.minuteStartEpochMs + windowMs);
      const end = windowOf(samples, sustained.minuteEndEpochMs - windowMs, sustained.minuteEndEpochMs);
      const heapGrowth = end.heapFloor / start.heapFloor - 1;
      const rssGrowth = end.rss / start.rss - 1;
      const steady = heapGrowth <= STEADY_WITHIN;
      const sampledEveryMs = samples.length > 1 ? (samples.at(-1)!.atEpochMs - samples[0]!.atEpochMs) / (samples.length - 1) : Number.NaN;

      const tallies = [warm.tally, before.tally, loaded.tally, after.tally];
      const sum = (key: 'sent' | 'answered' | 'withCard' | 'asExpected' | 'failed'): number => tallies.reduce((total, t) => total + t[key], 0);
      const presses = { sent: sum('sent'), answered: sum('answered'), withCard: sum('withCard'), asExpected: sum('asExpected'), failed: sum('failed') };
      const unexpected = tallies.flatMap((t) => t.unexpected).slice(0, 3);
      const checks = {
        allAsExpected: presses.asExpected === presses.sent,
        oneAuditRowEach: stored.auditRows === presses.answered && stored.reviewsCounted === reviewers.length,
        noneLost: presses.failed === 0 && stored.reviewsWithFewer === 0,
        noneTwice: stored.reviewsWithMore === 0,
        draftsAsLastPressed: stored.draftsAsLastPressed === reviewers.length,
        noErrors: presses.failed === 0 && errorsLogged === 0 && presses.withCard === presses.answered,
        withinDeadline: p99OverDeadline < 1,
        memorySteady: steady,
      };
      const pair = (t: Tail): string => `${ms(t.p50Ms)}, ${ms(t.p99Ms)}`;
      const growth = `${mb(start.heapFloor)} -> ${mb(end.heapFloor)}: ${steady ? `steady (${signedPercent(heapGrowth)})` : `grew ${mb(end.heapFloor - start.heapFloor)} (${signedPercent(heapGrowth)})`}`;
      return {
        name: 'load',
        title: `Load: ${USERS} users pressing review.save at once for ${seconds} s, through /api/messages, SQLite file (${journalMode})`,
        table: [
          ['measure', 'value', 'goal', ''],
          ['review.save p99 under load / unloaded p99 (one press at a time)', times(p99OverUnloaded), '', ''],
          [`review.save p50, p99 ms under load (n ${underLoad.count}, ${minutePerSecond.toFixed(0)}/s)`, pair(underLoad), '', ''],
          [`unloaded p50, p99 ms, one press at a time (n ${unloaded.pooled.count})`, pair(unloaded.pooled), '', ''],
          ['  unloaded p99 ms before, after the load', `${ms(unloaded.before.p99Ms)}, ${ms(unloaded.after.p99Ms)}`, '', ''],
          ['p99 under load / Teams invoke deadline', `${ms(underLoad.p99Ms)} / ${TEAMS_INVOKE_DEADLINE_MS} ms = ${p99OverDeadline.toFixed(3)}`, '< 1', verdict(checks.withinDeadline)],
          [`presses under load answered after ${TEAMS_INVOKE_DEADLINE_MS / 1000} s or more`, `${overDeadline} of ${underLoad.count}`, '', ''],
          [`  inside the bot (request read to response sent) p50, p99 ms`, pair(inBot), '', ''],
          [`the ${USERS} first presses, all at once: p50, p99, slowest ms`, `${pair(firstPresses)}, ${ms(Math.max(...sustained.firstPressesMs))}`, '', ''],
          ['  new connections the bot accepted; the last, after the load began', `${server.accepts.length}; ${lastAcceptS.toFixed(1)} s`, '', ''],
          ['presses answered/s, slowest and fastest 10 s of the minute', tenSeconds.length === 0 ? 'n/a' : `${Math.min(...tenSeconds).toFixed(0)}, ${Math.max(...tenSeconds).toFixed(0)}`, '', ''],
          ['presses answered 200 with the expected card', `${presses.asExpected} of ${presses.sent}`, 'all', verdict(checks.allAsExpected)],
          ['draft-saved audit rows', `${stored.auditRows} for ${presses.answered} presses answered`, 'one a press', verdict(checks.oneAuditRowEach)],
          ['presses lost (no answer; reviews with fewer rows than presses)', `${presses.failed}; ${stored.reviewsWithFewer}`, '0', verdict(checks.noneLost)],
          ['presses stored twice (reviews with more rows than presses)', String(stored.reviewsWithMore), '0', verdict(checks.noneTwice)],
          ["drafts holding each section's last answers", `${stored.draftsAsLastPressed} of ${reviewers.length}`, 'all', verdict(checks.draftsAsLastPressed)],
          ['errors: requests failed, answers not a card, bot error log lines', `${presses.failed}, ${presses.answered - presses.withCard}, ${errorsLogged}`, '0', verdict(checks.noErrors)],
          [`bot peak RSS, heap used (${samples.length} samples, one every ${sampledEveryMs.toFixed(0)} ms)`, `${mb(peakRss)}, ${mb(peakHeapUsed)}`, '', ''],
          [`bot heap used after warm-up -> end of the minute (lowest in ${(windowMs / 1000).toFixed(0)} s)`, growth, `+${(STEADY_WITHIN * 100).toFixed(0)}% at most`, verdict(checks.memorySteady)],
          ['  median heap used, and median RSS, in the same windows', `${mb(start.heapMedian)} -> ${mb(end.heapMedian)}; ${mb(start.rss)} -> ${mb(end.rss)} (${signedPercent(rssGrowth)})`, '', ''],
        ],
        notes: [
          `Each of the ${USERS} users has one press in flight and presses again as soon as it is answered (no pause between presses): ${USERS} always in flight. Latencies under load are of presses made within the ${seconds} s after a ${(warmupMs / 1000).toFixed(1)} s warm-up at the same load, which starts with all ${USERS} pressing at the same moment; the last presses took ${(sustained.drainMs / 1000).toFixed(1)} s to answer after the minute ended.`,
          `Mean press under load ${ms(underLoad.meanMs)} ms, of which the bot's own handling (request read to response sent) is p99 ${ms(inBot.p99Ms)} ms: the rest is waiting for the bot's process to read the request, on an open connection or to accept a new one. With ${USERS} always in flight and ${minutePerSecond.toFixed(0)} answered a second, a press spends about ${USERS} / ${minutePerSecond.toFixed(0)} = ${ms((USERS / minutePerSecond) * 1000)} ms in flight on average (Little's law); presses begun in the warm-up that ran on into the minute are not in the minute's figures. The slowest press of the run took ${ms(sustained.slowest.ms)} ms, begun ${(sustained.slowest.startedMs / 1000).toFixed(1)} s from the start of the minute.`,
          `Stored once: ${presses.sent} presses sent (${loaded.tally.sent} under load, ${presses.sent - loaded.tally.sent} one at a time), ${stored.reviewsCounted} of ${reviewers.length} reviews with exactly one draft-saved audit row per press.`,
          `The users run in a child process, so latencies are round trips from outside the bot, and memory is the bot's process alone (SQLite's own memory is in RSS, not the heap); its samples are taken every ${SAMPLE_EVERY_MS} ms when its event loop allows. "Steady" means the lowest heap used sampled in the last ${(windowMs / 1000).toFixed(0)} s of the minute (just after a collection: what is still live) is at most ${(STEADY_WITHIN * 100).toFixed(0)}% above the lowest in its first ${(windowMs / 1000).toFixed(0)} s after warm-up (a fall counts as steady); medians include garbage not yet collected.`,
          `SQLite file in a temporary directory, journal_mode ${journalMode} as the app opens it (synchronous ${String(synchronous)}). Connector calls during the presses: ${connectorCalls} (review.save answers in the invoke response only).`,
          ...unexpected.map((line) => `unexpected answer: ${line}`),
        ],
        figures: {
          users: USERS,
          seconds,
          warmupSeconds: round(warmupMs / 1000),
          journalMode,
          synchronous,
          load: {
            ...roundTail(underLoad),
            perSecond: round(minutePerSecond, 1),
            tenSecondPerSecond: tenSeconds.map((value) => round(value, 1)),
            overDeadline,
            drainMs: round(sustained.drainMs),
            slowest: { ms: round(sustained.slowest.ms), startedMs: round(sustained.slowest.startedMs) },
            firstPresses: { ...roundTail(firstPresses), maxMs: round(Math.max(...sustained.firstPressesMs)) },
          },
          inBot: roundTail(inBot),
          connections: { accepted: server.accepts.length, lastAcceptedAfterS: round(lastAcceptS, 1) },
          unloaded: { before: roundTail(unloaded.before), after: roundTail(unloaded.after), pooled: roundTail(unloaded.pooled) },
          ratios: { p99OverUnloaded: round(p99OverUnloaded), p99OverDeadline: round(p99OverDeadline) },
          presses: { ...presses, underLoad: loaded.tally.sent, oneAtATime: presses.sent - loaded.tally.sent, unexpected: unexpected.length },
          stored,
          errorsLogged,
          connectorCalls,
          memory: {
            sampleEveryMs: SAMPLE_EVERY_MS,
            samples: samples.length,
            sampledEveryMs: round(sampledEveryMs, 0),
            windowSeconds: round(windowMs / 1000),
            peakRssMb: round(peakRss / MB, 1),
            peakHeapUsedMb: round(peakHeapUsed / MB, 1),
            startHeapFloorMb: round(start.heapFloor / MB, 1),
            endHeapFloorMb: round(end.heapFloor / MB, 1),
            startHeapMedianMb: round(start.heapMedian / MB, 1),
            endHeapMedianMb: round(end.heapMedian / MB, 1),
            heapGrowth: round(heapGrowth),
            startRssMb: round(start.rss / MB, 1),
            endRssMb: round(end.rss / MB, 1),
            rssGrowth: round(rssGrowth),
            steady,
          },
          checks,
        },
      };
    } finally {
      await remote.stop();
      await bot.close();
    }
  },
};

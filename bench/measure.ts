import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Timing and percentile helpers shared by the benches. Every figure is wall-clock time
 * from `performance.now()`; nothing here knows about the bot.
 */

/** One request to time: `prepare` runs untimed before each request, `run` is what is timed. */
export interface Operation<T> {
  prepare(): T;
  run(prepared: T): Promise<void>;
}

/** Raw latencies (ms) of one or more timed blocks, and the wall time they took together. */
export interface Samples {
  latenciesMs: number[];
  wallMs: number;
}

export interface Summary {
  count: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** Completed requests per second of wall time. */
  perSecond: number;
}

export const emptySamples = (): Samples => ({ latenciesMs: [], wallMs: 0 });

/** Adds `block` into `into` (blocks of one case measured in different rounds are pooled). */
export function pool(into: Samples, block: Samples): void {
  for (const value of block.latenciesMs) into.latenciesMs.push(value);
  into.wallMs += block.wallMs;
}

/** The p-th percentile (0..100) of ascending `sorted`, interpolating between closest ranks. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (Math.min(Math.max(p, 0), 100) / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[above] ?? Number.NaN;
  return low + (high - low) * (rank - below);
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function summarize(samples: Samples): Summary {
  const sorted = [...samples.latenciesMs].sort((a, b) => a - b);
  const count = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    meanMs: count === 0 ? Number.NaN : total / count,
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[count - 1] ?? Number.NaN,
    perSecond: samples.wallMs > 0 ? (count * 1000) / samples.wallMs : Number.NaN,
  };
}

/** One request at a time until `budgetMs` has passed; each request timed on its own. */
export async function timeSequential<T>(op: Operation<T>, budgetMs: number): Promise<Samples> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + budgetMs;
  let end = start;
  while (end < deadline) {
    const prepared = op.prepare();
    const t0 = performance.now();
    await op.run(prepared);
    end = performance.now();
    latenciesMs.push(end - t0);
  }
  return { latenciesMs, wallMs: end - start };
}

/**
 * `concurrency` requests in flight until `budgetMs` has passed: each worker starts its
 * next request as soon as its last one answers. Wall time runs until the last one answers.
 */
export async function timeConcurrent<T>(op: Operation<T>, budgetMs: number, concurrency: number): Promise<Samples> {
  const latenciesMs: number[] = [];
  const start = performance.now();
  const deadline = start + budgetMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const prepared = op.prepare();
      const t0 = performance.now();
      await op.run(prepared);
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latenciesMs, wallMs: performance.now() - start };
}

/** One thing to time in a comparison, and what to check (untimed) after each of its blocks. */
export interface TimedCase<K extends string, T> {
  key: K;
  label: string;
  op: Operation<T>;
  /** Runs untimed after each block: checks what the block did, then clears its records. */
  settle(): void;
}

/** Times one block of `op` within `budgetMs`: timeSequential, or timeConcurrent at some concurrency. */
export type TimeBlock = (op: Operation<unknown>, budgetMs: number) => Promise<Samples>;

export interface Measured<K extends string> {
  /** Each case's blocks, pooled. */
  pooled: Map<K, Samples>;
  /** Per case, the median of each round's block: shows drift within one run. */
  roundMedians: Map<K, number[]>;
}

/**
 * Times every case in `rounds` rounds, each case getting budgetMs / rounds per round, in
 * alternating order so that neither side always runs first: drift in the machine's state
 * falls on every case alike.
 */
export async function measureInRounds<K extends string>(cases: readonly TimedCase<K, unknown>[], timeBlock: TimeBlock, budgetMs: number, rounds: number): Promise<Measured<K>> {
  const pooled = new Map<K, Samples>(cases.map((c) => [c.key, emptySamples()]));
  const roundMedians = new Map<K, number[]>(cases.map((c) => [c.key, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 === 0 ? cases : [...cases].reverse()) {
      const block = await timeBlock(c.op, budgetMs / rounds);
      c.settle();
      const into = pooled.get(c.key);
      if (into !== undefined) pool(into, block);
      roundMedians.get(c.key)?.push(median(block.latenciesMs));
    }
  }
  return { pooled, roundMedians };
}

/** Per round: the median of `over` / the median of `under`, to show how much a ratio moves within one run. */
export function roundRatios<K extends string>(measured: Measured<K>, over: K, under: K): number[] {
  const below = measured.roundMedians.get(under) ?? [];
  return (measured.roundMedians.get(over) ?? []).map((value, r) => value / (below[r] ?? Number.NaN));
}

/** What a bench hands back to bench/run.ts: a table for people and figures for machines. */
export interface BenchResult {
  name: string;
  title: string;
  table: string[][];
  notes: string[];
  figures: Record<string, unknown>;
}

export interface Bench {
  name: string;
  run(progress: (message: string) => void): Promise<BenchResult>;
}

/** Left-aligns the first column, right-aligns the rest; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Rounds for the JSON line: enough digits to compare runs, no float noise. */
export const round = (value: number, digits = 3): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);

export const roundSummary = (summary: Summary): Summary => ({
  count: summary.count,
  medianMs: round(summary.medianMs),
  p95Ms: round(summary.p95Ms),
  meanMs: round(summary.meanMs),
  minMs: round(summary.minMs),
  maxMs: round(summary.maxMs),
  perSecond: round(summary.perSecond, 1),
});

/**
 * How busy the machine's CPUs are (0..1, all CPUs together) over `ms`, measured while
 * this process is idle: other work on the machine moves every figure.
 */
export async function machineBusy(ms = 300): Promise<number> {
  const totals = (): { busy: number; all: number } =>
    cpus().reduce(
      (sum, cpu) => {
        const all = cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
        return { busy: sum.busy + all - cpu.times.idle, all: sum.all + all };
      },
      { busy: 0, all: 0 },
    );
  const before = totals();
  await sleep(ms);
  const after = totals();
  const all = after.all - before.all;
  return all > 0 ? (after.busy - before.busy) / all : 0;
}

/**
 * How many of `times` (ms) fell in each second from the first: the rate a stand-in saw.
 * `fullSeconds` leaves out the last, partial second and is sorted, for percentiles.
 */
export function countsEachSecond(times: readonly number[]): { rates: number[]; fullSeconds: number[] } {
  const first = Math.min(...times);
  const perSecond: number[] = [];
  for (const at of times) {
    const second = Math.floor((at - first) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  const rates = Array.from(perSecond, (count) => count ?? 0);
  return { rates, fullSeconds: rates.slice(0, -1).sort((a, b) => a - b) };
}

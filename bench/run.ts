import { availableParallelism } from 'node:os';
import { broadcastBench } from './broadcast';
import { deliveryBench } from './delivery';
import { helpRoundTrip } from './help-round-trip';
import { loadBench } from './load';
import { formatTable, machineBusy, type Bench, type BenchResult } from './measure';
import { reportBench } from './report';
import { reviewSaveBench } from './review-save';

/**
 * `npm run bench`: runs every bench in order (BENCH=name,name runs only those). Progress
 * goes to stderr; stdout carries a table per bench and, last, one line of JSON with every figure.
 */
const benches: Bench[] = [helpRoundTrip, reviewSaveBench, deliveryBench, broadcastBench, loadBench, reportBench];

/** The benches BENCH names, in their usual order; all of them when it is unset. */
function chosen(all: readonly Bench[], setting: string | undefined): Bench[] {
  const names = (setting ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) return [...all];
  const unknown = names.filter((name) => !all.some((bench) => bench.name === name));
  if (unknown.length > 0) throw new Error(`BENCH names no bench called ${unknown.join(', ')}; the benches are ${all.map((bench) => bench.name).join(', ')}.`);
  return all.filter((bench) => names.includes(bench.name));
}

async function main(): Promise<void> {
  const selected = chosen(benches, process.env.BENCH);
  const results: BenchResult[] = [];
  // Other work on the machine moves every figure; the ratios move less, but say so.
  const cpus = availableParallelism();
  const busyAtStart = await machineBusy();
  process.stdout.write(`node ${process.version}, ${cpus} CPUs, ${(busyAtStart * 100).toFixed(0)}% busy with other work at start\n`);
  if (busyAtStart >= 0.25) process.stdout.write('warning: the machine is busy with other work; expect noisy figures\n');
  for (const bench of selected) {
    const started = Date.now();
    const result = await bench.run((message) => process.stderr.write(`[${bench.name}] ${message}\n`));
    process.stderr.write(`[${bench.name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    results.push(result);
    process.stdout.write(`\n${result.title}\n\n${formatTable(result.table)}\n\n${result.notes.map((note) => `  ${note}`).join('\n')}\n\n`);
  }
  process.stdout.write(
    `${JSON.stringify({
      node: process.version,
      cpus,
      cpuBusyAtStart: Number(busyAtStart.toFixed(2)),
      benches: Object.fromEntries(results.map((result) => [result.name, result.figures])),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

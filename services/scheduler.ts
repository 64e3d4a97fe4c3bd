import { monthOf, nextMonth, previousMonth, type YearMonth } from './calendar';
import type { CycleJob, JobContext, JobOutcome } from './cycle-jobs';
import { QaError, toQaError } from './errors';

export interface SchedulerOptions {
  /** Names this process in job_runs, so a run's owner is known. */
  instanceId: string;
  /** How long a claimed run is this instance's before another may take it over (it may have died). */
  leaseMs: number;
}

export type RunResult =
  | { job: string; period: YearMonth; result: 'ran'; outcome: JobOutcome }
  | { job: string; period: YearMonth; result: 'done-already' | 'busy-elsewhere' }
  | { job: string; period: YearMonth; result: 'not-due'; dueAt?: Date }
  | { job: string; period: YearMonth; result: 'failed'; error: string };

/**
 * Runs the QA cycle's jobs when they are due. Each run is keyed (job, period) in the
 * database: whichever instance claims it first runs it, a finished run never runs
 * again, and a run missed while the bot was down is made up at the next tick — but
 * only in working hours, so nobody is messaged at night.
 */
export class Scheduler {
  constructor(
    private readonly context: JobContext,
    readonly jobs: readonly CycleJob[],
    private readonly options: SchedulerOptions,
  ) {}

  private ticking: Promise<unknown> = Promise.resolve();

  /**
   * Runs every job that is due at `now` and not yet done, in order. One failing job does
   * not stop the others. Ticks queue behind each other (cron tasks and the start-up
   * catch-up can fire together), so jobs keep their order within this instance.
   */
  tick(now: Date = this.context.clock.now()): Promise<RunResult[]> {
    const run = this.ticking.then(() => this.runDue(now));
    this.ticking = run.catch(() => undefined);
    return run;
  }

  private async runDue(now: Date): Promise<RunResult[]> {
    if (!this.context.calendar.isWithinWorkingHours(now, '09:00', '17:30')) return [];
    const results: RunResult[] = [];
    const month = monthOf(now);
    for (const job of this.jobs) {
      // This month's period, and last month's in case a run was missed across the month's turn.
      for (const period of new Set(job.periodsAt?.(this.context, now) ?? [job.periodFor(previousMonth(month)), job.periodFor(month)])) {
        try {
          const due = job.dueAt(this.context, period);
          if (due === undefined || due.getTime() > now.getTime() || now.getTime() >= job.closesAt(this.context, period).getTime()) continue;
          results.push(await this.runClaimed(job, period, now));
        } catch (error) {
          // e.g. the database was unreachable for the claim: this job waits for the next tick, the others go on.
          const problem = toQaError(error);
          this.context.logger.error({ job: job.name, period, result: 'failed', code: problem.code }, 'job');
          results.push({ job: job.name, period, result: 'failed', error: problem.message });
        }
      }
    }
    return results;
  }

  /**
   * Runs one job for the period that `at` falls in, as if the time were `at` (how the
   * QA manager and tests replay a month). It is still keyed, so it never repeats a run.
   */
  async runAt(name: string, at: Date): Promise<RunResult> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (job === undefined) {
      throw new QaError('NOT_FOUND', `No job called ${name}`, { userMessage: `There is no job called "${name}". Jobs: ${this.jobs.map((j) => j.name).join(', ')}.` });
    }
    const period = job.periodsAt?.(this.context, at).at(-1) ?? job.periodFor(monthOf(at));
    const due = job.dueAt(this.context, period);
    // Before its due time a job would send the wrong thing (a "last reminder" on the 5th) and use up its run.
    if (due === undefined || at.getTime() < due.getTime()) return { job: name, period, result: 'not-due', ...(due === undefined ? {} : { dueAt: due }) };
    return this.runClaimed(job, period, at);
  }

  /** The next time a job is due after `now`, looking up to fourteen months ahead. */
  nextRun(job: CycleJob, now: Date): Date | undefined {
    if (job.periodsAt !== undefined) {
      for (let day = 0; day < 15; day++) {
        const period = job.periodsAt(this.context, new Date(now.getTime() + day * 86_400_000)).at(-1);
        const due = period === undefined ? undefined : job.dueAt(this.context, period);
        if (due !== undefined && due.getTime() > now.getTime()) return due;
      }
      return undefined;
    }
    let month = previousMonth(monthOf(now));
    for (let i = 0; i < 15; i++, month = nextMonth(month)) {
      const due = job.dueAt(this.context, job.periodFor(month));
      if (due !== undefined && due.getTime() > now.getTime()) return due;
    }
    return undefined;
  }

  /**
   * Claims and runs one job. The job sees `now` (which may be a replayed time); the claim
   * and its lease use the real clock, so a replay cannot look expired to other instances.
   */
  private async runClaimed(job: CycleJob, period: YearMonth, now: Date): Promise<RunResult> {
    const { repos, logger } = this.context;
    const claim = await repos.jobRuns.claim(job.name, period, this.options.instanceId, this.context.clock.now(), this.options.leaseMs);
    if (claim === 'done') return { job: job.name, period, result: 'done-already' };
    if (claim === 'busy') return { job: job.name, period, result: 'busy-elsewhere' };
    const started = Date.now();
    const runContext: JobContext = { ...this.context, clock: { now: () => now } };
    try {
      const outcome = await job.run(runContext, period);
      await repos.jobRuns.finish(job.name, period, this.options.instanceId, { error: null }, this.context.clock.now());
      logger.info({ job: job.name, period, result: 'ran', queued: outcome.queued, ...outcome.detail, ms: Date.now() - started }, 'job');
      return { job: job.name, period, result: 'ran', outcome };
    } catch (error) {
      const problem = toQaError(error);
      // Marked failed, so the next tick retries it; what it queued already is not queued twice.
      await repos.jobRuns.finish(job.name, period, this.options.instanceId, { error: `${problem.code}: ${problem.message}`.slice(0, 2000) }, this.context.clock.now()).catch(() => false);
      logger.error({ job: job.name, period, result: 'failed', code: problem.code, err: problem.message, ms: Date.now() - started }, 'job');
      return { job: job.name, period, result: 'failed', error: problem.message };
    }
  }
}

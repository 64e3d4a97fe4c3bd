/** `jobs …`: the QA cycle's scheduled jobs, listed or run by hand (to make up a run or rehearse a month). */
import { monthLabel } from '../cards/labels';
import { createNoticeComposer } from '../cards/notice-composer';
import type { CycleCalendar } from '../services/calendar';
import { LONDON } from '../services/clock';
import { cycleJobs, type JobContext } from '../services/cycle-jobs';
import { QaError } from '../services/errors';
import { Scheduler, type RunResult } from '../services/scheduler';
import { reportLinkMaker } from '../services/reports/report-link';
import type { CliCommand, CliRuntime } from './qa';

/**
 * How long a run claimed here is this process's. A job run takes seconds; ten minutes
 * covers a slow database without leaving a dead run blocked for long.
 */
const LEASE_MS = 10 * 60_000;

function schedulerFor(cli: CliRuntime): Scheduler {
  // Report cards get links only with the bot's own secret: one made up for this process would not open on the bot.
  const links = cli.config.reportLinks.secretSource === 'configured' ? reportLinkMaker(cli.config.reportLinks, cli.context.clock) : undefined;
  const context: JobContext = { ...cli.context, compose: createNoticeComposer(cli.context.calendar, links) };
  return new Scheduler(context, cycleJobs, { instanceId: cli.config.instanceId, leaseMs: LEASE_MS });
}

const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });

/** "2026-12-01 09:00 Europe/London": unambiguous, and sorts as text. */
const londonMinute = (calendar: CycleCalendar, at: Date): string => `${calendar.londonDateOf(at)} ${londonClock.format(at)} ${LONDON}`;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LONDON_WALL_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/;

/**
 * --at: an ISO time with a zone is that instant; without one it is London wall-clock time
 * (what the QA manager means), and a date alone is 09:00, when the jobs normally run.
 */
function atArgument(cli: CliRuntime, text: string): Date {
  const wrong = (): QaError => cli.badArgument(`--at "${text}" is not a time: use e.g. 2026-09-01T08:00:00Z, or 2026-09-01T09:00 for London time.`);
  if (ISO_WITH_ZONE.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw wrong();
    return at;
  }
  const wall = LONDON_WALL_TIME.exec(text);
  if (wall === null) throw wrong();
  try {
    return cli.context.calendar.londonTime(wall[1] ?? '', wall[2] ?? '09:00');
  } catch {
    throw wrong();
  }
}

const listCommand: CliCommand = {
  usage: 'jobs list',
  summary: 'Each job of the QA cycle: its schedule (cron, Europe/London), its next run and what it does',
  takes: { min: 0, max: 0 },
  async run(_input, cli) {
    const scheduler = schedulerFor(cli);
    const now = cli.context.clock.now();
    cli.table(
      scheduler.jobs.map((job) => {
        const next = scheduler.nextRun(job, now);
        return [job.name, `${job.schedule} (${LONDON})`, next === undefined ? 'next: none within 14 months' : `next: ${londonMinute(cli.context.calendar, next)}`, job.description];
      }),
    );
  },
};

const counts = (detail: Record<string, number>): string =>
  Object.entries(detail)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');

function describe(cli: CliRuntime, result: RunResult, at: Date): string {
  // Monthly jobs' periods are months; others' are days (2027-01-15) or quarters (2027-Q1).
  const isMonth = /^\d{4}-\d{2}$/.test(result.period);
  const period = isMonth ? `${result.period} (${monthLabel(result.period)})` : result.period;
  switch (result.result) {
    case 'ran': {
      const { queued, detail } = result.outcome;
      const extra = Object.keys(detail).length > 0 ? `; ${counts(detail)}` : '';
      return `${result.job} ran for ${period} as at ${londonMinute(cli.context.calendar, at)}: ${queued} message${queued === 1 ? '' : 's'} queued${extra}.`;
    }
    case 'done-already':
      return `${result.job}: already done for ${period}; nothing ran again.`;
    case 'busy-elsewhere':
      return `${result.job}: busy in another instance for ${period}; try again in a few minutes.`;
    case 'not-due':
      if (result.dueAt !== undefined) return `${result.job}: not due yet for ${period}: it is due at ${londonMinute(cli.context.calendar, result.dueAt)}.`;
      if (!isMonth) return `${result.job}: nothing to do for ${period}.`;
      return cli.context.calendar.isActiveMonth(result.period)
        ? `${result.job}: nothing to do: ${period} is an active month, so this job is not due.`
        : `${result.job}: nothing to do: ${period} is paused.`;
    case 'failed':
      // The scheduler has logged it and marked the run failed, so it can be run again.
      throw new QaError('INTERNAL', `${result.job} failed for ${period}: ${result.error}. The run is marked failed and can be run again.`);
  }
}

const runCommand: CliCommand = {
  usage: 'jobs run NAME [--at TIME]',
  summary: 'Run one job (see jobs list) as if at TIME, default now: e.g. 2026-09-01T08:00:00Z, or London time 2026-09-01T09:00',
  takes: { min: 1, max: 1 },
  options: ['at'],
  async run({ args: [name = ''], options }, cli) {
    const scheduler = schedulerFor(cli);
    if (!scheduler.jobs.some((job) => job.name === name)) {
      throw cli.badArgument(`There is no job called "${name}". The jobs are ${scheduler.jobs.map((job) => job.name).join(', ')}.`);
    }
    const given = options.get('at');
    const at = given === undefined ? cli.context.clock.now() : atArgument(cli, given);
    if (at.getTime() > cli.context.clock.now().getTime()) {
      // A run is once per period: run early, it is the run, and the one at the real time will not happen.
      cli.err(`Note: ${londonMinute(cli.context.calendar, at)} is in the future. This run counts as ${name}'s run for its period; it will not run again then.`);
    }
    const result = await scheduler.runAt(name, at);
    cli.out(describe(cli, result, at));
    if (result.result === 'ran' && result.outcome.queued > 0) {
      cli.out('The messages wait in the outbox: the running bot delivers them.');
    }
  },
};

export const jobCommands: readonly CliCommand[] = [listCommand, runCommand];

import { nextMonth, previousMonth, type YearMonth } from '../calendar';
import type { ServiceContext } from '../context';
import type { CycleJob, JobContext, JobOutcome } from '../cycle-jobs';
import { queueNotice } from '../notices';
import { parsePeriod, quarterOf, type ReportPeriod } from './period';
import { buildReport } from './report-builder';
import { summarise } from './report-summary';
import { TRUST } from './scope';

const at9 = (context: ServiceContext, date: string): Date => context.calendar.londonTime(date, '09:00');
const startOf = (context: ServiceContext, month: YearMonth): Date => context.calendar.londonTime(`${month}-01`, '00:00');

/** The trust's report for a period, to every active QA manager, once each (the dedupe key is the period). */
async function sendReport(context: JobContext, period: ReportPeriod): Promise<JobOutcome> {
  const [report, everyone] = await Promise.all([buildReport(context, { period, scope: TRUST }), context.repos.staff.listAll()]);
  const summary = summarise(report);
  const qaManagers = everyone.filter((person) => person.active && person.roles.includes('qa_manager'));
  let queued = 0;
  for (const person of qaManagers) {
    if (await queueNotice(context, context.compose, person, { type: 'qa-report', person, summary }, `qa-report:${period.kind}:${period.key}:${person.id}`)) queued++;
  }
  return { queued, detail: { qaManagers: qaManagers.length, expected: report.activity.all.expected.length, completed: report.activity.all.completed.length } };
}

/**
 * The monthly QA report: on the first working day of a month, the trust's report for the
 * month before, if that month was active (after a paused month there is none; the
 * paused month's feedback is in the quarterly report). Its period is the reported month.
 */
export const monthlyReport: CycleJob = {
  name: 'monthly-report',
  description: "Sends the QA managers last month's QA report",
  schedule: '0 9 * * 1-5',
  periodFor: (month) => previousMonth(month),
  dueAt: (context, period) => (context.calendar.isActiveMonth(period) ? at9(context, context.calendar.firstWorkingDay(nextMonth(period))) : undefined),
  closesAt: (context, period) => startOf(context, nextMonth(nextMonth(period))),
  run: (context, period) => sendReport(context, parsePeriod('monthly', period)),
};

/** The month after a calendar quarter, e.g. 2027-04 for 2027-Q1. */
const monthAfter = (quarter: string): YearMonth => {
  const year = Number(quarter.slice(0, 4));
  const number = Number(quarter.slice(6));
  return number === 4 ? `${year + 1}-01` : `${year}-${String(number * 3 + 1).padStart(2, '0')}`;
};

/**
 * The quarterly QA report (for the Executive Management Team and the Trust Board): on
 * the first working day after each calendar quarter, the trust's report for it, to the
 * QA managers. Its period is the quarter, e.g. 2027-Q1.
 */
export const quarterlyReport: CycleJob = {
  name: 'quarterly-report',
  description: "Sends the QA managers last quarter's QA report, for the Executive Management Team and Trust Board",
  schedule: '0 9 * * 1-5',
  periodFor: (month) => quarterOf(previousMonth(month)),
  dueAt: (context, quarter) => at9(context, context.calendar.firstWorkingDay(monthAfter(quarter))),
  closesAt: (context, quarter) => startOf(context, nextMonth(monthAfter(quarter))),
  run: (context, quarter) => sendReport(context, parsePeriod('quarterly', quarter)),
};

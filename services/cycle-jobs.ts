import { actionReminders } from './actions/action-jobs';
import { retentionJob } from './retention';
import { briefingReminders, briefingSends } from './briefings/briefing-jobs';
import { complaintDeadlines } from './feedback/complaint-jobs';
import { monthlyReport, quarterlyReport } from './reports/report-jobs';
import { spotlightPreview } from './spotlights/spotlight-jobs';
import { isOpen, type Assignment } from './assignments';
import { nextMonth, previousMonth, type YearMonth } from './calendar';
import type { ServiceContext } from './context';
import { queueNotice, type NoticeComposer } from './notices';
import { planFor } from './rota-service';
import type { StaffMember } from './staff';

/** A job of the QA cycle: when it is due for a period, until when a missed run is made up, and what it does. */
export interface CycleJob {
  name: string;
  description: string;
  /** The node-cron expression (Europe/London) that wakes the scheduler for it. */
  schedule: string;
  /** The period a run at `month` would be for (escalation looks back a month). */
  periodFor(month: YearMonth): YearMonth;
  /**
   * For a job that runs more often than monthly: the periods to consider at `now`, the
   * current one last (e.g. yesterday and today for a daily job). Monthly jobs leave it out.
   */
  periodsAt?(context: ServiceContext, now: Date): string[];
  /** When the job is due for a period, or undefined if it has nothing to do then (e.g. a paused month). */
  dueAt(context: ServiceContext, period: YearMonth): Date | undefined;
  /** After this a missed run is no longer worth making up. */
  closesAt(context: ServiceContext, period: YearMonth): Date;
  run(context: JobContext, period: YearMonth): Promise<JobOutcome>;
}

export interface JobContext extends ServiceContext {
  compose: NoticeComposer;
}

export interface JobOutcome {
  /** Messages newly queued (a re-run queues none twice). */
  queued: number;
  detail: Record<string, number>;
}

export const WEEKDAYS_AT_NINE = '0 9 * * 1-5';
export const at9 = (context: ServiceContext, date: string): Date => context.calendar.londonTime(date, '09:00');
const startOf = (context: ServiceContext, month: YearMonth): Date => context.calendar.londonTime(`${month}-01`, '00:00');

export async function staffIndex(context: ServiceContext): Promise<Map<string, StaffMember>> {
  return new Map((await context.repos.staff.listAll()).map((person) => [person.id, person]));
}

const dueDateOf = (context: ServiceContext, month: YearMonth): string => context.calendar.lastWorkingDay(month);

/** First working day of an active month: make each rota manager's assignment and send it. */
export const assignMonth: CycleJob = {
  name: 'assign-month',
  description: "Makes the month's assignments and sends each manager theirs",
  schedule: WEEKDAYS_AT_NINE,
  periodFor: (month) => month,
  dueAt: (context, month) => (context.calendar.isActiveMonth(month) ? at9(context, context.calendar.firstWorkingDay(month)) : undefined),
  closesAt: (context, month) => startOf(context, nextMonth(month)),
  async run(context, month) {
    const index = context.calendar.activeMonthIndex(month);
    const [members, people, overrides] = await Promise.all([
      context.repos.rota.listMembers(),
      staffIndex(context),
      context.repos.rota.overridesForMonth(month),
    ]);
    const overrideFor = new Map(overrides.map((override) => [override.staffId, override]));
    let assigned = 0;
    let excused = 0;
    let queued = 0;
    for (const member of members) {
      const person = people.get(member.staffId);
      const plan = planFor(member, person, overrideFor.get(member.staffId), month, index);
      if (person === undefined || plan === undefined) continue;
      const { kind, excuseReason: excuse } = plan;
      const { assignment, created } = await context.repos.assignments.create(person.id, month, kind, excuse === null ? 'assigned' : 'excused', excuse, context.clock.now());
      if (created) {
        await context.repos.audit.append(
          { actor: 'qa-loop', actorRole: null, action: 'assignment.created', recordKind: 'assignment', recordId: assignment.id, source: 'job', detail: { month, kind, status: assignment.status } },
          context.clock.now(),
        );
      }
      if (assignment.status === 'excused') {
        excused++;
        continue;
      }
      assigned++;
      if (await queueNotice(context, context.compose, person, { type: 'assignment', person, assignment, dueDate: dueDateOf(context, month) }, `assignment:${month}:${person.id}`)) queued++;
    }
    return { queued, detail: { assigned, excused } };
  },
};

async function remindOpen(context: JobContext, month: YearMonth, type: 'nudge' | 'final-reminder'): Promise<JobOutcome> {
  const [assignments, people] = await Promise.all([context.repos.assignments.listForMonth(month), staffIndex(context)]);
  let queued = 0;
  let open = 0;
  for (const assignment of assignments.filter(isOpen)) {
    const person = people.get(assignment.staffId);
    if (person === undefined || !person.active) continue;
    open++;
    if (await queueNotice(context, context.compose, person, { type, person, assignment, dueDate: dueDateOf(context, month) }, `${type}:${month}:${person.id}`)) queued++;
  }
  return { queued, detail: { open } };
}

/** Mid-month: a nudge to those not done. */
export const nudge: CycleJob = {
  name: 'nudge',
  description: 'Mid-month reminder to managers whose activity is not done',
  schedule: WEEKDAYS_AT_NINE,
  periodFor: (month) => month,
  dueAt: (context, month) => (context.calendar.isActiveMonth(month) ? at9(context, context.calendar.midMonthWorkingDay(month)) : undefined),
  // Once the last reminder is due, a missed nudge would only be noise.
  closesAt: (context, month) => at9(context, context.calendar.workingDaysBeforeEnd(month, 3)),
  run: (context, month) => remindOpen(context, month, 'nudge'),
};

/** Three working days before the month ends: the last reminder. */
export const finalReminder: CycleJob = {
  name: 'final-reminder',
  description: 'Last reminder, three working days before the month ends',
  schedule: WEEKDAYS_AT_NINE,
  periodFor: (month) => month,
  dueAt: (context, month) => (context.calendar.isActiveMonth(month) ? at9(context, context.calendar.workingDaysBeforeEnd(month, 3)) : undefined),
  closesAt: (context, month) => startOf(context, nextMonth(month)),
  run: (context, month) => remindOpen(context, month, 'final-reminder'),
};

/** Next month's first working day: overdue activity goes to the line manager (or the QA managers if there is none). */
export const escalate: CycleJob = {
  name: 'escalate',
  description: "Tells line managers about last month's overdue activity",
  schedule: WEEKDAYS_AT_NINE,
  periodFor: (month) => previousMonth(month),
  dueAt: (context, period) => (context.calendar.isActiveMonth(period) ? at9(context, context.calendar.firstWorkingDay(nextMonth(period))) : undefined),
  closesAt: (context, period) => startOf(context, nextMonth(nextMonth(period))),
  async run(context, period) {
    const [assignments, people] = await Promise.all([context.repos.assignments.listForMonth(period), staffIndex(context)]);
    const qaManagers = [...people.values()].filter((person) => person.active && person.roles.includes('qa_manager'));
    let overdue = 0;
    let queued = 0;
    for (const assignment of assignments.filter((a: Assignment) => isOpen(a))) {
      const person = people.get(assignment.staffId);
      if (person === undefined) continue;
      overdue++;
      const lineManager = person.lineManagerId === null ? undefined : people.get(person.lineManagerId);
      const recipients = lineManager?.active === true ? [lineManager] : qaManagers;
      for (const recipient of recipients) {
        const notice = { type: 'escalation' as const, recipient, person, assignment };
        if (await queueNotice(context, context.compose, recipient, notice, `escalation:${period}:${person.id}:${recipient.id}`)) queued++;
      }
      // Marked only when someone was told; with nobody to tell it stays visible as not escalated.
      if (recipients.length > 0 && (await context.repos.assignments.markEscalated(assignment.id, context.clock.now()))) {
        await context.repos.audit.append(
          { actor: 'qa-loop', actorRole: null, action: 'assignment.escalated', recordKind: 'assignment', recordId: assignment.id, source: 'job', detail: { month: period, to: recipients.length } },
          context.clock.now(),
        );
      }
    }
    return { queued, detail: { overdue } };
  },
};

/** First working day of a paused month: the reflection message instead of an assignment. */
export const reflection: CycleJob = {
  name: 'reflection',
  description: 'Paused month: reflection, family feedback and Striving for Excellence',
  schedule: WEEKDAYS_AT_NINE,
  periodFor: (month) => month,
  dueAt: (context, month) => (context.calendar.isActiveMonth(month) ? undefined : at9(context, context.calendar.firstWorkingDay(month))),
  closesAt: (context, month) => startOf(context, nextMonth(month)),
  async run(context, month) {
    const [members, people] = await Promise.all([context.repos.rota.listMembers(), staffIndex(context)]);
    let queued = 0;
    let managers = 0;
    for (const member of members.filter((m) => m.onRota)) {
      const person = people.get(member.staffId);
      if (person === undefined || !person.active) continue;
      managers++;
      if (await queueNotice(context, context.compose, person, { type: 'reflection', person, month }, `reflection:${month}:${person.id}`)) queued++;
    }
    return { queued, detail: { managers } };
  },
};

/** In the order they run when several are due at once: last month's escalations before this month's assignments. */
export const cycleJobs: readonly CycleJob[] = [escalate, assignMonth, reflection, nudge, finalReminder, actionReminders, complaintDeadlines, retentionJob, monthlyReport, quarterlyReport, spotlightPreview, briefingSends, briefingReminders];

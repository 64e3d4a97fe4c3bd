import type { CycleJob, JobContext, JobOutcome } from '../cycle-jobs';
import { queueNotice } from '../notices';
import { sourceOf } from './action-service';
import type { StaffMember } from '../staff';

/** How many working days before its due date an action's owner is reminded. */
export const REMIND_WORKING_DAYS_BEFORE = 2;

async function runActionReminders(context: JobContext, today: string): Promise<JobOutcome> {
  const horizon = context.calendar.addWorkingDays(today, REMIND_WORKING_DAYS_BEFORE);
  const [actions, everyone] = await Promise.all([context.repos.actions.listOpenDueBy(horizon), context.repos.staff.listAll()]);
  const people = new Map(everyone.map((person) => [person.id, person]));
  const qaManagers = everyone.filter((person) => person.active && person.roles.includes('qa_manager'));
  let queued = 0;
  let reminded = 0;
  let overdue = 0;
  const now = context.clock.now();
  for (const action of actions) {
    const owner = people.get(action.ownerId);
    if (owner === undefined) continue;
    const source = await sourceOf(context, action);
    // One reminder to the owner, before the due date (or on the first run after it, if it was made late).
    if (action.remindedAt === null && owner.active) {
      if (await queueNotice(context, context.compose, owner, { type: 'action-due', person: owner, action, source, overdue: action.dueDate < today }, `action-due:${action.id}`)) queued++;
      if (await context.repos.actions.markReminded(action.id, now)) reminded++;
    }
    if (action.dueDate >= today || action.overdueNotifiedAt !== null) continue;
    // Overdue: the owner's manager is told once (the QA managers when there is none).
    const manager = owner.lineManagerId === null ? undefined : people.get(owner.lineManagerId);
    const recipients: StaffMember[] = manager?.active === true ? [manager] : qaManagers;
    for (const recipient of recipients) {
      if (await queueNotice(context, context.compose, recipient, { type: 'action-overdue', recipient, person: owner, action, source }, `action-overdue:${action.id}:${recipient.id}`)) queued++;
    }
    if (recipients.length > 0 && (await context.repos.actions.markOverdueNotified(action.id, now))) {
      overdue++;
      await context.repos.audit.append({ actor: 'qa-loop', actorRole: null, action: 'action.overdue-escalated', recordKind: 'action', recordId: action.id, source: 'job', detail: { dueDate: action.dueDate, to: recipients.length } }, now);
    }
  }
  return { queued, detail: { reminded, overdue } };
}

/**
 * Every working day at nine: reminds owners of actions due soon and tells managers of
 * actions now overdue. Each action is reminded and escalated once, whatever reruns.
 * The period is the London day.
 */
export const actionReminders: CycleJob = {
  name: 'action-reminders',
  description: 'Reminds owners of actions due soon; tells their manager when one is overdue',
  schedule: '0 9 * * 1-5',
  periodFor: (month) => `${month}-01`,
  // Today only: a day missed while the bot was down needs no make-up run, because the
  // next day's run covers every action due by its horizon, however late.
  periodsAt: (context, now) => [context.calendar.londonDateOf(now)],
  dueAt: (context, day) => (context.calendar.isWorkingDay(day) ? context.calendar.londonTime(day, '09:00') : undefined),
  closesAt: (context, day) => context.calendar.londonTime(day, '17:30'),
  run: (context, day) => runActionReminders(context, day),
};

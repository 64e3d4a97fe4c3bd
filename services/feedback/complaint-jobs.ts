import type { CycleJob, JobContext, JobOutcome } from '../cycle-jobs';
import { queueNotice } from '../notices';
import { serviceManagerOf } from '../reviews/review-snapshot';
import type { StaffMember } from '../staff';
import { loadComplaint, type ComplaintSnapshot } from './feedback-snapshot';

type Missed = 'acknowledge' | 'respond';

/**
 * Whom a missed deadline goes to besides the officer: their service manager, up the
 * line-management chain; the QA managers when there is none.
 */
async function escalationFor(context: JobContext, officer: StaffMember, qaManagers: readonly StaffMember[]): Promise<{ managers: StaffMember[]; asServiceManager: boolean }> {
  const serviceManager = await serviceManagerOf(context, officer);
  const recipients = serviceManager !== undefined ? [serviceManager] : qaManagers;
  return { managers: recipients.filter((person) => person.id !== officer.id), asServiceManager: serviceManager !== undefined };
}

async function tell(context: JobContext, snapshot: ComplaintSnapshot, missed: Missed, managers: readonly StaffMember[], asServiceManager: boolean): Promise<number> {
  const { complaint, officer } = snapshot;
  // Each deadline is its own: an extended response deadline that passes is told again.
  const deadline = missed === 'acknowledge' ? complaint.acknowledgeBy : complaint.respondBy;
  let queued = 0;
  const told = managers.map((person) => person.name).join(', ');
  if (officer.active) {
    const notice = { type: 'complaint' as const, person: officer, complaint: snapshot, moment: missed === 'acknowledge' ? ('acknowledge-overdue' as const) : ('respond-overdue' as const), told };
    if (await queueNotice(context, context.compose, officer, notice, `complaint-overdue:${complaint.id}:${missed}:${deadline}:${officer.id}`)) queued++;
  }
  for (const recipient of managers) {
    const notice = { type: 'complaint-overdue' as const, recipient, complaint: snapshot, missed, asServiceManager };
    if (await queueNotice(context, context.compose, recipient, notice, `complaint-overdue:${complaint.id}:${missed}:${deadline}:${recipient.id}`)) queued++;
  }
  return queued;
}

async function runComplaintDeadlines(context: JobContext, today: string): Promise<JobOutcome> {
  const [complaints, everyone] = await Promise.all([context.repos.complaints.listOverdue(today), context.repos.staff.listAll()]);
  const qaManagers = everyone.filter((person) => person.active && person.roles.includes('qa_manager'));
  const now = context.clock.now();
  let queued = 0;
  let acknowledge = 0;
  let respond = 0;
  for (const { id } of complaints) {
    const snapshot = await loadComplaint(context, id);
    const { complaint } = snapshot;
    const { managers, asServiceManager } = await escalationFor(context, snapshot.officer, qaManagers);
    const missed: Missed[] = [];
    if (complaint.status === 'open' && complaint.acknowledgeBy < today && complaint.acknowledgeOverdueAt === null) missed.push('acknowledge');
    if (complaint.status !== 'responded' && complaint.respondBy < today && complaint.respondOverdueAt === null) missed.push('respond');
    for (const which of missed) {
      queued += await tell(context, snapshot, which, managers, asServiceManager);
      const marked = which === 'acknowledge' ? await context.repos.complaints.markAcknowledgeOverdue(id, now) : await context.repos.complaints.markRespondOverdue(id, now);
      if (!marked) continue;
      if (which === 'acknowledge') acknowledge++;
      else respond++;
      await context.repos.audit.append(
        {
          actor: 'qa-loop',
          actorRole: null,
          action: `complaint.${which}-overdue`,
          recordKind: 'complaint',
          recordId: id,
          source: 'job',
          detail: { deadline: which === 'acknowledge' ? complaint.acknowledgeBy : complaint.respondBy, to: managers.length + (snapshot.officer.active ? 1 : 0) },
        },
        now,
      );
    }
  }
  return { queued, detail: { acknowledge, respond } };
}

/**
 * Every working day at nine: a complaint whose stage-1 acknowledgement or response
 * deadline passed the day before (or earlier) and is still not met goes back to its
 * officer as a reminder, and to their service manager (the QA managers when there is
 * none), once per deadline, whatever reruns. The period is the London day.
 */
export const complaintDeadlines: CycleJob = {
  name: 'complaint-deadlines',
  description: 'Reminds complaint officers of a missed stage-1 deadline and tells their service manager',
  schedule: '0 9 * * 1-5',
  periodFor: (month) => `${month}-01`,
  // Today only: the next day's run finds every deadline passed and not yet told, however late.
  periodsAt: (context, now) => [context.calendar.londonDateOf(now)],
  dueAt: (context, day) => (context.calendar.isWorkingDay(day) ? context.calendar.londonTime(day, '09:00') : undefined),
  closesAt: (context, day) => context.calendar.londonTime(day, '17:30'),
  run: (context, day) => runComplaintDeadlines(context, day),
};

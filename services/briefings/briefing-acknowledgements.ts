import type { JobContext } from '../cycle-jobs';
import { QaError } from '../errors';
import type { StaffMember } from '../staff';
import type { Briefing, BriefingRecipient } from './briefing';
import { loadBriefing } from './briefing-drafts';
import { briefingKeys, briefingKinds } from './briefing-messages';

export interface CopyView {
  briefing: Briefing;
  recipient: BriefingRecipient;
  /** The person is a team manager: their copy can record how the team used it. */
  canRecordUsage: boolean;
  note: string;
}

/** A person's own copy of a briefing; anyone it was not sent to is refused. */
export async function ownCopy(context: Pick<JobContext, 'repos'>, person: StaffMember, briefingId: string): Promise<{ briefing: Briefing; recipient: BriefingRecipient }> {
  const briefing = await loadBriefing(context, briefingId);
  const recipient = await context.repos.briefingCopies.findRecipient(briefing.id, person.id);
  if (recipient === undefined || recipient.kind !== 'person') {
    throw new QaError('FORBIDDEN', 'not a recipient of this briefing', { userMessage: 'This briefing was not sent to you, so there is nothing for you to acknowledge.' });
  }
  return { briefing, recipient };
}

/** "I've read this": stored once; a recalled briefing says it was withdrawn instead. */
export async function acknowledgeBriefing(context: JobContext, person: StaffMember, briefingId: string): Promise<CopyView> {
  const { briefing, recipient } = await ownCopy(context, person, briefingId);
  const canRecordUsage = person.roles.includes('manager');
  if (briefing.status === 'recalled') return { briefing, recipient, canRecordUsage, note: 'This briefing was withdrawn by the QA service, so there is nothing to acknowledge.' };
  if (recipient.acknowledgedAt !== null) return { briefing, recipient, canRecordUsage, note: 'You had already told us you read this: thank you.' };
  const now = context.clock.now();
  const changed = await context.transaction(async (repos) => {
    const stored = await repos.briefingCopies.acknowledge(recipient.id, now);
    if (stored) await repos.audit.append({ actor: person.email, actorRole: 'staff', action: 'briefing.acknowledged', recordKind: 'briefing', recordId: briefing.id, source: 'card' }, now);
    return stored;
  });
  const fresh = (await context.repos.briefingCopies.findRecipient(briefing.id, person.id))!;
  return { briefing, recipient: fresh, canRecordUsage, note: changed ? 'Thank you: your acknowledgement is recorded.' : 'You had already told us you read this: thank you.' };
}

/**
 * Teams says a person has read their personal chat up to a message: their delivered copies
 * posted up to it are marked read (counted apart from acknowledgements). `isRead` compares
 * activity ids as Teams orders them.
 */
export async function markCopiesRead(context: Pick<JobContext, 'repos' | 'clock'>, person: StaffMember, isRead: (activityId: string) => boolean): Promise<number> {
  const copies = await context.repos.briefingCopies.unreadCopiesFor(person.id);
  const read = copies.filter((copy) => copy.activityId !== null && isRead(copy.activityId)).map((copy) => copy.recipientId);
  return context.repos.briefingCopies.markRead(read, context.clock.now());
}

/**
 * Once, after the briefing's number of working days: a reminder to each person whose copy
 * arrived and who has not acknowledged it. Never twice, whatever reruns.
 */
export async function remindUnacknowledged(context: JobContext, today: string): Promise<{ queued: number; briefings: number }> {
  let queued = 0;
  let briefings = 0;
  const now = context.clock.now();
  const people = new Map((await context.repos.staff.listAll()).map((person) => [person.id, person]));
  for (const briefing of await context.repos.briefings.listAwaitingReminder()) {
    const days = briefing.reminderWorkingDays ?? 0;
    if (days <= 0 || briefing.sentAt === null) continue;
    if (today < context.calendar.addWorkingDays(context.calendar.londonDateOf(briefing.sentAt), days)) continue;
    const forManagers = context.compose({ type: 'briefing', message: { view: 'copy', briefing, canRecordUsage: true, reminder: true } });
    const forOthers = context.compose({ type: 'briefing', message: { view: 'copy', briefing, canRecordUsage: false, reminder: true } });
    let reminded = 0;
    for (const copy of await context.repos.briefingCopies.listToRemind(briefing.id)) {
      const person = copy.staffId === null ? undefined : people.get(copy.staffId);
      if (person === undefined || !person.active) continue;
      const enqueued = await context.repos.outbox.enqueue(
        { dedupeKey: briefingKeys.reminder(briefing.id, person.id), kind: briefingKinds.reminder, conversationId: null, staffId: person.id, payload: person.roles.includes('manager') ? forManagers : forOthers },
        now,
      );
      if (enqueued) queued++;
      if (await context.repos.briefingCopies.markRecipientReminded(copy.recipientId, now)) reminded++;
    }
    if (await context.repos.briefings.markReminded(briefing.id, now)) {
      briefings++;
      await context.repos.audit.append({ actor: 'qa-loop', actorRole: null, action: 'briefing.reminded', recordKind: 'briefing', recordId: briefing.id, source: 'job', detail: { reminded } }, now);
    }
  }
  return { queued, briefings };
}

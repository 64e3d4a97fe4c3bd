import type { NewBriefingRecipient } from '../../db/briefing-copy.repository';
import type { JobContext } from '../cycle-jobs';
import { QaError } from '../errors';
import type { NewOutboxMessage } from '../outbox';
import type { StaffMember } from '../staff';
import type { Briefing, BriefingAudience } from './briefing';
import { resolveAudience } from './briefing-audience';
import { loadBriefing } from './briefing-drafts';
import { deliveryFigures } from './briefing-delivery';
import { briefingKeys, briefingKinds } from './briefing-messages';
import type { ScheduleCheck } from './briefing-schedule';
import { sweepRecalled } from './briefing-sweep';

/** A team manager's copy also lets them record how their team used it. */
const recordsUsage = (person: StaffMember): boolean => person.roles.includes('manager');

export interface BroadcastOutcome {
  sent: boolean;
  people: number;
  channels: number;
}

/**
 * Sends an approved briefing: claims the send (once, however often pressed or run), then
 * in one transaction stores a recipient row and queues one copy for each person and
 * channel, in batches, and the sender's delivery card. The worker delivers them.
 */
export async function broadcast(context: JobContext, briefing: Briefing, audience: BriefingAudience, senderEmail: string, reminderWorkingDays: number, source: 'card' | 'job'): Promise<BroadcastOutcome> {
  const resolved = await resolveAudience(context, audience);
  const sender = await context.repos.staff.findByEmail(senderEmail);
  const now = context.clock.now();
  // The copy names nobody, so two payloads serve everyone: with and without the usage button.
  const copy = (canRecordUsage: boolean): Record<string, unknown> => context.compose({ type: 'briefing', message: { view: 'copy', briefing: { ...briefing, status: 'sent' }, canRecordUsage, reminder: false } });
  const forManagers = copy(true);
  const forOthers = copy(false);
  const inChannels = context.compose({ type: 'briefing', message: { view: 'channel', briefing: { ...briefing, status: 'sent' } } });
  const recipients: NewBriefingRecipient[] = [];
  const messages: NewOutboxMessage[] = [];
  for (const person of resolved.people) {
    const key = briefingKeys.copy(briefing.id, person.id);
    recipients.push({ recipientKey: person.id, kind: 'person', staffId: person.id, conversationId: null, service: person.service, team: person.team, outboxKey: key });
    messages.push({ dedupeKey: key, kind: briefingKinds.copy, conversationId: null, staffId: person.id, payload: recordsUsage(person) ? forManagers : forOthers });
  }
  for (const conversationId of resolved.channels) {
    const key = briefingKeys.copy(briefing.id, conversationId);
    recipients.push({ recipientKey: conversationId, kind: 'channel', staffId: null, conversationId, service: null, team: null, outboxKey: key });
    messages.push({ dedupeKey: key, kind: briefingKinds.copy, conversationId, staffId: null, payload: inChannels });
  }
  if (sender !== undefined) {
    const figures = { total: messages.length, people: resolved.people.length, channels: resolved.channels.length, queued: messages.length, sent: 0, failed: 0, notInstalled: 0, cancelled: 0, acknowledged: 0, read: 0 };
    // A second earlier than the copies, so the worker claims it first: its updates need its activity id.
    messages.push({
      dedupeKey: briefingKeys.delivery(briefing.id),
      kind: briefingKinds.delivery,
      conversationId: null,
      staffId: sender.id,
      payload: context.compose({ type: 'briefing', message: { view: 'delivery', briefing: { ...briefing, status: 'sent', sentAt: now }, figures } }),
      notBefore: new Date(now.getTime() - 1000),
    });
  }
  const sent = await context.transaction(async (repos) => {
    if (!(await repos.briefings.markSent(briefing.id, audience, senderEmail, reminderWorkingDays, now))) return false;
    await repos.briefingCopies.addRecipients(recipients, briefing.id, messages, now);
    await repos.audit.append(
      { actor: source === 'job' ? 'qa-loop' : senderEmail, actorRole: source === 'job' ? null : 'qa_manager', action: 'briefing.sent', recordKind: 'briefing', recordId: briefing.id, source, detail: { people: resolved.people.length, channels: resolved.channels.length, reminderWorkingDays } },
      now,
    );
    return true;
  });
  return { sent, people: resolved.people.length, channels: resolved.channels.length };
}

export type ScheduleOutcome = { briefing: Briefing; note: string };

/** The QA manager sends an approved briefing now, or schedules it for a London time. */
export async function sendOrSchedule(context: JobContext, qaManager: StaffMember, briefingId: string, check: Extract<ScheduleCheck, { ok: true }>): Promise<ScheduleOutcome> {
  const briefing = await loadBriefing(context, briefingId);
  if (briefing.status !== 'approved') {
    return { briefing, note: briefing.status === 'scheduled' || briefing.status === 'sent' ? 'This briefing is already on its way: nothing was changed.' : 'Only an approved briefing can go out.' };
  }
  const now = context.clock.now();
  if (check.sendAt !== null) {
    const scheduled = await context.transaction(async (repos) => {
      if (!(await repos.briefings.schedule(briefing.id, check.audience, check.sendAt!, qaManager.email, check.reminderWorkingDays, now))) return false;
      await repos.audit.append({ actor: qaManager.email, actorRole: 'qa_manager', action: 'briefing.scheduled', recordKind: 'briefing', recordId: briefing.id, source: 'card', detail: { sendAt: check.sendAt!.toISOString(), people: check.people, channels: check.channels } }, now);
      return true;
    });
    return { briefing: (await context.repos.briefings.findById(briefing.id))!, note: scheduled ? 'Scheduled.' : 'This briefing is already on its way: nothing was changed.' };
  }
  const outcome = await broadcast(context, briefing, check.audience, qaManager.email, check.reminderWorkingDays, 'card');
  return {
    briefing: (await context.repos.briefings.findById(briefing.id))!,
    note: outcome.sent ? `On its way to ${outcome.people} people and ${outcome.channels} channel${outcome.channels === 1 ? '' : 's'}. Your delivery card shows how it goes.` : 'This briefing is already on its way: nothing was changed.',
  };
}

/**
 * The QA manager cancels a scheduled send before its time: the briefing is approved again
 * (its audience and reminder days kept to send it later; the time cleared), so the job
 * never sends it. A second press, or one after the job sent it, changes nothing.
 */
export async function cancelScheduledSend(context: JobContext, qaManager: StaffMember, briefingId: string): Promise<ScheduleOutcome> {
  const briefing = await loadBriefing(context, briefingId);
  const now = context.clock.now();
  const cancelled =
    briefing.status === 'scheduled' &&
    (await context.transaction(async (repos) => {
      if (!(await repos.briefings.unschedule(briefing.id, now))) return false;
      await repos.audit.append({ actor: qaManager.email, actorRole: 'qa_manager', action: 'briefing.schedule-cancelled', recordKind: 'briefing', recordId: briefing.id, source: 'card', detail: { sendAt: briefing.sendAt?.toISOString() ?? null } }, now);
      return true;
    }));
  const fresh = (await context.repos.briefings.findById(briefing.id))!;
  if (cancelled) return { briefing: fresh, note: 'The scheduled send is cancelled: nothing will go out. The audience is kept: choose a time or send it now when ready.' };
  return { briefing: fresh, note: fresh.status === 'sent' || fresh.status === 'recalled' ? 'This briefing has already gone out: recall it instead.' : 'This briefing is not scheduled: nothing was changed.' };
}

/** The scheduled briefings whose time has come go out. */
export async function sendDueBriefings(context: JobContext): Promise<number> {
  let sent = 0;
  for (const briefing of await context.repos.briefings.listDue(context.clock.now())) {
    if (briefing.audience === null || briefing.sentBy === null) continue;
    const outcome = await broadcast(context, briefing, briefing.audience, briefing.sentBy, briefing.reminderWorkingDays ?? 0, 'job');
    if (outcome.sent) sent += outcome.people + outcome.channels;
  }
  return sent;
}

/**
 * The QA manager recalls a sent briefing: copies and reminders not yet arrived (queued,
 * not installed, blocked) are cancelled for good, and those posted are removed (see
 * sweepRecalled). A second press changes nothing.
 */
export async function recallBriefing(context: JobContext, qaManager: StaffMember, briefingId: string): Promise<{ briefing: Briefing; changed: boolean; note: string }> {
  const briefing = await loadBriefing(context, briefingId);
  if (briefing.status === 'recalled') return { briefing, changed: false, note: 'This briefing was already recalled: nothing was changed.' };
  if (briefing.status !== 'sent') throw new QaError('CONFLICT', 'briefing not sent', { userMessage: 'Only a briefing that has been sent can be recalled.' });
  const now = context.clock.now();
  const recalled = await context.transaction(async (repos) => repos.briefings.recall(briefing.id, qaManager.email, now));
  if (!recalled) return { briefing: (await context.repos.briefings.findById(briefing.id))!, changed: false, note: 'This briefing was already recalled: nothing was changed.' };
  const fresh = (await context.repos.briefings.findById(briefing.id))!;
  const { cancelled, removed } = await sweepRecalled(context, fresh);
  await context.repos.audit.append({ actor: qaManager.email, actorRole: 'qa_manager', action: 'briefing.recalled', recordKind: 'briefing', recordId: briefing.id, source: 'card', detail: { cancelled, removed } }, now);
  const figures = await deliveryFigures(context.repos, briefing.id);
  return { briefing: fresh, changed: true, note: `Recalled: ${cancelled} cop${cancelled === 1 ? 'y' : 'ies'} not yet sent were cancelled, and ${removed} sent cop${removed === 1 ? 'y is' : 'ies are'} being removed (${figures.sent} had arrived).` };
}

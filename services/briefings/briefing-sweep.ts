import type { JobContext } from '../cycle-jobs';
import type { Briefing } from './briefing';
import { briefingKeys, briefingKinds } from './briefing-messages';

const PAGE = 500;
const REASON = 'briefing recalled';

type SweepContext = Pick<JobContext, 'repos' | 'clock' | 'compose'>;

/** The keys of the removals already queued for a briefing: each copy is removed once. */
async function removalsQueued(context: SweepContext, briefingId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await context.repos.outbox.listWithPrefix(briefingKeys.recallPrefix(briefingId), { offset, limit: PAGE });
    for (const message of page) keys.add(message.dedupeKey);
    if (page.length < PAGE) return keys;
  }
}

/**
 * Finishes a recall, however often it runs: copies and reminders not yet arrived (queued,
 * not installed, blocked) are cancelled for good, so installing the app later brings
 * nothing back; each copy that arrived is deleted (a person's) or replaced by a short
 * "withdrawn" card (a channel's), and each reminder deleted. Each removal is queued once,
 * keyed by the copy, so a sweep after a copy that was being sent at the recall has gone
 * adds only its removal. Run by the recall, the `briefing-sends` job and the delivery tracker.
 */
export async function sweepRecalled(context: SweepContext, briefing: Briefing): Promise<{ cancelled: number; removed: number }> {
  const now = context.clock.now();
  const cancelled = (await context.repos.outbox.cancelUnfinished(briefingKeys.copyPrefix(briefing.id), REASON)) + (await context.repos.outbox.cancelUnfinished(briefingKeys.reminderPrefix(briefing.id), REASON));
  const done = await removalsQueued(context, briefing.id);
  let removed = 0;
  const withdrawn = context.compose({ type: 'briefing', message: { view: 'withdrawn', briefing } });
  for (let offset = 0; ; offset += PAGE) {
    const copies = await context.repos.briefingCopies.listPostedCopies(briefing.id, { offset, limit: PAGE });
    for (const copy of copies) {
      const dedupeKey = briefingKeys.recallCopy(briefing.id, copy.recipientId);
      if (done.has(dedupeKey)) continue;
      const operation = { kind: copy.kind === 'channel' ? 'update' : 'delete', activityId: copy.activityId! } as const;
      if (await context.repos.outbox.enqueue({ dedupeKey, kind: briefingKinds.recall, conversationId: copy.conversationId, staffId: copy.staffId, payload: copy.kind === 'channel' ? withdrawn : {}, operation }, now)) removed++;
    }
    if (copies.length < PAGE) break;
  }
  for (let offset = 0; ; offset += PAGE) {
    const reminders = await context.repos.outbox.listWithPrefix(briefingKeys.reminderPrefix(briefing.id), { offset, limit: PAGE });
    for (const reminder of reminders) {
      if (reminder.status !== 'sent' || reminder.activityId === null) continue;
      const dedupeKey = briefingKeys.recallReminder(briefing.id, reminder.staffId ?? reminder.id);
      if (done.has(dedupeKey)) continue;
      if (await context.repos.outbox.enqueue({ dedupeKey, kind: briefingKinds.recall, conversationId: null, staffId: reminder.staffId, payload: {}, operation: { kind: 'delete', activityId: reminder.activityId } }, now)) removed++;
    }
    if (reminders.length < PAGE) break;
  }
  return { cancelled, removed };
}

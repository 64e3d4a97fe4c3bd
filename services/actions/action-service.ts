import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { whenLabel } from '../calendar';
import type { TrackedAction } from './action';

export interface ActionView {
  action: TrackedAction;
  /** Where it came from, in words: "practice review CR123456". */
  source: string;
  ownerName: string;
  overdue: boolean;
}

/** Where an action came from, in words: "practice review CR123456", "practice observation". */
export async function sourceOf(context: Pick<ServiceContext, 'repos'>, action: TrackedAction): Promise<string> {
  if (action.sourceKind === 'observation') return 'practice observation';
  if (action.sourceKind === 'briefing') {
    const briefing = await context.repos.briefings.findById(action.sourceId);
    return briefing === undefined ? 'seven-minute briefing' : `seven-minute briefing "${briefing.title}"`;
  }
  const review = await context.repos.reviews.findById(action.sourceId);
  return review === undefined ? 'QA activity' : `practice review ${review.caseReference}`;
}

export async function viewAction(context: Pick<ServiceContext, 'repos' | 'clock' | 'calendar'>, action: TrackedAction): Promise<ActionView> {
  const [source, owner] = await Promise.all([sourceOf(context, action), context.repos.staff.findById(action.ownerId)]);
  return {
    action,
    source,
    ownerName: owner?.name ?? 'someone who has left',
    overdue: action.status === 'open' && action.dueDate < context.calendar.londonDateOf(context.clock.now()),
  };
}

/** A person's open actions, soonest due first. */
export async function openActionsFor(context: Pick<ServiceContext, 'repos' | 'clock' | 'calendar'>, person: StaffMember): Promise<ActionView[]> {
  return Promise.all((await context.repos.actions.listOpenFor(person.id)).map((action) => viewAction(context, action)));
}

export const MAX_NOTE = 2000;

export type CloseResult = { problem: string; view: ActionView } | { problem?: undefined; view: ActionView; changed: boolean; note: string };

/**
 * The owner (or the QA manager) closes an action with a note of what was done. A
 * second press finds it closed and changes nothing; anyone else is refused.
 */
export async function closeAction(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], actionId: string, note: string): Promise<CloseResult> {
  const action = await context.repos.actions.findById(actionId);
  if (action === undefined) throw new QaError('NOT_FOUND', 'action not found', { userMessage: 'That action no longer exists, or the card is not one QA Loop made.' });
  const isOwner = person !== undefined && person.id === action.ownerId;
  if (!isOwner && !roles.includes('qa_manager')) {
    throw new QaError('FORBIDDEN', 'not the owner of this action', { userMessage: 'Only the person this action belongs to can close it.' });
  }
  if (action.status === 'done') return { view: await viewAction(context, action), changed: false, note: `This was already closed on ${whenLabel(action.completedAt)}. Nothing was changed.` };
  const trimmed = note.trim();
  if (trimmed.length < 3) return { problem: 'Say what was done, so the record shows how it was closed.', view: await viewAction(context, action) };
  if (trimmed.length > MAX_NOTE) return { problem: `Keep this to ${MAX_NOTE} characters.`, view: await viewAction(context, action) };
  const now = context.clock.now();
  const changed = await context.transaction(async (repos) => {
    const closed = await repos.actions.close(action.id, trimmed, person!.id, now);
    if (closed) await repos.audit.append({ actor: person!.email, actorRole: isOwner ? 'staff' : 'qa_manager', action: 'action.closed', recordKind: 'action', recordId: action.id, source: 'card', detail: { onTime: action.dueDate >= context.calendar.londonDateOf(now) } }, now);
    return closed;
  });
  const fresh = (await context.repos.actions.findById(action.id)) ?? action;
  return { view: await viewAction(context, fresh), changed, note: changed ? 'Closed: thank you. The record shows what was done.' : 'This was already closed.' };
}

import { isOpen, type Assignment, type RotaRequest } from './assignments';
import { monthOf } from './calendar';
import type { ServiceContext } from './context';
import { QaError } from './errors';
import { queueNotice, type NoticeComposer } from './notices';
import { excuseMonth, swapKind } from './rota-service';
import { parseKind, type QaKind } from './rota';
import type { StaffMember } from './staff';

/** What a person has to do: this month's activity and anything overdue from earlier months. */
export interface MyTasks {
  month: string;
  monthIsActive: boolean;
  current: Assignment | undefined;
  overdue: Assignment[];
}

export async function tasksFor(context: ServiceContext, person: StaffMember): Promise<MyTasks> {
  const month = monthOf(context.clock.now());
  const open = await context.repos.assignments.listOpenFor(person.id);
  const current = open.find((assignment) => assignment.month === month) ?? (await context.repos.assignments.findFor(person.id, month));
  return { month, monthIsActive: context.calendar.isActiveMonth(month), current, overdue: open.filter((assignment) => assignment.month < month) };
}

export const dueDateFor = (context: ServiceContext, assignment: Assignment): string => context.calendar.lastWorkingDay(assignment.month);

/** The assignment, if it is this person's; anyone else's is refused without saying whose it is. */
async function ownAssignment(context: ServiceContext, person: StaffMember, assignmentId: string): Promise<Assignment> {
  const assignment = await context.repos.assignments.findById(assignmentId);
  if (assignment === undefined || assignment.staffId !== person.id) {
    throw new QaError('NOT_FOUND', 'assignment not found for this person', { userMessage: 'That QA activity is not one of yours, or it no longer exists.' });
  }
  return assignment;
}

const submissionMessages: Record<QaKind, string> = {
  practice_review: 'A practice review is done when you submit it for moderation: press "Continue the practice review".',
  practice_observation: 'An observation is done when you submit it: press "Record the observation".',
  thematic_review: 'A thematic review is done when you submit your sample: press "Start the thematic review".',
};

/**
 * Starts or completes an assignment. A second press (double click, or pressing an old
 * card) changes nothing and reports the assignment as it is now.
 */
export async function moveAssignment(
  context: ServiceContext,
  person: StaffMember,
  assignmentId: string,
  to: 'started' | 'done',
  source: 'card' | 'command',
): Promise<{ assignment: Assignment; changed: boolean }> {
  const before = await ownAssignment(context, person, assignmentId);
  // Each kind is done when its work is submitted; a thematic review only by hand when no theme was set for the month.
  const byHand = before.kind === 'thematic_review' && (await context.repos.themes.forMonth(before.month)) === undefined;
  if (!byHand && to === 'done' && (before.status === 'assigned' || before.status === 'started')) {
    throw new QaError('CONFLICT', `${before.kind} completes on submission`, { userMessage: submissionMessages[before.kind] });
  }
  const from: Assignment['status'][] = to === 'started' ? ['assigned'] : ['assigned', 'started'];
  const now = context.clock.now();
  const changed = await context.transaction(async (repos) => {
    const moved = await repos.assignments.transition(before.id, from, to, now);
    if (moved) {
      await repos.audit.append(
        { actor: person.email, actorRole: 'manager', action: to === 'started' ? 'assignment.started' : 'assignment.completed', recordKind: 'assignment', recordId: before.id, source, detail: { month: before.month, kind: before.kind } },
        now,
      );
    }
    return moved;
  });
  const assignment = (await context.repos.assignments.findById(before.id)) ?? before;
  return { assignment, changed };
}

export type ChangeRequestInput = { request: string; reason: string };

/** Reads a "swap:KIND" or "excuse" choice from a card. */
export function parseChangeChoice(choice: string): { action: 'swap' | 'excuse'; kind: QaKind | null } {
  const [action, kindText] = choice.split(':');
  return action === 'swap' ? { action: 'swap', kind: parseKind(kindText ?? '') ?? null } : { action: 'excuse', kind: null };
}

export const MAX_REASON_LENGTH = 500;

export async function activeQaManagers(context: ServiceContext): Promise<StaffMember[]> {
  return (await context.repos.staff.listAll()).filter((staff) => staff.active && staff.roles.includes('qa_manager'));
}

/** Problems with a swap or excusal request, by field: the card shows each next to its input. */
export function checkChangeRequest(input: ChangeRequestInput, current: QaKind): { request?: string; reason?: string } {
  const problems: { request?: string; reason?: string } = {};
  const [action, kindText] = input.request.split(':');
  if (action === 'swap') {
    const kind = kindText === undefined ? undefined : parseKind(kindText);
    if (kind === undefined) problems.request = 'Choose which activity you would like instead.';
    else if (kind === current) problems.request = 'That is already your activity this month: choose another, or ask to be excused.';
  } else if (action !== 'excuse') {
    problems.request = 'Choose a swap or an excusal.';
  }
  const reason = input.reason.trim();
  if (reason.length < 3) problems.reason = 'Please give a reason: the QA manager needs it to decide.';
  else if (reason.length > MAX_REASON_LENGTH) problems.reason = `Please keep the reason under ${MAX_REASON_LENGTH} characters.`;
  return problems;
}

/**
 * A manager asks the QA manager to swap or excuse their month. Every QA manager is sent
 * the request to decide. Asking again while a request is waiting stores nothing new.
 */
export async function requestChange(
  context: ServiceContext,
  compose: NoticeComposer,
  person: StaffMember,
  assignmentId: string,
  input: ChangeRequestInput,
): Promise<{ status: 'sent' | 'already-waiting'; assignment: Assignment; qaManagers: StaffMember[] }> {
  const assignment = await ownAssignment(context, person, assignmentId);
  if (!isOpen(assignment)) {
    throw new QaError('CONFLICT', 'assignment not open', { userMessage: 'This activity is already done or excused, so there is nothing to change.' });
  }
  const problems = checkChangeRequest(input, assignment.kind);
  if (problems.request !== undefined || problems.reason !== undefined) {
    throw new QaError('INVALID_INPUT', 'request has problems', { userMessage: [problems.request, problems.reason].filter(Boolean).join(' '), detail: { fields: Object.keys(problems) } });
  }
  const qaManagers = await activeQaManagers(context);
  const { action, kind } = parseChangeChoice(input.request);
  const now = context.clock.now();
  // The unique index on waiting requests makes a second press (even a simultaneous one) store nothing.
  const request = await context.transaction(async (repos) => {
    const requestId = await repos.rota.addRequest({ staffId: person.id, month: assignment.month, action, kind, reason: input.reason.trim() }, now);
    if (requestId === undefined) return undefined;
    await repos.audit.append({ actor: person.email, actorRole: 'manager', action: 'rota.requested', recordKind: 'rota_request', recordId: requestId, source: 'card', detail: { month: assignment.month, action } }, now);
    return (await repos.rota.findRequest(requestId))!;
  });
  if (request === undefined) return { status: 'already-waiting', assignment, qaManagers };
  for (const qaManager of qaManagers) {
    await queueNotice(context, compose, qaManager, { type: 'request-for-decision', recipient: qaManager, person, request }, `rota-request:${request.id}:${qaManager.id}`);
  }
  return { status: 'sent', assignment, qaManagers };
}

/**
 * The QA manager agrees or declines a request. Agreeing applies the swap or excusal.
 * The second of two presses (or two QA managers) finds it decided and changes nothing.
 */
export async function decideRequest(
  context: ServiceContext,
  compose: NoticeComposer,
  qaManager: StaffMember,
  requestId: string,
  decision: 'approve' | 'decline',
): Promise<{ request: RotaRequest; person: StaffMember; changed: boolean }> {
  const request = await context.repos.rota.findRequest(requestId);
  const person = request === undefined ? undefined : await context.repos.staff.findById(request.staffId);
  if (request === undefined || person === undefined) throw new QaError('NOT_FOUND', 'request not found');
  if (request.status !== 'pending') return { request, person, changed: false };
  const now = context.clock.now();
  // Decide first, conditionally: of two presses (or two QA managers) only one wins.
  const changed = await context.repos.rota.decideRequest(requestId, decision === 'approve' ? 'approved' : 'declined', qaManager.email, now);
  if (!changed) return { request: (await context.repos.rota.findRequest(requestId))!, person, changed: false };
  if (decision === 'approve') {
    try {
      if (request.action === 'swap' && request.kind !== null) await swapKind(context, person.email, request.month, request.kind, qaManager.email, 'card');
      else await excuseMonth(context, person.email, request.month, request.reason, qaManager.email, 'card');
    } catch (error) {
      // It could not be applied (e.g. the activity is already done): the request waits again.
      await context.repos.rota.reopenRequest(requestId);
      throw error;
    }
  }
  const decided = (await context.repos.rota.findRequest(requestId))!;
  await context.repos.audit.append({ actor: qaManager.email, actorRole: 'qa_manager', action: `rota.request-${decided.status}`, recordKind: 'rota_request', recordId: requestId, source: 'card' }, now);
  await queueNotice(context, compose, person, { type: 'request-decided', person, request: decided }, `rota-decision:${requestId}`);
  return { request: decided, person, changed };
}

import { actionsFromRows, checkActionRows, emptyActionRows, type ActionRowInput } from '../actions/action-rows';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { queueNotice, type NoticeComposer } from '../notices';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { loadSnapshot, requireStanding, type ReviewSnapshot } from './review-snapshot';
import { whenLabel } from '../calendar';
import type { ReviewOutcome } from './review-sections';

export interface OversightInput {
  directions: string;
  actions: ActionRowInput[];
}

/** Problems by field: "directions", or "action1.description", "action2.owner", ... */
export type OversightProblems = Record<string, string>;

export type OversightOutcome = ReviewOutcome | { show: 'oversight'; snapshot: ReviewSnapshot; input: OversightInput; problems: OversightProblems; owners: StaffMember[]; note: string };

/** Who an action can be given to: the practitioner, the line manager and the practitioner's team. */
export async function ownerChoices(context: Pick<ServiceContext, 'repos'>, snapshot: ReviewSnapshot): Promise<StaffMember[]> {
  const team = (await context.repos.staff.listAll()).filter((staff) => staff.active && staff.service === snapshot.practitioner.service && staff.team === snapshot.practitioner.team);
  const owners = new Map<string, StaffMember>();
  for (const person of [snapshot.practitioner, snapshot.lineManager, ...team]) if (person?.active === true) owners.set(person.id, person);
  return [...owners.values()].slice(0, 30);
}

export function checkOversight(input: OversightInput, owners: readonly StaffMember[], today: string): OversightProblems {
  const problems: OversightProblems = checkActionRows(input.actions, owners, today);
  if (input.directions.length < 3) problems.directions = 'Write your management oversight: the directions you are giving.';
  else if (input.directions.length > 4000) problems.directions = 'Keep this to 4000 characters.';
  return problems;
}

function refusal(snapshot: ReviewSnapshot, manager: StaffMember | undefined, roles: readonly Role[]): string | undefined {
  const standing = requireStanding(snapshot, manager, roles);
  if (standing !== 'line-manager' && standing !== 'qa') return `Management oversight is for ${snapshot.lineManager?.name ?? "the practitioner's line manager"}. Here is the review as it stands.`;
  const { review } = snapshot;
  if (review.status === 'draft' || review.status === 'submitted') return 'The review is not final yet: management oversight follows moderation.';
  if (review.status === 'overseen') return `${snapshot.overseer?.name ?? 'The line manager'} recorded management oversight on ${whenLabel(review.oversightAt)}.`;
  return undefined;
}

export async function openOversight(context: ServiceContext, manager: StaffMember | undefined, roles: readonly Role[], reviewId: string): Promise<OversightOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = refusal(snapshot, manager, roles);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  return { show: 'oversight', snapshot, input: { directions: '', actions: emptyActionRows() }, problems: {}, owners: await ownerChoices(context, snapshot), note: '' };
}

/**
 * The line manager answers a final review with management oversight: directions, and
 * actions with an owner and a due date. Each owner is told; the practitioner sees the
 * directions. Recorded once: a second press finds it done.
 */
export async function recordOversight(context: ServiceContext, compose: NoticeComposer, manager: StaffMember | undefined, roles: readonly Role[], reviewId: string, input: OversightInput): Promise<OversightOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = refusal(snapshot, manager, roles);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  if (manager === undefined) throw new QaError('FORBIDDEN', 'manager not on file');
  const owners = await ownerChoices(context, snapshot);
  const problems = checkOversight(input, owners, context.calendar.londonDateOf(context.clock.now()));
  if (Object.keys(problems).length > 0) return { show: 'oversight', snapshot, input, problems, owners, note: 'Not saved yet: see the notes beside the answers.' };
  const now = context.clock.now();
  const rows = actionsFromRows(input.actions, 'review', reviewId, manager.id);
  const created = await context.transaction(async (repos) => {
    if (!(await repos.reviews.transition(reviewId, 'moderated', 'overseen', { oversightBy: manager.id, oversightDirections: input.directions }, now))) return undefined;
    await repos.audit.append({ actor: manager.email, actorRole: 'manager', action: 'review.oversight-recorded', recordKind: 'review', recordId: reviewId, source: 'card', detail: { actions: rows.length } }, now);
    const actions = [];
    for (const row of rows) {
      const action = await repos.actions.create(row, now);
      await repos.audit.append({ actor: manager.email, actorRole: 'manager', action: 'action.created', recordKind: 'action', recordId: action.id, source: 'card', detail: { reviewId, ownerId: action.ownerId, dueDate: action.dueDate } }, now);
      actions.push(action);
    }
    return actions;
  });
  const fresh = await loadSnapshot(context, reviewId);
  if (created === undefined) return { show: 'review', snapshot: fresh, note: refusal(fresh, manager, roles) ?? 'Nothing was changed.' };
  await queueNotice(context, compose, fresh.practitioner, { type: 'oversight-recorded', person: fresh.practitioner, snapshot: fresh }, `oversight:${reviewId}`);
  for (const action of created) {
    const owner = owners.find((candidate) => candidate.id === action.ownerId);
    // The practitioner sees their actions on the oversight card; nobody is told of an action they gave themselves.
    if (owner === undefined || owner.id === fresh.practitioner.id || owner.id === manager.id) continue;
    await queueNotice(context, compose, owner, { type: 'action-assigned', person: owner, action, source: `practice review ${fresh.review.caseReference}`, by: manager.name }, `action-assigned:${action.id}`);
  }
  return { show: 'review', snapshot: fresh, note: `Management oversight recorded${created.length > 0 ? ` with ${created.length} action${created.length === 1 ? '' : 's'}` : ''}. ${fresh.practitioner.name} can see your directions; each action's owner has been told.` };
}

import type { Assignment } from '../assignments';
import { isOpen } from '../assignments';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { currentForm } from '../forms/forms-service';
import { isManagerTier } from '../rota';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { loadObservation, type ObservationSnapshot } from './observation-snapshot';

export interface StartObservationInput {
  /** The monthly assignment it completes, or empty for one recorded at any time. */
  assignmentId: string;
  /** A one-time token carried by the start card, so a double press starts one observation. */
  startToken: string;
  practitionerId: string;
  practitionerEmail: string;
}

export type StartObservationProblems = Partial<Record<'practitioner', string>>;

export type StartObservationResult = { ok: false; problems: StartObservationProblems } | { ok: true; snapshot: ObservationSnapshot; created: boolean };

/** Tier managers and Independent Chairs observe practice (the QA manager too). */
export function mayObserve(person: StaffMember, roles: readonly Role[]): boolean {
  return isManagerTier(person.tier) || person.tier === 'independent_chair' || roles.includes('independent_chair') || roles.includes('qa_manager');
}

const LIST_LIMIT = 50;

/** Whom an observer can choose: their own practitioners first (those they manage, and their team's), else their service's. */
export async function practitionersFor(context: Pick<ServiceContext, 'repos'>, observer: StaffMember): Promise<StaffMember[]> {
  const everyone = (await context.repos.staff.listAll()).filter((staff) => staff.active && staff.id !== observer.id);
  const own = everyone.filter((staff) => staff.lineManagerId === observer.id || (staff.tier === 'practitioner' && staff.service === observer.service && staff.team === observer.team));
  const list = own.length > 0 ? own : everyone.filter((staff) => staff.tier === 'practitioner' && staff.service === observer.service);
  return list.sort((a, b) => a.name.localeCompare(b.name)).slice(0, LIST_LIMIT);
}

async function observationAssignment(context: Pick<ServiceContext, 'repos'>, observer: StaffMember, assignmentId: string): Promise<Assignment> {
  const assignment = await context.repos.assignments.findById(assignmentId);
  if (assignment === undefined || assignment.staffId !== observer.id) {
    throw new QaError('NOT_FOUND', 'assignment not found for this person', { userMessage: 'That QA activity is not one of yours, or it no longer exists.' });
  }
  if (assignment.kind !== 'practice_observation') {
    throw new QaError('CONFLICT', 'assignment is not an observation', { userMessage: 'This month your activity is not a practice observation. Type "my tasks" to see it.' });
  }
  return assignment;
}

/**
 * Starts an observation: of the observer's monthly assignment, or at any time. Pins the
 * form versions; a second press of the same card finds the observation already started.
 */
export async function startObservation(context: ServiceContext, observer: StaffMember, roles: readonly Role[], input: StartObservationInput): Promise<StartObservationResult> {
  if (!mayObserve(observer, roles)) throw new QaError('FORBIDDEN', 'not an observer', { userMessage: 'Practice observations are recorded by tier managers and Independent Chairs.' });
  const assignment = input.assignmentId === '' ? undefined : await observationAssignment(context, observer, input.assignmentId);
  if (assignment === undefined && !/^[0-9a-zA-Z-]{8,64}$/.test(input.startToken)) {
    throw new QaError('INVALID_INPUT', 'start token missing', { userMessage: 'That card is out of date. Type "observe" for a fresh one.' });
  }
  const startKey = assignment === undefined ? `card:${input.startToken}` : `assignment:${assignment.id}`;
  const existing = await context.repos.observations.findByStartKey(startKey);
  if (existing !== undefined) return { ok: true, snapshot: await loadObservation(context, existing.id), created: false };
  if (assignment !== undefined && !isOpen(assignment)) throw new QaError('CONFLICT', 'assignment closed', { userMessage: `This activity is ${assignment.status}, so there is no observation to start.` });

  let practitioner: StaffMember | undefined;
  const problems: StartObservationProblems = {};
  if (input.practitionerId !== '' && input.practitionerEmail !== '') problems.practitioner = 'Choose the practitioner from the list or give their email, not both.';
  else if (input.practitionerId !== '') practitioner = await context.repos.staff.findById(input.practitionerId);
  else if (input.practitionerEmail !== '') practitioner = await context.repos.staff.findByEmail(input.practitionerEmail);
  else problems.practitioner = 'Choose the practitioner you observed.';
  if (problems.practitioner === undefined && (practitioner?.active !== true || practitioner.id === observer.id)) {
    problems.practitioner = 'QA Loop does not know that member of staff. Check the email, or ask the QA service to add them.';
  }
  if (practitioner === undefined || problems.practitioner !== undefined) return { ok: false, problems };

  const [form, reflection] = await Promise.all([currentForm(context, 'practice_observation'), currentForm(context, 'observation_reflection')]);
  const now = context.clock.now();
  const chosen = practitioner;
  const { observation, created } = await context.transaction(async (repos) => {
    const made = await repos.observations.create(
      { startKey, assignmentId: assignment?.id ?? null, observerId: observer.id, practitionerId: chosen.id, service: chosen.service, team: chosen.team, formId: form.id, reflectionFormId: reflection.id },
      now,
    );
    if (!made.created) return made;
    await repos.responses.open(made.observation.id, 'observation', form.id, observer.id, now, 'observation');
    await repos.responses.open(made.observation.id, 'reflection', reflection.id, chosen.id, now, 'observation');
    if (assignment !== undefined) await repos.assignments.transition(assignment.id, ['assigned'], 'started', now);
    await repos.audit.append(
      { actor: observer.email, actorRole: 'manager', action: 'observation.started', recordKind: 'observation', recordId: made.observation.id, source: 'card', detail: { assignmentId: assignment?.id ?? null, practitionerId: chosen.id, formVersion: form.version } },
      now,
    );
    return made;
  });
  return { ok: true, snapshot: await loadObservation(context, observation.id), created };
}

import type { TrackedAction } from '../actions/action';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { firstIncompleteSection } from '../forms/form-answers';
import { formById } from '../forms/forms-service';
import type { PublishedForm } from '../forms/form-definition';
import type { FormResponse } from '../forms/form-response';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { FocusDay, Observation, ObservationPart } from './observation';

export interface ObservationPartState {
  form: PublishedForm;
  response: FormResponse;
  complete: boolean;
}

/** An observation as it is now, with its people, its two parts and its actions. */
export interface ObservationSnapshot {
  observation: Observation;
  observer: StaffMember;
  practitioner: StaffMember;
  focusDay: FocusDay | undefined;
  parts: Record<ObservationPart, ObservationPartState>;
  actions: TrackedAction[];
  names: Map<string, string>;
}

export type ObservationStanding = 'observer' | 'practitioner' | 'line-manager' | 'qa' | 'none';

export async function loadObservation(context: Pick<ServiceContext, 'repos'>, observationId: string): Promise<ObservationSnapshot> {
  const observation = await context.repos.observations.findById(observationId);
  if (observation === undefined) throw new QaError('NOT_FOUND', 'observation not found', { userMessage: 'That observation no longer exists, or the card is not one QA Loop made.' });
  const [observer, practitioner, responses, actions, focusDays] = await Promise.all([
    context.repos.staff.findById(observation.observerId),
    context.repos.staff.findById(observation.practitionerId),
    context.repos.responses.listFor(observation.id, 'observation'),
    context.repos.actions.listForSource(observation.id, 'observation'),
    observation.observedOn === null ? Promise.resolve(undefined) : context.repos.focusDays.findByDay(observation.observedOn),
  ]);
  if (observer === undefined || practitioner === undefined) throw new QaError('INTERNAL', `observation ${observation.id} refers to missing staff`);
  const parts = {} as Record<ObservationPart, ObservationPartState>;
  for (const [part, formId] of [['observation', observation.formId], ['reflection', observation.reflectionFormId]] as const) {
    const form = await formById(context, formId);
    const response = responses.find((candidate) => candidate.part === part);
    if (response === undefined) throw new QaError('INTERNAL', `observation ${observation.id} has no ${part} response`);
    parts[part] = { form, response, complete: firstIncompleteSection(form.definition, response.answers) === undefined };
  }
  const names = new Map<string, string>();
  for (const owner of new Set(actions.map((action) => action.ownerId))) names.set(owner, (await context.repos.staff.findById(owner))?.name ?? 'someone who has left');
  return { observation, observer, practitioner, focusDay: focusDays, parts, actions, names };
}

export function observationStandingOf(snapshot: ObservationSnapshot, person: StaffMember | undefined, roles: readonly Role[]): ObservationStanding {
  if (person === undefined) return 'none';
  if (person.id === snapshot.observation.observerId) return 'observer';
  if (person.id === snapshot.observation.practitionerId) return 'practitioner';
  if (person.id === snapshot.practitioner.lineManagerId) return 'line-manager';
  if (roles.includes('qa_manager') || roles.includes('moderator')) return 'qa';
  return 'none';
}

export function requireObservationStanding(snapshot: ObservationSnapshot, person: StaffMember | undefined, roles: readonly Role[]): ObservationStanding {
  const standing = observationStandingOf(snapshot, person, roles);
  if (standing === 'none') throw new QaError('FORBIDDEN', 'not part of this observation', { userMessage: 'This observation is not one you are part of, so QA Loop cannot show it to you.' });
  return standing;
}

import { actionsFromRows, checkActionRows, emptyActionRows, type ActionRowInput, type ActionRowProblems } from '../actions/action-rows';
import { whenLabel } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { firstIncompleteSection, type Answers, type Problems } from '../forms/form-answers';
import { saveSectionDraft } from '../forms/form-drafts';
import type { Grade } from '../forms/grades';
import { queueNotice, type NoticeComposer } from '../notices';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { ObservationPart } from './observation';
import { loadObservation, requireObservationStanding, type ObservationSnapshot } from './observation-snapshot';

export type ObservationMove = 'next' | 'back' | 'later';

/** What to show after a step: a section (with any problems), the actions-and-submit card, or the observation as it stands. */
export type ObservationOutcome =
  | { show: 'section'; snapshot: ObservationSnapshot; part: ObservationPart; index: number; answers: Answers; problems: Problems; note: string; acknowledge?: string }
  | { show: 'actions'; snapshot: ObservationSnapshot; rows: ActionRowInput[]; problems: ActionRowProblems; owners: StaffMember[]; note: string }
  | { show: 'observation'; snapshot: ObservationSnapshot; note: string };

const ownerOf = (snapshot: ObservationSnapshot, part: ObservationPart): StaffMember => (part === 'reflection' ? snapshot.practitioner : snapshot.observer);

/** Why a part cannot be filled in now by this person, or undefined when it can. */
function refusal(snapshot: ObservationSnapshot, person: StaffMember | undefined, roles: readonly Role[], part: ObservationPart): string | undefined {
  requireObservationStanding(snapshot, person, roles);
  const owner = ownerOf(snapshot, part);
  if (person?.id !== owner.id) return `Only ${owner.name} can fill this in. Here is the observation as it stands.`;
  const { observation, parts } = snapshot;
  if (part === 'observation' && observation.status === 'submitted') return `${snapshot.observer.name} submitted this observation on ${whenLabel(observation.submittedAt)}, so it can no longer be changed.`;
  if (part === 'reflection') {
    if (observation.status === 'draft') return 'Your reflection can be added once the observation has been submitted.';
    if (parts.reflection.response.status === 'submitted') return `${snapshot.practitioner.name} added their reflection on ${whenLabel(parts.reflection.response.submittedAt)}.`;
  }
  return undefined;
}

function sectionOf(snapshot: ObservationSnapshot, part: ObservationPart, index: number) {
  const section = snapshot.parts[part].form.definition.sections[index];
  if (section === undefined) throw new QaError('INVALID_INPUT', `no section ${index} in ${part}`, { userMessage: 'That card is out of date. Type "my tasks" for a fresh one.' });
  return section;
}

/** Who an action can be given to: the practitioner, the observer and the practitioner's line manager. */
async function ownersFor(context: Pick<ServiceContext, 'repos'>, snapshot: ObservationSnapshot): Promise<StaffMember[]> {
  const manager = snapshot.practitioner.lineManagerId === null ? undefined : await context.repos.staff.findById(snapshot.practitioner.lineManagerId);
  const owners = new Map<string, StaffMember>();
  for (const person of [snapshot.practitioner, snapshot.observer, manager]) if (person?.active === true) owners.set(person.id, person);
  return [...owners.values()];
}

export async function openObservationSection(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], id: string, part: ObservationPart, index: number): Promise<ObservationOutcome> {
  const snapshot = await loadObservation(context, id);
  const refused = refusal(snapshot, person, roles, part);
  if (refused !== undefined) return { show: 'observation', snapshot, note: refused };
  sectionOf(snapshot, part, index);
  return { show: 'section', snapshot, part, index, answers: snapshot.parts[part].response.answers, problems: {}, note: '' };
}

/** The last step of the observer's part: actions, then submit. */
export async function openObservationActions(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], id: string): Promise<ObservationOutcome> {
  const snapshot = await loadObservation(context, id);
  const refused = refusal(snapshot, person, roles, 'observation');
  if (refused !== undefined) return { show: 'observation', snapshot, note: refused };
  return { show: 'actions', snapshot, rows: emptyActionRows(), problems: {}, owners: await ownersFor(context, snapshot), note: '' };
}

/**
 * Saves a section as a draft and moves on, back or stops for later, exactly as a practice
 * review's sections do. After the observer's last section come the actions and the submit;
 * after the practitioner's last, their reflection goes to the observer.
 */
export async function saveObservationSection(
  context: ServiceContext,
  compose: NoticeComposer,
  person: StaffMember | undefined,
  roles: readonly Role[],
  id: string,
  part: ObservationPart,
  index: number,
  data: Record<string, unknown>,
  move: ObservationMove,
): Promise<ObservationOutcome> {
  const snapshot = await loadObservation(context, id);
  const refused = refusal(snapshot, person, roles, part);
  if (refused !== undefined) return { show: 'observation', snapshot, note: refused };
  const section = sectionOf(snapshot, part, index);
  const { response, form } = snapshot.parts[part];
  const { saved, draft, shown, problems, acknowledge } = await saveSectionDraft(context, {
    response,
    form,
    section,
    data,
    requireAnswers: move === 'next',
    actor: person!.email,
    actorRole: part === 'reflection' ? 'practitioner' : 'manager',
    auditAction: 'observation.draft-saved',
    recordKind: 'observation',
    recordId: id,
  });
  if (!saved) {
    const fresh = await loadObservation(context, id);
    return { show: 'observation', snapshot: fresh, note: refusal(fresh, person, roles, part) ?? 'Nothing was changed.' };
  }
  if (Object.keys(problems).length > 0) return { show: 'section', snapshot, part, index, answers: shown, problems, acknowledge, note: 'Some answers need attention: see the notes beside them. Everything else is saved.' };
  if (move === 'later') return { show: 'observation', snapshot: await loadObservation(context, id), note: 'Saved. Type "my tasks" on any device to carry on where you left off.' };
  if (move === 'back') return index === 0 ? { show: 'observation', snapshot: await loadObservation(context, id), note: 'Saved.' } : { show: 'section', snapshot, part, index: index - 1, answers: draft, problems: {}, note: 'Saved.' };
  if (index + 1 < form.definition.sections.length) return { show: 'section', snapshot, part, index: index + 1, answers: draft, problems: {}, note: 'Saved.' };
  if (part === 'reflection') return submitReflection(context, compose, person!, id);
  return { show: 'actions', snapshot: await loadObservation(context, id), rows: emptyActionRows(), problems: {}, owners: await ownersFor(context, snapshot), note: 'Saved. Add any actions, then submit the observation.' };
}

async function submitReflection(context: ServiceContext, compose: NoticeComposer, practitioner: StaffMember, id: string): Promise<ObservationOutcome> {
  const snapshot = await loadObservation(context, id);
  const { response, form } = snapshot.parts.reflection;
  const incomplete = firstIncompleteSection(form.definition, response.answers);
  if (incomplete !== undefined) return { show: 'section', snapshot, part: 'reflection', index: incomplete.index, answers: response.answers, problems: incomplete.problems, note: 'A few answers are still needed.' };
  const now = context.clock.now();
  const sent = await context.transaction(async (repos) => {
    const changed = await repos.responses.submit(response.id, response.answers, now);
    if (changed) await repos.audit.append({ actor: practitioner.email, actorRole: 'practitioner', action: 'observation.reflection-submitted', recordKind: 'observation', recordId: id, source: 'card' }, now);
    return changed;
  });
  const fresh = await loadObservation(context, id);
  if (sent) await queueNotice(context, compose, fresh.observer, { type: 'observation-reflected', person: fresh.observer, observation: fresh }, `observation-reflected:${id}`);
  return { show: 'observation', snapshot: fresh, note: sent ? `Thank you. ${fresh.observer.name} can see your reflection.` : 'Your reflection was already added.' };
}

/**
 * Submits the observation to the QA service with its actions: completes the observer's
 * monthly assignment, tags a Practice Focused Day, and sends the practitioner the
 * feedback with a request for their reflection. Stored once, however often pressed.
 */
export async function submitObservation(context: ServiceContext, compose: NoticeComposer, person: StaffMember | undefined, roles: readonly Role[], id: string, rows: ActionRowInput[]): Promise<ObservationOutcome> {
  const snapshot = await loadObservation(context, id);
  const refused = refusal(snapshot, person, roles, 'observation');
  if (refused !== undefined) return { show: 'observation', snapshot, note: refused };
  const { response, form } = snapshot.parts.observation;
  const incomplete = firstIncompleteSection(form.definition, response.answers);
  if (incomplete !== undefined) return { show: 'section', snapshot, part: 'observation', index: incomplete.index, answers: response.answers, problems: incomplete.problems, note: 'Not submitted yet: this section needs the answers marked.' };
  const owners = await ownersFor(context, snapshot);
  const problems = checkActionRows(rows, owners, context.calendar.londonDateOf(context.clock.now()));
  if (Object.keys(problems).length > 0) return { show: 'actions', snapshot, rows, problems, owners, note: 'Not submitted yet: see the notes beside the actions.' };
  const observer = person!;
  const answers = response.answers;
  const observedOn = answers.observed_on!;
  const focusDay = await context.repos.focusDays.findByDay(observedOn);
  const now = context.clock.now();
  const created = await context.transaction(async (repos) => {
    const submission = { observedOn, setting: answers.setting!, grade: answers.overall_grade as Grade, focusDayId: focusDay?.id ?? null };
    if (!(await repos.observations.submit(id, submission, now))) return undefined;
    await repos.responses.submit(response.id, answers, now);
    if (snapshot.observation.assignmentId !== null) await repos.assignments.transition(snapshot.observation.assignmentId, ['assigned', 'started'], 'done', now);
    await repos.audit.append({ actor: observer.email, actorRole: 'manager', action: 'observation.submitted', recordKind: 'observation', recordId: id, source: 'card', detail: { setting: submission.setting, grade: submission.grade, focusDay: focusDay?.day ?? null } }, now);
    const actions = [];
    for (const row of actionsFromRows(rows, 'observation', id, observer.id)) {
      const action = await repos.actions.create(row, now);
      await repos.audit.append({ actor: observer.email, actorRole: 'manager', action: 'action.created', recordKind: 'action', recordId: action.id, source: 'card', detail: { observationId: id, ownerId: action.ownerId, dueDate: action.dueDate } }, now);
      actions.push(action);
    }
    return actions;
  });
  const fresh = await loadObservation(context, id);
  if (created === undefined) return { show: 'observation', snapshot: fresh, note: refusal(fresh, person, roles, 'observation') ?? 'Nothing was changed.' };
  await queueNotice(context, compose, fresh.practitioner, { type: 'observation-feedback', person: fresh.practitioner, observation: fresh }, `observation-feedback:${id}`);
  for (const action of created) {
    const owner = owners.find((candidate) => candidate.id === action.ownerId);
    if (owner === undefined || owner.id === observer.id || owner.id === fresh.practitioner.id) continue;
    await queueNotice(context, compose, owner, { type: 'action-assigned', person: owner, action, source: 'practice observation', by: observer.name }, `action-assigned:${action.id}`);
  }
  const tagged = fresh.focusDay === undefined ? '' : ` It is recorded as part of the Practice Focused Day on "${fresh.focusDay.theme}".`;
  return { show: 'observation', snapshot: fresh, note: `Submitted to the QA service.${tagged} ${fresh.practitioner.name} has your feedback and is asked for their reflection.${fresh.observation.assignmentId === null ? '' : ' Your QA activity for the month is done: thank you.'}` };
}

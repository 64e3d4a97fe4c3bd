import type { TrackedAction } from '../actions/action';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { formById } from '../forms/forms-service';
import { firstIncompleteSection } from '../forms/form-answers';
import type { PublishedForm } from '../forms/form-definition';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { FormResponse, PracticeReview, ReviewPart } from './review';

export interface PartState {
  form: PublishedForm;
  response: FormResponse;
  /** Every required answer given and valid. */
  complete: boolean;
}

/** A review as it is now, with its people, its three parts and its actions: what every card of it is built from. */
export interface ReviewSnapshot {
  review: PracticeReview;
  reviewer: StaffMember;
  practitioner: StaffMember;
  lineManager: StaffMember | undefined;
  serviceManager: StaffMember | undefined;
  chair: StaffMember | undefined;
  moderator: StaffMember | undefined;
  overseer: StaffMember | undefined;
  parts: Record<ReviewPart, PartState>;
  actions: TrackedAction[];
  /** Names of the people actions are owned by, by staff id. */
  names: Map<string, string>;
}

/** How a person stands to a review: what they may do and see. */
export type ReviewStanding = 'reviewer' | 'practitioner' | 'line-manager' | 'service-manager' | 'chair' | 'moderator' | 'qa' | 'none';

const partForms: Record<ReviewPart, keyof Pick<PracticeReview, 'recordsFormId' | 'reflectionFormId' | 'familyFormId'>> = {
  records: 'recordsFormId',
  reflection: 'reflectionFormId',
  family: 'familyFormId',
};

/** The service manager above a person: up the line-management chain, at most a few steps. */
export async function serviceManagerOf(context: Pick<ServiceContext, 'repos'>, person: StaffMember): Promise<StaffMember | undefined> {
  let current: StaffMember | undefined = person;
  for (let step = 0; step < 6 && current !== undefined && current.lineManagerId !== null; step++) {
    current = await context.repos.staff.findById(current.lineManagerId);
    if (current?.tier === 'service_manager') return current.active ? current : undefined;
  }
  return undefined;
}

async function person(context: Pick<ServiceContext, 'repos'>, id: string | null): Promise<StaffMember | undefined> {
  return id === null ? undefined : context.repos.staff.findById(id);
}

export async function loadSnapshot(context: Pick<ServiceContext, 'repos'>, reviewId: string): Promise<ReviewSnapshot> {
  const review = await context.repos.reviews.findById(reviewId);
  if (review === undefined) throw new QaError('NOT_FOUND', 'review not found', { userMessage: 'That practice review no longer exists, or the card is not one QA Loop made.' });
  const [reviewer, practitioner, chair, moderator, overseer, responses, actions] = await Promise.all([
    person(context, review.reviewerId),
    person(context, review.practitionerId),
    person(context, review.chairId),
    person(context, review.moderatorId),
    person(context, review.oversightBy),
    context.repos.responses.listFor(review.id),
    context.repos.actions.listForSource(review.id),
  ]);
  if (reviewer === undefined || practitioner === undefined) throw new QaError('INTERNAL', `review ${review.id} refers to missing staff`);
  const [lineManager, serviceManager] = await Promise.all([person(context, practitioner.lineManagerId), serviceManagerOf(context, practitioner)]);
  const parts = {} as Record<ReviewPart, PartState>;
  for (const part of ['records', 'reflection', 'family'] as const) {
    const form = await formById(context, review[partForms[part]]);
    const response = responses.find((candidate) => candidate.part === part);
    if (response === undefined) throw new QaError('INTERNAL', `review ${review.id} has no ${part} response`);
    parts[part] = { form, response, complete: firstIncompleteSection(form.definition, response.answers) === undefined };
  }
  const names = new Map<string, string>();
  for (const owner of new Set(actions.map((action) => action.ownerId))) names.set(owner, (await context.repos.staff.findById(owner))?.name ?? 'someone who has left');
  return { review, reviewer, practitioner, lineManager, serviceManager, chair, moderator, overseer, parts, actions, names };
}

/** The closest part a person plays in a review. The QA roles see every review. */
export function standingOf(snapshot: ReviewSnapshot, person: StaffMember | undefined, roles: readonly Role[]): ReviewStanding {
  if (person === undefined) return 'none';
  if (person.id === snapshot.review.reviewerId) return 'reviewer';
  if (person.id === snapshot.review.practitionerId) return 'practitioner';
  if (person.id === snapshot.lineManager?.id) return 'line-manager';
  if (person.id === snapshot.serviceManager?.id) return 'service-manager';
  if (person.id === snapshot.review.chairId) return 'chair';
  if (roles.includes('qa_manager')) return 'qa';
  if (roles.includes('moderator')) return 'moderator';
  return 'none';
}

/** Refuses anyone with no part in the review, without saying anything about it. */
export function requireStanding(snapshot: ReviewSnapshot, person: StaffMember | undefined, roles: readonly Role[]): ReviewStanding {
  const standing = standingOf(snapshot, person, roles);
  if (standing === 'none') throw new QaError('FORBIDDEN', 'not part of this review', { userMessage: 'This practice review is not one you are part of, so QA Loop cannot show it to you.' });
  return standing;
}

import type { ServiceContext } from '../context';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { mayModerate } from './moderation';
import { loadSnapshot, type ReviewSnapshot } from './review-snapshot';

/** The practice-review steps waiting for one person, for "my tasks". */
export interface ReviewTasks {
  /** Reviews this person is writing. */
  writing: ReviewSnapshot[];
  /** Reviews of this person's work waiting for their reflection. */
  reflections: ReviewSnapshot[];
  /** Final reviews of their team's work waiting for their management oversight. */
  oversight: ReviewSnapshot[];
  /** Submitted reviews in the moderation queue, for moderators. */
  moderationWaiting: number;
  openActions: number;
}

export async function reviewTasksFor(context: Pick<ServiceContext, 'repos'>, person: StaffMember, roles: readonly Role[]): Promise<ReviewTasks> {
  const involving = await context.repos.reviews.listInvolving(person.id);
  const writing = involving.filter((review) => review.reviewerId === person.id && review.status === 'draft');
  const reflecting = involving.filter((review) => review.practitionerId === person.id && (review.status === 'draft' || review.status === 'submitted'));
  const reports = (await context.repos.staff.listAll()).filter((staff) => staff.lineManagerId === person.id).map((staff) => staff.id);
  const [oversight, queue, actions] = await Promise.all([
    context.repos.reviews.listAwaitingOversight(reports),
    mayModerate(roles) ? context.repos.reviews.listByStatus('submitted') : Promise.resolve([]),
    context.repos.actions.listOpenFor(person.id),
  ]);
  const load = (ids: string[]) => Promise.all(ids.map((id) => loadSnapshot(context, id)));
  const reflections = (await load(reflecting.map((review) => review.id))).filter((snapshot) => snapshot.parts.reflection.response.status === 'draft');
  return {
    writing: await load(writing.map((review) => review.id)),
    reflections,
    oversight: await load(oversight.map((review) => review.id)),
    moderationWaiting: queue.filter((review) => review.reviewerId !== person.id).length,
    openActions: actions.length,
  };
}

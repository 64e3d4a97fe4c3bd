import { assignmentCard } from '../../cards/assignment.card';
import { firstNameOf, monthLabel } from '../../cards/labels';
import { noticeCard } from '../../cards/notice.card';
import type { AdaptiveCard } from '../../cards/render';
import { observationCard } from '../../cards/observation.card';
import { reviewCard } from '../../cards/review.card';
import type { Assignment } from '../../services/assignments';
import { dueDateFor, tasksFor } from '../../services/assignment-actions';
import { observationTasksFor } from '../../services/observations/observation-tasks';
import { reviewTasksFor } from '../../services/reviews/review-tasks';
import type { CommandHandler } from './command';

/** Everything waiting for this person in one place: overdue first, then this month, then review steps others wait on. */
export const myTasks: CommandHandler = async ({ caller, deps }) => {
  const person = caller.staff;
  if (person === undefined) {
    return noticeCard({ title: 'Nothing for you here yet', message: 'You are not on the QA rota, so QA Loop has no activity for you. If you should be, please ask the QA service.', tone: 'info' });
  }
  const [tasks, reviews, observations, complaints] = await Promise.all([
    tasksFor(deps.services, person),
    reviewTasksFor(deps.services, person, caller.roles),
    observationTasksFor(deps.services, person.id),
    deps.repos.complaints.listOpenFor(person.id),
  ]);
  const firstName = firstNameOf(person.name);
  // A practice review or observation under way is shown as itself, where its next step is.
  const writingFor = new Map(reviews.writing.map((snapshot) => [snapshot.review.assignmentId, snapshot]));
  const recordingFor = new Map(observations.recording.map((snapshot) => [snapshot.observation.assignmentId, snapshot]));
  const forAssignment = (assignment: Assignment, overdue: boolean): AdaptiveCard => {
    const overdueNote = overdue ? `Overdue: this was due by ${dueDateFor(deps.services, assignment)}.` : '';
    const review = writingFor.get(assignment.id);
    if (review !== undefined) return reviewCard({ snapshot: review, standing: 'reviewer', note: overdueNote, noteTone: 'problem' });
    const observation = recordingFor.get(assignment.id);
    if (observation !== undefined) return observationCard({ snapshot: observation, standing: 'observer', note: overdueNote });
    return assignmentCard({ assignment, firstName, dueDate: dueDateFor(deps.services, assignment), moment: 'my-tasks', ...(overdue ? { overdue } : {}) });
  };
  const cards: AdaptiveCard[] = tasks.overdue.map((assignment) => forAssignment(assignment, true));
  if (tasks.current !== undefined) {
    cards.push(forAssignment(tasks.current, false));
  } else if (!tasks.monthIsActive) {
    cards.push(noticeCard({ title: `${monthLabel(tasks.month)} is a month for reflection`, message: 'There is no QA activity this month: a time to reflect, gather family feedback and share learning.', tone: 'info' }));
  }
  for (const snapshot of reviews.reflections) cards.push(reviewCard({ snapshot, standing: 'practitioner', moment: 'reflection-request' }));
  for (const snapshot of reviews.oversight) cards.push(reviewCard({ snapshot, standing: 'line-manager', moment: 'findings' }));
  // Observations begun at any time (not a monthly assignment) and reflections others wait for.
  for (const snapshot of observations.recording.filter((o) => o.observation.assignmentId === null)) cards.push(observationCard({ snapshot, standing: 'observer' }));
  for (const snapshot of observations.reflections) cards.push(observationCard({ snapshot, standing: 'practitioner', moment: 'feedback' }));
  const counts: string[] = [];
  if (reviews.moderationWaiting > 0) counts.push(`${reviews.moderationWaiting} practice review${reviews.moderationWaiting === 1 ? ' is' : 's are'} waiting for moderation: type "moderate".`);
  if (complaints.length > 0) counts.push(`${complaints.length} complaint${complaints.length === 1 ? ' is' : 's are'} waiting for you to acknowledge or answer: type "feedback".`);
  if (reviews.openActions > 0) counts.push(`You have ${reviews.openActions} open action${reviews.openActions === 1 ? '' : 's'}: type "actions".`);
  if (counts.length > 0) cards.push(noticeCard({ title: 'Also waiting', message: counts.join(' '), tone: 'info' }));
  if (cards.length === 0) {
    cards.push(noticeCard({ title: 'Nothing waiting', message: `You have no QA activity for ${monthLabel(tasks.month)} yet. It arrives on the first working day of the month.`, tone: 'info' }));
  }
  return cards.length === 1 ? cards[0]! : cards;
};

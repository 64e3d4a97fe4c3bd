import { assignmentCard } from '../../cards/assignment.card';
import { firstNameOf } from '../../cards/labels';
import { reviewCard } from '../../cards/review.card';
import { reviewStartCard } from '../../cards/review-start.card';
import { isOpen } from '../../services/assignments';
import { dueDateFor } from '../../services/assignment-actions';
import { loadSnapshot } from '../../services/reviews/review-snapshot';
import { reviewAssignment, startChoices } from '../../services/reviews/review-start';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "Start the practice review" on the assignment card: the start form, or the review if it is already under way. */
export const beginReview: VerbHandler = async ({ caller, deps, data }) => {
  const reviewer = staffOf(caller);
  const assignment = await reviewAssignment(deps.services, reviewer, idInput(data, 'assignmentId'));
  const existing = await deps.repos.reviews.findByAssignment(assignment.id);
  if (existing !== undefined) return reviewCard({ snapshot: await loadSnapshot(deps.services, existing.id), standing: 'reviewer' });
  const dueDate = dueDateFor(deps.services, assignment);
  if (!isOpen(assignment)) return assignmentCard({ assignment, firstName: firstNameOf(reviewer.name), dueDate, moment: 'updated', nextStep: `This is ${assignment.status}: there is no review to start.` });
  return reviewStartCard({
    assignment,
    dueDate,
    choices: await startChoices(deps.services, reviewer),
    caseReferenceExample: deps.config.caseReference.example,
    values: { caseReference: '', practitionerId: '', practitionerEmail: '', chairId: '' },
    problems: {},
  });
};

import { reviewCard } from '../../cards/review.card';
import { reviewSectionCard } from '../../cards/review-section.card';
import { reviewStartCard } from '../../cards/review-start.card';
import { dueDateFor } from '../../services/assignment-actions';
import { reviewAssignment, startChoices, startReview } from '../../services/reviews/review-start';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The start form sent: the review begins at the first section of the records review, or the form comes back with its problems. */
export const startReviewVerb: VerbHandler = async ({ caller, deps, data }) => {
  const reviewer = staffOf(caller);
  const assignmentId = idInput(data, 'assignmentId');
  const values = {
    caseReference: textInput(data, 'caseReference').toUpperCase(),
    practitionerId: textInput(data, 'practitionerId'),
    practitionerEmail: textInput(data, 'practitionerEmail').toLowerCase(),
    chairId: textInput(data, 'chairId'),
  };
  const result = await startReview(deps.services, deps.compose, deps.config.caseReference, reviewer, assignmentId, values);
  if (!result.ok) {
    const assignment = await reviewAssignment(deps.services, reviewer, assignmentId);
    return reviewStartCard({ assignment, dueDate: dueDateFor(deps.services, assignment), choices: await startChoices(deps.services, reviewer), caseReferenceExample: deps.config.caseReference.example, values, problems: result.problems });
  }
  const { snapshot } = result;
  if (!result.created) return reviewCard({ snapshot, standing: 'reviewer', note: 'This review was already started: here it is as it stands.', noteTone: 'plain' });
  return reviewSectionCard({
    snapshot,
    part: 'records',
    index: 0,
    answers: {},
    problems: {},
    note: `Started. ${snapshot.practitioner.name} has been sent the reflective tool. Each section is saved as you go: type "my tasks" to come back to it on any device.`,
  });
};

import { moveAssignmentVerb } from './move-assignment';

export const completeAssignment = moveAssignmentVerb('done', (changed, assignment) =>
  changed ? 'Done: thank you. No more reminders will come for this month.' : `This is already ${assignment.status}.`,
);

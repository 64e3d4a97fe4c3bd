import { assignmentCard } from '../../cards/assignment.card';
import { dueDateFor, moveAssignment } from '../../services/assignment-actions';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

export const completeAssignment: VerbHandler = async ({ caller, deps, data }) => {
  const person = staffOf(caller);
  const { assignment, changed } = await moveAssignment(deps.services, person, idInput(data, 'assignmentId'), 'done', 'card');
  return assignmentCard({
    assignment,
    firstName: person.name.split(' ')[0] ?? person.name,
    dueDate: dueDateFor(deps.services, assignment),
    moment: 'updated',
    nextStep: changed ? 'Done: thank you. No more reminders will come for this month.' : `This is already ${assignment.status}.`,
  });
};

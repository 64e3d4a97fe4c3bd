import { assignmentCard } from '../../cards/assignment.card';
import { dueDateFor, moveAssignment } from '../../services/assignment-actions';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

export const startAssignment: VerbHandler = async ({ caller, deps, data }) => {
  const person = staffOf(caller);
  const { assignment, changed } = await moveAssignment(deps.services, person, idInput(data, 'assignmentId'), 'started', 'card');
  return assignmentCard({
    assignment,
    firstName: person.name.split(' ')[0] ?? person.name,
    dueDate: dueDateFor(deps.services, assignment),
    moment: 'updated',
    nextStep: changed
      ? 'Started. When it is finished, press "Mark as done". Type "my tasks" to come back to it from any device.'
      : assignment.status === 'started'
        ? 'This was already started.'
        : `This is ${assignment.status}: nothing to start.`,
  });
};

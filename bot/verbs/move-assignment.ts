import { assignmentCard } from '../../cards/assignment.card';
import { firstNameOf } from '../../cards/labels';
import type { Assignment } from '../../services/assignments';
import { dueDateFor, moveAssignment } from '../../services/assignment-actions';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/**
 * A button that moves the person's own assignment on (start, mark as done) and answers
 * with the card as it now is, saying what happened: `say` words it, including for a
 * second press that changed nothing.
 */
export function moveAssignmentVerb(to: 'started' | 'done', say: (changed: boolean, assignment: Assignment) => string): VerbHandler {
  return async ({ caller, deps, data }) => {
    const person = staffOf(caller);
    const { assignment, changed } = await moveAssignment(deps.services, person, idInput(data, 'assignmentId'), to, 'card');
    return assignmentCard({
      assignment,
      firstName: firstNameOf(person.name),
      dueDate: dueDateFor(deps.services, assignment),
      moment: 'updated',
      nextStep: say(changed, assignment),
    });
  };
}

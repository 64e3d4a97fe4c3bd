import { assignmentCard } from '../../cards/assignment.card';
import { firstNameOf } from '../../cards/labels';
import { checkChangeRequest, dueDateFor, requestChange } from '../../services/assignment-actions';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** A manager asks for a swap or excusal. A wrong or missing answer comes back on the same card, answers kept. */
export const requestChangeVerb: VerbHandler = async ({ caller, deps, data }) => {
  const person = staffOf(caller);
  const assignmentId = idInput(data, 'assignmentId');
  const input = { request: textInput(data, 'request'), reason: textInput(data, 'reason') };
  const firstName = firstNameOf(person.name);
  const current = await deps.repos.assignments.findById(assignmentId);
  if (current !== undefined && current.staffId === person.id) {
    const problems = checkChangeRequest(input, current.kind);
    if (problems.request !== undefined || problems.reason !== undefined) {
      return assignmentCard({
        assignment: current,
        firstName,
        dueDate: dueDateFor(deps.services, current),
        moment: 'updated',
        problem: 'Your request was not sent: open "Ask for a swap or excusal" to see what needs changing.',
        request: { value: input.request, reason: input.reason, problems },
      });
    }
  }
  const result = await requestChange(deps.services, deps.compose, person, assignmentId, input);
  const names = result.qaManagers.map((qa) => qa.name).join(', ') || 'the QA service';
  return assignmentCard({
    assignment: result.assignment,
    firstName,
    dueDate: dueDateFor(deps.services, result.assignment),
    moment: 'updated',
    nextStep:
      result.status === 'sent'
        ? `Sent to ${names}. You will hear here when it is decided; until then your activity stays as it is.`
        : `You have already asked about this month; ${names} will decide. Nothing new was sent.`,
  });
};

import { observationCard } from '../../cards/observation.card';
import { observationSectionCard } from '../../cards/observation-steps.card';
import { observationStartCard } from '../../cards/observation-start.card';
import { dueDateFor } from '../../services/assignment-actions';
import { practitionersFor, startObservation } from '../../services/observations/observation-start';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The start card sent: the first section of the observation, or the card back with its problem. */
export const startObservationVerb: VerbHandler = async ({ caller, deps, data }) => {
  const observer = staffOf(caller);
  const values = {
    assignmentId: textInput(data, 'assignmentId'),
    startToken: textInput(data, 'startToken'),
    practitionerId: textInput(data, 'practitionerId'),
    practitionerEmail: textInput(data, 'practitionerEmail').toLowerCase(),
  };
  const result = await startObservation(deps.services, observer, caller.roles, values);
  if (!result.ok) {
    const assignment = values.assignmentId === '' ? undefined : await deps.repos.assignments.findById(values.assignmentId);
    return observationStartCard({ assignment, dueDate: assignment === undefined ? '' : dueDateFor(deps.services, assignment), practitioners: await practitionersFor(deps.services, observer), values, problems: result.problems });
  }
  const { snapshot } = result;
  if (!result.created) return observationCard({ snapshot, standing: 'observer', note: 'This observation was already started: here it is as it stands.' });
  return observationSectionCard({ snapshot, part: 'observation', index: 0, answers: {}, problems: {}, note: 'Started. Each section is saved as you go: type "my tasks" to come back to it on any device.' });
};

import { randomUUID } from 'node:crypto';
import { observationCard } from '../../cards/observation.card';
import { observationStartCard } from '../../cards/observation-start.card';
import { loadObservation } from '../../services/observations/observation-snapshot';
import { dueDateFor } from '../../services/assignment-actions';
import { practitionersFor } from '../../services/observations/observation-start';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "Record the observation" on an assignment card: the start card (or the observation, once started). */
export const beginObservation: VerbHandler = async ({ caller, deps, data }) => {
  const observer = staffOf(caller);
  const assignmentId = idInput(data, 'assignmentId');
  const assignment = await deps.repos.assignments.findById(assignmentId);
  const started = await deps.repos.observations.findByStartKey(`assignment:${assignmentId}`);
  if (started !== undefined && started.observerId === observer.id) {
    return observationCard({ snapshot: await loadObservation(deps.services, started.id), standing: 'observer' });
  }
  return observationStartCard({
    assignment: assignment?.staffId === observer.id ? assignment : undefined,
    dueDate: assignment === undefined ? '' : dueDateFor(deps.services, assignment),
    practitioners: await practitionersFor(deps.services, observer),
    values: { assignmentId: assignment?.staffId === observer.id ? assignmentId : '', startToken: randomUUID(), practitionerId: '', practitionerEmail: '' },
    problems: {},
  });
};

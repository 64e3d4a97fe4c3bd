import { observationCard } from '../../cards/observation.card';
import { loadObservation, requireObservationStanding } from '../../services/observations/observation-snapshot';
import { openObservationActions, openObservationSection } from '../../services/observations/observation-steps';
import { idInput } from './inputs';
import { sectionInput } from './review-reply';
import { observationPartInput, observationReply } from './observation-reply';
import type { VerbHandler } from './verb';

/** Shows an observation, or one step of it, as it is now; also the card refresh verb. */
export const openObservation: VerbHandler = async ({ caller, deps, data }) => {
  const id = idInput(data, 'observationId');
  if (data.view === 'section') return observationReply(await openObservationSection(deps.services, caller.staff, caller.roles, id, observationPartInput(data), sectionInput(data)), caller);
  if (data.view === 'actions') return observationReply(await openObservationActions(deps.services, caller.staff, caller.roles, id), caller);
  const snapshot = await loadObservation(deps.services, id);
  return observationCard({ snapshot, standing: requireObservationStanding(snapshot, caller.staff, caller.roles) });
};

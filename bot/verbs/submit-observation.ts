import { readActionRows } from '../../services/actions/action-rows';
import { submitObservation } from '../../services/observations/observation-steps';
import { idInput, textInput } from './inputs';
import { observationReply } from './observation-reply';
import type { VerbHandler } from './verb';

/** "Submit the observation", with its actions: stored once however often it is pressed. */
export const submitObservationVerb: VerbHandler = async ({ caller, deps, data }) =>
  observationReply(await submitObservation(deps.services, deps.compose, caller.staff, caller.roles, idInput(data, 'observationId'), readActionRows((name) => textInput(data, name))), caller);

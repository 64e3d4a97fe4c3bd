import { saveObservationSection } from '../../services/observations/observation-steps';
import { idInput } from './inputs';
import { moveInput, observationPartInput, observationReply } from './observation-reply';
import { sectionInput } from './review-reply';
import type { VerbHandler } from './verb';

/** Any button on an observation section card: saves what is on it, then moves on, back, or stops for later. */
export const saveObservationSectionVerb: VerbHandler = async ({ caller, deps, data }) =>
  observationReply(await saveObservationSection(deps.services, deps.compose, caller.staff, caller.roles, idInput(data, 'observationId'), observationPartInput(data), sectionInput(data), data, moveInput(data)), caller);

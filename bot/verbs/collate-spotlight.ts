import { spotlightCard } from '../../cards/spotlight.card';
import { collateById } from '../../services/spotlights/spotlights-service';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "Collate again": the draft's figures from the latest findings; the QA manager's words are kept. */
export const collateSpotlightVerb: VerbHandler = async ({ caller, deps, data }) =>
  spotlightCard(await collateById(deps.services, idInput(data, 'spotlightId'), staffOf(caller).email));

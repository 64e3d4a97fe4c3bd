import { spotlightCard } from '../../cards/spotlight.card';
import { saveEdits } from '../../services/spotlights/spotlights-service';
import { idInput, staffOf } from './inputs';
import { spotlightValues } from './spotlight-inputs';
import type { VerbHandler } from './verb';

/** "Save": the headline, strengths, gaps, quotes and channels; problems come back beside them with every answer kept. */
export const saveSpotlightVerb: VerbHandler = async ({ caller, deps, data }) =>
  spotlightCard(await saveEdits(deps.services, idInput(data, 'spotlightId'), spotlightValues(data), data.privacyChecked, staffOf(caller).email));

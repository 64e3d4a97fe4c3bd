import { spotlightCard } from '../../cards/spotlight.card';
import { QaError } from '../../services/errors';
import { snapshotOf, type SpotlightView } from '../../services/spotlights/spotlights-service';
import { valuesOf } from '../../services/spotlights/spotlight-edits';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** The spotlight card as it is now (the card's refresh): changes nothing. */
export const openSpotlightVerb: VerbHandler = async ({ deps, data }) => {
  const spotlight = await deps.repos.spotlights.findById(idInput(data, 'spotlightId'));
  if (spotlight === undefined) throw new QaError('NOT_FOUND', 'spotlight not found', { userMessage: 'That spotlight no longer exists. Type "spotlight" for the current one.' });
  const snapshot = await snapshotOf(deps.services, spotlight);
  const view: SpotlightView = { snapshot, values: valuesOf(spotlight.content.edits, snapshot.chosenChannels), problems: {}, acknowledge: '', note: '', noteTone: 'plain' };
  return spotlightCard(view);
};

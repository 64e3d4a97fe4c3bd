import { briefingDraftCard } from '../../cards/briefing.card';
import { emptyParts } from '../../services/briefings/briefing-drafts';
import { draftFromSpotlight } from '../../services/briefings/briefing-prefill';
import { newBriefingId } from './briefing-replies';
import { textInput } from './inputs';
import type { VerbHandler } from './verb';

/** A new seven-minute briefing on a card: empty, or pre-filled from a spotlight's findings. Nothing is stored until it is saved. */
export const draftBriefingVerb: VerbHandler = async ({ deps, data }) => {
  const spotlightId = textInput(data, 'spotlightId');
  const values = spotlightId === '' ? { title: '', parts: emptyParts() } : await draftFromSpotlight(deps.services, spotlightId);
  return briefingDraftCard({ briefingId: newBriefingId(), spotlightId, values, problems: {}, flagged: '', note: '' });
};

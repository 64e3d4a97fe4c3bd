import { postedSpotlightCard, spotlightCard } from '../../cards/spotlight.card';
import { CARD_CONTENT_TYPE } from '../../cards/render';
import { postSpotlight } from '../../services/spotlights/spotlights-service';
import { idInput, staffOf } from './inputs';
import { spotlightValues } from './spotlight-inputs';
import type { VerbHandler } from './verb';

/** "Post to channels": saves the card's edits and posts the spotlight as a new thread in each chosen channel, once. */
export const postSpotlightVerb: VerbHandler = async ({ caller, deps, data }) =>
  spotlightCard(
    await postSpotlight(deps.services, idInput(data, 'spotlightId'), spotlightValues(data), data.privacyChecked, staffOf(caller).email, (snapshot) => ({
      type: 'message',
      summary: `Spotlight: ${snapshot.spotlight.content.edits.headline}`,
      attachments: [{ contentType: CARD_CONTENT_TYPE, content: postedSpotlightCard(snapshot) }],
    })),
  );

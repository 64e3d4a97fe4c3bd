import { cancelScheduledSend } from '../../services/briefings/briefing-send';
import { audienceCardOf, audienceOf, briefingContext, deliveryCardOf, emptyAudience } from './briefing-replies';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** The QA service cancels a scheduled send: the briefing is approved again, its audience kept for the card. */
export const cancelScheduledBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const { briefing, note } = await cancelScheduledSend(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'));
  if (briefing.status === 'sent' || briefing.status === 'recalled') return deliveryCardOf(deps, briefing, note);
  return audienceCardOf(deps, briefing, briefing.status === 'approved' ? audienceOf(deps, briefing) : emptyAudience(deps), note);
};

import { recallBriefing } from '../../services/briefings/briefing-send';
import { briefingContext, deliveryCardOf } from './briefing-replies';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** The QA service recalls a sent briefing: every copy is removed or replaced by a "withdrawn" card. */
export const recallBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const result = await recallBriefing(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'));
  return deliveryCardOf(deps, result.briefing, result.note);
};

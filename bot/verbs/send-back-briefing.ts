import { decideBriefing } from '../../services/briefings/briefing-drafts';
import { approvalCardOf, briefingContext } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** An approver sends the draft back to its author with a reason (kept beside the field if missing). */
export const sendBackBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const reason = textInput(data, 'reason');
  const result = await decideBriefing(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'), 'send-back', reason);
  return approvalCardOf(deps, result.briefing, result.note, 'problems' in result ? result.problems : {}, 'problems' in result ? reason : '');
};

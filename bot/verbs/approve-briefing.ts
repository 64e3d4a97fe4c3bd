import { decideBriefing } from '../../services/briefings/briefing-drafts';
import { approvalCardOf, briefingContext } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** An approver (never the author) approves the briefing, so it can go out. */
export const approveBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const reason = textInput(data, 'reason');
  const result = await decideBriefing(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'), 'approve', reason);
  return approvalCardOf(deps, result.briefing, result.note, 'problems' in result ? result.problems : {}, 'problems' in result ? reason : '');
};

import { submitForApproval } from '../../services/briefings/briefing-drafts';
import { briefingContext, previewCardOf } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** Sends the draft to the chosen approver; a wrong choice comes back beside the field. */
export const submitBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const approverId = textInput(data, 'approverId');
  const result = await submitForApproval(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'), approverId);
  if ('problems' in result) return previewCardOf(deps, result.briefing, result.note, result.problems, approverId);
  return previewCardOf(deps, result.briefing, result.note);
};

import { readActionRows } from '../../services/actions/action-rows';
import { recordOversight } from '../../services/reviews/oversight';
import { idInput, textInput } from './inputs';
import { reviewReply } from './review-reply';
import type { VerbHandler } from './verb';

/** The line manager's management oversight: directions and actions with owners and due dates. */
export const overseeReviewVerb: VerbHandler = async ({ caller, deps, data }) => {
  const input = { directions: textInput(data, 'directions'), actions: readActionRows((name) => textInput(data, name)) };
  return reviewReply(await recordOversight(deps.services, deps.compose, caller.staff, caller.roles, idInput(data, 'reviewId'), input), caller);
};

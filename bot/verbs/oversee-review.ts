import { ACTION_ROWS, recordOversight } from '../../services/reviews/oversight';
import { idInput, textInput } from './inputs';
import { reviewReply } from './review-reply';
import type { VerbHandler } from './verb';

/** The line manager's management oversight: directions and actions with owners and due dates. */
export const overseeReviewVerb: VerbHandler = async ({ caller, deps, data }) => {
  const actions = Array.from({ length: ACTION_ROWS }, (_, i) => ({
    description: textInput(data, `action${i + 1}`),
    ownerId: textInput(data, `action${i + 1}Owner`),
    dueDate: textInput(data, `action${i + 1}Due`),
  }));
  const input = { directions: textInput(data, 'directions'), actions };
  return reviewReply(await recordOversight(deps.services, deps.compose, caller.staff, caller.roles, idInput(data, 'reviewId'), input), caller);
};

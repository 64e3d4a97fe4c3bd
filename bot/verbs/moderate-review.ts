import { moderateReview } from '../../services/reviews/moderation';
import { idInput, textInput } from './inputs';
import { reviewReply } from './review-reply';
import type { VerbHandler } from './verb';

/** The moderator agrees the grade or sets another, with feedback for the reviewer. */
export const moderateReviewVerb: VerbHandler = async ({ caller, deps, data }) => {
  const input = { agree: textInput(data, 'agree'), grade: textInput(data, 'grade'), reason: textInput(data, 'reason'), feedback: textInput(data, 'feedback') };
  return reviewReply(await moderateReview(deps.services, deps.compose, caller.staff, caller.roles, idInput(data, 'reviewId'), input), caller);
};

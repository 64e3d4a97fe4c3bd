import { submitReview } from '../../services/reviews/review-sections';
import { idInput } from './inputs';
import { reviewReply } from './review-reply';
import type { VerbHandler } from './verb';

/** "Submit for moderation": stored once however often it is pressed. */
export const submitReviewVerb: VerbHandler = async ({ caller, deps, data }) =>
  reviewReply(await submitReview(deps.services, caller.staff, caller.roles, idInput(data, 'reviewId')), caller);

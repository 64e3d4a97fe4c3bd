import { feedbackCard } from '../../cards/feedback.card';
import { beginFeedback } from '../../services/feedback/record-feedback';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/**
 * "Record family feedback" (paused-month message), "Add family feedback" (practice review)
 * and "Record more feedback": a fresh feedback card with its own one-time key, carrying
 * the review or observation it is for.
 */
export const beginFeedbackVerb: VerbHandler = async ({ caller, deps, data }) =>
  feedbackCard(await beginFeedback(deps.services, staffOf(caller), caller.roles, { reviewId: textInput(data, 'reviewId'), observationId: textInput(data, 'observationId') }));

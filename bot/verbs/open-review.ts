import { reviewCard } from '../../cards/review.card';
import { openModeration } from '../../services/reviews/moderation';
import { openOversight } from '../../services/reviews/oversight';
import { openSection } from '../../services/reviews/review-sections';
import { loadSnapshot, requireStanding } from '../../services/reviews/review-snapshot';
import { idInput } from './inputs';
import { partInput, reviewReply, sectionInput } from './review-reply';
import type { VerbHandler } from './verb';

/**
 * Shows a review, or one step of it, as it is now. Also the card refresh verb: a card
 * opened late, on another device or by someone else shows what is true now.
 */
export const openReview: VerbHandler = async ({ caller, deps, data }) => {
  const reviewId = idInput(data, 'reviewId');
  switch (data.view) {
    case 'section':
      return reviewReply(await openSection(deps.services, caller.staff, caller.roles, reviewId, partInput(data), sectionInput(data)), caller);
    case 'moderation':
      return reviewReply(await openModeration(deps.services, caller.staff, caller.roles, reviewId), caller);
    case 'oversight':
      return reviewReply(await openOversight(deps.services, caller.staff, caller.roles, reviewId), caller);
    default: {
      const snapshot = await loadSnapshot(deps.services, reviewId);
      return reviewCard({ snapshot, standing: requireStanding(snapshot, caller.staff, caller.roles) });
    }
  }
};

import type { VerbName } from '../../cards/verbs';
import { aboutCycle } from './about-cycle';
import { addFocusDayVerb } from './add-focus-day';
import { beginObservation } from './begin-observation';
import { beginReview } from './begin-review';
import { changeRotaVerb } from './change-rota';
import { closeActionVerb } from './close-action';
import { completeAssignment } from './complete-assignment';
import { decideRequestVerb } from './decide-request';
import { moderateReviewVerb } from './moderate-review';
import { openObservation } from './open-observation';
import { openReview } from './open-review';
import { overseeReviewVerb } from './oversee-review';
import { requestChangeVerb } from './request-change';
import { saveObservationSectionVerb } from './save-observation-section';
import { saveReviewSection } from './save-review-section';
import { showHelp } from './show-help';
import { startAssignment } from './start-assignment';
import { startObservationVerb } from './start-observation';
import { startReviewVerb } from './start-review';
import { submitObservationVerb } from './submit-observation';
import { submitReviewVerb } from './submit-review';
import type { VerbHandler } from './verb';

/** One handler per card verb; the compiler checks none is missing. */
export const verbHandlers: Record<VerbName, VerbHandler> = {
  'help.show': showHelp,
  'help.about': aboutCycle,
  'assignment.start': startAssignment,
  'assignment.complete': completeAssignment,
  'assignment.request': requestChangeVerb,
  'rota.decide': decideRequestVerb,
  'rota.change': changeRotaVerb,
  'review.begin': beginReview,
  'review.start': startReviewVerb,
  'review.open': openReview,
  'review.save': saveReviewSection,
  'review.submit': submitReviewVerb,
  'review.moderate': moderateReviewVerb,
  'review.oversee': overseeReviewVerb,
  'action.close': closeActionVerb,
  'observation.begin': beginObservation,
  'observation.start': startObservationVerb,
  'observation.open': openObservation,
  'observation.save': saveObservationSectionVerb,
  'observation.submit': submitObservationVerb,
  'focus-day.add': addFocusDayVerb,
};

import type { VerbName } from '../../cards/verbs';
import { aboutCycle } from './about-cycle';
import { acknowledgeBriefingVerb } from './acknowledge-briefing';
import { approveBriefingVerb } from './approve-briefing';
import { briefingDeliveryVerb } from './briefing-delivery';
import { briefingUsageVerb } from './briefing-usage';
import { cancelScheduledBriefingVerb } from './cancel-scheduled-briefing';
import { draftBriefingVerb } from './draft-briefing';
import { openBriefingVerb } from './open-briefing';
import { previewBriefingVerb } from './preview-briefing';
import { recallBriefingVerb } from './recall-briefing';
import { saveBriefingVerb } from './save-briefing';
import { scheduleBriefingVerb } from './schedule-briefing';
import { sendBackBriefingVerb } from './send-back-briefing';
import { submitBriefingVerb } from './submit-briefing';
import { acknowledgeComplaintVerb } from './acknowledge-complaint';
import { addFocusDayVerb } from './add-focus-day';
import { addThematicSampleVerb } from './add-thematic-sample';
import { beginThematicReviewVerb } from './begin-thematic-review';
import { beginObservation } from './begin-observation';
import { beginFeedbackVerb } from './begin-feedback';
import { beginReview } from './begin-review';
import { changeRotaVerb } from './change-rota';
import { closeActionVerb } from './close-action';
import { completeAssignment } from './complete-assignment';
import { decideRequestVerb } from './decide-request';
import { extendComplaintVerb } from './extend-complaint';
import { moderateReviewVerb } from './moderate-review';
import { openComplaintVerb } from './open-complaint';
import { openObservation } from './open-observation';
import { openReview } from './open-review';
import { overseeReviewVerb } from './oversee-review';
import { recordFeedbackVerb } from './record-feedback';
import { requestChangeVerb } from './request-change';
import { respondToComplaintVerb } from './respond-to-complaint';
import { saveObservationSectionVerb } from './save-observation-section';
import { saveReviewSection } from './save-review-section';
import { saveThemeVerb } from './save-theme';
import { collateSpotlightVerb } from './collate-spotlight';
import { openSpotlightVerb } from './open-spotlight';
import { postSpotlightVerb } from './post-spotlight';
import { saveSpotlightVerb } from './save-spotlight';
import { openThemesVerb } from './open-themes';
import { showHelp } from './show-help';
import { startAssignment } from './start-assignment';
import { startObservationVerb } from './start-observation';
import { startReviewVerb } from './start-review';
import { submitObservationVerb } from './submit-observation';
import { submitThematicReviewVerb } from './submit-thematic-review';
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
  'thematic.begin': beginThematicReviewVerb,
  'thematic.sample': addThematicSampleVerb,
  'thematic.submit': submitThematicReviewVerb,
  'theme.save': saveThemeVerb,
  'spotlight.open': openSpotlightVerb,
  'spotlight.collate': collateSpotlightVerb,
  'spotlight.save': saveSpotlightVerb,
  'spotlight.post': postSpotlightVerb,
  'themes.open': openThemesVerb,
  'feedback.begin': beginFeedbackVerb,
  'feedback.record': recordFeedbackVerb,
  'complaint.open': openComplaintVerb,
  'complaint.acknowledge': acknowledgeComplaintVerb,
  'complaint.respond': respondToComplaintVerb,
  'complaint.extend': extendComplaintVerb,
  'briefing.draft': draftBriefingVerb,
  'briefing.save': saveBriefingVerb,
  'briefing.preview': previewBriefingVerb,
  'briefing.submit': submitBriefingVerb,
  'briefing.approve': approveBriefingVerb,
  'briefing.send-back': sendBackBriefingVerb,
  'briefing.open': openBriefingVerb,
  'briefing.schedule': scheduleBriefingVerb,
  'briefing.cancel-schedule': cancelScheduledBriefingVerb,
  'briefing.recall': recallBriefingVerb,
  'briefing.delivery': briefingDeliveryVerb,
  'briefing.acknowledge': acknowledgeBriefingVerb,
  'briefing.usage': briefingUsageVerb,
};

import { gradeLabels } from '../services/forms/grades';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import { whenLabel } from '../services/calendar';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** How many reviews one queue card lists; the rest are counted. */
export const QUEUE_PAGE = 10;

/** The moderation queue: submitted reviews, oldest first, each with a button to moderate it. */
export function moderationQueueCard(waiting: readonly ReviewSnapshot[]): AdaptiveCard {
  const shown = waiting.slice(0, QUEUE_PAGE);
  return recordCard({
    heading: 'Practice reviews waiting for moderation',
    intro:
      waiting.length === 0
        ? 'Nothing is waiting: every submitted review has been moderated.'
        : `${waiting.length} waiting, oldest first.${waiting.length > shown.length ? ` The first ${shown.length} are shown; moderate these to see the rest.` : ''}`,
    groups: shown.map((snapshot) => ({
      title: snapshot.review.caseReference,
      facts: [
        { title: 'Reviewer', value: snapshot.reviewer.name },
        { title: 'Practitioner', value: `${snapshot.practitioner.name} (${snapshot.review.team})` },
        { title: 'Submitted', value: whenLabel(snapshot.review.submittedAt) },
        { title: "Reviewer's grade", value: snapshot.review.reviewerGrade === null ? 'None' : gradeLabels[snapshot.review.reviewerGrade] },
        { title: 'Reflection', value: snapshot.parts.reflection.response.status === 'submitted' ? 'Received' : 'Not received yet' },
      ],
      texts: [],
    })),
    buttons: shown.slice(0, 5).map((snapshot, i) => ({
      title: `Moderate ${snapshot.review.caseReference}`,
      verb: Verbs.openReview,
      data: { reviewId: snapshot.review.id, view: 'moderation', part: '', section: '' },
      style: i === 0 ? 'positive' : 'default',
    })),
  });
}

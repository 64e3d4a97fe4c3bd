import { complaintCard } from '../../cards/complaint.card';
import { feedbackCard } from '../../cards/feedback.card';
import { noticeCard } from '../../cards/notice.card';
import type { AdaptiveCard } from '../../cards/render';
import { loadComplaint } from '../../services/feedback/feedback-snapshot';
import { beginFeedback } from '../../services/feedback/record-feedback';
import type { CommandHandler } from './command';

/** How many unanswered complaints one reply shows, soonest response deadline first. */
const SHOWN = 5;

/** The feedback card (with this month's count), then any complaints this person handles that are not answered yet. */
export const feedback: CommandHandler = async ({ caller, deps }) => {
  const recorder = caller.staff;
  if (recorder === undefined) {
    return noticeCard({ title: 'Not available to you', message: 'QA Loop does not know you yet, so it cannot record feedback from you. Please ask the QA service to add you.', tone: 'problem' });
  }
  const cards: AdaptiveCard[] = [feedbackCard(await beginFeedback(deps.services, recorder, caller.roles, { reviewId: '', observationId: '' }))];
  const handling = await deps.repos.complaints.listOpenFor(recorder.id);
  for (const complaint of handling.slice(0, SHOWN)) cards.push(complaintCard({ snapshot: await loadComplaint(deps.services, complaint.id) }));
  if (handling.length > SHOWN) cards.push(noticeCard({ title: `${handling.length - SHOWN} more complaints`, message: `Answer the ones above to see the other ${handling.length - SHOWN}.`, tone: 'info' }));
  return cards.length === 1 ? cards[0]! : cards;
};

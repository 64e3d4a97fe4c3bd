import { qaBriefingsCard, teamBriefingsCard } from '../../cards/briefing-team.card';
import { noticeCard } from '../../cards/notice.card';
import type { AdaptiveCard } from '../../cards/render';
import { qaBriefingList, teamBriefingList } from '../../services/briefings/briefing-views';
import { approvalCardOf } from '../verbs/briefing-replies';
import type { CommandHandler } from './command';

/**
 * Seven-minute briefings: the QA service's list (status, figures, a way into each); a
 * manager's view of who in their team has read each; an approver's briefings waiting.
 */
export const briefings: CommandHandler = async ({ caller, deps }) => {
  const cards: AdaptiveCard[] = [];
  const person = caller.staff;
  if (caller.roles.includes('qa_manager')) cards.push(qaBriefingsCard(await qaBriefingList(deps.services), (await deps.repos.briefings.latestSpotlightId()) ?? ''));
  if (caller.roles.includes('manager') && person !== undefined) cards.push(teamBriefingsCard(await teamBriefingList(deps.services, person), person.team));
  if (caller.roles.includes('approver')) {
    const waiting = (await deps.repos.briefings.list({ offset: 0, limit: 50 })).filter((briefing) => briefing.status === 'awaiting_approval' && briefing.authorId !== person?.id);
    for (const briefing of waiting.slice(0, 5)) cards.push(await approvalCardOf(deps, briefing));
    if (waiting.length === 0 && cards.length === 0) cards.push(noticeCard({ title: 'Seven-minute briefings', message: 'No briefing is waiting for your approval.', tone: 'info' }));
  }
  return cards.length === 1 ? cards[0]! : cards;
};

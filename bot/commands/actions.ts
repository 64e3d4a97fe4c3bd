import { actionCard } from '../../cards/action.card';
import { noticeCard } from '../../cards/notice.card';
import { openActionsFor } from '../../services/actions/action-service';
import type { CommandHandler } from './command';

/** How many actions one reply shows, soonest due first; Teams lists the cards one after another. */
const SHOWN = 10;

/** A person's open actions, each with a way to close it. */
export const actions: CommandHandler = async ({ caller, deps }) => {
  if (caller.staff === undefined) return noticeCard({ title: 'No actions', message: 'QA Loop does not know you yet, so there are no actions for you.', tone: 'info' });
  const open = await openActionsFor(deps.services, caller.staff);
  if (open.length === 0) return noticeCard({ title: 'No open actions', message: 'You have no open actions from practice reviews. Any given to you arrive here.', tone: 'info' });
  const cards = open.slice(0, SHOWN).map((view) => actionCard({ view, moment: 'list' }));
  if (open.length > SHOWN) cards.push(noticeCard({ title: `${open.length - SHOWN} more`, message: `Close the ones above to see the other ${open.length - SHOWN}.`, tone: 'info' }));
  return cards.length === 1 ? cards[0]! : cards;
};

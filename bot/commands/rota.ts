import { monthLabel } from '../../cards/labels';
import { rotaChangeCard, type RotaChangeCardData } from '../../cards/rota-change.card';
import type { AdaptiveCard } from '../../cards/render';
import { monthOf, nextMonth } from '../../services/calendar';
import { rotaForMonth } from '../../services/rota-service';
import type { BotDeps } from '../deps';
import type { CommandHandler } from './command';

/** This month and the next three active months: the months a change can still matter for. */
function upcomingMonths(deps: BotDeps): string[] {
  const months: string[] = [];
  for (let month = monthOf(deps.clock.now()); months.length < 4; month = nextMonth(month)) {
    if (deps.calendar.isActiveMonth(month)) months.push(month);
  }
  return months;
}

/** The rota change card, listing the managers on the rota in the first of those months. */
export async function rotaChangeCardFor(deps: BotDeps, state: Pick<RotaChangeCardData, 'values' | 'problems' | 'done'>): Promise<AdaptiveCard> {
  const months = upcomingMonths(deps);
  const entries = months[0] === undefined ? [] : await rotaForMonth(deps.services, months[0]);
  return rotaChangeCard({
    people: entries.map((entry) => ({ title: `${entry.person.name}, ${entry.person.team}`, value: entry.person.email })),
    months: months.map((month) => ({ title: monthLabel(month), value: month })),
    ...state,
  });
}

export const rota: CommandHandler = async ({ deps }) => rotaChangeCardFor(deps, { values: {}, problems: {}, done: '' });

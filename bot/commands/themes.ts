import { nextMonth, monthOf } from '../../services/calendar';
import { themesCard } from '../../cards/themes.card';
import type { BotDeps } from '../deps';
import type { CommandHandler } from './command';

/** The active months the planner offers: this one and the next eleven months' active ones. */
export function plannerMonths(deps: Pick<BotDeps, 'calendar' | 'clock'>): string[] {
  const months: string[] = [];
  let month = monthOf(deps.clock.now());
  for (let i = 0; i < 12; i++, month = nextMonth(month)) if (deps.calendar.isActiveMonth(month)) months.push(month);
  return months;
}

/** The QA manager's themes planner. */
export const themes: CommandHandler = async ({ deps }) => {
  const months = plannerMonths(deps);
  return themesCard({ themes: await deps.repos.themes.listFrom(monthOf(deps.clock.now())), months, values: { month: '', title: '', origin: '', why: '', sampleSize: '3' }, problems: {}, done: '' });
};

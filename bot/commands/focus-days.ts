import { focusDaysCard } from '../../cards/focus-day.card';
import type { CommandHandler } from './command';

/** The QA manager's Practice Focused Days: those coming up, and a form to schedule another. */
export const focusDays: CommandHandler = async ({ deps }) =>
  focusDaysCard({ upcoming: await deps.repos.focusDays.listFrom(deps.calendar.londonDateOf(deps.clock.now())), values: { day: '', theme: '', toChannels: true }, problems: {}, done: '' });

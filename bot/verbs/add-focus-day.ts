import { focusDaysCard } from '../../cards/focus-day.card';
import { dayLabel } from '../../cards/labels';
import { addFocusDay } from '../../services/observations/focus-days';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The QA manager schedules a Practice Focused Day from the card; it is announced at once. */
export const addFocusDayVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const values = { day: textInput(data, 'day'), theme: textInput(data, 'theme'), toChannels: textInput(data, 'toChannels') !== 'managers' };
  const result = await addFocusDay(deps.services, deps.compose, values, qaManager.email, 'card');
  const upcoming = await deps.repos.focusDays.listFrom(deps.calendar.londonDateOf(deps.clock.now()));
  if (!result.ok) return focusDaysCard({ upcoming, values, problems: result.problems, done: '' });
  return focusDaysCard({
    upcoming,
    values: { day: '', theme: '', toChannels: true },
    problems: {},
    done: `Scheduled for ${dayLabel(result.focusDay.day)} and announced to ${result.managers} managers${values.toChannels ? ` and in ${result.channels} team channels` : ''}.`,
  });
};

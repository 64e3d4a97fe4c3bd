import type { FocusDay } from '../services/observations/observation';
import type { FocusDayInput, FocusDayProblems } from '../services/observations/focus-days';
import { dayLabel } from './labels';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** The announcement of a Practice Focused Day, to managers and in team channels. */
export function focusDayNoticeCard(focusDay: FocusDay, forManager: boolean): AdaptiveCard {
  return recordCard({
    heading: `Practice Focused Day: ${dayLabel(focusDay.day)}`,
    intro: `The QA service is holding a Practice Focused Day on "${focusDay.theme}". Leaders spend time with practitioners and observe practice, linking our improvement plans to everyday work.`,
    facts: [
      { title: 'Date', value: dayLabel(focusDay.day) },
      { title: 'Theme', value: focusDay.theme },
    ],
    note: forManager ? 'Plan an observation with one of your practitioners for that day: observations made on it are recorded as part of the day. Type "observe" to record one.' : '',
  });
}

export interface FocusDaysCardInput {
  upcoming: FocusDay[];
  values: FocusDayInput;
  problems: FocusDayProblems;
  done: string;
}

/** The QA manager's card: Practice Focused Days coming up, and a form to schedule another. */
export function focusDaysCard(input: FocusDaysCardInput): AdaptiveCard {
  return recordCard({
    heading: 'Practice Focused Days',
    intro: input.upcoming.length === 0 ? 'None scheduled. The framework asks for one each quarter.' : `${input.upcoming.length} coming up.`,
    facts: input.upcoming.map((day) => ({ title: dayLabel(day.day), value: day.theme })),
    note: input.done !== '' ? input.done : Object.keys(input.problems).length > 0 ? 'Not scheduled yet: see the notes beside the answers.' : '',
    noteTone: input.done !== '' ? 'good' : 'problem',
    formTitle: 'Schedule a Practice Focused Day',
    questions: [
      { id: 'day', label: 'Date', input: 'date', value: input.values.day, problem: input.problems.day ?? '' },
      { id: 'theme', label: 'Theme', input: 'text', maxLength: 200, value: input.values.theme, problem: input.problems.theme ?? '' },
      {
        id: 'toChannels',
        label: 'Announce it',
        input: 'choice',
        value: input.values.toChannels ? 'channels' : 'managers',
        choices: [
          { title: 'To managers and in team channels', value: 'channels' },
          { title: 'To managers only', value: 'managers' },
        ],
      },
    ],
    buttons: [{ title: 'Schedule and announce', verb: Verbs.addFocusDay, data: {}, style: 'positive' }],
  });
}

import { themeOrigins, themeOriginLabels, type Theme } from '../services/themes/theme';
import { monthLabel } from './labels';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

export interface ThemesCardInput {
  themes: Theme[];
  months: string[];
  values: Record<'month' | 'title' | 'origin' | 'why' | 'sampleSize', string>;
  problems: Record<string, string>;
  done: string;
}

/** The QA manager's themes planner: what is planned, and a form to plan a month (its questions come from a themes file, or the current form). */
export function themesCard(input: ThemesCardInput): AdaptiveCard {
  return recordCard({
    heading: 'Themes planner',
    intro: input.themes.length === 0 ? 'No themes planned from this month on.' : 'Monthly spotlight themes, from this month on. Managers on thematic duty dip-sample against them.',
    facts: input.themes.map((theme) => ({ title: monthLabel(theme.month), value: `${theme.title} (${themeOriginLabels[theme.origin]}; ${theme.sampleSize} cases each)` })),
    note: input.done !== '' ? input.done : Object.keys(input.problems).length > 0 ? 'Not saved yet: see the notes beside the answers.' : '',
    noteTone: input.done !== '' ? 'good' : 'problem',
    formTitle: 'Plan a month',
    formHelp: 'Uses the current dip-sample questions; to give a theme its own questions, import a themes file (npm run qa -- themes import FILE.json).',
    questions: [
      { id: 'month', label: 'Month', input: 'choice', choiceStyle: 'compact', value: input.values.month, problem: input.problems.month ?? '', choices: input.months.map((month) => ({ title: monthLabel(month), value: month })) },
      { id: 'title', label: 'Theme', input: 'text', maxLength: 200, value: input.values.title, problem: input.problems.title ?? '' },
      { id: 'origin', label: 'Where it came from', input: 'choice', choiceStyle: 'compact', value: input.values.origin, problem: input.problems.origin ?? '', choices: themeOrigins.map((origin) => ({ title: themeOriginLabels[origin], value: origin })) },
      { id: 'why', label: 'Why this theme', input: 'text', multiline: true, maxLength: 2000, value: input.values.why, problem: input.problems.why ?? '' },
      { id: 'sampleSize', label: 'Cases each manager samples', input: 'text', maxLength: 2, value: input.values.sampleSize, problem: input.problems.sampleSize ?? '' },
    ],
    buttons: [{ title: 'Save the theme', verb: Verbs.saveTheme, data: {}, style: 'positive' }],
  });
}

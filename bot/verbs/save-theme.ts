import { monthLabel } from '../../cards/labels';
import { themesCard } from '../../cards/themes.card';
import { parseThemes, saveTheme } from '../../services/themes/themes-service';
import { plannerMonths } from '../commands/themes';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The QA manager plans a month's theme from the card; problems come back beside their fields. */
export const saveThemeVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const values = { month: textInput(data, 'month'), title: textInput(data, 'title'), origin: textInput(data, 'origin'), why: textInput(data, 'why'), sampleSize: textInput(data, 'sampleSize') };
  const months = plannerMonths(deps);
  const check = parseThemes({ themes: [{ ...values, sampleSize: /^\d{1,2}$/.test(values.sampleSize) ? Number(values.sampleSize) : -1 }] }, (month) => deps.calendar.isActiveMonth(month));
  const problems: Record<string, string> = {};
  if (!check.ok) {
    for (const problem of check.problems) {
      const field = /^themes\.0\.(\w+)/.exec(problem)?.[1] ?? 'title';
      problems[field] = problem.replace(/^themes\.0\.\w+: /, '');
    }
  }
  if (!months.includes(values.month)) problems.month = 'Choose one of the months listed.';
  const themes = await deps.repos.themes.listFrom(months[0] ?? values.month);
  if (!check.ok || Object.keys(problems).length > 0) return themesCard({ themes, months, values, problems, done: '' });
  const theme = await saveTheme(deps.services, check.themes[0]!, qaManager.email, 'card');
  return themesCard({ themes: await deps.repos.themes.listFrom(months[0]!), months, values: { month: '', title: '', origin: '', why: '', sampleSize: '3' }, problems: {}, done: `Saved: ${monthLabel(theme.month)}, "${theme.title}".` });
};

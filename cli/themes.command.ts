/** `themes …`: the QA manager's planner of monthly themes, imported from a file or listed. */
import { monthLabel } from '../cards/labels';
import { QaError } from '../services/errors';
import { themeOriginLabels } from '../services/themes/theme';
import { parseThemes, saveTheme } from '../services/themes/themes-service';
import { readInputFile } from './files';
import type { CliCommand } from './qa';

const importCommand: CliCommand = {
  usage: 'themes import FILE.json',
  summary: 'Plan monthly themes from a file ({"themes": [{month, title, origin, why, sampleSize, channels?, questions?}]}); if any is wrong nothing is saved',
  takes: { min: 1, max: 1 },
  async run({ args: [file = ''] }, cli) {
    const text = await readInputFile(file, 'themes file', 'Nothing was saved.');
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new QaError('INVALID_INPUT', 'themes file is not JSON', { userMessage: `Cannot read ${file}: ${(error as Error).message}. Nothing was saved.`, cause: error });
    }
    const check = parseThemes(input, (month) => cli.context.calendar.isActiveMonth(month));
    if (!check.ok) {
      for (const problem of check.problems) cli.err(problem);
      throw new QaError('INVALID_INPUT', 'themes file refused', { userMessage: 'Nothing was saved.' });
    }
    for (const theme of check.themes) {
      const saved = await saveTheme(cli.context, theme, cli.actor, 'cli');
      cli.out(`${monthLabel(saved.month)}: "${saved.title}" (${themeOriginLabels[saved.origin]}), ${saved.sampleSize} cases each${theme.questions === undefined ? '' : ', its own questions'}.`);
    }
  },
};

const listCommand: CliCommand = {
  usage: 'themes list',
  summary: 'The themes planned from this month on',
  takes: { min: 0, max: 0 },
  async run(_input, cli) {
    const themes = await cli.context.repos.themes.listFrom(cli.context.calendar.londonDateOf(cli.context.clock.now()).slice(0, 7));
    if (themes.length === 0) cli.out('No themes planned.');
    else cli.table(themes.map((theme) => [theme.month, theme.title, themeOriginLabels[theme.origin], `${theme.sampleSize} cases`]));
  },
};

export const themeCommands: readonly CliCommand[] = [importCommand, listCommand];

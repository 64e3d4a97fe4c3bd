/** `focus-day …`: Practice Focused Days, scheduled and announced from the command line. */
import { dayLabel } from '../cards/labels';
import { createNoticeComposer } from '../cards/notice-composer';
import { QaError } from '../services/errors';
import { addFocusDay } from '../services/observations/focus-days';
import type { CliCommand } from './qa';

const addCommand: CliCommand = {
  usage: 'focus-day add YYYY-MM-DD THEME',
  summary: 'Schedule a Practice Focused Day and announce it to the rota managers (and team channels unless --channels none)',
  takes: { min: 2, max: 2 },
  options: ['channels'],
  async run({ args: [day = '', theme = ''], options }, cli) {
    const channels = options.get('channels') ?? 'all';
    if (channels !== 'all' && channels !== 'none') throw cli.badArgument(`--channels "${channels}" must be all or none.`);
    const result = await addFocusDay(cli.context, createNoticeComposer(cli.context.calendar), { day, theme: theme.trim(), toChannels: channels === 'all' }, cli.actor, 'cli');
    if (!result.ok) {
      for (const problem of Object.values(result.problems)) cli.err(problem);
      throw new QaError('INVALID_INPUT', 'focus day refused', { userMessage: 'Nothing was scheduled.' });
    }
    cli.out(`Scheduled a Practice Focused Day on ${dayLabel(result.focusDay.day)} ("${result.focusDay.theme}"): announced to ${result.managers} managers and ${result.channels} team channels. The bot sends the announcements.`);
  },
};

const listCommand: CliCommand = {
  usage: 'focus-day list',
  summary: 'Practice Focused Days from today on',
  takes: { min: 0, max: 0 },
  async run(_input, cli) {
    const days = await cli.context.repos.focusDays.listFrom(cli.context.calendar.londonDateOf(cli.context.clock.now()));
    if (days.length === 0) cli.out('No Practice Focused Days scheduled.');
    else cli.table(days.map((day) => [day.day, day.theme, `by ${day.createdBy}`]));
  },
};

export const focusDayCommands: readonly CliCommand[] = [addCommand, listCommand];

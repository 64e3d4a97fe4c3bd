/** `rota …`: the QA manager's pre-agreed rota, and their changes to one month of it. */
import { rotaSyncCommand } from './rota-sync.command';
import { createNoticeComposer } from '../cards/notice-composer';
import { monthLabel } from '../cards/labels';
import { monthOf, type YearMonth } from '../services/calendar';
import { QaError } from '../services/errors';
import { kindLabels, parseKind, type QaKind } from '../services/rota';
import { excuseMonth, importRota, rotaForMonth, swapKind } from '../services/rota-service';
import { readInputFile } from './files';
import type { CliCommand, CliRuntime } from './qa';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthArgument(cli: CliRuntime, text: string): YearMonth {
  if (!MONTH.test(text)) throw cli.badArgument(`"${text}" is not a month: write it as YYYY-MM, e.g. 2026-09.`);
  return text;
}

function emailArgument(cli: CliRuntime, text: string): string {
  if (!/^[^\s@]+@[^\s@]+$/.test(text)) throw cli.badArgument(`"${text}" is not an email address.`);
  return text;
}

function kindArgument(cli: CliRuntime, text: string): QaKind {
  const kind = parseKind(text);
  if (kind === undefined) throw cli.badArgument(`"${text}" is not a kind of QA activity: use review, observation or thematic.`);
  return kind;
}

const importCommand: CliCommand = {
  usage: 'rota import FILE.csv',
  summary: 'Check a rota file and import it; if any line is wrong nothing is imported',
  takes: { min: 1, max: 1 },
  async run({ args: [file = ''] }, cli) {
    const text = await readInputFile(file, 'rota file');
    const result = await importRota(cli.context, text, cli.actor);
    if (!result.ok) {
      for (const problem of result.problems) cli.err(problem);
      throw new QaError('INVALID_INPUT', 'rota file refused', { userMessage: 'Nothing was imported.', detail: { problems: result.problems.length } });
    }
    cli.out(
      `Imported ${file}: ${result.added} added, ${result.updated} updated, ${result.joinedRota} joined the rota, ${result.leftRota} left the rota, ${result.onRota} on the rota.`,
    );
  },
};

const showCommand: CliCommand = {
  usage: 'rota show [YYYY-MM]',
  summary: 'Who does what in a month, one line per manager (default: this month, London time)',
  takes: { min: 0, max: 1 },
  async run({ args: [given] }, cli) {
    const month = given === undefined ? monthOf(cli.context.clock.now()) : monthArgument(cli, given);
    if (!cli.context.calendar.isActiveMonth(month)) {
      cli.out(`${monthLabel(month)} is a paused month: no QA activity.`);
      return;
    }
    const entries = await rotaForMonth(cli.context, month);
    if (entries.length === 0) {
      cli.out(`No one is on the rota for ${monthLabel(month)}.`);
      return;
    }
    cli.out(`${monthLabel(month)}: ${entries.length} manager${entries.length === 1 ? '' : 's'}`);
    cli.table(
      entries.map((entry) => [
        entry.person.email,
        entry.person.name,
        `${entry.person.service} / ${entry.person.team}`,
        entry.status === 'excused' ? `excused: ${entry.excuseReason ?? 'no reason recorded'}` : kindLabels[entry.kind],
        entry.status,
      ]),
    );
  },
};

const swapCommand: CliCommand = {
  usage: 'rota swap EMAIL YYYY-MM KIND',
  summary: 'Give a manager a different activity for one month (KIND: review, observation or thematic)',
  takes: { min: 3, max: 3 },
  async run({ args: [email = '', month = '', kind = ''] }, cli) {
    const chosen = kindArgument(cli, kind);
    const person = await swapKind(cli.context, emailArgument(cli, email), monthArgument(cli, month), chosen, cli.actor, 'cli', {
      compose: createNoticeComposer(cli.context.calendar),
      by: 'the QA service',
    });
    cli.out(`Swapped: ${person.name} (${person.email}) does a ${kindLabels[chosen].toLowerCase()} in ${monthLabel(month)}.`);
  },
};

const excuseCommand: CliCommand = {
  usage: 'rota excuse EMAIL YYYY-MM "REASON"',
  summary: "Excuse a manager from one month's activity; the reason is reported",
  // The reason may come unquoted, as several words.
  takes: { min: 3, max: Number.POSITIVE_INFINITY },
  async run({ args: [email = '', month = '', ...words] }, cli) {
    const reason = words.join(' ');
    const person = await excuseMonth(cli.context, emailArgument(cli, email), monthArgument(cli, month), reason, cli.actor, 'cli', {
      compose: createNoticeComposer(cli.context.calendar),
      by: 'the QA service',
    });
    cli.out(`Excused: ${person.name} (${person.email}) from ${monthLabel(month)}, because: ${reason.trim()}`);
  },
};

export const rotaCommands: readonly CliCommand[] = [importCommand, showCommand, swapCommand, excuseCommand, rotaSyncCommand];

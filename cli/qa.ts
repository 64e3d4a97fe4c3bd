/**
 * `npm run qa -- <command>`: the QA service's command line. It starts the domain the
 * same way the bot does (settings from the environment, the same database, migrations),
 * runs one command and stops. Exit codes: 0 done, 1 refused or failed, 2 bad arguments.
 *
 * stdout carries only the command's output, so it can be piped or saved; logs, problems
 * and errors go to stderr.
 */
import { userInfo } from 'node:os';
import { systemClock, type Clock } from '../services/clock';
import { loadConfig, type Config } from '../services/config';
import type { ServiceContext } from '../services/context';
import { isQaError, QaError } from '../services/errors';
import { createLogger } from '../services/logger';
import { openRuntime } from '../services/runtime';
import { auditCommands } from './audit.command';
import { demoCommands } from './demo.command';
import { exportCommands } from './export.command';
import { focusDayCommands } from './focus-day.command';
import { themeCommands } from './themes.command';
import { formCommands } from './forms.command';
import { jobCommands } from './jobs.command';
import { reportCommands } from './report.command';
import { rotaCommands } from './rota.command';

/** What a command is given once its arguments have the right shape and the database is open. */
export interface CliRuntime {
  context: ServiceContext;
  config: Config;
  /** Who the audit log records as having done it. */
  actor: string;
  /** A line of the command's output (stdout). */
  out(line: string): void;
  /** Output text exactly as given, e.g. CSV with its own line ends (stdout). */
  write(text: string): Promise<void>;
  /** Rows of the command's output with their columns lined up, two spaces apart (stdout). */
  table(rows: readonly (readonly string[])[]): void;
  /** A line about a problem (stderr). */
  err(line: string): void;
  /** A bad argument: the problem and this command's usage are printed, and the exit code is 2. */
  badArgument(problem: string): QaError;
}

export interface CliInput {
  args: readonly string[];
  /** Values of the command's --options, by name without the dashes. */
  options: ReadonlyMap<string, string>;
}

export interface CliCommand {
  /** How it is typed, e.g. 'rota swap EMAIL YYYY-MM KIND'; its first two words name it. */
  usage: string;
  summary: string;
  /** The fewest and the most arguments after the command's two words. */
  takes: { min: number; max: number };
  /** Options that take a value, e.g. ['at'] for --at TIME. */
  options?: readonly string[];
  run(input: CliInput, cli: CliRuntime): Promise<void>;
}

const commands: readonly CliCommand[] = [...rotaCommands, ...jobCommands, ...formCommands, ...focusDayCommands, ...themeCommands, ...demoCommands, ...auditCommands, ...exportCommands, ...reportCommands];

const PREFIX = 'npm run qa --';
const wordsOf = (command: CliCommand): string[] => command.usage.split(' ').slice(0, 2);

function usageText(): string {
  const width = Math.max(...commands.map((command) => command.usage.length));
  const lines = [`Usage: ${PREFIX} <command> [arguments]`, ''];
  let group = '';
  for (const command of commands) {
    const [name = ''] = wordsOf(command);
    if (name !== group) {
      if (group !== '') lines.push('');
      group = name;
    }
    lines.push(`  ${command.usage.padEnd(width)}  ${command.summary}`);
  }
  lines.push(
    '',
    'Settings come from the environment, as for the bot: DATABASE_URL (default sqlite:data/qa-loop.sqlite),',
    'QA_PAUSED_MONTHS, BANK_HOLIDAYS_FILE, INSTANCE_ID, LOG_LEVEL (logs go to stderr; default warn here).',
    'GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET (all or none), GRAPH_BASE_URL, GRAPH_AUTHORITY_HOST,',
    'GRAPH_TEAM_ATTRIBUTE and TEAMS_APP_CATALOG_ID are for rota sync.',
    'QA_ACTOR names you in the audit log (default: your user name on this machine).',
    'QA_NOW=ISO-TIME (with Z or an offset) runs as if it were that time, for rehearsals and tests.',
    `${PREFIX} --help prints this.`,
  );
  return lines.join('\n');
}

/** The usage errors the edge recognises: a QaError carrying the usage lines to print. */
function usageError(problem: string, usage: readonly string[]): QaError {
  return new QaError('INVALID_INPUT', problem, { userMessage: problem, detail: { usage: usage.join('\n') } });
}

type Parsed = { kind: 'help' } | { kind: 'command'; command: CliCommand; input: CliInput };

/** Hand-written on purpose: a handful of commands needs no parser library. */
function parseArguments(argv: readonly string[]): Parsed {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { kind: 'help' };
  const [group, name, ...rest] = argv;
  const inGroup = commands.filter((command) => wordsOf(command)[0] === group);
  if (group === undefined) throw usageError('Which command?', commands.map((command) => command.usage));
  if (inGroup.length === 0) throw usageError(`There is no command "${group}".`, commands.map((command) => command.usage));
  const command = inGroup.find((candidate) => wordsOf(candidate)[1] === name);
  if (command === undefined) {
    throw usageError(name === undefined ? `${group} what?` : `There is no command "${group} ${name}".`, inGroup.map((candidate) => candidate.usage));
  }
  const args: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? '';
    if (word === '--') {
      args.push(...rest.slice(i + 1));
      break;
    }
    if (!word.startsWith('--')) {
      args.push(word);
      continue;
    }
    const [flag = '', inlineValue] = word.slice(2).split(/=(.*)/s);
    if (!(command.options ?? []).includes(flag)) throw usageError(`${wordsOf(command).join(' ')} has no option --${flag}.`, [command.usage]);
    const value = inlineValue ?? rest[++i];
    if (value === undefined || value === '') throw usageError(`--${flag} needs a value.`, [command.usage]);
    options.set(flag, value);
  }
  if (args.length < command.takes.min || args.length > command.takes.max) {
    const { min, max } = command.takes;
    const expected = max === 0 ? 'no arguments' : min === max ? `${min} argument${min === 1 ? '' : 's'}` : max === Number.POSITIVE_INFINITY ? `at least ${min} arguments` : `${min} to ${max} arguments`;
    throw usageError(`${wordsOf(command).join(' ')} takes ${expected}, not ${args.length}.`, [command.usage]);
  }
  return { kind: 'command', command, input: { args, options } };
}

/** A fixed clock from QA_NOW, so a rehearsal or a test can stand at a chosen moment. */
function clockFrom(env: NodeJS.ProcessEnv): Clock {
  const text = (env.QA_NOW ?? '').trim();
  if (text === '') return systemClock;
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new QaError('CONFIG_INVALID', `Setting QA_NOW must be an ISO time with Z or an offset, e.g. 2026-09-01T08:00:00Z, not "${text}".`);
  }
  return { now: () => at };
}

function actorFrom(env: NodeJS.ProcessEnv): string {
  const named = (env.QA_ACTOR ?? '').trim();
  if (named !== '') return `cli:${named}`;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // A container user with no passwd entry has no name; the audit log still says it was the CLI.
    return 'cli:unknown';
  }
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

// Output piped into `head` and the like: when the reader has gone, stop quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const err = (line: string): void => void process.stderr.write(`${line}\n`);
/** Waits when the reader is slower than the command, so a long export never piles up in memory. */
const write = (text: string): Promise<void> =>
  new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', () => resolve());
  });

// Two spaces between columns: values hold single spaces (names, cron), never two.
function table(rows: readonly (readonly string[])[]): void {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  for (const row of rows) out(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseArguments(argv);
  if (parsed.kind === 'help') {
    out(usageText());
    return;
  }
  const { command, input } = parsed;
  const config = loadConfig(process.env);
  const clock = clockFrom(process.env);
  if (clock !== systemClock) err(`Note: running as if it were ${clock.now().toISOString()} (QA_NOW).`);
  // Logs stay on stderr, and quiet unless asked for, so stdout is the command's output alone.
  const logger = createLogger(process.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel, process.stderr);
  const { database, context } = await openRuntime(config, logger, clock);
  try {
    await command.run(input, {
      context,
      config,
      actor: actorFrom(process.env),
      out,
      write,
      table,
      err,
      badArgument: (problem) => usageError(problem, [command.usage]),
    });
  } finally {
    await database.close();
  }
}

/** The edge: every failure becomes one clear message and an exit code. */
function report(error: unknown): number {
  if (isQaError(error) && typeof error.detail?.usage === 'string') {
    err(error.userMessage);
    for (const line of error.detail.usage.split('\n')) err(`Usage: ${PREFIX} ${line}`);
    err(`${PREFIX} --help lists every command.`);
    return 2;
  }
  if (!isQaError(error)) {
    err(`QA Loop stopped: ${error instanceof Error ? error.message : String(error)}`);
  } else if (error.code === 'CONFIG_INVALID' || error.code === 'INTERNAL') {
    // Whoever runs the CLI is the one who must fix a setting or report a fault, so they get the detail.
    err(`QA Loop ${error.code === 'CONFIG_INVALID' ? 'cannot start' : 'stopped'}: ${error.message}`);
  } else {
    err(error.userMessage);
  }
  return 1;
}

main(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);

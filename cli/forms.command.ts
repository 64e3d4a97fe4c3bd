/**
 * `forms …`: the QA service's forms, which are data. The QA manager lists them, prints one
 * as JSON to edit, and imports the edited file as the form's next version. Work already
 * started keeps the version it began on.
 */
import { LONDON } from '../services/clock';
import { QaError } from '../services/errors';
import { formKeys, type FormDefinition, type FormKey } from '../services/forms/form-definition';
import { publishForm, shippedDefinition } from '../services/forms/forms-service';
import { readInputFile } from './files';
import type { CliCommand, CliRuntime } from './qa';

/** A version of a form as these commands show it; a shipped default not yet used has no publisher or time on file. */
interface FormVersion {
  key: FormKey;
  version: number;
  definition: FormDefinition;
  published: { by: string; at: Date } | undefined;
}

function keyArgument(cli: CliRuntime, text: string): FormKey {
  const key = formKeys.find((candidate) => candidate === text);
  if (key === undefined) throw cli.badArgument(`"${text}" is not a form: the forms are ${formKeys.join(', ')}.`);
  return key;
}

function versionArgument(cli: CliRuntime, text: string): number {
  if (!/^[1-9]\d{0,8}$/.test(text)) throw cli.badArgument(`--version "${text}" is not a version number: use 1, 2, ...`);
  return Number(text);
}

/** Version 1 of a form as QA Loop ships it, which is what the form is until it is first used or replaced. */
function shipped(key: FormKey): FormVersion {
  return { key, version: 1, definition: shippedDefinition(key), published: undefined };
}

/**
 * Every stored version of a form, oldest first, or the shipped default when none is stored
 * yet. Reading never stores anything: the shipped default is stored when first used.
 */
async function versionsOf(cli: CliRuntime, key: FormKey): Promise<FormVersion[]> {
  const stored = await cli.context.repos.forms.listVersions(key);
  if (stored.length === 0) return [shipped(key)];
  return stored.map((form) => ({ key, version: form.version, definition: form.definition, published: { by: form.publishedBy, at: form.publishedAt } }));
}

const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
const londonMinute = (cli: CliRuntime, at: Date): string => `${cli.context.calendar.londonDateOf(at)} ${londonClock.format(at)} ${LONDON}`;

const questionCount = (definition: FormDefinition): number => definition.sections.reduce((sum, section) => sum + section.questions.length, 0);
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Where a JSON syntax error is, as line and column (Node 20 says only the character position). */
function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (position === null || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const lines = before.split('\n');
  return `${message} (line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1})`;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Adds the ids a problem's path points at, when the file gives them: "sections.7.questions.0.id"
 * means more to the person who edited the file as section "overall", question "overall_grade".
 */
function withNames(problem: string, input: unknown): string {
  const match = /^sections\.(\d+)(?:\.questions\.(\d+))?(\S*): /.exec(problem);
  if (match === null) return problem;
  const sections = record(input)?.sections;
  const section = Array.isArray(sections) ? record(sections[Number(match[1])]) : undefined;
  const names: string[] = [];
  if (typeof section?.id === 'string') names.push(`section "${section.id}"`);
  if (match[2] !== undefined) {
    const questions = section?.questions;
    const question = Array.isArray(questions) ? record(questions[Number(match[2])]) : undefined;
    if (typeof question?.id === 'string') names.push(`question "${question.id}"`);
  }
  if (names.length === 0) return problem;
  const at = problem.indexOf(': ');
  return `${problem.slice(0, at)} (${names.join(', ')})${problem.slice(at)}`;
}

const NOTHING_PUBLISHED = 'Nothing was published.';

async function readJson(file: string): Promise<unknown> {
  const json = await readInputFile(file, 'form file', NOTHING_PUBLISHED);
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new QaError('INVALID_INPUT', 'form file is not JSON', { userMessage: `${file} is not JSON: ${jsonProblem(error, json)}. ${NOTHING_PUBLISHED}`, cause: error });
  }
}

const importCommand: CliCommand = {
  usage: 'forms import FILE.json',
  summary: 'Check a form (as forms show prints it) and publish it as that form\'s next version; if anything is wrong nothing changes',
  takes: { min: 1, max: 1 },
  async run({ args: [file = ''] }, cli) {
    const input = await readJson(file);
    const result = await publishForm(cli.context, input, cli.actor, 'cli');
    if (!result.ok) {
      cli.err(`${file} is not a form QA Loop can use:`);
      for (const problem of result.problems) cli.err(`  ${withNames(problem, input)}`);
      throw new QaError('INVALID_INPUT', 'form file refused', { userMessage: NOTHING_PUBLISHED, detail: { problems: result.problems.length } });
    }
    const { form } = result;
    cli.out(
      `Published ${form.key} version ${form.version} ("${form.definition.title}", ${plural(form.definition.sections.length, 'section')}, ${plural(questionCount(form.definition), 'question')}). ` +
        'Reviews already started keep their version.',
    );
  },
};

const listCommand: CliCommand = {
  usage: 'forms list',
  summary: 'Each form: its latest version, title, who published it and when',
  takes: { min: 0, max: 0 },
  async run(_input, cli) {
    const latest = await Promise.all(formKeys.map(async (key) => (await versionsOf(cli, key)).at(-1) ?? shipped(key)));
    cli.table(
      latest.map((form) => [
        form.key,
        `version ${form.version}`,
        form.definition.title,
        form.published === undefined ? 'shipped with QA Loop' : `published by ${form.published.by}`,
        form.published === undefined ? 'not used yet' : londonMinute(cli, form.published.at),
      ]),
    );
  },
};

const showCommand: CliCommand = {
  usage: 'forms show KEY [--version N]',
  summary: 'Print a form as JSON, to save, edit and import (default: its latest version)',
  takes: { min: 1, max: 1 },
  options: ['version'],
  async run({ args: [key = ''], options }, cli) {
    const formKey = keyArgument(cli, key);
    const given = options.get('version');
    const wanted = given === undefined ? undefined : versionArgument(cli, given);
    const versions = await versionsOf(cli, formKey);
    const latest = versions.at(-1) ?? shipped(formKey);
    const form = wanted === undefined ? latest : versions.find((candidate) => candidate.version === wanted);
    if (form === undefined) {
      throw new QaError('NOT_FOUND', `form ${formKey} version ${wanted ?? ''} not found`, {
        userMessage: `${formKey} has no version ${wanted ?? ''}: ${latest.version === 1 ? 'its only version is 1' : `its versions are 1 to ${latest.version}`}.`,
      });
    }
    cli.out(JSON.stringify(form.definition, null, 2));
  },
};

export const formCommands: readonly CliCommand[] = [listCommand, showCommand, importCommand];

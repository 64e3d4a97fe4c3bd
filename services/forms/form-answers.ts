import { choicesOf, defaultMaxLength, type FormDefinition, type FormQuestion, type FormSection } from './form-definition';

/** Answers to a form, by question id. Every answer is text, as a card sends it. */
export type Answers = Record<string, string>;
/** What is wrong with an answer, by question id, in words for the person who gave it. */
export type Problems = Record<string, string>;

export interface SectionCheck {
  /** Every answer the card sent for this section, as typed: shown again when there are problems. */
  answers: Answers;
  /** Only the answers that are valid on their own: what may be saved in a draft. */
  keep: Answers;
  problems: Problems;
}

const isRealDate = (value: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** The problem with one answer on its own (type, choice, length), ignoring whether it is required. */
function answerProblem(question: FormQuestion, value: string): string | undefined {
  if (value === '') return undefined;
  const max = question.maxLength ?? defaultMaxLength[question.type];
  switch (question.type) {
    case 'grade':
    case 'choice':
    case 'yesno':
      return choicesOf(question).some((choice) => choice.value === value) ? undefined : 'Choose one of the options.';
    case 'date':
      return isRealDate(value) ? undefined : 'Enter a date as YYYY-MM-DD.';
    case 'text':
    case 'longtext':
      return value.length > max ? `Keep this to ${max} characters (it has ${value.length}).` : undefined;
  }
}

function isRequired(question: FormQuestion, answers: Answers): boolean {
  if (question.required) return true;
  const rule = question.requiredWhen;
  return rule !== undefined && rule.in.includes(answers[rule.question] ?? '');
}

const requiredMessage = (question: FormQuestion): string =>
  question.type === 'grade' || question.type === 'choice' || question.type === 'yesno' ? 'Choose an answer.' : 'This needs an answer.';

/** Reads a section's answers from a card's data: anything that is not text counts as no answer. */
export function readSection(section: FormSection, data: Record<string, unknown>): Answers {
  const answers: Answers = {};
  for (const question of section.questions) {
    const value = data[question.id];
    answers[question.id] = typeof value === 'string' ? value.trim() : '';
  }
  return answers;
}

/**
 * Checks one section. `others` holds answers from the rest of the form, for questions
 * required only when another has a certain answer.
 */
export function checkSection(section: FormSection, answers: Answers, others: Answers = {}, requireAnswers = true): SectionCheck {
  const all = { ...others, ...answers };
  const problems: Problems = {};
  const keep: Answers = {};
  for (const question of section.questions) {
    const value = answers[question.id] ?? '';
    const problem = answerProblem(question, value) ?? (requireAnswers && value === '' && isRequired(question, all) ? requiredMessage(question) : undefined);
    if (problem !== undefined) problems[question.id] = problem;
    if (answerProblem(question, value) === undefined && value !== '') keep[question.id] = value;
  }
  return { answers, keep, problems };
}

/** The first section of a form with a problem, for a submit that is not complete yet. */
export function firstIncompleteSection(definition: FormDefinition, answers: Answers): { index: number; problems: Problems } | undefined {
  for (const [index, section] of definition.sections.entries()) {
    const own: Answers = {};
    for (const question of section.questions) own[question.id] = answers[question.id] ?? '';
    const { problems } = checkSection(section, own, answers);
    if (Object.keys(problems).length > 0) return { index, problems };
  }
  return undefined;
}

/** The answer to a question as a person reads it: a choice's title rather than its value. */
export function answerLabel(question: FormQuestion, value: string | undefined): string {
  if (value === undefined || value === '') return 'Not answered';
  return choicesOf(question).find((choice) => choice.value === value)?.title ?? value;
}

export function findQuestion(definition: FormDefinition, id: string): FormQuestion | undefined {
  for (const section of definition.sections) {
    const question = section.questions.find((candidate) => candidate.id === id);
    if (question !== undefined) return question;
  }
  return undefined;
}

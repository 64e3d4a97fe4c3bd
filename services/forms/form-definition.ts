import { z } from 'zod';
import { gradeLabels, grades } from './grades';

/**
 * A form is data, not code: sections of questions with their answer types, whether
 * they are required, and help text. The QA service publishes new versions without a
 * release; every stored answer keeps the version it answered.
 */
export const formKeys = ['records_review', 'reflective_tool', 'family_feedback', 'practice_observation', 'observation_reflection', 'feedback', 'thematic_review'] as const;
export type FormKey = (typeof formKeys)[number];

export const answerTypes = ['grade', 'text', 'longtext', 'choice', 'date', 'yesno'] as const;
export type AnswerType = (typeof answerTypes)[number];

/** Text limits when a question does not set its own: one line, and a few paragraphs. */
export const defaultMaxLength: Record<AnswerType, number> = { grade: 40, text: 200, longtext: 4000, choice: 100, date: 10, yesno: 3 };

const idText = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (up to 40), starting with a letter');
const label = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const help = z.string().trim().max(500, 'must be at most 500 characters').optional();

// A choice's value may be a number too (a rating of 1 to 5).
const choiceValue = z.string().regex(/^[a-z0-9][a-z0-9_]{0,39}$/, 'must be lower-case letters, digits and _ (up to 40)');
const choiceSchema = z.object({ value: choiceValue, title: label }).strict();

const questionSchema = z
  .object({
    id: idText,
    label,
    type: z.enum(answerTypes, { error: `must be one of ${answerTypes.join(', ')}` }),
    required: z.boolean().default(false),
    help,
    placeholder: z.string().max(200).optional(),
    choices: z.array(choiceSchema).min(2, 'needs at least two choices').max(20).optional(),
    maxLength: z.number().int().min(1).max(8000).optional(),
    /** Required only when another question in the form has one of these answers (e.g. a reason when "declined"). */
    requiredWhen: z.object({ question: idText, in: z.array(z.string()).min(1) }).strict().optional(),
  })
  .strict();

const sectionSchema = z
  .object({
    id: idText,
    title: label,
    help,
    questions: z.array(questionSchema).min(1, 'needs at least one question').max(15, 'at most 15 questions a section, so each card stays small'),
  })
  .strict();

const formSchema = z
  .object({
    key: z.enum(formKeys, { error: `must be one of ${formKeys.join(', ')}` }),
    title: label,
    description: z.string().trim().max(1000).optional(),
    sections: z.array(sectionSchema).min(1, 'needs at least one section').max(20),
  })
  .strict();

export type FormDefinition = z.output<typeof formSchema>;
export type FormSection = FormDefinition['sections'][number];
export type FormQuestion = FormSection['questions'][number];

/** A published form: a definition with the version it was given. */
export interface PublishedForm {
  id: string;
  key: FormKey;
  version: number;
  definition: FormDefinition;
  publishedBy: string;
  publishedAt: Date;
}

export type FormCheck = { ok: true; definition: FormDefinition } | { ok: false; problems: string[] };

/** What the records review must have for moderation and reporting to work. */
const requiredQuestions: Partial<Record<FormKey, { id: string; type: AnswerType }[]>> = {
  records_review: [{ id: 'overall_grade', type: 'grade' }],
  practice_observation: [
    { id: 'observed_on', type: 'date' },
    { id: 'setting', type: 'choice' },
    { id: 'overall_grade', type: 'grade' },
  ],
  feedback: [
    { id: 'source', type: 'choice' },
    { id: 'method', type: 'choice' },
    { id: 'kind', type: 'choice' },
    { id: 'words', type: 'longtext' },
    { id: 'consent', type: 'yesno' },
  ],
};

/** The kinds of family feedback QA Loop routes (a complaint to its officer, a compliment to the practitioner). */
const FEEDBACK_KINDS = ['compliment', 'comment', 'complaint'];
/** The stored columns for who gave feedback, how, and its kind are 20 characters wide. */
const FEEDBACK_VALUE_MAX = 20;

function feedbackChoiceProblems(questions: ReadonlyMap<string, FormQuestion>): string[] {
  const problems: string[] = [];
  const kinds = (questions.get('kind')?.choices ?? []).map((choice) => choice.value);
  if (questions.get('kind')?.type === 'choice' && [...kinds].sort().join() !== [...FEEDBACK_KINDS].sort().join()) {
    problems.push(`form: a feedback form's "kind" question must offer exactly ${FEEDBACK_KINDS.join(', ')}`);
  }
  for (const id of ['source', 'method']) {
    for (const choice of questions.get(id)?.choices ?? []) {
      if (choice.value.length > FEEDBACK_VALUE_MAX) problems.push(`form: the "${id}" choice "${choice.value}" is longer than ${FEEDBACK_VALUE_MAX} characters`);
    }
  }
  return problems;
}

/** Checks a form definition fully; every problem is said, with where it is. */
export function parseFormDefinition(input: unknown): FormCheck {
  const parsed = formSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.length === 0 ? 'form' : issue.path.join('.')}: ${issue.message}`) };
  }
  const definition = parsed.data;
  const problems: string[] = [];
  const questions = new Map<string, FormQuestion>();
  const sectionIds = new Set<string>();
  definition.sections.forEach((section, s) => {
    if (sectionIds.has(section.id)) problems.push(`sections.${s}.id: "${section.id}" is used twice`);
    sectionIds.add(section.id);
    section.questions.forEach((question, q) => {
      const where = `sections.${s}.questions.${q}`;
      if (questions.has(question.id)) problems.push(`${where}.id: "${question.id}" is used twice in the form`);
      questions.set(question.id, question);
      if (question.type === 'choice' && question.choices === undefined) problems.push(`${where}.choices: a choice question needs choices`);
      if (question.type !== 'choice' && question.choices !== undefined) problems.push(`${where}.choices: only a choice question has choices`);
    });
  });
  definition.sections.forEach((section, s) =>
    section.questions.forEach((question, q) => {
      const rule = question.requiredWhen;
      if (rule === undefined) return;
      const other = questions.get(rule.question);
      if (other === undefined || other === question) problems.push(`sections.${s}.questions.${q}.requiredWhen: no other question "${rule.question}" in the form`);
      else if (other.type === 'choice' && rule.in.some((value) => !other.choices?.some((choice) => choice.value === value))) {
        problems.push(`sections.${s}.questions.${q}.requiredWhen: "${rule.question}" has no choice ${rule.in.join(' or ')}`);
      }
    }),
  );
  for (const needed of requiredQuestions[definition.key] ?? []) {
    const question = questions.get(needed.id);
    if (question?.type !== needed.type || !question.required) problems.push(`form: a ${definition.key} form needs a required ${needed.type} question "${needed.id}"`);
  }
  if (definition.key === 'feedback') problems.push(...feedbackChoiceProblems(questions));
  return problems.length === 0 ? { ok: true, definition } : { ok: false, problems };
}

/** The choices a question offers: its own, or the grade scale. */
export function choicesOf(question: FormQuestion): { value: string; title: string }[] {
  if (question.type === 'grade') return grades.map((value) => ({ value, title: gradeLabels[value] }));
  if (question.type === 'yesno') return [{ value: 'yes', title: 'Yes' }, { value: 'no', title: 'No' }];
  return question.choices ?? [];
}

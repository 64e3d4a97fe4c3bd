import type { Answers, Problems } from '../services/forms/form-answers';
import { choicesOf, defaultMaxLength, type FormQuestion, type FormSection } from '../services/forms/form-definition';
import { recordCard, type CardButton, type CardQuestion, type Fact } from './record.card';
import type { AdaptiveCard } from './render';

export interface FormSectionCardInput {
  heading: string;
  /** "Section 2 of 8", with the form's version. */
  progress: string;
  facts: Fact[];
  section: FormSection;
  answers: Answers;
  problems: Problems;
  note: string;
  buttons: CardButton[];
  refresh?: { verb: string; data: Record<string, string> };
}

/** Free text may be read by many people: it must never carry a child's name. */
export const NO_NAMES = 'Refer to the child by case reference, never by name.';

/** One question of a form as a card input, with its saved or typed answer and any problem beside it. */
export function formQuestion(question: FormQuestion, answers: Answers, problems: Problems): CardQuestion {
  const text = question.type === 'text' || question.type === 'longtext';
  const choices = choicesOf(question);
  return {
    id: question.id,
    label: `${question.label}${question.required ? ' (required)' : ''}`,
    input: question.type === 'date' ? 'date' : text ? 'text' : 'choice',
    value: answers[question.id] ?? '',
    problem: problems[question.id] ?? '',
    help: question.help ?? '',
    choices,
    choiceStyle: choices.length > 6 ? 'compact' : 'expanded',
    multiline: question.type === 'longtext',
    maxLength: question.maxLength ?? defaultMaxLength[question.type],
    placeholder: question.placeholder ?? (text ? NO_NAMES : ''),
  };
}

/**
 * One section of a form as a card, generated from the form's definition: every question
 * with its saved or typed answer, and a problem beside any field that needs one.
 */
export function formSectionCard(input: FormSectionCardInput): AdaptiveCard {
  const hasProblems = Object.keys(input.problems).length > 0;
  return recordCard({
    heading: input.heading,
    intro: input.progress,
    facts: input.facts,
    note: input.note,
    noteTone: hasProblems ? 'problem' : 'good',
    formTitle: input.section.title,
    formHelp: input.section.help ?? '',
    questions: input.section.questions.map((question) => formQuestion(question, input.answers, input.problems)),
    buttons: input.buttons,
    ...(input.refresh === undefined ? {} : { refresh: input.refresh }),
  });
}

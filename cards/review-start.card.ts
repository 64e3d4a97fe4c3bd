import type { Assignment } from '../services/assignments';
import type { StartChoices, StartProblems, StartReviewInput } from '../services/reviews/review-start';
import { NO_NAMES } from './form-section.card';
import { dayLabel, monthLabel } from './labels';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

export interface ReviewStartCardInput {
  assignment: Assignment;
  dueDate: string;
  choices: StartChoices;
  caseReferenceExample: string;
  values: StartReviewInput;
  problems: StartProblems;
}

/** Starting a practice review: which case (by reference), whose work, and any Independent Chair involved. */
export function reviewStartCard(input: ReviewStartCardInput): AdaptiveCard {
  const { values, problems } = input;
  const hasProblems = Object.keys(problems).length > 0;
  return recordCard({
    heading: 'Start your practice review',
    intro: `Your QA activity for ${monthLabel(input.assignment.month)}, due by ${dayLabel(input.dueDate)}. Choose the case and the practitioner. Starting sends the practitioner their reflective tool.`,
    note: hasProblems ? 'The review has not started yet: see the notes beside the answers.' : '',
    noteTone: 'problem',
    questions: [
      {
        id: 'caseReference',
        label: 'Case reference (required)',
        input: 'text',
        maxLength: 40,
        value: values.caseReference,
        placeholder: `For example ${input.caseReferenceExample}`,
        help: `The reference from the case record system. ${NO_NAMES}`,
        problem: problems.caseReference ?? '',
      },
      {
        id: 'practitionerId',
        label: 'Practitioner',
        input: 'choice',
        choiceStyle: 'compact',
        choices: input.choices.practitioners.map((person) => ({ title: `${person.name}, ${person.team}`, value: person.id })),
        value: values.practitionerId,
        problem: problems.practitioner ?? '',
      },
      { id: 'practitionerEmail', label: 'Or their work email, if they are not in the list', input: 'text', maxLength: 320, value: values.practitionerEmail },
      {
        id: 'chairId',
        label: 'Independent Chair involved (if any)',
        input: 'choice',
        choiceStyle: 'compact',
        choices: input.choices.chairs.map((person) => ({ title: person.name, value: person.id })),
        value: values.chairId,
        problem: problems.chair ?? '',
        help: 'They will receive the findings too.',
      },
    ],
    buttons: [{ title: 'Start the review', verb: Verbs.startReview, data: { assignmentId: input.assignment.id }, style: 'positive' }],
  });
}

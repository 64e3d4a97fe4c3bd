import { grades, gradeLabels } from '../services/forms/grades';
import type { ModerationInput, ModerationProblems } from '../services/reviews/moderation';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import { whenLabel } from '../services/calendar';
import { recordCard, type CardGroup } from './record.card';
import type { AdaptiveCard } from './render';
import { answerGroups, reviewFacts } from './review-groups';
import { Verbs } from './verbs';

export interface ModerationCardInput {
  snapshot: ReviewSnapshot;
  input: ModerationInput;
  problems: ModerationProblems;
  note: string;
}

/** The moderator's card: the whole review to read, then agree the grade or set another, and feedback for the reviewer. */
export function moderationCard({ snapshot, input, problems, note }: ModerationCardInput): AdaptiveCard {
  const { review, parts } = snapshot;
  const reviewerGrade = review.reviewerGrade === null ? 'None' : gradeLabels[review.reviewerGrade];
  const groups: CardGroup[] = [
    ...answerGroups(parts.records.form, parts.records.response.answers),
    ...(parts.reflection.response.status === 'submitted'
      ? answerGroups(parts.reflection.form, parts.reflection.response.answers, "Practitioner's reflection: ")
      : [{ title: "Practitioner's reflection", facts: [{ title: 'Status', value: `Not received from ${snapshot.practitioner.name} yet` }], texts: [] }]),
    ...answerGroups(parts.family.form, parts.family.response.answers, 'Family feedback: '),
  ];
  return recordCard({
    heading: `Moderate: practice review ${review.caseReference}`,
    intro: `Submitted by ${snapshot.reviewer.name} ${whenLabel(review.submittedAt)}. Long answers are shortened on this card.`,
    facts: [...reviewFacts(snapshot), { title: "Reviewer's overall grade", value: reviewerGrade }, { title: 'Form', value: `${parts.records.form.definition.title}, version ${parts.records.form.version}` }],
    note,
    noteTone: Object.keys(problems).length > 0 ? 'problem' : 'good',
    groups,
    formTitle: 'Your moderation',
    questions: [
      {
        id: 'agree',
        label: `Do you agree the overall grade (${reviewerGrade})? (required)`,
        input: 'choice',
        value: input.agree,
        problem: problems.agree ?? '',
        choices: [
          { title: 'Yes, I agree it', value: 'yes' },
          { title: 'No, I am setting another', value: 'no' },
        ],
      },
      { id: 'grade', label: 'The grade you are setting (if you do not agree)', input: 'choice', value: input.grade, problem: problems.grade ?? '', choices: grades.map((grade) => ({ title: gradeLabels[grade], value: grade })) },
      { id: 'reason', label: 'Why a different grade (if you do not agree)', input: 'text', multiline: true, maxLength: 4000, value: input.reason, problem: problems.reason ?? '' },
      { id: 'feedback', label: 'Feedback to the reviewer (required)', input: 'text', multiline: true, maxLength: 4000, value: input.feedback, problem: problems.feedback ?? '', help: 'What was strong about the review, and what would make the next one better.' },
    ],
    buttons: [{ title: 'Save moderation', verb: Verbs.moderateReview, data: { reviewId: review.id }, style: 'positive' }],
    refresh: { verb: Verbs.openReview, data: { reviewId: review.id, view: 'moderation', part: '', section: '' } },
  });
}

import type { OversightInput, OversightProblems } from '../services/reviews/oversight';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import type { StaffMember } from '../services/staff';
import { actionRowQuestions } from './action-rows';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { findingsGroup, gradesGroup, reviewFacts } from './review-groups';
import { Verbs } from './verbs';

export interface OversightCardInput {
  snapshot: ReviewSnapshot;
  input: OversightInput;
  problems: OversightProblems;
  owners: StaffMember[];
  note: string;
}

/** The line manager's answer to a final review: directions, and up to three actions with owner and due date. */
export function oversightCard({ snapshot, input, problems, owners, note }: OversightCardInput): AdaptiveCard {
  return recordCard({
    heading: `Management oversight: ${snapshot.review.caseReference}`,
    intro: `Respond to the final review of ${snapshot.practitioner.name}'s work: the directions you are giving, and any actions, each with who will do it and by when. QA Loop reminds each owner and tells their manager if one becomes overdue.`,
    facts: reviewFacts(snapshot),
    note,
    noteTone: Object.keys(problems).length > 0 ? 'problem' : 'good',
    groups: [gradesGroup(snapshot), findingsGroup(snapshot)],
    formTitle: 'Your management oversight',
    questions: [
      { id: 'directions', label: 'Directions to the practitioner (required)', input: 'text', multiline: true, maxLength: 4000, value: input.directions, problem: problems.directions ?? '', placeholder: 'Refer to the child by case reference, never by name.' },
      ...actionRowQuestions(input.actions, problems, owners),
    ],
    buttons: [{ title: 'Record management oversight', verb: Verbs.overseeReview, data: { reviewId: snapshot.review.id }, style: 'positive' }],
    refresh: { verb: Verbs.openReview, data: { reviewId: snapshot.review.id, view: 'oversight', part: '', section: '' } },
  });
}

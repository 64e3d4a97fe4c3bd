import type { Answers, Problems } from '../services/forms/form-answers';
import type { ReviewPart } from '../services/reviews/review';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import { formSectionCard } from './form-section.card';
import type { CardButton } from './record.card';
import type { AdaptiveCard } from './render';
import { reviewFacts } from './review-groups';
import { Verbs } from './verbs';

export interface ReviewSectionCardInput {
  snapshot: ReviewSnapshot;
  part: ReviewPart;
  index: number;
  answers: Answers;
  problems: Problems;
  note: string;
  /** Fingerprints of answers flagged for privacy, carried back so that the same text is then kept. */
  acknowledge?: string;
}

const partHeadings: Record<ReviewPart, string> = {
  records: "Child's records review",
  reflection: 'Your reflection',
  family: 'Parent and child feedback',
};

/**
 * One section of one part of a review. Every button saves what is on the card first,
 * so nothing typed is lost whichever is pressed, or if the person stops half-way.
 */
export function reviewSectionCard(input: ReviewSectionCardInput): AdaptiveCard {
  const { snapshot, part, index } = input;
  const { form } = snapshot.parts[part];
  const sections = form.definition.sections;
  const section = sections[index]!;
  const last = index === sections.length - 1;
  const data = (move: string): Record<string, string> => ({ reviewId: snapshot.review.id, part, section: String(index), move, ...(input.acknowledge ? { privacyChecked: input.acknowledge } : {}) });
  const nextTitle = !last ? 'Save and continue' : part === 'reflection' ? 'Send my reflection' : 'Save and finish';
  const buttons: CardButton[] = [{ title: nextTitle, verb: Verbs.saveReviewSection, data: data('next'), style: 'positive' }];
  if (index > 0) buttons.push({ title: 'Back', verb: Verbs.saveReviewSection, data: data('back'), style: 'default' });
  buttons.push({ title: 'Save for later', verb: Verbs.saveReviewSection, data: data('later'), style: 'default' });
  return formSectionCard({
    heading: `${partHeadings[part]}: ${snapshot.review.caseReference}`,
    progress: `Section ${index + 1} of ${sections.length} · ${form.definition.title}, version ${form.version}`,
    facts: reviewFacts(snapshot),
    section,
    answers: input.answers,
    problems: input.problems,
    note: input.note,
    buttons,
    refresh: { verb: Verbs.openReview, data: { reviewId: snapshot.review.id, view: 'section', part, section: String(index) } },
  });
}

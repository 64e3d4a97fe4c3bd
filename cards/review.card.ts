import { firstIncompleteSection } from '../services/forms/form-answers';
import { gradeLabels } from '../services/forms/grades';
import type { ReviewPart } from '../services/reviews/review';
import type { ReviewSnapshot, ReviewStanding } from '../services/reviews/review-snapshot';
import { whenLabel } from '../services/calendar';
import { recordCard, type CardButton, type CardGroup } from './record.card';
import type { AdaptiveCard } from './render';
import { findingsGroup, gradesGroup, moderationGroup, oversightGroup, partsGroup, reviewFacts } from './review-groups';
import { Verbs } from './verbs';

/** Why the review is being shown: changes the heading and opening line, not what is true. */
export type ReviewMoment = 'view' | 'reflection-request' | 'moderated' | 'findings' | 'oversight-recorded';

export interface ReviewCardInput {
  snapshot: ReviewSnapshot;
  /** The viewer's part in the review: decides which buttons they get. */
  standing: ReviewStanding;
  moment?: ReviewMoment;
  note?: string;
  noteTone?: 'good' | 'problem' | 'plain';
}

const statusLines: Record<ReviewSnapshot['review']['status'], (snapshot: ReviewSnapshot) => string> = {
  draft: (s) => `In progress: ${s.reviewer.name} is completing the records review.`,
  submitted: (s) => `Submitted ${whenLabel(s.review.submittedAt)}: waiting for moderation by the QA service.`,
  moderated: (s) => `Final: moderated ${whenLabel(s.review.moderatedAt)}. Waiting for management oversight from ${s.lineManager?.name ?? 'the line manager'}.`,
  overseen: (s) => `Final, with management oversight recorded ${whenLabel(s.review.oversightAt)}.`,
};

function headingAndIntro(input: ReviewCardInput): [string, string] {
  const { snapshot } = input;
  const reference = snapshot.review.caseReference;
  const finalGrade = snapshot.review.finalGrade === null ? '' : gradeLabels[snapshot.review.finalGrade];
  switch (input.moment ?? 'view') {
    case 'reflection-request':
      return [
        'Your reflection for a practice review',
        `${snapshot.reviewer.name} is reviewing your work with case ${reference}, together with you. Your reflection is one of the review's three parts: press "Add your reflection" when you are ready.`,
      ];
    case 'moderated':
      return [`Your practice review has been moderated`, `The QA service has moderated your review of case ${reference}. The overall grade is ${finalGrade}. Their feedback is below.`];
    case 'findings':
      return [
        `Findings of a practice review: ${reference}`,
        `The review of ${snapshot.practitioner.name}'s work is final, graded ${finalGrade} overall.${input.standing === 'line-manager' ? ' As line manager, please record your management oversight: directions, and any actions with owners and due dates.' : ''}`,
      ];
    case 'oversight-recorded':
      return [`Management oversight of your practice review`, `${snapshot.overseer?.name ?? 'Your line manager'} has responded to the review of case ${reference}.`];
    case 'view':
      return [`Practice review: ${reference}`, statusLines[snapshot.review.status](snapshot)];
  }
}

const open = (reviewId: string, view: string, part = '', section = ''): Record<string, string> => ({ reviewId, view, part, section });

/** The section to carry on from: the first one not complete, or the first. */
function resumeAt(snapshot: ReviewSnapshot, part: ReviewPart): string {
  const { form, response } = snapshot.parts[part];
  return String(firstIncompleteSection(form.definition, response.answers)?.index ?? 0);
}

function buttonsFor(snapshot: ReviewSnapshot, standing: ReviewStanding): CardButton[] {
  const { review, parts } = snapshot;
  const id = review.id;
  const buttons: CardButton[] = [];
  if (standing === 'reviewer' && review.status === 'draft') {
    const ready = parts.records.complete && parts.family.complete;
    buttons.push({ title: parts.records.complete ? 'Check the records review' : 'Continue the records review', verb: Verbs.openReview, data: open(id, 'section', 'records', resumeAt(snapshot, 'records')), style: ready || parts.records.complete ? 'default' : 'positive' });
    buttons.push({ title: 'Parent and child feedback', verb: Verbs.openReview, data: open(id, 'section', 'family', resumeAt(snapshot, 'family')), style: parts.records.complete && !ready ? 'positive' : 'default' });
    if (ready) buttons.push({ title: 'Submit for moderation', verb: Verbs.submitReview, data: { reviewId: id }, style: 'positive' });
  }
  if (standing === 'practitioner' && parts.reflection.response.status === 'draft' && (review.status === 'draft' || review.status === 'submitted')) {
    buttons.push({ title: 'Add your reflection', verb: Verbs.openReview, data: open(id, 'section', 'reflection', resumeAt(snapshot, 'reflection')), style: 'positive' });
  }
  if ((standing === 'qa' || standing === 'moderator') && review.status === 'submitted') {
    buttons.push({ title: 'Moderate', verb: Verbs.openReview, data: open(id, 'moderation'), style: 'positive' });
  }
  if ((standing === 'line-manager' || standing === 'qa') && review.status === 'moderated') {
    buttons.push({ title: 'Record management oversight', verb: Verbs.openReview, data: open(id, 'oversight'), style: 'positive' });
  }
  // Feedback a child or family gives about this case, kept with the review (a compliment, comment or complaint).
  if (standing === 'reviewer') buttons.push({ title: 'Add family feedback', verb: Verbs.beginFeedback, data: { reviewId: id, observationId: '' }, style: 'default' });
  return buttons;
}

/**
 * A practice review as it is now, for one viewer: what stage it is at, its three parts,
 * and (once final) its grades, findings, moderation and oversight. The buttons are only
 * the steps that belong to this viewer.
 */
export function reviewCard(input: ReviewCardInput): AdaptiveCard {
  const { snapshot, standing } = input;
  const { review } = snapshot;
  const [heading, intro] = headingAndIntro(input);
  const groups: CardGroup[] = [partsGroup(snapshot)];
  if (review.status !== 'draft') groups.push(gradesGroup(snapshot));
  if (review.status === 'moderated' || review.status === 'overseen') {
    groups.push(findingsGroup(snapshot));
    // The moderator's feedback is for the reviewer (and the QA service), not everyone the findings go to.
    groups.push(moderationGroup(snapshot, standing === 'reviewer' || standing === 'qa' || standing === 'moderator'));
  }
  if (review.status === 'overseen') groups.push(oversightGroup(snapshot));
  return recordCard({
    heading,
    intro,
    facts: [...reviewFacts(snapshot), { title: 'Stage', value: { draft: 'In progress', submitted: 'Waiting for moderation', moderated: 'Final', overseen: 'Final, oversight recorded' }[review.status] }],
    note: input.note ?? '',
    noteTone: input.noteTone ?? 'good',
    groups,
    buttons: buttonsFor(snapshot, standing),
    refresh: { verb: Verbs.openReview, data: open(review.id, 'review') },
  });
}

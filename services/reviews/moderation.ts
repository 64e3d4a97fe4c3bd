import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { gradeLabels, isGrade, type Grade } from '../forms/grades';
import { queueNotice, type NoticeComposer } from '../notices';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { loadSnapshot, requireStanding, type ReviewSnapshot } from './review-snapshot';
import { whenLabel } from '../calendar';
import type { ReviewOutcome } from './review-sections';

export interface ModerationInput {
  /** "yes" to agree the reviewer's overall grade, "no" to set another. */
  agree: string;
  grade: string;
  reason: string;
  feedback: string;
}

export type ModerationProblems = Partial<Record<keyof ModerationInput, string>>;

export type ModerationOutcome = ReviewOutcome | { show: 'moderation'; snapshot: ReviewSnapshot; input: ModerationInput; problems: ModerationProblems; note: string };

const MAX_TEXT = 4000;

export const mayModerate = (roles: readonly Role[]): boolean => roles.includes('moderator') || roles.includes('qa_manager');

/** The moderation queue: submitted reviews, oldest first. */
export async function moderationQueue(context: Pick<ServiceContext, 'repos'>): Promise<ReviewSnapshot[]> {
  const waiting = await context.repos.reviews.listByStatus('submitted');
  return Promise.all(waiting.map((review) => loadSnapshot(context, review.id)));
}

export function checkModeration(input: ModerationInput, reviewerGrade: Grade | null): ModerationProblems {
  const problems: ModerationProblems = {};
  if (input.agree !== 'yes' && input.agree !== 'no') problems.agree = 'Say whether you agree the overall grade.';
  if (input.agree === 'no') {
    if (!isGrade(input.grade)) problems.grade = 'Choose the grade you are setting.';
    else if (input.grade === reviewerGrade) problems.grade = `That is the reviewer's grade (${gradeLabels[input.grade]}). Choose another, or agree it.`;
    if (input.reason.length < 3) problems.reason = 'Give the reason for a different grade: the reviewer and the record keep it.';
  }
  if (input.reason.length > MAX_TEXT) problems.reason = `Keep this to ${MAX_TEXT} characters.`;
  if (input.feedback.length < 3) problems.feedback = 'Write your feedback to the reviewer.';
  else if (input.feedback.length > MAX_TEXT) problems.feedback = `Keep this to ${MAX_TEXT} characters.`;
  return problems;
}

/** Whether this person may moderate this review now; a reason to show them when not. */
function refusal(snapshot: ReviewSnapshot, moderator: StaffMember | undefined, roles: readonly Role[]): string | undefined {
  if (!mayModerate(roles)) {
    requireStanding(snapshot, moderator, roles);
    return 'Moderation is for the QA service. Here is the review as it stands.';
  }
  const { review } = snapshot;
  if (review.status === 'draft') return 'This review has not been submitted yet, so it cannot be moderated.';
  if (review.status !== 'submitted') return `${snapshot.moderator?.name ?? 'The QA service'} moderated this review on ${whenLabel(review.moderatedAt)}.`;
  if (moderator?.id === review.reviewerId) return 'You wrote this review, so someone else in the QA service must moderate it.';
  return undefined;
}

export async function openModeration(context: ServiceContext, moderator: StaffMember | undefined, roles: readonly Role[], reviewId: string): Promise<ModerationOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = refusal(snapshot, moderator, roles);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  return { show: 'moderation', snapshot, input: { agree: '', grade: '', reason: '', feedback: '' }, problems: {}, note: '' };
}

/**
 * The QA service moderates a submitted review: agrees the overall grade or sets another
 * with a reason, and gives the reviewer feedback. Only then is the review final; the
 * findings go to the practitioner, their line manager, the service manager and any
 * Independent Chair. Two moderators (or two presses) at once moderate it once.
 */
export async function moderateReview(context: ServiceContext, compose: NoticeComposer, moderator: StaffMember | undefined, roles: readonly Role[], reviewId: string, input: ModerationInput): Promise<ModerationOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = refusal(snapshot, moderator, roles);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  if (moderator === undefined) throw new QaError('FORBIDDEN', 'moderator not on file');
  const problems = checkModeration(input, snapshot.review.reviewerGrade);
  if (Object.keys(problems).length > 0) return { show: 'moderation', snapshot, input, problems, note: 'Not saved yet: see the notes beside the answers.' };
  const reviewerGrade = snapshot.review.reviewerGrade!;
  const finalGrade = input.agree === 'yes' ? reviewerGrade : (input.grade as Grade);
  const now = context.clock.now();
  const moderated = await context.transaction(async (repos) => {
    const changed = await repos.reviews.transition(
      reviewId,
      'submitted',
      'moderated',
      { finalGrade, moderatorId: moderator.id, moderationReason: input.agree === 'yes' ? null : input.reason, moderationFeedback: input.feedback },
      now,
    );
    if (changed) {
      await repos.audit.append(
        { actor: moderator.email, actorRole: 'moderator', action: 'review.moderated', recordKind: 'review', recordId: reviewId, source: 'card', detail: { reviewerGrade, finalGrade, agreed: finalGrade === reviewerGrade } },
        now,
      );
    }
    return changed;
  });
  const fresh = await loadSnapshot(context, reviewId);
  if (!moderated) return { show: 'review', snapshot: fresh, note: refusal(fresh, moderator, roles) ?? 'Nothing was changed.' };
  await queueNotice(context, compose, fresh.reviewer, { type: 'review-moderated', person: fresh.reviewer, snapshot: fresh }, `review-moderated:${reviewId}`);
  const recipients = new Map<string, StaffMember>();
  for (const person of [fresh.practitioner, fresh.lineManager, fresh.serviceManager, fresh.chair]) if (person?.active === true) recipients.set(person.id, person);
  for (const person of recipients.values()) {
    await queueNotice(context, compose, person, { type: 'review-findings', person, snapshot: fresh }, `review-findings:${reviewId}:${person.id}`);
  }
  const told = [...recipients.values()].map((person) => person.name).join(', ');
  return { show: 'review', snapshot: fresh, note: `Moderated: the review is final. ${fresh.reviewer.name} has your feedback; the findings went to ${told}.` };
}

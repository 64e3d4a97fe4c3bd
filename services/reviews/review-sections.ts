import { whenLabel } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { firstIncompleteSection, type Answers, type Problems } from '../forms/form-answers';
import { saveSectionDraft } from '../forms/form-drafts';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { ReviewPart } from './review';
import { loadSnapshot, requireStanding, type ReviewSnapshot } from './review-snapshot';

export type SectionMove = 'next' | 'back' | 'later';

/** What to show after a step: a section of a part (with any problems), or the review as it now stands. */
export type ReviewOutcome =
  | { show: 'section'; snapshot: ReviewSnapshot; part: ReviewPart; index: number; answers: Answers; problems: Problems; note: string; acknowledge?: string }
  | { show: 'review'; snapshot: ReviewSnapshot; note: string };


/** Who fills each part in: the reviewer their records review and the family's feedback, the practitioner their reflection. */
export const partOwner = (snapshot: ReviewSnapshot, part: ReviewPart): StaffMember => (part === 'reflection' ? snapshot.practitioner : snapshot.reviewer);

/** Why a part can no longer be changed, or undefined while it can. */
function closedBecause(snapshot: ReviewSnapshot, part: ReviewPart): string | undefined {
  const { review } = snapshot;
  const response = snapshot.parts[part].response;
  if (part === 'reflection') {
    if (response.status === 'submitted') return `${snapshot.practitioner.name} sent their reflection on ${whenLabel(response.submittedAt)}, so it can no longer be changed.`;
    if (review.status === 'moderated' || review.status === 'overseen') return 'The review has been moderated, so the reflection can no longer be added.';
    return undefined;
  }
  if (review.status !== 'draft') return `${snapshot.reviewer.name} submitted this review on ${whenLabel(review.submittedAt)}, so it can no longer be changed.`;
  return undefined;
}

/**
 * Whether this person may fill in this part now. Anyone else who is part of the review
 * gets the review as it stands and a plain reason; anyone not part of it is refused.
 */
function mayFill(snapshot: ReviewSnapshot, person: StaffMember | undefined, roles: readonly Role[], part: ReviewPart): string | undefined {
  requireStanding(snapshot, person, roles);
  const owner = partOwner(snapshot, part);
  if (person?.id !== owner.id) return `Only ${owner.name} can fill this in. Here is the review as it stands.`;
  return closedBecause(snapshot, part);
}

const sectionOf = (snapshot: ReviewSnapshot, part: ReviewPart, index: number) => {
  const section = snapshot.parts[part].form.definition.sections[index];
  if (section === undefined) throw new QaError('INVALID_INPUT', `no section ${index} in ${part}`, { userMessage: 'That card is out of date. Type "my tasks" for a fresh one.' });
  return section;
};

/** Opens a section of a part with what is saved, for its owner; others get the review as it stands. */
export async function openSection(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], reviewId: string, part: ReviewPart, index: number): Promise<ReviewOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = mayFill(snapshot, person, roles, part);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  sectionOf(snapshot, part, index);
  return { show: 'section', snapshot, part, index, answers: snapshot.parts[part].response.answers, problems: {}, note: '' };
}

/**
 * Saves a section's answers as a draft and moves on, back, or stops for later. Only
 * valid answers are saved; any problem keeps the person on the section with every
 * answer they typed and the problem beside its field. "Next" also needs the required
 * answers; "back" and "later" do not. Finishing the reflection sends it to the reviewer.
 */
export async function saveSection(
  context: ServiceContext,
  person: StaffMember | undefined,
  roles: readonly Role[],
  reviewId: string,
  part: ReviewPart,
  index: number,
  data: Record<string, unknown>,
  move: SectionMove,
): Promise<ReviewOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = mayFill(snapshot, person, roles, part);
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  const section = sectionOf(snapshot, part, index);
  const { response, form } = snapshot.parts[part];
  const { saved, draft, shown, problems, acknowledge } = await saveSectionDraft(context, {
    response,
    form,
    section,
    data,
    requireAnswers: move === 'next',
    actor: person!.email,
    actorRole: part === 'reflection' ? 'practitioner' : 'manager',
    auditAction: 'review.draft-saved',
    recordKind: 'review',
    recordId: reviewId,
  });
  // Submitted on another device between loading and saving: show what is true now.
  if (!saved) {
    const fresh = await loadSnapshot(context, reviewId);
    return { show: 'review', snapshot: fresh, note: closedBecause(fresh, part) ?? 'Nothing was changed.' };
  }
  if (Object.keys(problems).length > 0) {
    return { show: 'section', snapshot, part, index, answers: shown, problems, acknowledge, note: 'Some answers need attention: see the notes beside them. Everything else is saved.' };
  }
  const sections = form.definition.sections.length;
  if (move === 'later') return { show: 'review', snapshot: await loadSnapshot(context, reviewId), note: 'Saved. Type "my tasks" on any device to carry on where you left off.' };
  if (move === 'back') {
    return index === 0
      ? { show: 'review', snapshot: await loadSnapshot(context, reviewId), note: 'Saved.' }
      : { show: 'section', snapshot, part, index: index - 1, answers: draft, problems: {}, note: 'Saved.' };
  }
  if (index + 1 < sections) return { show: 'section', snapshot, part, index: index + 1, answers: draft, problems: {}, note: 'Saved.' };
  if (part === 'reflection') return submitReflection(context, person!, reviewId);
  const fresh = await loadSnapshot(context, reviewId);
  const next = part === 'records' && !fresh.parts.family.complete ? ' Next, record the family\'s feedback.' : fresh.parts.records.complete && fresh.parts.family.complete ? ' When you are ready, submit it for moderation.' : '';
  return { show: 'review', snapshot: fresh, note: `Saved.${next}` };
}

async function submitReflection(context: ServiceContext, practitioner: StaffMember, reviewId: string): Promise<ReviewOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const { response, form } = snapshot.parts.reflection;
  const incomplete = firstIncompleteSection(form.definition, response.answers);
  if (incomplete !== undefined) {
    return { show: 'section', snapshot, part: 'reflection', index: incomplete.index, answers: response.answers, problems: incomplete.problems, note: 'A few answers are still needed before it can be sent.' };
  }
  const now = context.clock.now();
  const sent = await context.transaction(async (repos) => {
    const changed = await repos.responses.submit(response.id, response.answers, now);
    if (changed) await repos.audit.append({ actor: practitioner.email, actorRole: 'practitioner', action: 'review.reflection-submitted', recordKind: 'review', recordId: reviewId, source: 'card', detail: { formVersion: form.version } }, now);
    return changed;
  });
  const fresh = await loadSnapshot(context, reviewId);
  return { show: 'review', snapshot: fresh, note: sent ? `Thank you. Your reflection is with ${snapshot.reviewer.name} and will be part of the review.` : closedBecause(fresh, 'reflection') ?? 'Nothing was changed.' };
}

/**
 * Submits the review for moderation: the records review and the family's feedback must
 * be complete (the practitioner's reflection may follow). Completes the reviewer's
 * monthly assignment. A second submit stores nothing and says when it was submitted.
 */
export async function submitReview(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], reviewId: string): Promise<ReviewOutcome> {
  const snapshot = await loadSnapshot(context, reviewId);
  const refused = mayFill(snapshot, person, roles, 'records');
  if (refused !== undefined) return { show: 'review', snapshot, note: refused };
  for (const part of ['records', 'family'] as const) {
    const { form, response } = snapshot.parts[part];
    const incomplete = firstIncompleteSection(form.definition, response.answers);
    if (incomplete !== undefined) {
      return { show: 'section', snapshot, part, index: incomplete.index, answers: response.answers, problems: incomplete.problems, note: 'Not submitted yet: this section needs the answers marked.' };
    }
  }
  const { records, family } = snapshot.parts;
  const overall = records.response.answers.overall_grade;
  if (overall === undefined) throw new QaError('INTERNAL', 'complete records review without an overall grade');
  const now = context.clock.now();
  const submitted = await context.transaction(async (repos) => {
    if (!(await repos.reviews.transition(reviewId, 'draft', 'submitted', { reviewerGrade: overall as NonNullable<typeof snapshot.review.reviewerGrade> }, now))) return false;
    await repos.responses.submit(records.response.id, records.response.answers, now);
    await repos.responses.submit(family.response.id, family.response.answers, now);
    await repos.assignments.transition(snapshot.review.assignmentId, ['assigned', 'started'], 'done', now);
    await repos.audit.append(
      { actor: person!.email, actorRole: 'manager', action: 'review.submitted', recordKind: 'review', recordId: reviewId, source: 'card', detail: { grade: overall, reflection: snapshot.parts.reflection.response.status } },
      now,
    );
    return true;
  });
  const fresh = await loadSnapshot(context, reviewId);
  return submitted
    ? { show: 'review', snapshot: fresh, note: 'Submitted to the QA service for moderation. Your QA activity for the month is done: thank you. You will hear here when it has been moderated.' }
    : { show: 'review', snapshot: fresh, note: closedBecause(fresh, 'records') ?? 'Nothing was changed.' };
}

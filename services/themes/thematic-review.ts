import { isOpen, type Assignment } from '../assignments';
import { caseReferenceProblem, type CaseReferenceRule } from '../case-reference';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { checkSection, readSection, type Answers, type Problems } from '../forms/form-answers';
import { formById } from '../forms/forms-service';
import type { PublishedForm } from '../forms/form-definition';
import type { StaffMember } from '../staff';
import type { ThematicReview, ThematicSample, Theme } from './theme';

/** A thematic review as it is now: the theme, its questions and the cases sampled so far. */
export interface ThematicSnapshot {
  assignment: Assignment;
  theme: Theme;
  form: PublishedForm;
  review: ThematicReview;
  samples: ThematicSample[];
}

export type ThematicOutcome =
  | { show: 'sample'; snapshot: ThematicSnapshot; values: Answers; caseReference: string; problems: Problems; note: string }
  | { show: 'no-theme'; assignment: Assignment }
  | { show: 'done'; snapshot: ThematicSnapshot; note: string };

async function ownThematicAssignment(context: Pick<ServiceContext, 'repos'>, person: StaffMember, assignmentId: string): Promise<Assignment> {
  const assignment = await context.repos.assignments.findById(assignmentId);
  if (assignment === undefined || assignment.staffId !== person.id) throw new QaError('NOT_FOUND', 'assignment not found for this person', { userMessage: 'That QA activity is not one of yours, or it no longer exists.' });
  if (assignment.kind !== 'thematic_review') throw new QaError('CONFLICT', 'not a thematic review', { userMessage: 'This month your activity is not a thematic review. Type "my tasks" to see it.' });
  return assignment;
}

async function snapshotOf(context: ServiceContext, assignment: Assignment, review: ThematicReview): Promise<ThematicSnapshot> {
  const theme = (await context.repos.themes.findById(review.themeId))!;
  return { assignment, theme, form: await formById(context, theme.formId), review, samples: await context.repos.themes.listSamples(review.id) };
}

/**
 * Opens the manager's thematic review for the month's theme (started once, however often
 * pressed). With no theme planned for the month there is nothing to sample yet.
 */
export async function beginThematicReview(context: ServiceContext, person: StaffMember, assignmentId: string): Promise<ThematicOutcome> {
  const assignment = await ownThematicAssignment(context, person, assignmentId);
  const existing = await context.repos.themes.reviewForAssignment(assignment.id);
  if (existing !== undefined) return showReview(context, await snapshotOf(context, assignment, existing), '');
  const theme = await context.repos.themes.forMonth(assignment.month);
  if (theme === undefined) return { show: 'no-theme', assignment };
  if (!isOpen(assignment)) throw new QaError('CONFLICT', 'assignment closed', { userMessage: `This activity is ${assignment.status}.` });
  const now = context.clock.now();
  const { review } = await context.transaction(async (repos) => {
    const started = await repos.themes.startReview(assignment.id, theme.id, person.id, now);
    if (started.created) {
      await repos.assignments.transition(assignment.id, ['assigned'], 'started', now);
      await repos.audit.append({ actor: person.email, actorRole: 'manager', action: 'thematic.started', recordKind: 'thematic_review', recordId: started.review.id, source: 'card', detail: { month: assignment.month, themeId: theme.id } }, now);
    }
    return started;
  });
  return showReview(context, await snapshotOf(context, assignment, review), '');
}

function showReview(_context: ServiceContext, snapshot: ThematicSnapshot, note: string): ThematicOutcome {
  if (snapshot.review.status === 'submitted') return { show: 'done', snapshot, note: note || 'Submitted: thank you. Your findings go into this month\'s spotlight.' };
  return { show: 'sample', snapshot, values: {}, caseReference: '', problems: {}, note };
}

/** Answers the theme's questions for one sampled case (case reference only). A double press stores one sample. */
export async function addThematicSample(context: ServiceContext, rule: CaseReferenceRule, person: StaffMember, assignmentId: string, caseReference: string, data: Record<string, unknown>): Promise<ThematicOutcome> {
  const assignment = await ownThematicAssignment(context, person, assignmentId);
  const review = await context.repos.themes.reviewForAssignment(assignment.id);
  if (review === undefined) return beginThematicReview(context, person, assignmentId);
  const snapshot = await snapshotOf(context, assignment, review);
  if (review.status === 'submitted') return showReview(context, snapshot, 'This thematic review was already submitted: nothing was changed.');
  const section = snapshot.form.definition.sections[0]!;
  const answers = readSection(section, data);
  const check = checkSection(section, answers);
  const problems: Problems = { ...check.problems };
  const caseProblem = caseReferenceProblem(rule, caseReference);
  if (caseProblem !== undefined) problems.caseReference = caseProblem;
  if (Object.keys(problems).length > 0) return { show: 'sample', snapshot, values: answers, caseReference, problems, note: 'Not saved yet: see the notes beside the answers.' };
  const now = context.clock.now();
  const added = await context.transaction(async (repos) => {
    const stored = await repos.themes.addSample(review.id, caseReference, snapshot.form.id, check.keep, now);
    if (stored) await repos.audit.append({ actor: person.email, actorRole: 'manager', action: 'thematic.sampled', recordKind: 'thematic_review', recordId: review.id, source: 'card', detail: { formVersion: snapshot.form.version } }, now);
    return stored;
  });
  const fresh = await snapshotOf(context, assignment, review);
  const left = fresh.theme.sampleSize - fresh.samples.length;
  const note = !added
    ? `Case ${caseReference} is already in your sample: nothing new was stored.`
    : left > 0
      ? `Saved. ${left} more case${left === 1 ? '' : 's'} to sample.`
      : 'Saved. That is the sample complete: submit it, or add another case.';
  return { show: 'sample', snapshot: fresh, values: {}, caseReference: '', problems: {}, note };
}

/** Submits the sample once it has the theme's number of cases: completes the month's assignment. */
export async function submitThematicReview(context: ServiceContext, person: StaffMember, assignmentId: string): Promise<ThematicOutcome> {
  const assignment = await ownThematicAssignment(context, person, assignmentId);
  const review = await context.repos.themes.reviewForAssignment(assignment.id);
  if (review === undefined) return beginThematicReview(context, person, assignmentId);
  const snapshot = await snapshotOf(context, assignment, review);
  if (review.status === 'submitted') return showReview(context, snapshot, 'This thematic review was already submitted: nothing was changed.');
  if (snapshot.samples.length < snapshot.theme.sampleSize) {
    return { show: 'sample', snapshot, values: {}, caseReference: '', problems: {}, note: `Not submitted yet: the theme asks for ${snapshot.theme.sampleSize} cases and ${snapshot.samples.length} are in.` };
  }
  const now = context.clock.now();
  const submitted = await context.transaction(async (repos) => {
    if (!(await repos.themes.submitReview(review.id, now))) return false;
    await repos.assignments.transition(assignment.id, ['assigned', 'started'], 'done', now);
    await repos.audit.append({ actor: person.email, actorRole: 'manager', action: 'thematic.submitted', recordKind: 'thematic_review', recordId: review.id, source: 'card', detail: { cases: snapshot.samples.length } }, now);
    return true;
  });
  const fresh = await snapshotOf(context, assignment, (await context.repos.themes.findReview(review.id))!);
  return showReview(context, fresh, submitted ? 'Submitted: thank you. Your QA activity for the month is done, and your findings go into this month\'s spotlight.' : 'This thematic review was already submitted: nothing was changed.');
}

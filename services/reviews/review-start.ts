import type { Assignment } from '../assignments';
import { isOpen } from '../assignments';
import { caseReferenceProblem, type CaseReferenceRule } from '../case-reference';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { currentForm } from '../forms/forms-service';
import { queueNotice, type NoticeComposer } from '../notices';
import type { StaffMember } from '../staff';
import { loadSnapshot, type ReviewSnapshot } from './review-snapshot';

export interface StartReviewInput {
  caseReference: string;
  /** A staff id chosen from the list. */
  practitionerId: string;
  /** Or the practitioner's work email, when they are not in the list. */
  practitionerEmail: string;
  /** The Independent Chair involved with the child, if any (a staff id). */
  chairId: string;
}

export type StartProblems = Partial<Record<'caseReference' | 'practitioner' | 'chair', string>>;

export type StartResult = { ok: false; problems: StartProblems } | { ok: true; snapshot: ReviewSnapshot; created: boolean };

/** Whom a reviewer can choose: practitioners of their own service, and the Independent Chairs. */
export interface StartChoices {
  practitioners: StaffMember[];
  chairs: StaffMember[];
}

const LIST_LIMIT = 50;

export async function startChoices(context: Pick<ServiceContext, 'repos'>, reviewer: StaffMember): Promise<StartChoices> {
  const everyone = (await context.repos.staff.listAll()).filter((staff) => staff.active && staff.id !== reviewer.id);
  const byName = (a: StaffMember, b: StaffMember): number => a.name.localeCompare(b.name);
  return {
    practitioners: everyone.filter((staff) => staff.tier === 'practitioner' && staff.service === reviewer.service).sort(byName).slice(0, LIST_LIMIT),
    chairs: everyone.filter((staff) => staff.tier === 'independent_chair' || staff.roles.includes('independent_chair')).sort(byName).slice(0, LIST_LIMIT),
  };
}

/** The reviewer's own open practice-review assignment, or a plain refusal. */
export async function reviewAssignment(context: Pick<ServiceContext, 'repos'>, reviewer: StaffMember, assignmentId: string): Promise<Assignment> {
  const assignment = await context.repos.assignments.findById(assignmentId);
  if (assignment === undefined || assignment.staffId !== reviewer.id) {
    throw new QaError('NOT_FOUND', 'assignment not found for this person', { userMessage: 'That QA activity is not one of yours, or it no longer exists.' });
  }
  if (assignment.kind !== 'practice_review') {
    throw new QaError('CONFLICT', 'assignment is not a practice review', { userMessage: 'This month your activity is not a practice review. Type "my tasks" to see it.' });
  }
  return assignment;
}

async function checkStart(context: ServiceContext, rule: CaseReferenceRule, reviewer: StaffMember, input: StartReviewInput): Promise<{ problems: StartProblems; practitioner?: StaffMember; chair?: StaffMember }> {
  const problems: StartProblems = {};
  const caseProblem = caseReferenceProblem(rule, input.caseReference);
  if (caseProblem !== undefined) problems.caseReference = caseProblem;
  let practitioner: StaffMember | undefined;
  if (input.practitionerId !== '' && input.practitionerEmail !== '') problems.practitioner = 'Choose the practitioner from the list or give their email, not both.';
  else if (input.practitionerId !== '') practitioner = await context.repos.staff.findById(input.practitionerId);
  else if (input.practitionerEmail !== '') practitioner = await context.repos.staff.findByEmail(input.practitionerEmail);
  else problems.practitioner = 'Choose the practitioner whose work you are reviewing.';
  if (problems.practitioner === undefined) {
    if (practitioner?.active !== true) problems.practitioner = 'QA Loop does not know that member of staff. Check the email, or ask the QA service to add them.';
    else if (practitioner.id === reviewer.id) problems.practitioner = 'A practice review is of someone else\'s work: choose the practitioner.';
  }
  let chair: StaffMember | undefined;
  if (input.chairId !== '') {
    chair = await context.repos.staff.findById(input.chairId);
    if (chair?.active !== true || !(chair.tier === 'independent_chair' || chair.roles.includes('independent_chair'))) problems.chair = 'Choose an Independent Chair from the list, or leave it empty.';
  }
  return { problems, ...(practitioner === undefined ? {} : { practitioner }), ...(chair === undefined ? {} : { chair }) };
}

/**
 * Starts the practice review of the reviewer's assignment: pins the current version of
 * each form, opens the three parts and sends the practitioner their reflective tool.
 * Starting twice (double click, two devices) finds the review already started.
 */
export async function startReview(context: ServiceContext, compose: NoticeComposer, rule: CaseReferenceRule, reviewer: StaffMember, assignmentId: string, input: StartReviewInput): Promise<StartResult> {
  const assignment = await reviewAssignment(context, reviewer, assignmentId);
  const existing = await context.repos.reviews.findByAssignment(assignment.id);
  if (existing !== undefined) return { ok: true, snapshot: await loadSnapshot(context, existing.id), created: false };
  if (!isOpen(assignment)) throw new QaError('CONFLICT', 'assignment closed', { userMessage: `This activity is ${assignment.status}, so there is no review to start.` });
  const { problems, practitioner, chair } = await checkStart(context, rule, reviewer, input);
  if (practitioner === undefined || Object.keys(problems).length > 0) return { ok: false, problems };
  const [records, reflection, family] = await Promise.all([currentForm(context, 'records_review'), currentForm(context, 'reflective_tool'), currentForm(context, 'family_feedback')]);
  const now = context.clock.now();
  const { review, created } = await context.transaction(async (repos) => {
    const made = await repos.reviews.create(
      {
        assignmentId: assignment.id,
        reviewerId: reviewer.id,
        practitionerId: practitioner.id,
        chairId: chair?.id ?? null,
        caseReference: input.caseReference,
        service: practitioner.service,
        team: practitioner.team,
        recordsFormId: records.id,
        reflectionFormId: reflection.id,
        familyFormId: family.id,
      },
      now,
    );
    if (!made.created) return made;
    await repos.responses.open(made.review.id, 'records', records.id, reviewer.id, now);
    await repos.responses.open(made.review.id, 'reflection', reflection.id, practitioner.id, now);
    await repos.responses.open(made.review.id, 'family', family.id, reviewer.id, now);
    await repos.assignments.transition(assignment.id, ['assigned'], 'started', now);
    await repos.audit.append(
      {
        actor: reviewer.email,
        actorRole: 'manager',
        action: 'review.started',
        recordKind: 'review',
        recordId: made.review.id,
        source: 'card',
        detail: { assignmentId: assignment.id, practitionerId: practitioner.id, chair: chair !== undefined, forms: { records: records.version, reflection: reflection.version, family: family.version } },
      },
      now,
    );
    return made;
  });
  const snapshot = await loadSnapshot(context, review.id);
  if (created) await queueNotice(context, compose, practitioner, { type: 'reflection-request', person: practitioner, snapshot }, `reflection-request:${review.id}`);
  return { ok: true, snapshot, created };
}

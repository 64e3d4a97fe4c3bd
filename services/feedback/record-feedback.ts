import { randomUUID } from 'node:crypto';
import { caseReferenceProblem, type CaseReferenceRule } from '../case-reference';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { checkSection, readSection, type Answers, type Problems } from '../forms/form-answers';
import type { FormDefinition, PublishedForm } from '../forms/form-definition';
import { currentForm, shippedDefinition } from '../forms/forms-service';
import { queueNotice, type NoticeComposer } from '../notices';
import { acknowledgedTokens, privacyConcern, privacyMessages, privacyToken } from '../privacy';
import { serviceManagerOf } from '../reviews/review-snapshot';
import type { Role } from '../roles';
import { isManagerTier } from '../rota';
import type { StaffMember } from '../staff';
import { ACKNOWLEDGE_WORKING_DAYS, isFeedbackKind, RESPOND_WORKING_DAYS, type FeedbackCounts } from './feedback';
import { loadComplaint, loadFeedback, type FeedbackSnapshot } from './feedback-snapshot';

/** What the feedback card sends, besides the form's own answers. */
export interface FeedbackFields {
  /** The one-time key the card was rendered with: a second press of the same card stores nothing. */
  startKey: string;
  /** The practice review or observation it is attached to, or empty. */
  reviewId: string;
  observationId: string;
  caseReference: string;
  /** The practitioner it is about (a staff id from the list, or a work email), if any. */
  practitionerId: string;
  practitionerEmail: string;
  /** For a complaint: the named officer who handles it (a staff id, or a work email). */
  officerId: string;
  officerEmail: string;
  /** For a complaint: the London date it was received, YYYY-MM-DD. */
  receivedOn: string;
}

/** Everything the card shows in its inputs: the fields and the form's answers, as typed. */
export interface FeedbackValues extends FeedbackFields {
  answers: Answers;
}

/** Problems by field: a question id of the form, or caseReference, practitioner, officer, receivedOn. */
export type FeedbackProblems = Problems;

/** The form the card shows: the latest published version (or the shipped one, not yet stored). */
export interface FeedbackFormVersion {
  definition: FormDefinition;
  version: number;
}

/** What a feedback card is attached to. */
export interface FeedbackLink {
  kind: 'review' | 'observation';
  id: string;
  /** A review's case reference: the feedback must carry the same. Observations have none of their own. */
  caseReference: string | null;
  practitionerId: string;
}

/** Everything a feedback card is drawn from. */
export interface FeedbackCardState {
  form: FeedbackFormVersion;
  practitioners: StaffMember[];
  officers: StaffMember[];
  /** This London month's feedback so far. */
  month: string;
  counts: FeedbackCounts;
  today: string;
  link: FeedbackLink | undefined;
  values: FeedbackValues;
  problems: FeedbackProblems;
  /**
   * Fingerprints of answers flagged as looking like a name or a date of birth, for the
   * card's button to carry: the same text sent back for the same question is then kept.
   */
  acknowledge: string;
}

export type RecordResult =
  | { ok: false; state: FeedbackCardState }
  | { ok: true; snapshot: FeedbackSnapshot; created: boolean; told: StaffMember[] };

const LIST_LIMIT = 40;
/** Fewer officers than practitioners: both lists on one card must stay well inside Teams' size limit. */
const OFFICER_LIMIT = 25;
const START_KEY = /^[0-9a-zA-Z-]{8,64}$/;
const ID = /^[0-9a-zA-Z-]{1,64}$/;

const byName = (a: StaffMember, b: StaffMember): number => a.name.localeCompare(b.name);

/** The form a new card shows: the latest version published, or the shipped one (stored only when feedback is recorded). */
export async function feedbackForm(context: Pick<ServiceContext, 'repos'>): Promise<FeedbackFormVersion> {
  const latest = await context.repos.forms.latest('feedback');
  return latest === undefined ? { definition: shippedDefinition('feedback'), version: 1 } : { definition: latest.definition, version: latest.version };
}

/** Feedback recorded in a London month, by kind. */
export async function countFeedback(context: Pick<ServiceContext, 'repos'>, month: string): Promise<FeedbackCounts> {
  return context.repos.feedback.countByKind(month);
}

/**
 * Whom the recorder can choose: the practitioners of their own service (the one a linked
 * review or observation is about among them), and as a complaint's officer the managers of
 * their service and the QA managers.
 */
async function choicesFor(context: Pick<ServiceContext, 'repos'>, recorder: StaffMember, linkedPractitionerId: string | undefined): Promise<{ practitioners: StaffMember[]; officers: StaffMember[] }> {
  const everyone = (await context.repos.staff.listAll()).filter((staff) => staff.active);
  const practitioners = everyone.filter((staff) => staff.tier === 'practitioner' && staff.service === recorder.service).sort(byName).slice(0, LIST_LIMIT);
  const linked = linkedPractitionerId === undefined ? undefined : everyone.find((staff) => staff.id === linkedPractitionerId);
  if (linked !== undefined && !practitioners.some((staff) => staff.id === linked.id)) practitioners.unshift(linked);
  const officers = everyone
    .filter((staff) => (isManagerTier(staff.tier) && staff.service === recorder.service) || staff.roles.includes('qa_manager'))
    .sort(byName)
    .slice(0, OFFICER_LIMIT);
  return { practitioners, officers };
}

const cardTooOld = (): QaError => new QaError('INVALID_INPUT', 'feedback card data missing or malformed', { userMessage: 'That card is out of date. Type "feedback" for a fresh one.' });

/**
 * The review or observation a card is attached to, checked: only its reviewer (or
 * observer) and the QA manager attach feedback to it; anyone else is refused without
 * being told anything about it.
 */
async function linkFor(context: Pick<ServiceContext, 'repos'>, recorder: StaffMember, roles: readonly Role[], reviewId: string, observationId: string): Promise<FeedbackLink | undefined> {
  if (reviewId !== '' && observationId !== '') throw cardTooOld();
  if (reviewId !== '') {
    if (!ID.test(reviewId)) throw cardTooOld();
    const review = await context.repos.reviews.findById(reviewId);
    if (review === undefined || (review.reviewerId !== recorder.id && !roles.includes('qa_manager'))) {
      throw new QaError('FORBIDDEN', 'not the reviewer', { userMessage: 'Only the reviewer (or the QA manager) can add family feedback to a practice review.' });
    }
    return { kind: 'review', id: review.id, caseReference: review.caseReference, practitionerId: review.practitionerId };
  }
  if (observationId !== '') {
    if (!ID.test(observationId)) throw cardTooOld();
    const observation = await context.repos.observations.findById(observationId);
    if (observation === undefined || (observation.observerId !== recorder.id && !roles.includes('qa_manager'))) {
      throw new QaError('FORBIDDEN', 'not the observer', { userMessage: 'Only the observer (or the QA manager) can add family feedback to a practice observation.' });
    }
    return { kind: 'observation', id: observation.id, caseReference: null, practitionerId: observation.practitionerId };
  }
  return undefined;
}

async function cardState(
  context: Pick<ServiceContext, 'repos' | 'clock' | 'calendar'>,
  recorder: StaffMember,
  link: FeedbackLink | undefined,
  form: FeedbackFormVersion,
  values: FeedbackValues,
  problems: FeedbackProblems,
  acknowledge = '',
): Promise<FeedbackCardState> {
  const today = context.calendar.londonDateOf(context.clock.now());
  const month = today.slice(0, 7);
  const [choices, counts] = await Promise.all([choicesFor(context, recorder, link?.practitionerId), countFeedback(context, month)]);
  return { form, ...choices, month, counts, today, link, values, problems, acknowledge };
}

/**
 * A fresh feedback card, with a new one-time key. From a practice review (or
 * observation) it carries its id, its case reference and its practitioner.
 */
export async function beginFeedback(
  context: Pick<ServiceContext, 'repos' | 'clock' | 'calendar'>,
  recorder: StaffMember,
  roles: readonly Role[],
  attachTo: { reviewId: string; observationId: string },
): Promise<FeedbackCardState> {
  const link = await linkFor(context, recorder, roles, attachTo.reviewId, attachTo.observationId);
  const today = context.calendar.londonDateOf(context.clock.now());
  const values: FeedbackValues = {
    startKey: randomUUID(),
    reviewId: link?.kind === 'review' ? link.id : '',
    observationId: link?.kind === 'observation' ? link.id : '',
    caseReference: link?.caseReference ?? '',
    practitionerId: link?.practitionerId ?? '',
    practitionerEmail: '',
    officerId: '',
    officerEmail: '',
    receivedOn: today,
    answers: {},
  };
  return cardState(context, recorder, link, await feedbackForm(context), values, {});
}

/** Reads every answer of the form from a card's data, as typed. */
function readAnswers(definition: FormDefinition, data: Record<string, unknown>): Answers {
  return Object.assign({}, ...definition.sections.map((section) => readSection(section, data))) as Answers;
}

function checkAnswers(definition: FormDefinition, answers: Answers): Problems {
  const problems: Problems = {};
  for (const section of definition.sections) {
    const own: Answers = {};
    for (const question of section.questions) own[question.id] = answers[question.id] ?? '';
    Object.assign(problems, checkSection(section, own, answers).problems);
  }
  if (problems.kind === undefined && !isFeedbackKind(answers.kind ?? '')) problems.kind = 'Choose compliment, comment or complaint.';
  return problems;
}

const isRealDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T12:00:00Z`).toISOString().startsWith(value);

/** A member of staff chosen from a list or given by work email: who they are, or what is wrong. */
async function staffChoice(context: Pick<ServiceContext, 'repos'>, id: string, email: string, what: string): Promise<{ person?: StaffMember; problem?: string }> {
  if (id !== '' && email !== '') return { problem: `Choose ${what} from the list or give their email, not both.` };
  if (id === '' && email === '') return {};
  const person = id !== '' ? (ID.test(id) ? await context.repos.staff.findById(id) : undefined) : await context.repos.staff.findByEmail(email);
  if (person?.active !== true) return { problem: 'QA Loop does not know that member of staff. Check the email, or ask the QA service to add them.' };
  return { person };
}

/**
 * Records a piece of family feedback from the feedback card: checks every answer (a
 * wrong or missing one comes back on the same card, beside its field, with every answer
 * kept), then stores the answers against the form version and the key fields, once per
 * card. A complaint opens stage 1 with its deadlines and goes to its named officer; a
 * compliment goes to the practitioner it is about and their service manager.
 */
export async function recordFeedback(
  context: ServiceContext,
  compose: NoticeComposer,
  rule: CaseReferenceRule,
  recorder: StaffMember,
  roles: readonly Role[],
  fields: FeedbackFields,
  data: Record<string, unknown>,
): Promise<RecordResult> {
  if (!START_KEY.test(fields.startKey)) throw cardTooOld();
  const existing = await context.repos.feedback.findByStartKey(fields.startKey);
  if (existing !== undefined) {
    if (existing.recordedBy !== recorder.id) throw new QaError('FORBIDDEN', 'feedback card of someone else', { userMessage: 'That card belongs to someone else. Type "feedback" for your own.' });
    return { ok: true, snapshot: await loadFeedback(context, existing.id), created: false, told: [] };
  }
  const link = await linkFor(context, recorder, roles, fields.reviewId, fields.observationId);
  let form = await feedbackForm(context);
  const today = context.calendar.londonDateOf(context.clock.now());

  const acknowledged = acknowledgedTokens(data.privacyChecked);
  const check = async (definition: FormDefinition) => {
    const answers = readAnswers(definition, data);
    const problems: FeedbackProblems = checkAnswers(definition, answers);
    // Their words that look like a child's name or a date of birth are not stored until the recorder confirms them.
    const flagged: string[] = [];
    for (const question of definition.sections.flatMap((section) => section.questions)) {
      const value = answers[question.id] ?? '';
      const concern = (question.type === 'text' || question.type === 'longtext') && problems[question.id] === undefined && value !== '' ? privacyConcern(value) : undefined;
      if (concern === undefined || acknowledged.has(privacyToken(question.id, value))) continue;
      problems[question.id] = privacyMessages[concern];
      flagged.push(privacyToken(question.id, value));
    }
    const caseProblem = caseReferenceProblem(rule, fields.caseReference);
    if (caseProblem !== undefined) problems.caseReference = caseProblem;
    else if (link !== undefined && link.caseReference !== null && link.caseReference !== fields.caseReference) {
      problems.caseReference = `This feedback is for the practice review of case ${link.caseReference}: keep that case reference.`;
    }
    const practitioner = await staffChoice(context, fields.practitionerId, fields.practitionerEmail, 'the practitioner');
    if (practitioner.problem !== undefined) problems.practitioner = practitioner.problem;
    let officer: StaffMember | undefined;
    if (answers.kind === 'complaint') {
      const chosen = await staffChoice(context, fields.officerId, fields.officerEmail, 'the officer');
      if (chosen.problem !== undefined) problems.officer = chosen.problem;
      else if (chosen.person === undefined) problems.officer = 'A complaint needs a named officer to handle it: choose one, or give their work email.';
      else if (chosen.person.id === practitioner.person?.id) problems.officer = 'The complaint is about this practitioner: choose someone else to handle it.';
      else officer = chosen.person;
      if (!isRealDate(fields.receivedOn)) problems.receivedOn = 'Enter the date the complaint was received, as YYYY-MM-DD.';
      else if (fields.receivedOn > today) problems.receivedOn = 'The date received cannot be in the future.';
    }
    return { answers, problems, practitioner: practitioner.person, officer, acknowledge: flagged.join(',') };
  };

  let checked = await check(form.definition);
  let published: PublishedForm | undefined;
  if (Object.keys(checked.problems).length === 0) {
    // Version 1 is stored on first use; a version published since the card was drawn is checked afresh.
    published = await currentForm(context, 'feedback');
    if (published.version !== form.version) {
      form = { definition: published.definition, version: published.version };
      checked = await check(form.definition);
    }
  }
  const { answers, problems, practitioner, officer } = checked;
  if (published === undefined || Object.keys(problems).length > 0) return { ok: false, state: await cardState(context, recorder, link, form, { ...fields, answers }, problems, checked.acknowledge) };
  const answered = published;
  const kind = answers.kind;
  if (kind === undefined || !isFeedbackKind(kind)) throw new QaError('INTERNAL', 'checked feedback without a kind');
  const kept: Answers = {};
  for (const [id, value] of Object.entries(answers)) if (value !== '') kept[id] = value;
  const rating = /^[1-5]$/.test(answers.rating ?? '') ? Number(answers.rating) : null;
  const now = context.clock.now();

  const made = await context.transaction(async (repos) => {
    const result = await repos.feedback.create(
      {
        startKey: fields.startKey,
        caseReference: fields.caseReference,
        recordedBy: recorder.id,
        formId: answered.id,
        kind,
        source: answers.source ?? '',
        method: answers.method ?? '',
        rating,
        consent: answers.consent === 'yes',
        practitionerId: practitioner?.id ?? null,
        reviewId: link?.kind === 'review' ? link.id : null,
        observationId: link?.kind === 'observation' ? link.id : null,
        month: today.slice(0, 7),
      },
      now,
    );
    if (!result.created) return { feedbackId: result.feedback.id, created: false, complaintId: undefined };
    const { feedback } = result;
    const response = await repos.responses.open(feedback.id, 'feedback', answered.id, recorder.id, now, 'feedback');
    await repos.responses.submit(response.id, kept, now);
    await repos.audit.append(
      {
        actor: recorder.email,
        actorRole: 'staff',
        action: 'feedback.recorded',
        recordKind: 'feedback',
        recordId: feedback.id,
        source: 'card',
        detail: { kind, source: feedback.source, method: feedback.method, rating: rating !== null, consent: feedback.consent, practitioner: feedback.practitionerId !== null, reviewId: feedback.reviewId, observationId: feedback.observationId, formVersion: answered.version },
      },
      now,
    );
    let complaintId: string | undefined;
    if (kind === 'complaint' && officer !== undefined) {
      // Stage 1, in working days from receipt (bank holidays excluded).
      const deadlines = { acknowledgeBy: context.calendar.addWorkingDays(fields.receivedOn, ACKNOWLEDGE_WORKING_DAYS), respondBy: context.calendar.addWorkingDays(fields.receivedOn, RESPOND_WORKING_DAYS) };
      const opened = await repos.complaints.create({ feedbackId: feedback.id, officerId: officer.id, receivedOn: fields.receivedOn, ...deadlines }, now);
      complaintId = opened.complaint.id;
      await repos.audit.append(
        { actor: recorder.email, actorRole: 'staff', action: 'complaint.opened', recordKind: 'complaint', recordId: complaintId, source: 'card', detail: { feedbackId: feedback.id, officerId: officer.id, stage: 1, receivedOn: fields.receivedOn, ...deadlines } },
        now,
      );
    }
    return { feedbackId: feedback.id, created: true, complaintId };
  });

  const snapshot = await loadFeedback(context, made.feedbackId);
  if (!made.created) {
    if (snapshot.feedback.recordedBy !== recorder.id) throw new QaError('FORBIDDEN', 'feedback card of someone else', { userMessage: 'That card belongs to someone else. Type "feedback" for your own.' });
    return { ok: true, snapshot, created: false, told: [] };
  }
  const told: StaffMember[] = [];
  if (made.complaintId !== undefined) {
    const complaint = await loadComplaint(context, made.complaintId);
    await queueNotice(context, compose, complaint.officer, { type: 'complaint', person: complaint.officer, complaint, moment: 'assigned', told: '' }, `complaint-assigned:${made.complaintId}`);
    told.push(complaint.officer);
  }
  if (kind === 'compliment' && snapshot.practitioner?.active === true) {
    const recipients = new Map<string, StaffMember>();
    const serviceManager = await serviceManagerOf(context, snapshot.practitioner);
    for (const person of [snapshot.practitioner, serviceManager]) if (person !== undefined && person.id !== recorder.id) recipients.set(person.id, person);
    for (const person of recipients.values()) {
      await queueNotice(context, compose, person, { type: 'compliment', person, feedback: snapshot }, `compliment:${snapshot.feedback.id}:${person.id}`);
      told.push(person);
    }
  }
  return { ok: true, snapshot, created: true, told };
}

import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import type { Answers } from '../forms/form-answers';
import type { PublishedForm } from '../forms/form-definition';
import { formById } from '../forms/forms-service';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { Complaint, FamilyFeedback } from './feedback';

/** A piece of feedback as it is now, with its answers and people: what every card of it is built from. */
export interface FeedbackSnapshot {
  feedback: FamilyFeedback;
  /** The form version it answered. */
  form: PublishedForm;
  answers: Answers;
  recorder: StaffMember | undefined;
  practitioner: StaffMember | undefined;
  complaint: Complaint | undefined;
  officer: StaffMember | undefined;
}

/** A complaint as it is now: the feedback it came in as, with its officer. */
export interface ComplaintSnapshot extends FeedbackSnapshot {
  complaint: Complaint;
  officer: StaffMember;
}

/** How a person stands to a complaint: only its officer (and the QA manager) may act on it. */
export type ComplaintStanding = 'officer' | 'qa' | 'none';

const person = async (context: Pick<ServiceContext, 'repos'>, id: string | null): Promise<StaffMember | undefined> => (id === null ? undefined : context.repos.staff.findById(id));

export async function loadFeedback(context: Pick<ServiceContext, 'repos'>, feedbackId: string): Promise<FeedbackSnapshot> {
  const feedback = await context.repos.feedback.findById(feedbackId);
  if (feedback === undefined) throw new QaError('NOT_FOUND', 'feedback not found', { userMessage: 'That feedback no longer exists, or the card is not one QA Loop made.' });
  const [form, response, recorder, practitioner, complaint] = await Promise.all([
    formById(context, feedback.formId),
    context.repos.responses.find(feedback.id, 'feedback', 'feedback'),
    person(context, feedback.recordedBy),
    person(context, feedback.practitionerId),
    context.repos.complaints.findByFeedback(feedback.id),
  ]);
  const officer = complaint === undefined ? undefined : await person(context, complaint.officerId);
  return { feedback, form, answers: response?.answers ?? {}, recorder, practitioner, complaint, officer };
}

export async function loadComplaint(context: Pick<ServiceContext, 'repos'>, complaintId: string): Promise<ComplaintSnapshot> {
  const complaint = await context.repos.complaints.findById(complaintId);
  if (complaint === undefined) throw new QaError('NOT_FOUND', 'complaint not found', { userMessage: 'That complaint no longer exists, or the card is not one QA Loop made.' });
  const snapshot = await loadFeedback(context, complaint.feedbackId);
  if (snapshot.officer === undefined) throw new QaError('INTERNAL', `complaint ${complaint.id} refers to missing staff`);
  return { ...snapshot, complaint, officer: snapshot.officer };
}

export function complaintStandingOf(snapshot: ComplaintSnapshot, person: StaffMember | undefined, roles: readonly Role[]): ComplaintStanding {
  if (person !== undefined && person.id === snapshot.complaint.officerId) return 'officer';
  if (roles.includes('qa_manager')) return 'qa';
  return 'none';
}

/** Refuses anyone but the officer and the QA manager, without saying anything about the complaint. */
export function requireComplaintStanding(snapshot: ComplaintSnapshot, person: StaffMember | undefined, roles: readonly Role[]): Exclude<ComplaintStanding, 'none'> {
  const standing = complaintStandingOf(snapshot, person, roles);
  if (standing === 'none') {
    throw new QaError('FORBIDDEN', 'not the officer of this complaint', { userMessage: 'Only the officer handling this complaint, or the QA manager, can act on it.' });
  }
  return standing;
}

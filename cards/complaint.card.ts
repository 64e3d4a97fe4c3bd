import { whenLabel } from '../services/calendar';
import type { ComplaintInput, ComplaintProblems } from '../services/feedback/complaints';
import type { ComplaintSnapshot } from '../services/feedback/feedback-snapshot';
import type { StaffMember } from '../services/staff';
import { feedbackAnswer, writtenAnswers } from './feedback.card';
import { dayLabel } from './labels';
import { recordCard, type CardButton, type CardGroup, type CardQuestion, type Fact } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** Why the complaint is being shown: changes the heading and opening line, not what is true. */
export type ComplaintMoment = 'view' | 'assigned' | 'acknowledge-overdue' | 'respond-overdue';

export interface ComplaintCardInput {
  snapshot: ComplaintSnapshot;
  moment?: ComplaintMoment;
  /** For a missed deadline: who else was told (the officer's service manager, or the QA managers). */
  told?: string;
  note?: string;
  noteTone?: 'good' | 'problem' | 'plain';
  input?: ComplaintInput;
  problems?: ComplaintProblems;
}

const STAGE_1 = 'Stage 1 of the children\'s complaints procedure: acknowledge within 3 working days of receipt, respond within 10 (extendable once by 10, with a reason).';

function headingAndIntro(input: ComplaintCardInput): [string, string] {
  const { snapshot } = input;
  const { complaint, feedback } = snapshot;
  const reference = feedback.caseReference;
  const told = input.told === undefined || input.told === '' ? '' : ` ${input.told} ${input.told.includes(',') ? 'have' : 'has'} been told.`;
  switch (input.moment ?? 'view') {
    case 'assigned':
      return [
        `A complaint for you to handle: ${reference}`,
        `${snapshot.recorder?.name ?? 'A colleague'} recorded a complaint about case ${reference} and named you as the officer who handles it. Acknowledge it by ${dayLabel(complaint.acknowledgeBy)} and respond by ${dayLabel(complaint.respondBy)}.`,
      ];
    case 'acknowledge-overdue':
      return [`Overdue: acknowledge the complaint about ${reference}`, `It was due to be acknowledged by ${dayLabel(complaint.acknowledgeBy)}. Please acknowledge it now.${told}`];
    case 'respond-overdue':
      return [`Overdue: respond to the complaint about ${reference}`, `The response was due by ${dayLabel(complaint.respondBy)}. Please record it as soon as it is given.${told}`];
    case 'view':
      return [`Complaint: ${reference}`, STAGE_1];
  }
}

/** Where a complaint stands, as facts: what was received when, and each deadline. */
function complaintFacts(snapshot: ComplaintSnapshot): Fact[] {
  const { complaint, feedback } = snapshot;
  const definition = snapshot.form.definition;
  const acknowledged = complaint.acknowledgedAt === null ? dayLabel(complaint.acknowledgeBy) : `${dayLabel(complaint.acknowledgeBy)} (acknowledged ${whenLabel(complaint.acknowledgedAt)})`;
  const responded = complaint.respondedAt === null ? dayLabel(complaint.respondBy) : `${dayLabel(complaint.respondBy)} (answered ${whenLabel(complaint.respondedAt)})`;
  const facts: Fact[] = [
    { title: 'Case reference', value: feedback.caseReference },
    { title: 'From', value: `${feedbackAnswer(definition, snapshot.answers, 'source')}, by ${feedbackAnswer(definition, snapshot.answers, 'method').toLowerCase()}` },
    { title: 'Received', value: dayLabel(complaint.receivedOn) },
    { title: 'Acknowledge by', value: acknowledged },
    { title: 'Respond by', value: complaint.extendedAt === null ? responded : `${responded}, extended once` },
    { title: 'Officer', value: snapshot.officer.name },
  ];
  if (snapshot.practitioner !== undefined) facts.push({ title: 'About', value: snapshot.practitioner.name });
  facts.push({ title: 'Status', value: { open: 'Waiting for acknowledgement', acknowledged: 'Acknowledged: waiting for the response', responded: 'Answered: stage 1 complete' }[complaint.status] });
  return facts;
}

/**
 * A complaint for its officer (or the QA manager): the deadlines, the family's words,
 * and while it is unanswered the steps: acknowledge, record the response, extend once.
 */
export function complaintCard(input: ComplaintCardInput): AdaptiveCard {
  const { snapshot } = input;
  const { complaint } = snapshot;
  const typed = input.input ?? { response: '', extensionReason: '' };
  const problems = input.problems ?? {};
  const [heading, intro] = headingAndIntro(input);
  const groups: CardGroup[] = [{ title: 'The complaint', facts: [], texts: writtenAnswers(snapshot, true) }];
  if (complaint.extensionReason !== null) groups.push({ title: 'Extension', facts: [{ title: 'Extended', value: whenLabel(complaint.extendedAt) }], texts: [{ label: 'Why', text: complaint.extensionReason }] });
  if (complaint.response !== null) groups.push({ title: 'The response', facts: [], texts: [{ label: 'What the family was told', text: complaint.response }] });
  const questions: CardQuestion[] = [];
  const buttons: CardButton[] = [];
  const data = { complaintId: complaint.id };
  if (complaint.status !== 'responded') {
    questions.push({ id: 'response', label: 'The response to the family (to record it)', input: 'text', multiline: true, maxLength: 4000, value: typed.response, problem: problems.response ?? '' });
    if (complaint.extendedAt === null || problems.extensionReason !== undefined) {
      questions.push({ id: 'extensionReason', label: 'Why the response needs 10 more working days (to extend)', input: 'text', multiline: true, maxLength: 1000, value: typed.extensionReason, problem: problems.extensionReason ?? '' });
    }
    if (complaint.status === 'open') buttons.push({ title: 'Acknowledge', verb: Verbs.acknowledgeComplaint, data, style: 'positive' });
    buttons.push({ title: 'Record the response', verb: Verbs.respondToComplaint, data, style: complaint.status === 'open' ? 'default' : 'positive' });
    if (complaint.extendedAt === null) buttons.push({ title: 'Extend the deadline', verb: Verbs.extendComplaint, data, style: 'default' });
  }
  return recordCard({
    heading,
    intro,
    facts: complaintFacts(snapshot),
    note: input.note ?? '',
    noteTone: input.noteTone ?? 'plain',
    groups,
    formTitle: questions.length > 0 ? 'Next step' : '',
    questions,
    buttons,
    refresh: { verb: Verbs.openComplaint, data },
  });
}

/**
 * A missed stage-1 deadline, for the officer's service manager (or the QA managers):
 * where the complaint stands and who handles it; not the family's words. No buttons:
 * only the officer (or the QA manager) acts on it.
 */
export function complaintOverdueCard(input: { snapshot: ComplaintSnapshot; recipient: StaffMember; missed: 'acknowledge' | 'respond'; asServiceManager: boolean }): AdaptiveCard {
  const { snapshot, missed } = input;
  const { complaint, feedback, officer } = snapshot;
  const due = missed === 'acknowledge' ? `acknowledged by ${dayLabel(complaint.acknowledgeBy)}` : `answered by ${dayLabel(complaint.respondBy)}`;
  const as = input.asServiceManager ? `${officer.name}'s service manager` : 'QA manager (no service manager is on file above them)';
  return recordCard({
    heading: `Complaint deadline missed: ${feedback.caseReference}`,
    intro: `${officer.name} is handling a stage 1 complaint about case ${feedback.caseReference}, received ${dayLabel(complaint.receivedOn)}. It was due to be ${due} and has not been. They have been reminded; you are told as ${as}.`,
    facts: complaintFacts(snapshot),
  });
}

import { whenLabel } from '../services/calendar';
import { answerLabel, findQuestion } from '../services/forms/form-answers';
import type { FormDefinition } from '../services/forms/form-definition';
import { feedbackKinds, type FeedbackCounts } from '../services/feedback/feedback';
import type { FeedbackSnapshot } from '../services/feedback/feedback-snapshot';
import type { FeedbackCardState } from '../services/feedback/record-feedback';
import type { StaffMember } from '../services/staff';
import { formQuestion, NO_NAMES } from './form-section.card';
import { dayLabel, monthLabel } from './labels';
import { recordCard, type CardGroup, type CardQuestion, type Fact } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** An answer of the feedback form as people read it: a choice's title rather than its value. */
export function feedbackAnswer(definition: FormDefinition, answers: Record<string, string>, id: string): string {
  const question = findQuestion(definition, id);
  return question === undefined ? (answers[id] ?? 'Not answered') : answerLabel(question, answers[id]);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "3 pieces of family feedback have come back in January 2027: 2 compliments, 1 complaint." */
export function countsLine(month: string, counts: FeedbackCounts): string {
  if (counts.total === 0) return `No family feedback has been recorded yet in ${monthLabel(month)}.`;
  const kinds = feedbackKinds.filter((kind) => counts[kind] > 0).map((kind) => plural(counts[kind], kind));
  return `${plural(counts.total, 'piece')} of family feedback ${counts.total === 1 ? 'has' : 'have'} come back in ${monthLabel(month)}: ${kinds.join(', ')}.`;
}

const person = (staff: StaffMember): { title: string; value: string } => ({ title: `${staff.name}, ${staff.team}`, value: staff.id });

/**
 * The feedback card: the case reference, the `feedback` form's questions (whichever
 * version is current), the practitioner it is about and, for a complaint, its officer and
 * the date it was received. Problems sit beside their fields; every answer is kept.
 */
export function feedbackCard(state: FeedbackCardState): AdaptiveCard {
  const { values, problems, link, form } = state;
  const hasProblems = Object.keys(problems).length > 0;
  const heading = link?.kind === 'review' ? `Family feedback: practice review ${link.caseReference ?? ''}` : link?.kind === 'observation' ? 'Family feedback: your practice observation' : 'Record family feedback';
  const attached = link === undefined ? '' : ` It will be kept with the practice ${link.kind === 'review' ? 'review' : 'observation'}.`;
  const questions: CardQuestion[] = [
    {
      id: 'caseReference',
      label: 'Case reference (required)',
      input: 'text',
      maxLength: 40,
      value: values.caseReference,
      placeholder: 'From the case record system',
      help: `The reference from the case record system. ${NO_NAMES}`,
      problem: problems.caseReference ?? '',
    },
    ...form.definition.sections.flatMap((section) => section.questions.map((question) => formQuestion(question, values.answers, problems))),
    {
      id: 'practitionerId',
      label: 'Practitioner it is about (if any)',
      input: 'choice',
      choiceStyle: 'compact',
      choices: state.practitioners.map(person),
      value: values.practitionerId,
      problem: problems.practitioner ?? '',
      help: 'A compliment is passed on to them and their service manager.',
    },
    { id: 'practitionerEmail', label: 'Or their work email, if they are not in the list', input: 'text', maxLength: 320, value: values.practitionerEmail },
    {
      id: 'officerId',
      label: 'Complaints: the officer who will handle it',
      input: 'choice',
      choiceStyle: 'compact',
      choices: state.officers.map(person),
      value: values.officerId,
      problem: problems.officer ?? '',
      help: 'Required for a complaint. They acknowledge it within 3 working days of receipt and respond within 10 (stage 1).',
    },
    { id: 'officerEmail', label: "Or the officer's work email", input: 'text', maxLength: 320, value: values.officerEmail },
    { id: 'receivedOn', label: 'Complaints: the date it was received', input: 'date', value: values.receivedOn, problem: problems.receivedOn ?? '' },
  ];
  return recordCard({
    heading,
    intro: `A compliment, comment or complaint from a child, young person, parent or carer.${attached} ${countsLine(state.month, state.counts)}`,
    note: hasProblems ? 'Not recorded yet: see the notes beside the answers. Everything you typed is kept.' : '',
    noteTone: 'problem',
    formTitle: form.definition.title,
    formHelp: form.definition.sections.map((section) => section.help ?? '').filter((help) => help !== '').join(' '),
    questions,
    buttons: [{ title: 'Record the feedback', verb: Verbs.recordFeedback, data: { startKey: values.startKey, reviewId: values.reviewId, observationId: values.observationId, privacyChecked: state.acknowledge }, style: 'positive' }],
  });
}

/** The facts of a piece of feedback: which case, what kind, from whom and how. */
function feedbackFacts(snapshot: FeedbackSnapshot): Fact[] {
  const { feedback, form, answers } = snapshot;
  const definition = form.definition;
  const facts: Fact[] = [
    { title: 'Case reference', value: feedback.caseReference },
    { title: 'Kind', value: feedbackAnswer(definition, answers, 'kind') },
    { title: 'From', value: feedbackAnswer(definition, answers, 'source') },
    { title: 'How', value: feedbackAnswer(definition, answers, 'method') },
  ];
  if (feedback.rating !== null) facts.push({ title: 'Rating', value: `${feedback.rating} of 5` });
  return facts;
}

/** Their words, and what we did about it: the form's written answers. */
export function writtenAnswers(snapshot: FeedbackSnapshot, withWords: boolean): CardGroup['texts'] {
  const texts: CardGroup['texts'] = [];
  for (const section of snapshot.form.definition.sections) {
    for (const question of section.questions) {
      const value = snapshot.answers[question.id];
      if ((question.type !== 'text' && question.type !== 'longtext') || value === undefined || value === '') continue;
      if (question.id === 'words' && !withWords) continue;
      texts.push({ label: question.label, text: value });
    }
  }
  return texts;
}

export interface FeedbackRecordedCardInput {
  snapshot: FeedbackSnapshot;
  created: boolean;
  /** Who was sent it: the complaint's officer, or the practitioner and their service manager. */
  told: StaffMember[];
}

/** What the recorder sees once the feedback is stored, with a way to record the next piece. */
export function feedbackRecordedCard(input: FeedbackRecordedCardInput): AdaptiveCard {
  const { snapshot } = input;
  const { feedback, complaint } = snapshot;
  const facts = feedbackFacts(snapshot);
  facts.push({ title: 'They agreed to share it', value: feedback.consent ? 'Yes' : 'No' });
  if (snapshot.practitioner !== undefined) facts.push({ title: 'About', value: snapshot.practitioner.name });
  if (feedback.reviewId !== null) facts.push({ title: 'Kept with', value: 'The practice review of this case' });
  if (feedback.observationId !== null) facts.push({ title: 'Kept with', value: 'A practice observation' });
  if (complaint !== undefined) {
    facts.push({ title: 'Officer', value: snapshot.officer?.name ?? 'Someone who has left' });
    facts.push({ title: 'Received', value: dayLabel(complaint.receivedOn) });
    facts.push({ title: 'Acknowledge by', value: dayLabel(complaint.acknowledgeBy) });
    facts.push({ title: 'Respond by', value: dayLabel(complaint.respondBy) });
  }
  facts.push({ title: 'Recorded', value: `${whenLabel(feedback.createdAt)} by ${snapshot.recorder?.name ?? 'someone who has left'}` });
  let note: string;
  if (!input.created) note = 'This feedback was already recorded: here it is. Nothing was stored twice.';
  else if (complaint !== undefined) note = `Recorded. ${snapshot.officer?.name ?? 'The officer'} has been sent the complaint, to acknowledge by ${dayLabel(complaint.acknowledgeBy)} and respond to by ${dayLabel(complaint.respondBy)}.`;
  else if (input.told.length > 0) note = `Recorded: thank you. It has been passed on to ${input.told.map((staff) => staff.name).join(' and ')}.`;
  else note = 'Recorded: thank you.';
  return recordCard({
    heading: `Family feedback recorded: ${feedback.caseReference}`,
    facts,
    note,
    noteTone: input.created ? 'good' : 'plain',
    groups: [{ title: 'Their feedback', facts: [], texts: writtenAnswers(snapshot, true) }],
    buttons: [{ title: 'Record more feedback', verb: Verbs.beginFeedback, data: { reviewId: feedback.reviewId ?? '', observationId: feedback.observationId ?? '' }, style: 'default' }],
  });
}

/**
 * A compliment passed on to the practitioner it is about, or to their service manager.
 * Their words go with it only when they agreed to them being shared.
 */
export function complimentCard(snapshot: FeedbackSnapshot, recipient: StaffMember): AdaptiveCard {
  const { feedback } = snapshot;
  const practitioner = snapshot.practitioner;
  const forPractitioner = practitioner?.id === recipient.id;
  const whose = forPractitioner ? 'your work' : `${practitioner?.name ?? 'a practitioner'}'s work`;
  const from = feedbackAnswer(snapshot.form.definition, snapshot.answers, 'source').toLowerCase();
  const words = writtenAnswers(snapshot, feedback.consent);
  return recordCard({
    heading: forPractitioner ? 'A compliment about your work' : `A compliment for ${practitioner?.name ?? 'your service'}`,
    intro: `A ${from} paid a compliment about ${whose} with case ${feedback.caseReference}. ${snapshot.recorder?.name ?? 'A colleague'} recorded it on ${whenLabel(feedback.createdAt)}.${forPractitioner ? '' : ' You are told as their service manager.'}`,
    facts: feedbackFacts(snapshot),
    note: feedback.consent ? '' : 'They did not agree to their words being shared, so only the compliment itself is passed on.',
    noteTone: 'plain',
    groups: words.length === 0 ? [] : [{ title: 'What they said', facts: [], texts: words }],
  });
}

import { shippedDefinition } from '../../services/forms/forms-service';
import { choicesOf, type FormDefinition, type FormKey } from '../../services/forms/form-definition';
import type { TeamsMember } from './connector-stand-in';
import { cardText, type TeamsClient } from './teams-client';

/** A shipped form's definition, checked as the bot would. */
export const shippedForm = (key: FormKey): FormDefinition => shippedDefinition(key);

/** A full, valid set of answers for one section: what a careful person would give. */
export function answersFor(definition: FormDefinition, index: number, overrides: Record<string, string> = {}): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const question of definition.sections[index]!.questions) {
    if (question.type === 'grade') answers[question.id] = 'good';
    else if (question.type === 'date') answers[question.id] = '2027-01-15';
    else if (question.type === 'text' || question.type === 'longtext') answers[question.id] = `Evidence for ${question.id} found in the record.`;
    else answers[question.id] = choicesOf(question)[0]!.value;
  }
  return { ...answers, ...overrides };
}

interface InvokeCard {
  value: unknown;
}

/** Presses a button and returns the card Teams would show in its place, failing loudly on anything but 200. */
export async function pressForCard(teams: TeamsClient, person: TeamsMember, verb: string, data: Record<string, unknown>): Promise<{ card: unknown; text: string }> {
  const response = await teams.press(person, verb, data);
  if (response.status !== 200) throw new Error(`${verb} answered ${response.status}`);
  const card = (response.body as InvokeCard).value;
  return { card, text: cardText(card as Record<string, unknown>) };
}

/**
 * The reviewer's whole part, by cards: start the review, every section of the records
 * review, the family's feedback, then submit. Returns the review's id.
 */
export async function completeReviewByCards(
  teams: TeamsClient,
  reviewer: TeamsMember,
  assignmentId: string,
  practitionerEmail: string,
  findReviewId: () => Promise<string>,
  caseReference = 'CR100200',
): Promise<string> {
  const started = await pressForCard(teams, reviewer, 'review.start', { assignmentId, caseReference, practitionerEmail });
  if (!started.text.includes('Section 1 of')) throw new Error(`Review did not start: ${started.text}`);
  const reviewId = await findReviewId();
  for (const [part, key] of [['records', 'records_review'], ['family', 'family_feedback']] as const) {
    const form = shippedForm(key);
    for (let index = 0; index < form.sections.length; index++) {
      await pressForCard(teams, reviewer, 'review.save', { reviewId, part, section: String(index), move: 'next', ...answersFor(form, index) });
    }
  }
  const submitted = await pressForCard(teams, reviewer, 'review.submit', { reviewId });
  if (!submitted.text.includes('Submitted to the QA service')) throw new Error(`Review was not submitted: ${submitted.text}`);
  return reviewId;
}

/**
 * The observer's whole part, by cards: start the observation of their assignment, every
 * section of the form, then submit (no actions). Returns the observation's id.
 */
export async function completeObservationByCards(
  teams: TeamsClient,
  observer: TeamsMember,
  assignmentId: string,
  practitionerEmail: string,
  findObservationId: () => Promise<string>,
  observedOn: string,
): Promise<string> {
  const started = await pressForCard(teams, observer, 'observation.start', { assignmentId, startToken: '', practitionerEmail });
  if (!started.text.includes('Section 1 of')) throw new Error(`Observation did not start: ${started.text}`);
  const observationId = await findObservationId();
  const form = shippedForm('practice_observation');
  for (let index = 0; index < form.sections.length; index++) {
    await pressForCard(teams, observer, 'observation.save', { observationId, part: 'observation', section: String(index), move: 'next', ...answersFor(form, index, { observed_on: observedOn }) });
  }
  const submitted = await pressForCard(teams, observer, 'observation.submit', { observationId });
  if (!submitted.text.includes('Submitted to the QA service')) throw new Error(`Observation was not submitted: ${submitted.text}`);
  return observationId;
}

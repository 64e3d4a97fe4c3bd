import { QaError } from '../../services/errors';
import { saveSection, type SectionMove } from '../../services/reviews/review-sections';
import { idInput } from './inputs';
import { partInput, reviewReply, sectionInput } from './review-reply';
import type { VerbHandler } from './verb';

const moves: readonly SectionMove[] = ['next', 'back', 'later'];

/** Any button on a section card: saves what is on it, then moves on, back, or stops for later. */
export const saveReviewSection: VerbHandler = async ({ caller, deps, data }) => {
  const move = moves.find((candidate) => candidate === data.move);
  if (move === undefined) throw new QaError('INVALID_INPUT', 'card data move missing or malformed', { userMessage: 'That card is out of date or damaged. Type "my tasks" for a fresh one.' });
  const outcome = await saveSection(deps.services, caller.staff, caller.roles, idInput(data, 'reviewId'), partInput(data), sectionInput(data), data, move);
  return reviewReply(outcome, caller);
};

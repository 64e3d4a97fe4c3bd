import { thematicCard } from '../../cards/thematic.card';
import { beginThematicReview } from '../../services/themes/thematic-review';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "Start the thematic review": the month's theme and the first case to sample (also the card's refresh). */
export const beginThematicReviewVerb: VerbHandler = async ({ caller, deps, data }) =>
  thematicCard(await beginThematicReview(deps.services, staffOf(caller), idInput(data, 'assignmentId')));

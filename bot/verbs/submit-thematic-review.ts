import { thematicCard } from '../../cards/thematic.card';
import { submitThematicReview } from '../../services/themes/thematic-review';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "Submit the thematic review": completes the month's assignment, once. */
export const submitThematicReviewVerb: VerbHandler = async ({ caller, deps, data }) =>
  thematicCard(await submitThematicReview(deps.services, staffOf(caller), idInput(data, 'assignmentId')));

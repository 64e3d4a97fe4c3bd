import { thematicCard } from '../../cards/thematic.card';
import { addThematicSample } from '../../services/themes/thematic-review';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** "Save this case": one sampled case's answers, or the card back with the problems beside them. */
export const addThematicSampleVerb: VerbHandler = async ({ caller, deps, data }) =>
  thematicCard(await addThematicSample(deps.services, deps.config.caseReference, staffOf(caller), idInput(data, 'assignmentId'), textInput(data, 'caseReference').toUpperCase(), data));

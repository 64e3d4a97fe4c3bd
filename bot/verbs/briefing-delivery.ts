import { loadBriefing } from '../../services/briefings/briefing-drafts';
import { deliveryCardOf } from './briefing-replies';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** The delivery card with the figures as they are now (its refresh, and its button). */
export const briefingDeliveryVerb: VerbHandler = async ({ deps, data }) => deliveryCardOf(deps, await loadBriefing(deps.services, idInput(data, 'briefingId')));

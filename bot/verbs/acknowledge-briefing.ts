import { acknowledgeBriefing } from '../../services/briefings/briefing-acknowledgements';
import { briefingContext, briefingCopyCard } from './briefing-replies';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** "I've read this" on a person's own copy: stored once, and the copy shows when it was read. */
export const acknowledgeBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const view = await acknowledgeBriefing(briefingContext(deps), staffOf(caller), idInput(data, 'briefingId'));
  return briefingCopyCard({ briefing: view.briefing, canRecordUsage: view.canRecordUsage, reminder: false, acknowledgedAt: view.recipient.acknowledgedAt, note: view.note });
};

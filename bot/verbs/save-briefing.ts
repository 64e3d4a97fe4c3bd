import { briefingDraftCard } from '../../cards/briefing.card';
import { readDraft, saveDraft } from '../../services/briefings/briefing-drafts';
import { briefingContext, draftCardOf, previewCardOf } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** Saves the draft as typed; problems come back beside the parts with every answer kept. */
export const saveBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const briefingId = idInput(data, 'briefingId');
  const spotlightId = textInput(data, 'spotlightId');
  const values = readDraft((name) => textInput(data, name));
  const result = await saveDraft(briefingContext(deps), staffOf(caller), briefingId, spotlightId === '' ? null : spotlightId, values, textInput(data, 'privacyChecked'));
  if (!result.saved && 'current' in result) return previewCardOf(deps, result.current, result.note);
  if (!result.saved) return briefingDraftCard({ briefingId, spotlightId, values, problems: result.problems, flagged: result.flagged.join(','), note: result.note });
  return draftCardOf(result.briefing, 'Saved as a draft. Preview it when it is ready to go for approval.');
};

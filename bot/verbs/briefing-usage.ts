import { briefingUsageCard } from '../../cards/briefing-team.card';
import { readActionRows } from '../../services/actions/action-rows';
import { recordUsage, usageForm, type UsageInput } from '../../services/briefings/briefing-usage';
import { briefingContext } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** A team manager records how their team used a briefing (its action plan); the first press shows the form. */
export const briefingUsageVerb: VerbHandler = async ({ caller, deps, data }) => {
  const manager = staffOf(caller);
  const briefingId = idInput(data, 'briefingId');
  const input: UsageInput = { setting: textInput(data, 'setting'), discussedOn: textInput(data, 'discussedOn'), notes: textInput(data, 'notes'), rows: readActionRows((name) => textInput(data, name)) };
  if (textInput(data, 'step') !== 'save') return briefingUsageCard(await usageForm(deps.services, manager, briefingId, { ...input, setting: input.setting || 'team_meeting' }));
  return briefingUsageCard(await recordUsage(briefingContext(deps), manager, briefingId, input));
};

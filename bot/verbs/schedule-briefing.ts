import { loadBriefing } from '../../services/briefings/briefing-drafts';
import { checkSchedule } from '../../services/briefings/briefing-schedule';
import { sendOrSchedule } from '../../services/briefings/briefing-send';
import { momentLabel } from '../../cards/briefing.card';
import { audienceCardOf, audienceInput, briefingContext, deliveryCardOf } from './briefing-replies';
import { idInput, staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** Sends an approved briefing now, or schedules it for a London time; problems come back beside the fields with the choices kept. */
export const scheduleBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const briefing = await loadBriefing(deps.services, idInput(data, 'briefingId'));
  const values = audienceInput(data);
  if (briefing.status !== 'approved') {
    const note = briefing.status === 'scheduled' || briefing.status === 'sent' ? 'This briefing is already on its way: nothing was changed.' : 'Only an approved briefing can go out.';
    return briefing.status === 'sent' ? deliveryCardOf(deps, briefing, note) : audienceCardOf(deps, briefing, values, note);
  }
  const check = await checkSchedule(deps.services, values);
  if (!check.ok) return audienceCardOf(deps, briefing, values, 'Not sent yet: see the notes beside the answers.', check.problems);
  const outcome = await sendOrSchedule(briefingContext(deps), qaManager, briefing.id, check);
  if (outcome.briefing.status === 'scheduled') {
    return audienceCardOf(deps, outcome.briefing, values, `Scheduled for ${momentLabel(outcome.briefing.sendAt!)} (London time), to ${check.people} people and ${check.channels} channel${check.channels === 1 ? '' : 's'}.`);
  }
  return deliveryCardOf(deps, outcome.briefing, outcome.note);
};

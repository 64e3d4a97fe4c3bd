import { actionCard } from '../../cards/action.card';
import { closeAction } from '../../services/actions/action-service';
import { idInput, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The owner closes an action with a note of what was done; a second press changes nothing. */
export const closeActionVerb: VerbHandler = async ({ caller, deps, data }) => {
  const note = textInput(data, 'note');
  const result = await closeAction(deps.services, caller.staff, caller.roles, idInput(data, 'actionId'), note);
  if (result.problem !== undefined) return actionCard({ view: result.view, moment: 'updated', problem: result.problem, noteValue: note });
  return actionCard({ view: result.view, moment: 'updated', note: result.note });
};

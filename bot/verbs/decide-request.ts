import { rotaRequestCard } from '../../cards/cycle-notices.card';
import { decideRequest } from '../../services/assignment-actions';
import { isQaError, QaError } from '../../services/errors';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

export const decideRequestVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const decision = textInput(data, 'decision');
  if (decision !== 'approve' && decision !== 'decline') throw new QaError('INVALID_INPUT', 'decision must be approve or decline');
  const requestId = idInput(data, 'requestId');
  try {
    const { request, person, changed } = await decideRequest(deps.services, deps.compose, qaManager, requestId, decision);
    return rotaRequestCard({
      request,
      person,
      forQaManager: true,
      note: changed ? `${person.name} has been told.` : 'This request was already decided; nothing changed.',
    });
  } catch (error) {
    // Agreeing could not be applied (the activity is done, say): show the request again, still waiting, with why.
    if (!isQaError(error) || (error.code !== 'CONFLICT' && error.code !== 'INVALID_INPUT')) throw error;
    const request = await deps.repos.rota.findRequest(requestId);
    const person = request === undefined ? undefined : await deps.repos.staff.findById(request.staffId);
    if (request === undefined || person === undefined) throw error;
    return rotaRequestCard({ request, person, forQaManager: true, note: `Not agreed: ${error.userMessage}` });
  }
};

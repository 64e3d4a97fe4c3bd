import { rotaRequestCard } from '../../cards/cycle-notices.card';
import { decideRequest } from '../../services/assignment-actions';
import { QaError } from '../../services/errors';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

export const decideRequestVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const decision = textInput(data, 'decision');
  if (decision !== 'approve' && decision !== 'decline') throw new QaError('INVALID_INPUT', 'decision must be approve or decline');
  const { request, person, changed } = await decideRequest(deps.services, deps.compose, qaManager, idInput(data, 'requestId'), decision);
  return rotaRequestCard({
    request,
    person,
    forQaManager: true,
    note: changed ? `${person.name} has been told.` : 'This request was already decided; nothing changed.',
  });
};

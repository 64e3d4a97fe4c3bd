import { feedbackCard, feedbackRecordedCard } from '../../cards/feedback.card';
import { recordFeedback } from '../../services/feedback/record-feedback';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The feedback card sent: stored once per card, or the same card back with each problem beside its field. */
export const recordFeedbackVerb: VerbHandler = async ({ caller, deps, data }) => {
  const fields = {
    startKey: textInput(data, 'startKey'),
    reviewId: textInput(data, 'reviewId'),
    observationId: textInput(data, 'observationId'),
    caseReference: textInput(data, 'caseReference').toUpperCase(),
    practitionerId: textInput(data, 'practitionerId'),
    practitionerEmail: textInput(data, 'practitionerEmail').toLowerCase(),
    officerId: textInput(data, 'officerId'),
    officerEmail: textInput(data, 'officerEmail').toLowerCase(),
    receivedOn: textInput(data, 'receivedOn'),
  };
  const result = await recordFeedback(deps.services, deps.compose, deps.config.caseReference, staffOf(caller), caller.roles, fields, data);
  if (!result.ok) return feedbackCard(result.state);
  return feedbackRecordedCard({ snapshot: result.snapshot, created: result.created, told: result.told });
};

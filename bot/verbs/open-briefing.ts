import { ownCopy } from '../../services/briefings/briefing-acknowledgements';
import { loadBriefing } from '../../services/briefings/briefing-drafts';
import { QaError } from '../../services/errors';
import { approvalCardOf, audienceCardOf, briefingCopyCard, deliveryCardOf, draftCardOf, emptyAudience, previewCardOf } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/**
 * A briefing as it is now, for whoever asks (buttons and card refresh): the QA service sees
 * the step it is at, an approver the approval card, a recipient their own copy. Anyone
 * else is refused.
 */
export const openBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const person = staffOf(caller);
  const briefing = await loadBriefing(deps.services, idInput(data, 'briefingId'));
  const view = textInput(data, 'view');
  const isApprover = caller.roles.includes('approver') && briefing.authorId !== person.id;
  if (view === 'copy') {
    const { recipient } = await ownCopy(deps.services, person, briefing.id);
    return briefingCopyCard({ briefing, canRecordUsage: person.roles.includes('manager'), reminder: false, acknowledgedAt: recipient.acknowledgedAt });
  }
  if ((view === 'approval' || !caller.roles.includes('qa_manager')) && isApprover && briefing.status === 'awaiting_approval') return approvalCardOf(deps, briefing);
  if (caller.roles.includes('qa_manager')) {
    switch (briefing.status) {
      case 'draft':
        return view === 'edit' ? draftCardOf(briefing) : previewCardOf(deps, briefing);
      case 'awaiting_approval':
        return isApprover && view === 'approval' ? approvalCardOf(deps, briefing) : previewCardOf(deps, briefing);
      case 'approved':
      case 'scheduled':
        return audienceCardOf(deps, briefing, emptyAudience(deps));
      case 'sent':
      case 'recalled':
        return deliveryCardOf(deps, briefing);
    }
  }
  if (view === 'approval' && caller.roles.includes('approver')) return approvalCardOf(deps, briefing);
  const recipient = await deps.repos.briefings.findRecipient(briefing.id, person.id);
  if (recipient === undefined) throw new QaError('FORBIDDEN', 'not for this person', { userMessage: 'This briefing was not sent to you.' });
  return briefingCopyCard({ briefing, canRecordUsage: person.roles.includes('manager'), reminder: false, acknowledgedAt: recipient.acknowledgedAt });
};

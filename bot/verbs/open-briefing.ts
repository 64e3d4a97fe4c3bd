import { ownCopy } from '../../services/briefings/briefing-acknowledgements';
import { loadBriefing } from '../../services/briefings/briefing-drafts';
import { QaError } from '../../services/errors';
import { approvalCardOf, audienceCardOf, audienceOf, briefingCopyCard, deliveryCardOf, draftCardOf, emptyAudience, previewCardOf } from './briefing-replies';
import { idInput, staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/**
 * A briefing as it is now, for whoever asks (buttons and card refresh): the QA service sees
 * the step it is at, an approver other than the author the approval card while it awaits
 * approval (and the approver it was sent to, once decided, without the buttons), a
 * recipient their own copy. Anyone else is refused.
 */
export const openBriefingVerb: VerbHandler = async ({ caller, deps, data }) => {
  const person = staffOf(caller);
  const briefing = await loadBriefing(deps.services, idInput(data, 'briefingId'));
  const view = textInput(data, 'view');
  const mayDecide = caller.roles.includes('approver') && briefing.authorId !== person.id && briefing.status === 'awaiting_approval';
  if (view === 'copy') {
    const { recipient } = await ownCopy(deps.services, person, briefing.id);
    return briefingCopyCard({ briefing, canRecordUsage: person.roles.includes('manager'), reminder: false, acknowledgedAt: recipient.acknowledgedAt });
  }
  if (mayDecide && (view === 'approval' || !caller.roles.includes('qa_manager'))) return approvalCardOf(deps, briefing);
  // The approver it was sent to keeps seeing where it went after deciding (their card refreshes), without the buttons.
  const wasAskedToApprove = view === 'approval' && caller.roles.includes('approver') && briefing.approverId === person.id && briefing.authorId !== person.id;
  if (wasAskedToApprove && !caller.roles.includes('qa_manager')) return approvalCardOf(deps, briefing);
  if (caller.roles.includes('qa_manager')) {
    switch (briefing.status) {
      case 'draft':
        return view === 'edit' ? draftCardOf(briefing) : previewCardOf(deps, briefing);
      case 'awaiting_approval':
        return previewCardOf(deps, briefing);
      case 'approved':
      case 'scheduled':
        return audienceCardOf(deps, briefing, briefing.status === 'approved' ? audienceOf(deps, briefing) : emptyAudience(deps));
      case 'sent':
      case 'recalled':
        return deliveryCardOf(deps, briefing);
    }
  }
  const recipient = await deps.repos.briefingCopies.findRecipient(briefing.id, person.id);
  if (recipient === undefined) throw new QaError('FORBIDDEN', 'not for this person', { userMessage: 'This briefing was not sent to you.' });
  return briefingCopyCard({ briefing, canRecordUsage: person.roles.includes('manager'), reminder: false, acknowledgedAt: recipient.acknowledgedAt });
};

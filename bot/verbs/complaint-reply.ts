import { complaintCard } from '../../cards/complaint.card';
import type { AdaptiveCard } from '../../cards/render';
import type { ComplaintInput, ComplaintOutcome } from '../../services/feedback/complaints';
import { textInput } from './inputs';

/** Turns what a complaint step decided into the card that replaces the one pressed. */
export const complaintReply = (outcome: ComplaintOutcome): AdaptiveCard =>
  complaintCard({ snapshot: outcome.snapshot, note: outcome.note, noteTone: outcome.noteTone, input: outcome.input, problems: outcome.problems });

/** What the officer typed on the complaint card. */
export const complaintInput = (data: Record<string, unknown>): ComplaintInput => ({ response: textInput(data, 'response'), extensionReason: textInput(data, 'extensionReason') });

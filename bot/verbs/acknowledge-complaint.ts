import { acknowledgeComplaint } from '../../services/feedback/complaints';
import { complaintInput, complaintReply } from './complaint-reply';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** The officer acknowledges a complaint; a second press changes nothing. */
export const acknowledgeComplaintVerb: VerbHandler = async ({ caller, deps, data }) =>
  complaintReply(await acknowledgeComplaint(deps.services, caller.staff, caller.roles, idInput(data, 'complaintId'), complaintInput(data)));

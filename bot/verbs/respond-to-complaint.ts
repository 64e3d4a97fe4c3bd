import { respondToComplaint } from '../../services/feedback/complaints';
import { complaintInput, complaintReply } from './complaint-reply';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** The officer records the stage-1 response to a complaint, once. */
export const respondToComplaintVerb: VerbHandler = async ({ caller, deps, data }) =>
  complaintReply(await respondToComplaint(deps.services, caller.staff, caller.roles, idInput(data, 'complaintId'), complaintInput(data)));

import { extendComplaint } from '../../services/feedback/complaints';
import { complaintInput, complaintReply } from './complaint-reply';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** The officer extends a complaint's response deadline by 10 working days, once, with a reason. */
export const extendComplaintVerb: VerbHandler = async ({ caller, deps, data }) =>
  complaintReply(await extendComplaint(deps.services, caller.staff, caller.roles, idInput(data, 'complaintId'), complaintInput(data)));

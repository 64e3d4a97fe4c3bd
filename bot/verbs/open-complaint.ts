import { openComplaint } from '../../services/feedback/complaints';
import { complaintReply } from './complaint-reply';
import { idInput } from './inputs';
import type { VerbHandler } from './verb';

/** A complaint as it is now, for its officer or the QA manager. Also the card refresh verb. */
export const openComplaintVerb: VerbHandler = async ({ caller, deps, data }) =>
  complaintReply(await openComplaint(deps.services, caller.staff, caller.roles, idInput(data, 'complaintId')));

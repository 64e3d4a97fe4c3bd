import { decisionCardOf } from './briefing-replies';
import { staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** An approver sends the draft back to its author with a reason (problems beside the field, the reason kept). */
export const sendBackBriefingVerb: VerbHandler = async ({ caller, deps, data }) => decisionCardOf(deps, staffOf(caller), data, 'send-back');

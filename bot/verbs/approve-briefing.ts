import { decisionCardOf } from './briefing-replies';
import { staffOf } from './inputs';
import type { VerbHandler } from './verb';

/** An approver (never the author) approves the briefing, so it can go out. */
export const approveBriefingVerb: VerbHandler = async ({ caller, deps, data }) => decisionCardOf(deps, staffOf(caller), data, 'approve');

import { whenLabel } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { EXTENSION_WORKING_DAYS } from './feedback';
import { loadComplaint, requireComplaintStanding, type ComplaintSnapshot, type ComplaintStanding } from './feedback-snapshot';

/** What the officer typed on the complaint card: kept when the card comes back with a problem. */
export interface ComplaintInput {
  response: string;
  extensionReason: string;
}

export type ComplaintProblems = Partial<Record<keyof ComplaintInput, string>>;

/** The complaint as it now is, for the person who pressed, with what happened and anything to put right. */
export interface ComplaintOutcome {
  snapshot: ComplaintSnapshot;
  standing: Exclude<ComplaintStanding, 'none'>;
  note: string;
  noteTone: 'good' | 'problem' | 'plain';
  input: ComplaintInput;
  problems: ComplaintProblems;
}

const MAX_TEXT = 4000;
const MAX_REASON = 1000;
const empty: ComplaintInput = { response: '', extensionReason: '' };

/** Why nothing more can be done, once the complaint has been answered. */
const answered = (snapshot: ComplaintSnapshot): string | undefined =>
  snapshot.complaint.status === 'responded' ? `This complaint was answered on ${whenLabel(snapshot.complaint.respondedAt)}. Nothing was changed.` : undefined;

/** The complaint card for its officer (or the QA manager); anyone else is refused, and told nothing about it. */
export async function openComplaint(context: Pick<ServiceContext, 'repos'>, person: StaffMember | undefined, roles: readonly Role[], complaintId: string): Promise<ComplaintOutcome> {
  const snapshot = await loadComplaint(context, complaintId);
  const standing = requireComplaintStanding(snapshot, person, roles);
  return { snapshot, standing, note: '', noteTone: 'plain', input: empty, problems: {} };
}

async function act(
  context: ServiceContext,
  person: StaffMember | undefined,
  roles: readonly Role[],
  complaintId: string,
  input: ComplaintInput,
  step: (snapshot: ComplaintSnapshot, actor: StaffMember, standing: 'officer' | 'qa') => Promise<{ note: string; noteTone?: ComplaintOutcome['noteTone']; problems?: ComplaintProblems; stored?: keyof ComplaintInput }>,
): Promise<ComplaintOutcome> {
  const snapshot = await loadComplaint(context, complaintId);
  const standing = requireComplaintStanding(snapshot, person, roles);
  if (person === undefined) throw new QaError('FORBIDDEN', 'caller not on file');
  const done = answered(snapshot);
  if (done !== undefined) return { snapshot, standing, note: done, noteTone: 'plain', input, problems: {} };
  const { note, noteTone, problems = {}, stored } = await step(snapshot, person, standing);
  const fresh = await loadComplaint(context, complaintId);
  const failed = Object.keys(problems).length > 0;
  // Kept on the card: everything typed, but what has just been stored.
  return { snapshot: fresh, standing, note, noteTone: noteTone ?? (failed ? 'problem' : 'good'), input: stored === undefined ? input : { ...input, [stored]: '' }, problems };
}

const actorRole = (standing: 'officer' | 'qa'): string => (standing === 'officer' ? 'officer' : 'qa_manager');

/** The officer acknowledges the complaint (stage 1: within 3 working days of receipt). Once. */
export async function acknowledgeComplaint(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], complaintId: string, input: ComplaintInput): Promise<ComplaintOutcome> {
  return act(context, person, roles, complaintId, input, async (snapshot, actor, standing) => {
    const { complaint } = snapshot;
    if (complaint.status !== 'open') return { note: `This complaint was acknowledged on ${whenLabel(complaint.acknowledgedAt)}. Nothing was changed.`, noteTone: 'plain' };
    const now = context.clock.now();
    const onTime = context.calendar.londonDateOf(now) <= complaint.acknowledgeBy;
    const changed = await context.transaction(async (repos) => {
      const done = await repos.complaints.acknowledge(complaint.id, now);
      if (done) await repos.audit.append({ actor: actor.email, actorRole: actorRole(standing), action: 'complaint.acknowledged', recordKind: 'complaint', recordId: complaint.id, source: 'card', detail: { onTime } }, now);
      return done;
    });
    return changed ? { note: 'Acknowledged. Next, record the response to the complaint by its deadline.' } : { note: 'This complaint was acknowledged already. Nothing was changed.', noteTone: 'plain' };
  });
}

/** The officer records the stage-1 response. Once; a response given first also acknowledges it. */
export async function respondToComplaint(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], complaintId: string, input: ComplaintInput): Promise<ComplaintOutcome> {
  return act(context, person, roles, complaintId, input, async (snapshot, actor, standing) => {
    const response = input.response.trim();
    if (response.length < 3) return { note: 'Not recorded yet: see the note beside the response.', problems: { response: 'Write the response given to the family (or a summary of it).' } };
    if (response.length > MAX_TEXT) return { note: 'Not recorded yet: see the note beside the response.', problems: { response: `Keep this to ${MAX_TEXT} characters (it has ${response.length}).` } };
    const { complaint } = snapshot;
    const now = context.clock.now();
    const onTime = context.calendar.londonDateOf(now) <= complaint.respondBy;
    const changed = await context.transaction(async (repos) => {
      const done = await repos.complaints.respond(complaint.id, response, now);
      if (done) await repos.audit.append({ actor: actor.email, actorRole: actorRole(standing), action: 'complaint.responded', recordKind: 'complaint', recordId: complaint.id, source: 'card', detail: { onTime, extended: complaint.extendedAt !== null } }, now);
      return done;
    });
    return changed ? { note: 'Response recorded: stage 1 of this complaint is complete. Thank you.', stored: 'response' } : { note: 'This complaint was answered already. Nothing was changed.', noteTone: 'plain' };
  });
}

/**
 * Extends the response deadline once, by 10 working days, with a reason (a complex
 * complaint). A second extension is refused and changes nothing.
 */
export async function extendComplaint(context: ServiceContext, person: StaffMember | undefined, roles: readonly Role[], complaintId: string, input: ComplaintInput): Promise<ComplaintOutcome> {
  return act(context, person, roles, complaintId, input, async (snapshot, actor, standing) => {
    const { complaint } = snapshot;
    if (complaint.extendedAt !== null) {
      return {
        note: `Not extended: the response deadline was already extended once, on ${whenLabel(complaint.extendedAt)}. Stage 1 allows one extension.`,
        problems: { extensionReason: 'The deadline can be extended only once.' },
      };
    }
    const reason = input.extensionReason.trim();
    if (reason.length < 3) return { note: 'Not extended yet: see the note beside the reason.', problems: { extensionReason: 'Give the reason for the extension: the record and the family\'s response keep it.' } };
    if (reason.length > MAX_REASON) return { note: 'Not extended yet: see the note beside the reason.', problems: { extensionReason: `Keep this to ${MAX_REASON} characters (it has ${reason.length}).` } };
    const respondBy = context.calendar.addWorkingDays(complaint.respondBy, EXTENSION_WORKING_DAYS);
    const now = context.clock.now();
    const changed = await context.transaction(async (repos) => {
      const done = await repos.complaints.extend(complaint.id, respondBy, reason, now);
      if (done) await repos.audit.append({ actor: actor.email, actorRole: actorRole(standing), action: 'complaint.extended', recordKind: 'complaint', recordId: complaint.id, source: 'card', detail: { from: complaint.respondBy, to: respondBy } }, now);
      return done;
    });
    return changed
      ? { note: 'Extended by 10 working days. Tell the family the new date and why.', stored: 'extensionReason' }
      : { note: 'Not extended: the deadline was extended already. Stage 1 allows one extension.', problems: { extensionReason: 'The deadline can be extended only once.' } };
  });
}

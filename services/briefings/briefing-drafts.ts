import type { JobContext } from '../cycle-jobs';
import { QaError } from '../errors';
import { acknowledgedTokens, privacyConcern, privacyMessages, privacyToken } from '../privacy';
import type { StaffMember } from '../staff';
import { briefingPartKeys, briefingPartLabels, type Briefing, type BriefingParts } from './briefing';
import { briefingKeys, briefingKinds } from './briefing-messages';

export const TITLE_MAX = 120;
/** Seven minutes in all: each part is short. */
export const PART_MAX = 700;
const MIN = 3;

/** Problems by field: `title`, a part's key, `approverId`, `reason`. */
export type BriefingProblems = Record<string, string>;

export interface DraftValues {
  title: string;
  parts: BriefingParts;
}

export const emptyParts = (): BriefingParts => Object.fromEntries(briefingPartKeys.map((key) => [key, ''])) as BriefingParts;

/** What a draft card sent: the title and the seven parts as typed. */
export function readDraft(text: (name: string) => string): DraftValues {
  const parts = emptyParts();
  for (const key of briefingPartKeys) parts[key] = text(key);
  return { title: text('title'), parts };
}

/**
 * Checks a draft: a title and every part, each within its length, and none that looks
 * like it names a child or gives a date of birth (unless sent again unchanged: `checked`
 * holds the tokens of text already flagged once). `flagged` are the tokens to carry back.
 */
export function checkDraft(values: DraftValues, checked: string): { problems: BriefingProblems; flagged: string[] } {
  const problems: BriefingProblems = {};
  const acknowledged = acknowledgedTokens(checked);
  const flagged: string[] = [];
  const fields: [string, string, number, string][] = [
    ['title', values.title, TITLE_MAX, 'Give the briefing a short title.'],
    ...briefingPartKeys.map((key): [string, string, number, string] => [key, values.parts[key], PART_MAX, `Write the "${briefingPartLabels[key]}" part.`]),
  ];
  for (const [field, text, max, missing] of fields) {
    if (text.length < MIN) problems[field] = missing;
    else if (text.length > max) problems[field] = `Keep this to ${max} characters: it is ${text.length}.`;
    else {
      const concern = privacyConcern(text);
      const token = privacyToken(field.toLowerCase(), text);
      if (concern !== undefined && !acknowledged.has(token)) {
        problems[field] = privacyMessages[concern];
        flagged.push(token);
      }
    }
  }
  return { problems, flagged };
}

/** The briefing if it exists, for its author or the QA service; anyone else is refused. */
export async function loadBriefing(context: Pick<JobContext, 'repos'>, briefingId: string): Promise<Briefing> {
  const briefing = await context.repos.briefings.findById(briefingId);
  if (briefing === undefined) throw new QaError('NOT_FOUND', 'briefing not found', { userMessage: 'That briefing no longer exists, or the card is not one QA Loop made.' });
  return briefing;
}

export type SaveDraftResult =
  | { saved: true; briefing: Briefing }
  | { saved: false; problems: BriefingProblems; flagged: string[]; note: string }
  /** Nothing stored: it went for approval first. The current card answers. */
  | { saved: false; current: Briefing; note: string };

const PAST_DRAFT = 'This briefing was already sent for approval, so its words can no longer change here: nothing was saved.';

/** Only a draft's author may change it or send it for approval: another QA manager (who may hold the approver role) is refused. */
async function refuseUnlessAuthor(context: Pick<JobContext, 'repos'>, person: StaffMember, briefing: Pick<Briefing, 'authorId'>): Promise<void> {
  if (briefing.authorId === person.id) return;
  const author = await context.repos.staff.findById(briefing.authorId);
  throw new QaError('FORBIDDEN', 'not the author', { userMessage: `Only ${author?.name ?? 'its author'} can change or send this draft for approval. Nothing was changed.` });
}

/**
 * Saves a draft under the id its card carries (made when the card was first shown), so
 * the first save of a card creates it and every later one, double presses too, updates it.
 * Only its author may. Once it has gone for approval its words are fixed: a save that loses
 * that race stores nothing and answers with the briefing as it now is.
 */
export async function saveDraft(context: JobContext, author: StaffMember, briefingId: string, spotlightId: string | null, values: DraftValues, checked: string): Promise<SaveDraftResult> {
  const existing = await context.repos.briefings.findById(briefingId);
  if (existing !== undefined) await refuseUnlessAuthor(context, author, existing);
  if (existing !== undefined && existing.status !== 'draft') return { saved: false, current: existing, note: PAST_DRAFT };
  const { problems, flagged } = checkDraft(values, checked);
  if (Object.keys(problems).length > 0) return { saved: false, problems, flagged, note: 'Not saved yet: see the notes beside the parts.' };
  const now = context.clock.now();
  const stored = await context.transaction(async (repos) => {
    const created = existing === undefined && (await repos.briefings.createDraft({ id: briefingId, title: values.title, parts: values.parts, spotlightId, authorId: author.id }, now));
    if (!created && !(await repos.briefings.updateDraft(briefingId, values.title, values.parts, now))) return false;
    await repos.audit.append({ actor: author.email, actorRole: 'qa_manager', action: created ? 'briefing.drafted' : 'briefing.edited', recordKind: 'briefing', recordId: briefingId, source: 'card', detail: { spotlightId } }, now);
    return true;
  });
  const current = (await context.repos.briefings.findById(briefingId))!;
  return stored ? { saved: true, briefing: current } : { saved: false, current, note: PAST_DRAFT };
}

/** People who may approve a briefing by this author: the approver role, and not the author. */
export async function approversFor(context: Pick<JobContext, 'repos'>, authorId: string): Promise<StaffMember[]> {
  return (await context.repos.staff.listAll()).filter((person) => person.active && person.roles.includes('approver') && person.id !== authorId);
}

export type SubmitResult = { submitted: boolean; briefing: Briefing; approver: StaffMember; note: string } | { problems: BriefingProblems; briefing: Briefing; note: string };

/** The author sends the draft to a named approver, who is sent the approval card. */
export async function submitForApproval(context: JobContext, author: StaffMember, briefingId: string, approverId: string): Promise<SubmitResult> {
  const briefing = await loadBriefing(context, briefingId);
  await refuseUnlessAuthor(context, author, briefing);
  if (briefing.status !== 'draft') {
    const approver = briefing.approverId === null ? undefined : await context.repos.staff.findById(briefing.approverId);
    if (approver !== undefined) return { submitted: false, briefing, approver, note: 'This briefing was already sent for approval: nothing was changed.' };
    return { problems: {}, briefing, note: 'This briefing is past approval: nothing was changed.' };
  }
  const approver = (await approversFor(context, briefing.authorId)).find((person) => person.id === approverId);
  if (approver === undefined) {
    const problem = approverId === briefing.authorId || approverId === author.id ? 'You cannot approve your own briefing: choose someone else with the approver role.' : 'Choose who will approve it: someone with the approver role.';
    return { problems: { approverId: problem }, briefing, note: 'Not sent for approval yet.' };
  }
  const now = context.clock.now();
  const submitted = await context.transaction(async (repos) => {
    if (!(await repos.briefings.submit(briefing.id, approver.id, now))) return false;
    const fresh = (await repos.briefings.findById(briefing.id))!;
    await repos.outbox.enqueue(
      { dedupeKey: briefingKeys.approval(briefing.id, now), kind: briefingKinds.approval, conversationId: null, staffId: approver.id, payload: context.compose({ type: 'briefing', message: { view: 'approval', briefing: fresh, author } }) },
      now,
    );
    await repos.audit.append({ actor: author.email, actorRole: 'qa_manager', action: 'briefing.submitted', recordKind: 'briefing', recordId: briefing.id, source: 'card', detail: { approverId: approver.id } }, now);
    return true;
  });
  const fresh = (await context.repos.briefings.findById(briefing.id))!;
  return { submitted, briefing: fresh, approver, note: submitted ? `Sent to ${approver.name} for approval. You will hear here when they decide.` : 'This briefing was already sent for approval: nothing was changed.' };
}

export type DecisionResult = { briefing: Briefing; changed: boolean; note: string } | { briefing: Briefing; problems: BriefingProblems; flagged: string[]; note: string };

/**
 * An approver decides: approve, or send back to draft with a reason. Any holder of the
 * approver role may, except the briefing's author: a second person must approve it.
 */
export async function decideBriefing(context: JobContext, approver: StaffMember, briefingId: string, outcome: 'approve' | 'send-back', reason: string, checked = ''): Promise<DecisionResult> {
  const briefing = await loadBriefing(context, briefingId);
  if (briefing.authorId === approver.id) {
    throw new QaError('FORBIDDEN', 'author may not approve own briefing', {
      userMessage: 'You wrote this briefing, so you cannot approve it: a second person with the approver role must. Nothing was changed.',
    });
  }
  if (briefing.status !== 'awaiting_approval') {
    return { briefing, changed: false, note: briefing.status === 'draft' ? 'This briefing is back with its author as a draft: nothing to decide now.' : 'This briefing has already been approved: nothing was changed.' };
  }
  const trimmed = reason.trim();
  const notYet = outcome === 'approve' ? 'Not approved yet.' : 'Not sent back yet.';
  if (outcome === 'send-back' && trimmed.length < MIN) return { briefing, problems: { reason: 'Say what needs to change, so the author knows.' }, flagged: [], note: notYet };
  if (trimmed.length > 1000) return { briefing, problems: { reason: 'Keep this to 1000 characters.' }, flagged: [], note: notYet };
  // The reason goes to the author: checked like the draft's parts (send it again unchanged to keep it).
  const concern = trimmed === '' ? undefined : privacyConcern(trimmed);
  const token = privacyToken('reason', trimmed);
  if (concern !== undefined && !acknowledgedTokens(checked).has(token)) return { briefing, problems: { reason: privacyMessages[concern] }, flagged: [token], note: `${notYet} See the note beside the reason.` };
  const now = context.clock.now();
  const changed = await context.transaction(async (repos) => {
    if (!(await repos.briefings.decide(briefing.id, outcome === 'approve' ? 'approved' : 'draft', approver.id, outcome === 'approve' ? (trimmed === '' ? null : trimmed) : trimmed, now))) return false;
    const fresh = (await repos.briefings.findById(briefing.id))!;
    await repos.outbox.enqueue(
      { dedupeKey: briefingKeys.decided(briefing.id, now), kind: briefingKinds.decided, conversationId: null, staffId: briefing.authorId, payload: context.compose({ type: 'briefing', message: { view: 'decided', briefing: fresh, approver } }) },
      now,
    );
    await repos.audit.append({ actor: approver.email, actorRole: 'approver', action: outcome === 'approve' ? 'briefing.approved' : 'briefing.sent-back', recordKind: 'briefing', recordId: briefing.id, source: 'card' }, now);
    return true;
  });
  const fresh = (await context.repos.briefings.findById(briefing.id))!;
  if (!changed) return { briefing: fresh, changed, note: 'This briefing was already decided: nothing was changed.' };
  return { briefing: fresh, changed, note: outcome === 'approve' ? 'Approved. The author has been told and can now send it.' : 'Sent back to the author with your reason.' };
}

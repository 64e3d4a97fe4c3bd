import { actionsFromRows, checkActionRows, type ActionRowInput } from '../actions/action-rows';
import type { JobContext } from '../cycle-jobs';
import { QaError } from '../errors';
import { queueNotice } from '../notices';
import { privacyConcern, privacyMessages } from '../privacy';
import type { StaffMember } from '../staff';
import type { Briefing, BriefingUsage } from './briefing';
import { loadBriefing, type BriefingProblems } from './briefing-drafts';
import { isRealDate } from './briefing-schedule';

/** Where a team used a briefing. */
export const usageSettings = [
  { value: 'team_meeting', title: 'Team meeting' },
  { value: 'supervision', title: 'Group supervision' },
  { value: 'development_session', title: 'Development session' },
  { value: 'other', title: 'Other' },
] as const;

export interface UsageInput {
  setting: string;
  discussedOn: string;
  notes: string;
  rows: ActionRowInput[];
}

export type UsageOutcome =
  | { show: 'form'; briefing: Briefing; owners: StaffMember[]; values: UsageInput; problems: BriefingProblems; note: string; recorded: BriefingUsage[] }
  | { show: 'recorded'; briefing: Briefing; usage: BriefingUsage; actions: number; note: string };

/** Who in the manager's team can own an action: the manager and the active people of their team. */
async function ownersFor(context: Pick<JobContext, 'repos'>, manager: StaffMember): Promise<StaffMember[]> {
  return (await context.repos.staff.listAll()).filter((person) => person.active && person.service === manager.service && person.team === manager.team);
}

/**
 * The briefing, if this manager may record its use: it was sent (not recalled) and the
 * manager had their own copy.
 */
async function briefingForUsage(context: Pick<JobContext, 'repos'>, manager: StaffMember, briefingId: string): Promise<Briefing> {
  const briefing = await loadBriefing(context, briefingId);
  if (briefing.status !== 'sent') {
    throw new QaError('CONFLICT', 'briefing not sent', { userMessage: briefing.status === 'recalled' ? 'This briefing was withdrawn by the QA service.' : 'This briefing has not been sent yet.' });
  }
  if ((await context.repos.briefingCopies.findRecipient(briefing.id, manager.id)) === undefined) throw new QaError('FORBIDDEN', 'no copy for this manager', { userMessage: 'This briefing was not sent to you.' });
  return briefing;
}

export async function usageForm(context: Pick<JobContext, 'repos'>, manager: StaffMember, briefingId: string, values: UsageInput, problems: BriefingProblems = {}, note = ''): Promise<UsageOutcome> {
  const briefing = await briefingForUsage(context, manager, briefingId);
  return { show: 'form', briefing, owners: await ownersFor(context, manager), values, problems, note, recorded: await context.repos.briefingCopies.listUsageForTeam(briefing.id, manager.service, manager.team) };
}

/**
 * A team manager records how their team used a sent briefing: where, when, notes and up
 * to three actions. The actions are tracked like any other (reminders, escalation); a
 * double press stores one use and no second set of actions.
 */
export async function recordUsage(context: JobContext, manager: StaffMember, briefingId: string, input: UsageInput): Promise<UsageOutcome> {
  const briefing = await briefingForUsage(context, manager, briefingId);
  const owners = await ownersFor(context, manager);
  const today = context.calendar.londonDateOf(context.clock.now());
  const problems: BriefingProblems = {};
  if (!usageSettings.some((setting) => setting.value === input.setting)) problems.setting = 'Choose where your team used it.';
  if (!isRealDate(input.discussedOn)) problems.discussedOn = 'Choose the date it was discussed.';
  else if (input.discussedOn > today) problems.discussedOn = 'That date is still to come: record it once it has happened.';
  if (input.notes.length > 2000) problems.notes = 'Keep this to 2000 characters.';
  else if (input.notes !== '' && privacyConcern(input.notes) !== undefined) problems.notes = privacyMessages[privacyConcern(input.notes)!];
  Object.assign(problems, checkActionRows(input.rows, owners, today));
  if (Object.keys(problems).length > 0) return usageForm(context, manager, briefingId, input, problems, 'Not recorded yet: see the notes beside the answers.');
  const now = context.clock.now();
  const stored = await context.transaction(async (repos) => {
    const usage = await repos.briefingCopies.addUsage({ briefingId: briefing.id, team: manager.team, recordedBy: manager.id, setting: input.setting, discussedOn: input.discussedOn, notes: input.notes === '' ? null : input.notes }, now);
    if (usage === undefined) return undefined;
    const actions = [];
    for (const action of actionsFromRows(input.rows, 'briefing', briefing.id, manager.id)) actions.push(await repos.actions.create(action, now));
    await repos.audit.append({ actor: manager.email, actorRole: 'manager', action: 'briefing.usage-recorded', recordKind: 'briefing', recordId: briefing.id, source: 'card', detail: { usageId: usage.id, setting: usage.setting, actions: actions.length } }, now);
    return { usage, actions };
  });
  if (stored === undefined) {
    const existing = (await context.repos.briefingCopies.listUsage(briefing.id)).find((usage) => usage.recordedBy === manager.id && usage.discussedOn === input.discussedOn && usage.setting === input.setting)!;
    return { show: 'recorded', briefing, usage: existing, actions: 0, note: 'This was already recorded: nothing new was stored.' };
  }
  const people = new Map(owners.map((person) => [person.id, person]));
  for (const action of stored.actions) {
    const owner = people.get(action.ownerId);
    if (owner === undefined || owner.id === manager.id) continue;
    await queueNotice(context, context.compose, owner, { type: 'action-assigned', person: owner, action, source: `seven-minute briefing "${briefing.title}"`, by: manager.name }, `action-assigned:${action.id}`);
  }
  return { show: 'recorded', briefing, usage: stored.usage, actions: stored.actions.length, note: `Recorded: thank you.${stored.actions.length > 0 ? ` ${stored.actions.length} action${stored.actions.length === 1 ? '' : 's'} will be tracked to completion.` : ''}` };
}

import type { SavedConversation } from '../conversations';
import type { ServiceContext } from '../context';
import { queueNotice, type NoticeComposer } from '../notices';
import type { FocusDay } from './observation';

export interface FocusDayInput {
  day: string;
  theme: string;
  /** Announce it in every team channel where QA Loop is installed, as well as to the managers. */
  toChannels: boolean;
}

export type FocusDayProblems = Partial<Record<'day' | 'theme', string>>;

export type FocusDayResult = { ok: false; problems: FocusDayProblems } | { ok: true; focusDay: FocusDay; managers: number; channels: number };

const isRealDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T12:00:00Z`).toISOString().slice(0, 10) === value;

export function checkFocusDay(context: Pick<ServiceContext, 'calendar' | 'clock'>, input: FocusDayInput): FocusDayProblems {
  const problems: FocusDayProblems = {};
  if (!isRealDate(input.day)) problems.day = 'Give the date as YYYY-MM-DD.';
  else if (input.day < context.calendar.londonDateOf(context.clock.now())) problems.day = 'That date has passed.';
  else if (!context.calendar.isWorkingDay(input.day)) problems.day = 'That is not a working day (weekend or bank holiday).';
  if (input.theme.length < 3) problems.theme = 'Give the day a theme, e.g. "Hearing the voice of the child".';
  else if (input.theme.length > 200) problems.theme = 'Keep the theme to 200 characters.';
  return problems;
}

/**
 * The QA service schedules a Practice Focused Day (quarterly, as the framework says) and
 * QA Loop announces it to every manager on the rota and, if chosen, in the team channels
 * where it is installed. Observations made that day are tagged with it.
 */
export async function addFocusDay(context: ServiceContext, compose: NoticeComposer, input: FocusDayInput, by: string, source: 'cli' | 'card'): Promise<FocusDayResult> {
  const problems = checkFocusDay(context, input);
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const now = context.clock.now();
  const focusDay = await context.transaction(async (repos) => {
    const added = await repos.focusDays.add(input.day, input.theme, by, now);
    if (added !== undefined) await repos.audit.append({ actor: by, actorRole: 'qa_manager', action: 'focus-day.added', recordKind: 'focus_day', recordId: added.id, source, detail: { day: added.day } }, now);
    return added;
  });
  if (focusDay === undefined) return { ok: false, problems: { day: 'There is already a Practice Focused Day on that date.' } };
  const [members, everyone] = await Promise.all([context.repos.rota.listMembers(), context.repos.staff.listAll()]);
  const people = new Map(everyone.map((person) => [person.id, person]));
  let managers = 0;
  for (const member of members.filter((m) => m.onRota)) {
    const person = people.get(member.staffId);
    if (person?.active !== true) continue;
    if (await queueNotice(context, compose, person, { type: 'focus-day', person, focusDay }, `focus-day:${focusDay.id}:${person.id}`)) managers++;
  }
  let channels = 0;
  if (input.toChannels) {
    for (const channel of onePerTeam(await context.repos.conversations.listInstalled('team'))) {
      const payload = compose({ type: 'focus-day', person: undefined, focusDay });
      if (await context.repos.outbox.enqueue({ dedupeKey: `focus-day:${focusDay.id}:${channel.conversationId}`, kind: 'focus-day', conversationId: channel.conversationId, staffId: null, payload }, now)) channels++;
    }
  }
  return { ok: true, focusDay, managers, channels };
}

/**
 * One channel a team for an announcement: its General channel (whose id is the team's)
 * where it is saved, else the first saved. Every channel of a team is saved so that a
 * spotlight can go to any of them; an announcement should not arrive in each.
 */
export function onePerTeam(channels: readonly SavedConversation[]): SavedConversation[] {
  const chosen = new Map<string, SavedConversation>();
  for (const channel of channels) {
    const team = channel.teamId ?? channel.conversationId;
    const current = chosen.get(team);
    if (current === undefined || (channel.conversationId === team && current.conversationId !== team)) chosen.set(team, channel);
  }
  return [...chosen.values()];
}

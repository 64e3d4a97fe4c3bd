import type { JobContext } from '../cycle-jobs';
import type { BriefingAudience } from './briefing';
import { emailsFromCsv, resolveAudience } from './briefing-audience';
import type { BriefingProblems } from './briefing-drafts';

/** What the audience and schedule card sends, as typed. */
export interface AudienceInput {
  channels: string;
  groups: string;
  services: string;
  teams: string;
  emails: string;
  when: string;
  sendDate: string;
  sendTime: string;
  reminderDays: string;
}

export const AUDIENCE_FIELDS: readonly (keyof AudienceInput)[] = ['channels', 'groups', 'services', 'teams', 'emails', 'when', 'sendDate', 'sendTime', 'reminderDays'];

/** Scheduled sends go out in working hours (the scheduler's), on the five-minute mark. */
export const SEND_FROM = '09:00';
export const SEND_UNTIL = '17:25';
export const MAX_REMINDER_DAYS = 20;

export type ScheduleCheck =
  | { ok: true; audience: BriefingAudience; sendAt: Date | null; reminderWorkingDays: number; people: number; channels: number }
  | { ok: false; problems: BriefingProblems };

/** A real calendar day as YYYY-MM-DD (not 2026-02-30), and a real time as HH:MM. */
export const isRealDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T12:00:00Z`)) && new Date(`${value}T12:00:00Z`).toISOString().slice(0, 10) === value;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const listOf = (value: string): string[] => value.split(',').map((part) => part.trim()).filter((part) => part !== '');

/**
 * Checks an audience and schedule: at least one channel or person, every CSV address on
 * file, and for "later" a London date and time on a working day, in working hours, still to come.
 */
export async function checkSchedule(context: Pick<JobContext, 'repos' | 'calendar' | 'clock'>, input: AudienceInput): Promise<ScheduleCheck> {
  const problems: BriefingProblems = {};
  const groups = listOf(input.groups);
  const { emails, malformed } = emailsFromCsv(input.emails);
  const audience: BriefingAudience = {
    channels: listOf(input.channels),
    rotaManagers: groups.includes('rota'),
    everyone: groups.includes('everyone'),
    services: listOf(input.services),
    teams: listOf(input.teams),
    emails,
  };
  const resolved = await resolveAudience(context, audience);
  if (malformed.length > 0) problems.emails = `These are not email addresses: ${malformed.slice(0, 10).join(', ')}. Correct or remove them.`;
  else if (resolved.unknownEmails.length > 0) {
    problems.emails = `Nobody on file has ${resolved.unknownEmails.length === 1 ? 'this address' : 'these addresses'}: ${resolved.unknownEmails.slice(0, 10).join(', ')}${resolved.unknownEmails.length > 10 ? ', …' : ''}. Remove ${resolved.unknownEmails.length === 1 ? 'it' : 'them'}, or ask the QA service to add the person.`;
  }
  if (resolved.people.length === 0 && resolved.channels.length === 0 && problems.emails === undefined) problems.groups = 'Choose at least one channel or group of people.';
  let reminderWorkingDays = 0;
  if (!/^\d{1,2}$/.test(input.reminderDays) || Number(input.reminderDays) > MAX_REMINDER_DAYS) problems.reminderDays = `Give a number of working days from 0 (no reminder) to ${MAX_REMINDER_DAYS}.`;
  else reminderWorkingDays = Number(input.reminderDays);
  let sendAt: Date | null = null;
  if (input.when === 'later') {
    const now = context.clock.now();
    if (!isRealDate(input.sendDate)) problems.sendDate = 'Choose the day to send it.';
    else if (!context.calendar.isWorkingDay(input.sendDate)) problems.sendDate = 'Choose a working day: briefings go out on working days.';
    if (!TIME.test(input.sendTime)) problems.sendTime = 'Choose the time to send it (London time).';
    else if (input.sendTime < SEND_FROM || input.sendTime > SEND_UNTIL) problems.sendTime = `Choose a time from ${SEND_FROM} to ${SEND_UNTIL}, London time.`;
    if (problems.sendDate === undefined && problems.sendTime === undefined) {
      sendAt = context.calendar.londonTime(input.sendDate, input.sendTime);
      if (sendAt.getTime() <= now.getTime()) problems.sendTime = 'That time has passed: choose a later one, or send it now.';
    }
  } else if (input.when !== 'now') problems.when = 'Choose to send it now or at a time.';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, audience, sendAt, reminderWorkingDays, people: resolved.people.length, channels: resolved.channels.length };
}

import type { JobContext } from '../cycle-jobs';
import { normaliseEmail, type StaffMember } from '../staff';
import type { BriefingAudience } from './briefing';

/** A team is named by its service too: two services may each have a "Team 1". */
export const TEAM_SEPARATOR = '::';
export const teamKey = (service: string, team: string): string => `${service}${TEAM_SEPARATOR}${team}`;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Email addresses from pasted CSV text: any cell holding an @, in order, once each; a header row is ignored. */
export function emailsFromCsv(text: string): { emails: string[]; malformed: string[] } {
  const emails: string[] = [];
  const malformed: string[] = [];
  for (const cell of text.split(/[\n\r,;\t]+/).map((value) => value.trim().replace(/^"|"$/g, ''))) {
    if (!cell.includes('@')) continue;
    if (!EMAIL.test(cell)) malformed.push(cell);
    else if (!emails.includes(normaliseEmail(cell))) emails.push(normaliseEmail(cell));
  }
  return { emails, malformed };
}

/** The choices an audience card offers: channels the bot is in, services and teams on file. */
export interface AudienceChoices {
  channels: { id: string; name: string }[];
  services: string[];
  teams: { key: string; service: string; team: string }[];
}

export async function audienceChoices(context: Pick<JobContext, 'repos'>): Promise<AudienceChoices> {
  const [saved, staff] = await Promise.all([context.repos.conversations.listInstalled('team'), context.repos.staff.listAll()]);
  const active = staff.filter((person) => person.active);
  const teams = new Map<string, { key: string; service: string; team: string }>();
  for (const person of active) teams.set(teamKey(person.service, person.team), { key: teamKey(person.service, person.team), service: person.service, team: person.team });
  return {
    channels: saved.map((conversation) => ({ id: conversation.conversationId, name: channelName(conversation.reference, conversation.conversationId) })),
    services: [...new Set(active.map((person) => person.service))].sort(),
    teams: [...teams.values()].sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** A saved channel's name as Teams gave it on install, or its id. */
function channelName(reference: Record<string, unknown>, fallback: string): string {
  const conversation = reference.conversation as { name?: unknown } | undefined;
  return typeof conversation?.name === 'string' && conversation.name !== '' ? conversation.name : fallback.replace(/@thread\.\w+$/, '');
}

/** Who a briefing goes to, resolved: each person once, each channel once. */
export interface ResolvedAudience {
  people: StaffMember[];
  channels: string[];
  /** Addresses from the CSV list that are not anyone on file: reported back, never guessed. */
  unknownEmails: string[];
}

export async function resolveAudience(context: Pick<JobContext, 'repos'>, audience: BriefingAudience): Promise<ResolvedAudience> {
  const [staff, members, installed, saved] = await Promise.all([
    context.repos.staff.listAll(),
    audience.rotaManagers ? context.repos.rota.listMembers() : Promise.resolve([]),
    audience.everyone ? context.repos.briefingCopies.staffWithPersonalChat() : Promise.resolve([]),
    context.repos.conversations.listInstalled('team'),
  ]);
  const active = staff.filter((person) => person.active);
  const chosen = new Map<string, StaffMember>();
  const add = (person: StaffMember | undefined): void => {
    if (person !== undefined && person.active) chosen.set(person.id, person);
  };
  const byId = new Map(active.map((person) => [person.id, person]));
  const byEmail = new Map(active.map((person) => [normaliseEmail(person.email), person]));
  for (const member of members) if (member.onRota) add(byId.get(member.staffId));
  for (const id of installed) add(byId.get(id));
  const services = new Set(audience.services);
  const teams = new Set(audience.teams);
  for (const person of active) if (services.has(person.service) || teams.has(teamKey(person.service, person.team))) add(person);
  const unknownEmails: string[] = [];
  for (const email of audience.emails) {
    const person = byEmail.get(normaliseEmail(email));
    if (person === undefined) unknownEmails.push(email);
    else add(person);
  }
  const channelIds = new Set(saved.map((conversation) => conversation.conversationId));
  return {
    people: [...chosen.values()].sort((a, b) => a.id.localeCompare(b.id)),
    channels: [...new Set(audience.channels)].filter((id) => channelIds.has(id)),
    unknownEmails,
  };
}

import type { ReportScopeFilter } from '../../db/report.repository';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import type { ReportPeriod } from './period';

/** Whose figures a report gives: the whole trust, one service, or one team of a service. */
export type ReportScope = { kind: 'trust' } | { kind: 'service'; service: string } | { kind: 'team'; service: string; team: string };

/** What a report is of: a period and a scope. */
export interface ReportRequest {
  period: ReportPeriod;
  scope: ReportScope;
}

export const TRUST: ReportScope = { kind: 'trust' };

export function scopeLabel(scope: ReportScope): string {
  if (scope.kind === 'trust') return 'The whole trust';
  if (scope.kind === 'service') return `${scope.service} service`;
  return `${scope.team}, ${scope.service} service`;
}

/** "trust", "service:Safeguarding", "team:Safeguarding/Team 1": the scope in a CSV column. */
export function scopeKey(scope: ReportScope): string {
  if (scope.kind === 'trust') return 'trust';
  if (scope.kind === 'service') return `service:${scope.service}`;
  return `team:${scope.service}/${scope.team}`;
}

export const scopeFilter = (scope: ReportScope): ReportScopeFilter =>
  scope.kind === 'trust' ? {} : scope.kind === 'service' ? { service: scope.service } : { service: scope.service, team: scope.team };

export const sameScope = (a: ReportScope, b: ReportScope): boolean => scopeKey(a) === scopeKey(b);

/**
 * The scope asked for by name (a service, and perhaps a team of it), matched without
 * regard to case against the services and teams on file. An unknown name is refused
 * with the names there are (never with what was typed).
 */
export async function resolveScope(context: Pick<ServiceContext, 'repos'>, requested: { service?: string | undefined; team?: string | undefined }): Promise<ReportScope> {
  const service = requested.service?.trim() ?? '';
  const team = requested.team?.trim() ?? '';
  if (service === '' && team === '') return TRUST;
  if (service === '') throw new QaError('INVALID_INPUT', 'team without service', { userMessage: 'Name the service as well as the team.' });
  const known = await context.repos.reports.listServiceTeams();
  const services = [...new Set(known.map((entry) => entry.service))];
  const matchedService = services.find((name) => name.toLowerCase() === service.toLowerCase());
  if (matchedService === undefined) {
    throw new QaError('NOT_FOUND', 'no such service', { userMessage: `There is no service of that name. Services on file: ${services.join(', ') || 'none'}.` });
  }
  if (team === '') return { kind: 'service', service: matchedService };
  const teams = known.filter((entry) => entry.service === matchedService).map((entry) => entry.team);
  const matchedTeam = teams.find((name) => name.toLowerCase() === team.toLowerCase());
  if (matchedTeam === undefined) {
    throw new QaError('NOT_FOUND', 'no such team', { userMessage: `${matchedService} has no team of that name. Its teams: ${teams.join(', ')}.` });
  }
  return { kind: 'team', service: matchedService, team: matchedTeam };
}

/**
 * Who may see which figures: the QA manager and directors any scope (the trust's and
 * every service's); any other manager their own service and its teams only.
 */
export function seesWholeTrust(person: StaffMember, roles: readonly Role[]): boolean {
  return roles.includes('qa_manager') || person.tier === 'director';
}

export function mayReport(person: StaffMember, roles: readonly Role[], scope: ReportScope): boolean {
  if (seesWholeTrust(person, roles)) return true;
  if (!roles.includes('manager')) return false;
  return scope.kind !== 'trust' && scope.service === person.service;
}

/** What someone gets when they ask for no scope: the trust, or their own service. */
export const defaultScopeFor = (person: StaffMember, roles: readonly Role[]): ReportScope =>
  seesWholeTrust(person, roles) ? TRUST : { kind: 'service', service: person.service };

/** Refuses a scope someone may not see, saying what they may see instead. */
export function requireReportScope(person: StaffMember, roles: readonly Role[], scope: ReportScope): void {
  if (mayReport(person, roles, scope)) return;
  throw new QaError('FORBIDDEN', 'report scope refused', {
    userMessage: roles.includes('manager') ? `You can see the figures of your own service (${person.service}) and its teams. The QA manager has the whole trust's.` : 'Reports are for managers and the QA service.',
  });
}

import { monthOf, previousMonth } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import type { Role } from '../roles';
import type { StaffMember } from '../staff';
import { isPeriodKind, lastActiveMonthBefore, parsePeriod, periodFromKey, quarterOf, type PeriodKind, type ReportPeriod } from './period';
import { defaultScopeFor, requireReportScope, resolveScope, type ReportRequest } from './scope';

/**
 * What someone asks for with the `report` command in Teams:
 *
 *     report                          the last complete active month, for their scope
 *     report 2027-01 | 2027-Q1 | 2027 that month, quarter or year ("monthly 2027-01" also reads)
 *     report quarterly                the last complete quarter (monthly, yearly alike)
 *     ... service NAME [team NAME]    another scope (the QA manager and directors any;
 *                                     other managers their own service and its teams)
 *
 * Without a scope: the whole trust for the QA manager and directors, a manager's own
 * service otherwise. Nothing typed is ever repeated back: a problem says how to write it.
 */
const COMMAND = /^(?:(monthly|quarterly|yearly)\b\s*)?(\d{4}(?:-(?:\d{2}|q[1-4]))?)?\s*(?:\bservice\s+(.+?))?\s*(?:\bteam\s+(.+))?$/i;

const MAX_LENGTH = 450;

const HOW = 'Type "report" for last month, or e.g. "report 2027-01", "report 2027-Q1", "report 2027", adding "service NAME" (and "team NAME") for another scope.';

function lastComplete(kind: PeriodKind, context: Pick<ServiceContext, 'calendar' | 'clock'>): ReportPeriod {
  const month = monthOf(context.clock.now());
  if (kind === 'monthly') return parsePeriod('monthly', lastActiveMonthBefore(context.calendar, month));
  if (kind === 'quarterly') {
    let at = previousMonth(month);
    while (quarterOf(at) === quarterOf(month)) at = previousMonth(at);
    return parsePeriod('quarterly', quarterOf(at));
  }
  return parsePeriod('yearly', String(Number(month.slice(0, 4)) - 1));
}

export async function reportRequestFor(
  context: Pick<ServiceContext, 'repos' | 'calendar' | 'clock'>,
  person: StaffMember,
  roles: readonly Role[],
  args: string,
): Promise<ReportRequest> {
  const line = args.trim().replace(/\s+/g, ' ');
  // Service and team names are at most 200 characters each: anything longer is not a report request (and is not scanned).
  const match = line.length > MAX_LENGTH ? null : COMMAND.exec(line);
  if (match === null) throw new QaError('INVALID_INPUT', 'unreadable report command', { userMessage: `QA Loop could not read that. ${HOW}` });
  const [, kindWord, key, service, team] = match;
  const kind = kindWord === undefined ? undefined : kindWord.toLowerCase();
  let period: ReportPeriod;
  if (key === undefined) period = lastComplete(kind !== undefined && isPeriodKind(kind) ? kind : 'monthly', context);
  else {
    const read = periodFromKey(key);
    if (read === undefined || (kind !== undefined && read.kind !== kind)) throw new QaError('INVALID_INPUT', 'unreadable report period', { userMessage: `QA Loop could not read that period. ${HOW}` });
    period = read;
  }
  const scope = service === undefined ? defaultScopeFor(person, roles) : await resolveScope(context, { service, team });
  requireReportScope(person, roles, scope);
  return { period, scope };
}

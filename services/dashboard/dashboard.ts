import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { feedbackKinds } from '../feedback/feedback';
import { gradeLabels, grades } from '../forms/grades';
import { mayModerate } from '../reviews/moderation';
import type { Role } from '../roles';
import { kindLabels, QA_KINDS } from '../rota';
import type { StaffMember } from '../staff';
import { feedbackKindLabels } from '../reports/labels';
import { monthName, parsePeriod, shortMonthName } from '../reports/period';
import type { QaReport, RecordRef, Tally } from '../reports/report';
import { buildReport } from '../reports/report-builder';
import { mayReport, resolveScope, scopeFilter, scopeKey, scopeLabel, seesWholeTrust, type ReportScope } from '../reports/scope';

/**
 * What the dashboard tab shows one person for one month: their own QA activity and
 * actions always; a manager also their service's figures (and its teams'); the QA
 * manager (and a director) the whole trust's, by service and then by team. Built from
 * the reports' figures (buildReport), so a number here is the same as in the report.
 * Plain data: bot/tab-routes.ts sends it as JSON.
 */
export interface DashboardRequest {
  /** YYYY-MM; the current London month when not given. */
  month?: string | undefined;
  service?: string | undefined;
  team?: string | undefined;
}

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

export interface ScopeFigures {
  activity: { expected: number; completed: number; onTime: number; late: number; overdue: number; notYetDue: number; excused: number; byKind: { kind: string; label: string; expected: number; completed: number; overdue: number }[] };
  moderationQueue: number;
  actions: { open: number; overdue: number };
  grades: { reviews: CountRow[]; reviewsTotal: number; reviewsGoodOrBetter: number; observations: CountRow[]; observationsTotal: number };
  trend: { month: string; label: string; reviews: number; reviewsGoodOrBetter: number; observations: number }[];
  feedback: CountRow[];
  complaintsOverdue: number;
}

export interface BreakdownRow {
  name: string;
  /** Query to drill into it: service, and team for a team. */
  service: string;
  team?: string;
  expected: number;
  completed: number;
  overdue: number;
  openActions: number;
  reviews: number;
  feedback: number;
}

export interface DashboardSummary {
  viewer: { name: string; role: 'qa_manager' | 'manager' | 'staff'; service: string; team: string };
  month: string;
  monthLabel: string;
  /** London day the figures count to. */
  asAt: string;
  personal: {
    activity: { kind: string; label: string; status: string } | undefined;
    /** Open QA activity of earlier months: overdue. */
    overdueActivity: { month: string; label: string }[];
    openActions: number;
    overdueActions: number;
    /** Moderators only: submitted reviews waiting (not their own). */
    moderationWaiting: number | undefined;
  };
  /** Absent for people who see only their own activity. */
  scope: { kind: ReportScope['kind']; key: string; label: string; service?: string; team?: string } | undefined;
  /** The way back up: trust → service → team, as far as this person may go. */
  trail: { label: string; service?: string; team?: string }[];
  figures: ScopeFigures | undefined;
  breakdown: { level: 'service' | 'team'; rows: BreakdownRow[] } | undefined;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const STATUS_LABELS: Record<string, string> = { assigned: 'to do', started: 'started', done: 'done', excused: 'excused' };

function viewerRole(person: StaffMember, roles: readonly Role[]): DashboardSummary['viewer']['role'] {
  if (seesWholeTrust(person, roles)) return 'qa_manager';
  return roles.includes('manager') ? 'manager' : 'staff';
}

const forbidden = (message: string): QaError => new QaError('FORBIDDEN', 'dashboard scope refused', { userMessage: message });

/**
 * The scope a person asked for, checked before any name is looked up: someone who may
 * see only their own service is refused another without learning what services exist.
 */
async function chooseScope(context: Pick<ServiceContext, 'repos'>, person: StaffMember, roles: readonly Role[], request: DashboardRequest): Promise<ReportScope | undefined> {
  const service = request.service?.trim() ?? '';
  const team = request.team?.trim() ?? '';
  const role = viewerRole(person, roles);
  if (role === 'staff') {
    if (service !== '' || team !== '') throw forbidden('You can see your own QA activity and actions here. Figures for services are for managers and the QA service.');
    return undefined;
  }
  if (role === 'manager') {
    if (service === '' && team === '') return { kind: 'service', service: person.service };
    if (service.toLowerCase() !== person.service.toLowerCase()) throw forbidden(`You can see the figures of your own service (${person.service}) and its teams. The QA manager has the whole trust's.`);
  }
  const scope = await resolveScope(context, { service, team });
  if (!mayReport(person, roles, scope)) throw forbidden(`You can see the figures of your own service (${person.service}) and its teams.`);
  return scope;
}

const count = (tally: Tally): number => tally.length;

function groupBy(records: Tally, key: (record: RecordRef) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const record of records) out.set(key(record), (out.get(key(record)) ?? 0) + 1);
  return out;
}

export async function dashboardFor(context: Pick<ServiceContext, 'repos' | 'calendar' | 'clock'>, person: StaffMember, roles: readonly Role[], request: DashboardRequest = {}): Promise<DashboardSummary> {
  const now = context.clock.now();
  const today = context.calendar.londonDateOf(now);
  const month = request.month === undefined || request.month === '' ? today.slice(0, 7) : request.month;
  if (!MONTH.test(month)) throw new QaError('INVALID_INPUT', 'bad dashboard month', { userMessage: 'A month is written YYYY-MM, e.g. 2027-01.' });
  if (month > today.slice(0, 7)) throw new QaError('INVALID_INPUT', 'dashboard month in the future', { userMessage: `${monthName(month)} has not started yet.` });
  const scope = await chooseScope(context, person, roles, request);
  const role = viewerRole(person, roles);

  const [assignment, openAssignments, ownActions, queue] = await Promise.all([
    context.repos.assignments.findFor(person.id, month),
    context.repos.assignments.listOpenFor(person.id),
    context.repos.actions.listOpenFor(person.id),
    mayModerate(roles) || scope !== undefined ? context.repos.reviews.listByStatus('submitted') : Promise.resolve([]),
  ]);
  const thisMonth = today.slice(0, 7);
  const personal: DashboardSummary['personal'] = {
    activity: assignment === undefined ? undefined : { kind: assignment.kind, label: kindLabels[assignment.kind], status: STATUS_LABELS[assignment.status] ?? assignment.status },
    overdueActivity: openAssignments
      .filter((open) => open.month < thisMonth && context.calendar.lastWorkingDay(open.month) < today)
      .map((open) => ({ month: open.month, label: `${kindLabels[open.kind]}, ${monthName(open.month)}` })),
    openActions: ownActions.length,
    overdueActions: ownActions.filter((action) => action.dueDate < today).length,
    moderationWaiting: mayModerate(roles) ? queue.filter((review) => review.reviewerId !== person.id).length : undefined,
  };

  const summary: DashboardSummary = {
    viewer: { name: person.name, role, service: person.service, team: person.team },
    month,
    monthLabel: monthName(month),
    asAt: today,
    personal,
    scope: undefined,
    trail: [],
    figures: undefined,
    breakdown: undefined,
  };
  if (scope === undefined) return summary;

  const report = await buildReport(context, { period: parsePeriod('monthly', month), scope });
  summary.asAt = report.asAtDate;
  const asAtIso = report.asAt.toISOString();
  const actionRows = (await context.repos.reports.actions(asAtIso, asAtIso, scopeFilter(scope))).filter((row) => row.completedAt === null || row.completedAt >= asAtIso);
  const inScope = (record: { service: string; team: string }): boolean => (scope.kind === 'trust' ? true : record.service === scope.service && (scope.kind === 'service' || record.team === scope.team));
  const waiting = queue.filter(inScope);

  summary.scope = { kind: scope.kind, key: scopeKey(scope), label: scopeLabel(scope), ...(scope.kind === 'trust' ? {} : { service: scope.service }), ...(scope.kind === 'team' ? { team: scope.team } : {}) };
  if (role === 'qa_manager') summary.trail.push({ label: 'The whole trust' });
  if (scope.kind !== 'trust') summary.trail.push({ label: `${scope.service} service`, service: scope.service });
  if (scope.kind === 'team') summary.trail.push({ label: scope.team, service: scope.service, team: scope.team });
  summary.figures = figuresOf(report, waiting.length, actionRows);
  if (scope.kind !== 'team') summary.breakdown = breakdownOf(report, scope, actionRows);
  return summary;
}

function figuresOf(report: QaReport, moderationQueue: number, actionRows: { completedAt: string | null; dueDate: string }[]): ScopeFigures {
  const all = report.activity.all;
  const gradeRows = (byGrade: Record<string, Tally>): CountRow[] => grades.map((grade) => ({ key: grade, label: gradeLabels[grade], count: count(byGrade[grade] ?? []) }));
  return {
    activity: {
      expected: count(all.expected),
      completed: count(all.completed),
      onTime: count(all.onTime),
      late: count(all.late),
      overdue: count(all.overdue),
      notYetDue: count(all.notYetDue),
      excused: count(all.excused),
      byKind: QA_KINDS.map((kind) => ({ kind, label: kindLabels[kind], expected: count(report.activity.byKind[kind].expected), completed: count(report.activity.byKind[kind].completed), overdue: count(report.activity.byKind[kind].overdue) })),
    },
    moderationQueue,
    actions: { open: actionRows.length, overdue: count(report.actions.overdue) },
    grades: {
      reviews: gradeRows(report.grades.finalReviews.byGrade),
      reviewsTotal: count(report.grades.finalReviews.all),
      reviewsGoodOrBetter: count(report.grades.finalReviews.goodOrBetter),
      observations: gradeRows(report.grades.observations.byGrade),
      observationsTotal: count(report.grades.observations.all),
    },
    trend: report.trend.map((point) => ({ month: point.month, label: shortMonthName(point.month), reviews: count(point.reviews.all), reviewsGoodOrBetter: count(point.reviews.goodOrBetter), observations: count(point.observations.all) })),
    feedback: feedbackKinds.map((kind) => ({ key: kind, label: feedbackKindLabels[kind], count: count(report.feedback.byKind[kind]) })),
    complaintsOverdue: count(report.complaints.overdue),
  };
}

/** The trust's figures by service, or a service's by team, from the same report's records. */
function breakdownOf(report: QaReport, scope: ReportScope, actionRows: { service: string; team: string }[]): DashboardSummary['breakdown'] {
  const level = scope.kind === 'trust' ? 'service' : 'team';
  const key = (record: { service: string; team: string }): string => (level === 'service' ? record.service : record.team);
  const all = report.activity.all;
  const expected = groupBy(all.expected, key);
  const completed = groupBy(all.completed, key);
  const overdue = groupBy(all.overdue, key);
  const reviews = groupBy(report.grades.finalReviews.all, key);
  const feedback = groupBy(report.feedback.all, key);
  const actions = new Map<string, number>();
  for (const row of actionRows) actions.set(key(row), (actions.get(key(row)) ?? 0) + 1);
  const names = [...new Set([...expected.keys(), ...reviews.keys(), ...feedback.keys(), ...actions.keys()])].sort((a, b) => a.localeCompare(b));
  const service = scope.kind === 'trust' ? undefined : scope.service;
  return {
    level,
    rows: names.map((name) => ({
      name,
      service: service ?? name,
      ...(service === undefined ? {} : { team: name }),
      expected: expected.get(name) ?? 0,
      completed: completed.get(name) ?? 0,
      overdue: overdue.get(name) ?? 0,
      openActions: actions.get(name) ?? 0,
      reviews: reviews.get(name) ?? 0,
      feedback: feedback.get(name) ?? 0,
    })),
  };
}

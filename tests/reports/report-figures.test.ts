import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories, type Repositories } from '../../db/repositories';
import { createCalendar, loadBankHolidays } from '../../services/calendar';
import { parseCsv } from '../../services/csv';
import { figure, reportFigures, shareText, type Figure } from '../../services/reports/figures';
import { parsePeriod, periodFromKey, type PeriodKind } from '../../services/reports/period';
import { buildReport } from '../../services/reports/report-builder';
import { FIGURE_COLUMNS, figuresCsv, RECORD_COLUMNS, recordsCsv } from '../../services/reports/report-csv';
import { reportHtml } from '../../services/reports/report-html';
import { reportMarkdown } from '../../services/reports/report-markdown';
import type { QaReport } from '../../services/reports/report';
import { TRUST, type ReportScope } from '../../services/reports/scope';
import { summarise } from '../../services/reports/report-summary';
import { reportCard } from '../../cards/report.card';
import { expectValidCard } from '../support/card-check';
import { cardText } from '../support/teams-client';
import { buildWorld, type World } from './report-world';

/**
 * Every figure of the monthly, quarterly and yearly reports, checked against a year of
 * records whose answers are known (tests/reports/report-world.ts sets them out).
 */
const calendar = createCalendar({ bankHolidays: loadBankHolidays() });
let handle: DatabaseHandle;
let repos: Repositories;
let world: World;
let now = new Date('2028-01-15T10:00:00Z');
const context = () => ({ repos, calendar, clock: { now: () => now } });

beforeAll(async () => {
  handle = openDatabase({ kind: 'sqlite', path: ':memory:' });
  await migrateToLatest(handle.db, handle.dialect);
  repos = createRepositories(handle.db, handle.dialect);
  world = await buildWorld(repos, calendar);
});
afterAll(async () => {
  await handle.close();
});

const NORTH: ReportScope = { kind: 'service', service: 'North' };
const SOUTH: ReportScope = { kind: 'service', service: 'South' };
const NORTH_B: ReportScope = { kind: 'team', service: 'North', team: 'North B' };

async function report(kind: PeriodKind, key: string, scope: ReportScope = TRUST): Promise<{ report: QaReport; figures: Figure[]; count: (id: string) => number; ids: (id: string) => string[] }> {
  const built = await buildReport(context(), { period: parsePeriod(kind, key), scope });
  const figures = reportFigures(built);
  return { report: built, figures, count: (id) => figure(figures, id).count, ids: (id) => figure(figures, id).records.map((record) => record.id).sort() };
}

/** The counts of several figures at once, for one readable expectation. */
const counts = (count: (id: string) => number, prefix: string, names: readonly string[]): Record<string, number> => Object.fromEntries(names.map((name) => [name, count(`${prefix}${name}`)]));
const ACTIVITY = ['assigned', 'excused', 'expected', 'completed', 'on_time', 'late', 'overdue', 'not_yet_due'] as const;
const GRADES = ['all', 'outstanding', 'good', 'requires_improvement', 'inadequate', 'good_or_better'] as const;
const assignmentIds = (...keys: string[]): string[] => keys.map((key) => world.assignments.get(key)!).sort();

describe('periods', () => {
  test('months, calendar quarters (Q1 = January to March) and years', () => {
    expect(parsePeriod('quarterly', '2027-q2')).toMatchObject({ key: '2027-Q2', months: ['2027-04', '2027-05', '2027-06'], label: 'Q2 2027 (April to June)' });
    expect(parsePeriod('monthly', '2027-01')).toMatchObject({ months: ['2027-01'], label: 'January 2027' });
    expect(parsePeriod('yearly', '2027').months).toHaveLength(12);
    expect(periodFromKey('2027-Q4')?.kind).toBe('quarterly');
    expect(() => parsePeriod('monthly', '2027-13')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', userMessage: 'A month is written YYYY-MM, e.g. 2027-01.' }));
    expect(() => parsePeriod('quarterly', '2027-Q5')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  test('a share says its sample size, and a small one says so', () => {
    expect(shareText(4, 5)).toBe('80% (n=5, small sample)');
    expect(shareText(9, 10)).toBe('90% (n=10)');
    expect(shareText(0, 0)).toBe('none to count (n=0)');
  });
});

describe('the monthly report', () => {
  test('January 2027, the whole trust: completion against expected with an excusal, on time, late and overdue, by kind', async () => {
    const { count, ids, report: built } = await report('monthly', '2027-01');
    expect(built.title).toBe('Monthly QA report: January 2027');
    expect(built.asAt.toISOString()).toBe('2027-02-01T00:00:00.000Z');
    expect(built.partial).toBe(false);
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 6, excused: 1, expected: 5, completed: 4, on_time: 3, late: 1, overdue: 1, not_yet_due: 0 });
    expect(counts(count, 'activity.practice_review.', ACTIVITY)).toEqual({ assigned: 2, excused: 0, expected: 2, completed: 1, on_time: 1, late: 0, overdue: 1, not_yet_due: 0 });
    expect(counts(count, 'activity.practice_observation.', ACTIVITY)).toEqual({ assigned: 2, excused: 0, expected: 2, completed: 2, on_time: 1, late: 1, overdue: 0, not_yet_due: 0 });
    expect(counts(count, 'activity.thematic_review.', ACTIVITY)).toEqual({ assigned: 2, excused: 1, expected: 1, completed: 1, on_time: 1, late: 0, overdue: 0, not_yet_due: 0 });
    // 29 January 23:30 London is the due day: on time. 30 January 00:30 is late. N4 finished in February: overdue at the end of January.
    expect(ids('activity.all.on_time')).toEqual(assignmentIds('n1/2027-01', 'n3/2027-01', 's1/2027-01'));
    expect(ids('activity.all.late')).toEqual(assignmentIds('n2/2027-01'));
    expect(ids('activity.all.overdue')).toEqual(assignmentIds('n4/2027-01'));
    expect(built.activity.excusals).toEqual([{ assignmentId: world.assignments.get('s2/2027-01'), name: 'Sol South', service: 'South', team: 'South A', month: '2027-01', kind: 'thematic_review', reason: 'On leave all month' }]);
  });

  test('January 2027, the whole trust: grades, sections, moderation, observations, feedback, complaints and actions', async () => {
    const { count, ids, report: built } = await report('monthly', '2027-01');
    expect(counts(count, 'grades.reviews.', GRADES)).toEqual({ all: 1, outstanding: 0, good: 1, requires_improvement: 0, inadequate: 0, good_or_better: 1 });
    expect(ids('grades.reviews.all')).toEqual([world.reviews.R1]);
    expect(counts(count, 'grades.section.assessment_grade.', GRADES)).toEqual({ all: 1, outstanding: 0, good: 0, requires_improvement: 1, inadequate: 0, good_or_better: 0 });
    expect(counts(count, 'grades.section.recording_grade.', GRADES)).toEqual({ all: 1, outstanding: 0, good: 0, requires_improvement: 0, inadequate: 1, good_or_better: 0 });
    expect(built.grades.sections.map((section) => section.question)).toEqual([
      'lived_experience_grade', 'assessment_grade', 'planning_grade', 'intervention_grade', 'oversight_grade', 'multi_agency_grade', 'recording_grade',
    ]);
    expect(counts(count, 'moderation.', ['moderated', 'agreed', 'moderator_higher', 'moderator_lower'])).toEqual({ moderated: 1, agreed: 1, moderator_higher: 0, moderator_lower: 0 });
    // O6 took place on 31 January but was submitted in February: not in January's figures.
    expect(counts(count, 'grades.observations.', GRADES)).toEqual({ all: 3, outstanding: 1, good: 1, requires_improvement: 1, inadequate: 0, good_or_better: 2 });
    expect(counts(count, 'observations.', ['all', 'setting.home_visit', 'setting.cp_conference', 'setting.group_work', 'setting.one_to_one', 'focus_days'])).toEqual({
      all: 3, 'setting.home_visit': 2, 'setting.cp_conference': 1, 'setting.group_work': 0, 'setting.one_to_one': 0, focus_days: 2,
    });
    expect(ids('observations.focus_days')).toEqual([world.observations.O2, world.observations.O3].sort());
    expect(counts(count, 'feedback.', ['all', 'compliment', 'comment', 'complaint', 'compliment.child', 'compliment.parent', 'comment.carer', 'complaint.parent', 'complaint.young_person', 'complaint.other', 'compliment.carer'])).toEqual({
      all: 6, compliment: 2, comment: 1, complaint: 3, 'compliment.child': 1, 'compliment.parent': 1, 'comment.carer': 1, 'complaint.parent': 1, 'complaint.young_person': 1, 'complaint.other': 1, 'compliment.carer': 0,
    });
    expect(
      counts(count, 'complaints.', ['received', 'acknowledged_in_time', 'acknowledged_late', 'acknowledgement_overdue', 'acknowledgement_pending', 'responded_in_time', 'responded_late', 'overdue', 'awaiting_response', 'extended']),
    ).toEqual({ received: 3, acknowledged_in_time: 1, acknowledged_late: 1, acknowledgement_overdue: 1, acknowledgement_pending: 0, responded_in_time: 1, responded_late: 0, overdue: 1, awaiting_response: 1, extended: 0 });
    expect(ids('complaints.overdue')).toEqual([world.complaints.C3]);
    expect(ids('complaints.awaiting_response')).toEqual([world.complaints.C2]);
    // A5 was closed at 23:30 on its due day (London): on time. A2 was closed in February: overdue at the end of January.
    expect(counts(count, 'actions.', ['opened', 'completed', 'completed_on_time', 'completed_late', 'overdue'])).toEqual({ opened: 4, completed: 1, completed_on_time: 1, completed_late: 0, overdue: 2 });
    expect(ids('actions.overdue')).toEqual([world.actions.A2, world.actions.A3].sort());
    // Trend: the twelve months to January; only January has anything.
    expect(built.trend.map((point) => point.month)).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    expect(counts(count, 'trend.2027-01.', ['reviews', 'reviews_good_or_better', 'observations', 'observations_good_or_better'])).toEqual({ reviews: 1, reviews_good_or_better: 1, observations: 3, observations_good_or_better: 2 });
    expect(count('trend.2026-12.reviews')).toBe(0);
    expect(counts(count, '', ['spotlights.posted', 'spotlights.replies', 'briefings.copies', 'briefings.delivered', 'briefings.acknowledged'])).toEqual({ 'spotlights.posted': 0, 'spotlights.replies': 0, 'briefings.copies': 0, 'briefings.delivered': 0, 'briefings.acknowledged': 0 });
  });

  test('January 2027 for the South service: its own records only, however they were recorded', async () => {
    const { count, ids, report: built } = await report('monthly', '2027-01', SOUTH);
    expect(built.scopeLabel).toBe('South service');
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 2, excused: 1, expected: 1, completed: 1, on_time: 1, late: 0, overdue: 0, not_yet_due: 0 });
    expect(built.activity.excusals.map((excusal) => excusal.reason)).toEqual(['On leave all month']);
    expect(count('grades.reviews.all')).toBe(0);
    expect(count('moderation.moderated')).toBe(0);
    expect(ids('observations.all')).toEqual([world.observations.O2]);
    // F3 was recorded by a North manager about observation O2: South's. F2 was recorded by a South manager about review R1: North's.
    expect(ids('feedback.all')).toEqual([world.feedback.F3, world.feedback.F4].sort());
    expect(counts(count, 'feedback.', ['comment.carer', 'complaint.parent', 'compliment'])).toEqual({ 'comment.carer': 1, 'complaint.parent': 1, compliment: 0 });
    expect(counts(count, 'complaints.', ['received', 'acknowledged_in_time', 'responded_in_time', 'overdue'])).toEqual({ received: 1, acknowledged_in_time: 1, responded_in_time: 1, overdue: 0 });
    expect(counts(count, 'actions.', ['opened', 'completed', 'overdue'])).toEqual({ opened: 1, completed: 0, overdue: 1 });
  });

  test('January 2027 for the North service', async () => {
    const { count, ids } = await report('monthly', '2027-01', NORTH);
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 4, excused: 0, expected: 4, completed: 3, on_time: 2, late: 1, overdue: 1, not_yet_due: 0 });
    expect(ids('feedback.all')).toEqual([world.feedback.F1, world.feedback.F2, world.feedback.F5, world.feedback.F6].sort());
    expect(counts(count, 'complaints.', ['received', 'acknowledged_late', 'acknowledgement_overdue', 'overdue', 'awaiting_response'])).toEqual({ received: 2, acknowledged_late: 1, acknowledgement_overdue: 1, overdue: 1, awaiting_response: 1 });
    expect(counts(count, 'actions.', ['opened', 'completed', 'completed_on_time', 'overdue'])).toEqual({ opened: 3, completed: 1, completed_on_time: 1, overdue: 1 });
  });

  test('August 2027, a paused month with no records: zeros, no percentages, and the overdue backlog still shown', async () => {
    const { count, report: built, figures } = await report('monthly', '2027-08');
    expect(built.activeMonths).toEqual([]);
    expect(built.pausedMonths).toEqual(['2027-08']);
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 0, excused: 0, expected: 0, completed: 0, on_time: 0, late: 0, overdue: 0, not_yet_due: 0 });
    for (const id of ['grades.reviews.all', 'grades.observations.all', 'moderation.moderated', 'observations.all', 'feedback.all', 'complaints.received', 'actions.opened', 'actions.completed']) expect(count(id)).toBe(0);
    // A3 (due 25 January) and A4 (due 30 April) are still open.
    expect(count('actions.overdue')).toBe(2);
    expect(figures.filter((f) => f.id !== 'actions.overdue' && !f.id.startsWith('trend.')).every((f) => f.count === 0)).toBe(true);
    expect(counts(count, 'trend.2027-07.', ['reviews', 'reviews_good_or_better'])).toEqual({ reviews: 1, reviews_good_or_better: 0 });
    const markdown = reportMarkdown(built);
    expect(markdown).toContain('August 2027: QA activity is paused (reflection and family feedback), so none was expected.');
    expect(markdown).toContain('none to count (n=0)');
  });

  test('June 2027: in summer time, 23:30 UTC on 30 June is already July in London', async () => {
    const { count, ids, report: built } = await report('monthly', '2027-06');
    expect(built.asAt.toISOString()).toBe('2027-06-30T23:00:00.000Z');
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 6, excused: 0, expected: 6, completed: 5, on_time: 5, late: 0, overdue: 1, not_yet_due: 0 });
    expect(ids('activity.all.overdue')).toEqual(assignmentIds('n1/2027-06'));
    // R9 was moderated at 00:30 on 1 July, London: July's.
    expect(ids('grades.reviews.all')).toEqual([world.reviews.R7]);
    expect(counts(count, 'grades.reviews.', ['inadequate', 'good_or_better'])).toEqual({ inadequate: 1, good_or_better: 0 });
    expect(ids('observations.setting.youth_project')).toEqual([world.observations.O7]);
    const july = await report('monthly', '2027-07');
    expect(july.ids('grades.reviews.all')).toEqual([world.reviews.R9]);
    expect(counts(july.count, 'moderation.', ['agreed', 'moderator_lower'])).toEqual({ agreed: 0, moderator_lower: 1 });
  });

  test('the month still running is reported so far; a month not begun is refused', async () => {
    now = new Date('2027-01-15T12:00:00Z');
    try {
      const { count, report: built } = await report('monthly', '2027-01');
      expect(built.partial).toBe(true);
      expect(built.asAtDate).toBe('2027-01-15');
      // N1 (the 10th) and S1 (the 15th, 10:00) had finished by then; the rest are not due until the 29th.
      expect(counts(count, 'activity.all.', ['expected', 'completed', 'overdue', 'not_yet_due'])).toEqual({ expected: 5, completed: 2, overdue: 0, not_yet_due: 3 });
      expect(count('complaints.acknowledgement_overdue')).toBe(1);
      await expect(report('monthly', '2027-02')).rejects.toMatchObject({ code: 'INVALID_INPUT', userMessage: 'February 2027 has not started yet, so there is nothing to report.' });
    } finally {
      now = new Date('2028-01-15T10:00:00Z');
    }
  });
});

describe('the quarterly and yearly reports', () => {
  test('Q1 2027, the whole trust: work finished after its month counts as late', async () => {
    const { count, ids, report: built } = await report('quarterly', '2027-Q1');
    expect(built.title).toBe('Quarterly QA report: Q1 2027 (January to March)');
    expect(built.asAt.toISOString()).toBe('2027-03-31T23:00:00.000Z');
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 18, excused: 1, expected: 17, completed: 16, on_time: 14, late: 2, overdue: 1, not_yet_due: 0 });
    expect(counts(count, 'activity.practice_review.', ACTIVITY)).toEqual({ assigned: 6, excused: 0, expected: 6, completed: 6, on_time: 5, late: 1, overdue: 0, not_yet_due: 0 });
    expect(counts(count, 'activity.practice_observation.', ACTIVITY)).toEqual({ assigned: 6, excused: 0, expected: 6, completed: 5, on_time: 4, late: 1, overdue: 1, not_yet_due: 0 });
    expect(counts(count, 'activity.thematic_review.', ACTIVITY)).toEqual({ assigned: 6, excused: 1, expected: 5, completed: 5, on_time: 5, late: 0, overdue: 0, not_yet_due: 0 });
    expect(ids('activity.all.late')).toEqual(assignmentIds('n2/2027-01', 'n4/2027-01'));
    expect(ids('activity.all.overdue')).toEqual(assignmentIds('s2/2027-03'));
    // R5 is a draft and R6 is not moderated: neither is final.
    expect(ids('grades.reviews.all')).toEqual([world.reviews.R1, world.reviews.R2, world.reviews.R3, world.reviews.R4].sort());
    expect(counts(count, 'grades.reviews.', GRADES)).toEqual({ all: 4, outstanding: 0, good: 4, requires_improvement: 0, inadequate: 0, good_or_better: 4 });
    const section = (question: string) => counts(count, `grades.section.${question}.`, GRADES);
    expect(section('lived_experience_grade')).toEqual({ all: 4, outstanding: 1, good: 2, requires_improvement: 1, inadequate: 0, good_or_better: 3 });
    expect(section('assessment_grade')).toEqual({ all: 4, outstanding: 0, good: 2, requires_improvement: 2, inadequate: 0, good_or_better: 2 });
    expect(section('planning_grade')).toEqual({ all: 4, outstanding: 1, good: 3, requires_improvement: 0, inadequate: 0, good_or_better: 4 });
    expect(section('intervention_grade')).toEqual({ all: 4, outstanding: 0, good: 3, requires_improvement: 1, inadequate: 0, good_or_better: 3 });
    expect(section('oversight_grade')).toEqual({ all: 4, outstanding: 1, good: 3, requires_improvement: 0, inadequate: 0, good_or_better: 4 });
    expect(section('multi_agency_grade')).toEqual({ all: 4, outstanding: 0, good: 3, requires_improvement: 0, inadequate: 1, good_or_better: 3 });
    expect(section('recording_grade')).toEqual({ all: 4, outstanding: 0, good: 2, requires_improvement: 1, inadequate: 1, good_or_better: 2 });
    expect(counts(count, 'moderation.', ['moderated', 'agreed', 'moderator_higher', 'moderator_lower'])).toEqual({ moderated: 4, agreed: 2, moderator_higher: 1, moderator_lower: 1 });
    expect(ids('moderation.moderator_higher')).toEqual([world.reviews.R3]);
    expect(ids('moderation.moderator_lower')).toEqual([world.reviews.R2]);
    expect(counts(count, 'grades.observations.', GRADES)).toEqual({ all: 5, outstanding: 1, good: 2, requires_improvement: 1, inadequate: 1, good_or_better: 3 });
    expect(counts(count, 'observations.', ['all', 'setting.home_visit', 'setting.cp_conference', 'setting.group_work', 'setting.one_to_one', 'setting.review', 'focus_days'])).toEqual({
      all: 5, 'setting.home_visit': 2, 'setting.cp_conference': 1, 'setting.group_work': 1, 'setting.one_to_one': 1, 'setting.review': 0, focus_days: 2,
    });
    expect(counts(count, 'feedback.', ['all', 'compliment', 'comment', 'complaint', 'compliment.carer', 'comment.child'])).toEqual({ all: 8, compliment: 3, comment: 2, complaint: 3, 'compliment.carer': 1, 'comment.child': 1 });
    expect(counts(count, 'complaints.', ['received', 'acknowledged_in_time', 'acknowledged_late', 'acknowledgement_overdue', 'responded_in_time', 'responded_late', 'overdue', 'awaiting_response'])).toEqual({
      received: 3, acknowledged_in_time: 1, acknowledged_late: 1, acknowledgement_overdue: 1, responded_in_time: 1, responded_late: 1, overdue: 1, awaiting_response: 0,
    });
    expect(counts(count, 'actions.', ['opened', 'completed', 'completed_on_time', 'completed_late', 'overdue'])).toEqual({ opened: 5, completed: 3, completed_on_time: 2, completed_late: 1, overdue: 1 });
    expect(ids('actions.completed_late')).toEqual([world.actions.A2]);
    expect(counts(count, 'trend.2027-01.', ['reviews', 'observations', 'observations_good_or_better'])).toEqual({ reviews: 1, observations: 4, observations_good_or_better: 2 });
    expect(counts(count, 'trend.2027-02.', ['reviews', 'reviews_good_or_better', 'observations'])).toEqual({ reviews: 3, reviews_good_or_better: 3, observations: 1 });
    expect(built.trend[0]?.month).toBe('2026-04');
  });

  test('Q1 2027 for the South service, and for the North B team', async () => {
    const south = await report('quarterly', '2027-Q1', SOUTH);
    expect(counts(south.count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 6, excused: 1, expected: 5, completed: 4, on_time: 4, late: 0, overdue: 1, not_yet_due: 0 });
    expect(south.ids('grades.reviews.all')).toEqual([world.reviews.R4]);
    expect(counts(south.count, 'moderation.', ['moderated', 'agreed'])).toEqual({ moderated: 1, agreed: 1 });
    // F8 has no review, observation or practitioner: it is the service of whoever recorded it (South).
    expect(south.ids('feedback.all')).toEqual([world.feedback.F3, world.feedback.F4, world.feedback.F8].sort());
    expect(counts(south.count, 'actions.', ['opened', 'completed', 'overdue'])).toEqual({ opened: 2, completed: 0, overdue: 1 });
    const team = await report('quarterly', '2027-Q1', NORTH_B);
    expect(team.report.scopeLabel).toBe('North B, North service');
    expect(counts(team.count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 6, excused: 0, expected: 6, completed: 6, on_time: 5, late: 1, overdue: 0, not_yet_due: 0 });
    expect(team.ids('grades.reviews.all')).toEqual([world.reviews.R2, world.reviews.R3].sort());
    expect(team.ids('observations.all')).toEqual([world.observations.O3, world.observations.O6].sort());
  });

  test('2027 as a year', async () => {
    const { count, ids, report: built } = await report('yearly', '2027');
    expect(built.activeMonths).toHaveLength(10);
    expect(built.pausedMonths).toEqual(['2027-08', '2027-12']);
    expect(counts(count, 'activity.all.', ACTIVITY)).toEqual({ assigned: 60, excused: 1, expected: 59, completed: 58, on_time: 54, late: 4, overdue: 1, not_yet_due: 0 });
    expect(ids('activity.all.late')).toEqual(assignmentIds('n2/2027-01', 'n4/2027-01', 'n1/2027-06', 's1/2027-11'));
    expect(counts(count, 'grades.reviews.', GRADES)).toEqual({ all: 7, outstanding: 1, good: 4, requires_improvement: 1, inadequate: 1, good_or_better: 5 });
    expect(counts(count, 'moderation.', ['moderated', 'agreed', 'moderator_higher', 'moderator_lower'])).toEqual({ moderated: 7, agreed: 4, moderator_higher: 1, moderator_lower: 2 });
    expect(count('observations.all')).toBe(6);
    expect(built.trend.map((point) => point.month)).toEqual(built.request.period.months);
  });
});

describe('tracing and output', () => {
  test('every figure lists the records it counts; the records CSV has one row for each, joined by figure id', async () => {
    const { report: built, figures } = await report('monthly', '2027-01');
    for (const f of figures) expect(f.records).toHaveLength(f.count);
    const figureRows = parseCsv(figuresCsv(built, figures));
    expect(figureRows[0]?.fields).toEqual([...FIGURE_COLUMNS]);
    const byId = new Map(figureRows.slice(1).map((row) => [row.fields[3], row.fields]));
    expect(byId.get('activity.all.completed')).toEqual(['2027-01', 'trust', '2027-02-01T00:00:00.000Z', 'activity.all.completed', 'QA activity', 'All QA activity: completed', '4', 'activity.all.expected', '5', '80', 'small sample']);
    expect(byId.get('feedback.compliment.child')?.slice(6)).toEqual(['1', '', '', '', '']);
    const recordRows = parseCsv(recordsCsv(built, figures));
    expect(recordRows[0]?.fields).toEqual([...RECORD_COLUMNS]);
    expect(recordRows.length - 1).toBe(figures.reduce((sum, f) => sum + f.count, 0));
    const excused = recordRows.filter((row) => row.fields[2] === 'activity.all.excused');
    expect(excused.map((row) => row.fields.slice(3))).toEqual([['assignment', world.assignments.get('s2/2027-01'), '2027-01', 'South', 'South A', 'On leave all month']]);
    const late = recordRows.filter((row) => row.fields[2] === 'activity.all.late').map((row) => row.fields.slice(3, 6));
    expect(late).toEqual([['assignment', world.assignments.get('n2/2027-01'), '2027-01-30']]);
  });

  test('CSV is RFC 4180 and safe in a spreadsheet: a formula-like excuse reason is neutralised', async () => {
    const { report: built, figures } = await report('monthly', '2027-01');
    const tampered: QaReport = { ...built, activity: { ...built.activity, all: { ...built.activity.all, excused: [{ kind: 'assignment', id: 'x', date: '2027-01', service: 'South', team: 'South A', note: '=HYPERLINK("http://evil.example","click"), "quoted"' }] } } };
    const text = recordsCsv(tampered, reportFigures(tampered));
    expect(text.split('\r\n').every((line, index, lines) => index === lines.length - 1 || line.length > 0)).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), ""quoted"""`);
    expect(parseCsv(text).find((row) => row.fields[4] === 'x')?.fields[8]).toBe(`'=HYPERLINK("http://evil.example","click"), "quoted"`);
    expect(figuresCsv(built, figures).endsWith('\r\n')).toBe(true);
  });

  test('HTML: heading, period and scope, contents, accessible tables, black-and-white charts, excusals escaped', async () => {
    const { report: built } = await report('quarterly', '2027-Q1', SOUTH);
    const withMarkup: QaReport = { ...built, activity: { ...built.activity, excusals: built.activity.excusals.map((excusal) => ({ ...excusal, reason: '<script>alert(1)</script> & leave' })) } };
    const html = reportHtml(withMarkup);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en-GB">/);
    expect(html).toContain('<h1>Quarterly QA report: Q1 2027 (January to March)</h1>');
    expect(html).toContain('<dt>Period</dt><dd>Q1 2027 (January to March)</dd><dt>Scope</dt><dd>South service</dd>');
    expect(html).toContain('<nav aria-labelledby="contents-heading">');
    for (const id of ['headlines', 'activity', 'grades', 'trend', 'moderation', 'observations', 'feedback', 'complaints', 'actions', 'closing-the-loop', 'about']) {
      expect(html).toContain(`<a href="#${id}">`);
      expect(html).toContain(`<section id="${id}" aria-labelledby="${id}-heading">`);
    }
    expect(html).toContain('No seven-minute briefing was sent in this period.');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; leave');
    // Tables: a caption, column headers and row headers.
    const tables = html.match(/<table>.*?<\/table>/gs) ?? [];
    expect(tables.length).toBeGreaterThan(8);
    for (const table of tables) {
      expect(table).toMatch(/^<table><caption>[^<]+<\/caption><thead><tr>(<th scope="col">[^<]*<\/th>)+<\/tr><\/thead>/);
      expect(table).toMatch(/<tbody><tr( class="total")?><th scope="row">/);
    }
    // Charts: inline SVG images with a title and description, patterns for each series, values written out.
    const charts = html.match(/<svg[^>]*>.*?<\/svg>/gs) ?? [];
    expect(charts).toHaveLength(6);
    for (const chart of charts) {
      expect(chart).toMatch(/role="img" aria-labelledby="([\w-]+)-title \1-desc"/);
      expect(chart).toMatch(/<title id="[\w-]+-title">[^<]+<\/title><desc id="[\w-]+-desc">/);
    }
    expect(charts[0]).toContain('fill="url(#chart-activity-hatch)"');
    expect(charts[0]).toContain('4 on time, 0 late, 1 not done');
    expect(html).toContain('80% (n=5, small sample)');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  test('the report card: headline figures in FactSets; with no link set up, it says how to make the full report', async () => {
    const { report: built } = await report('monthly', '2027-01', NORTH_B);
    const card = reportCard({ summary: summarise(built), link: undefined });
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('North B, North service. Figures as at the end of 31 January 2027 (London).');
    expect(text).toContain('npm run qa -- report monthly 2027-01 --service "North" --team "North B"');
    expect(JSON.stringify(card)).not.toContain('Action.OpenUrl');
    const august = reportCard({ summary: summarise((await report('monthly', '2027-08')).report), link: 'https://qaloop.example.org/reports/monthly/2027-08?token=t' });
    expectValidCard(august);
    expect(cardText(august)).toContain('QA activity\nPaused this period: none expected');
  });

  test('Markdown: the same sections and tables, without the charts', async () => {
    const { report: built } = await report('monthly', '2027-01', SOUTH);
    const markdown = reportMarkdown(built);
    expect(markdown.startsWith('# Monthly QA report: January 2027\n')).toBe(true);
    expect(markdown).toContain('- **Scope:** South service');
    expect(markdown).toContain('1. [Headlines](#headlines)');
    expect(markdown).toContain('| Activity | Assigned | Excused | Expected | Completed | On time | Late | Not done, past due | Not done, not yet due | Completed (of expected) | On time (of expected) |');
    expect(markdown).toContain('| **All QA activity** | 2 | 1 | 1 | 1 | 1 | 0 | 0 | 0 | 100% (n=1, small sample) | 100% (n=1, small sample) |');
    expect(markdown).toContain('| Sol South | South A, South | January 2027 | Thematic review | On leave all month |');
    expect(markdown).not.toContain('<svg');
  });
});

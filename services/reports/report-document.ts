import { formatLondonTime } from '../clock';
import { feedbackKinds } from '../feedback/feedback';
import { gradeLabels, grades } from '../forms/grades';
import { kindLabels, QA_KINDS } from '../rota';
import { closingTheLoopSection } from './closing-loop-section';
import { shareText, SMALL_SAMPLE, union } from './figures';
import { feedbackKindLabels } from './labels';
import { monthName, shortMonthName } from './period';
import type { ActivityFigures, GradeFigures, QaReport } from './report';
import { barChart, groupedColumnChart, stackedBarChart, type Pattern } from './svg-charts';

/**
 * The report laid out once, as sections of paragraphs, tables and charts, for the HTML
 * and Markdown renderers (Markdown leaves the charts out: their figures are in the
 * tables beside them).
 */
export interface DocumentTable {
  caption: string;
  columns: string[];
  /** The first cell of each row is its heading. */
  rows: { cells: string[]; total?: boolean }[];
}

export type DocumentBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; table: DocumentTable }
  | { type: 'chart'; svg: string; caption: string };

export interface DocumentSection {
  id: string;
  title: string;
  blocks: DocumentBlock[];
}

export interface ReportDocument {
  title: string;
  /** Period, scope, as-at: shown under the heading. */
  facts: { label: string; value: string }[];
  sections: DocumentSection[];
}

const paragraph = (text: string): DocumentBlock => ({ type: 'paragraph', text });
const n = (count: number): string => String(count);

const GRADE_PATTERNS: Record<(typeof grades)[number], Pattern> = { outstanding: 'solid', good: 'hatch', requires_improvement: 'dots', inadequate: 'plain' };

export function asAtText(report: QaReport): string {
  return report.partial
    ? `${formatLondonTime(report.asAt)} (London): the period is not over, so these are the figures so far`
    : `the end of ${report.asAtDate.slice(8, 10).replace(/^0/, '')} ${monthName(report.asAtDate.slice(0, 7))} (London)`;
}

function activityRow(name: string, figures: ActivityFigures, total = false): { cells: string[]; total?: boolean } {
  const expected = figures.expected.length;
  return {
    cells: [
      name,
      n(figures.assigned.length),
      n(figures.excused.length),
      n(expected),
      n(figures.completed.length),
      n(figures.onTime.length),
      n(figures.late.length),
      n(figures.overdue.length),
      n(figures.notYetDue.length),
      shareText(figures.completed.length, expected),
      shareText(figures.onTime.length, expected),
    ],
    ...(total ? { total } : {}),
  };
}

function gradeTable(caption: string, what: string, figures: GradeFigures): DocumentTable {
  const all = figures.all.length;
  return {
    caption,
    columns: ['Grade', what, 'Share'],
    rows: [
      ...grades.map((grade) => ({ cells: [gradeLabels[grade], n(figures.byGrade[grade].length), shareText(figures.byGrade[grade].length, all)] })),
      { cells: ['Good or better', n(figures.goodOrBetter.length), shareText(figures.goodOrBetter.length, all)], total: true },
    ],
  };
}

function gradeChart(id: string, title: string, figures: GradeFigures): DocumentBlock {
  const all = figures.all.length;
  return {
    type: 'chart',
    caption: title,
    svg: stackedBarChart({
      id,
      title,
      description: grades.map((grade) => `${gradeLabels[grade]}: ${figures.byGrade[grade].length}`).join('; '),
      legend: grades.map((grade) => ({ label: gradeLabels[grade].replace(' to be good', ''), pattern: GRADE_PATTERNS[grade] })),
      bars: [
        {
          label: `${all} graded`,
          segments: grades.map((grade) => ({ value: figures.byGrade[grade].length, pattern: GRADE_PATTERNS[grade] })),
          note: all === 0 ? 'none' : `${shareText(figures.goodOrBetter.length, all)} good or better`,
        },
      ],
    }),
  };
}

export function buildDocument(report: QaReport): ReportDocument {
  const { activity, grades: gradeFigures, moderation, observations, feedback, complaints, actions } = report;
  const all = activity.all;
  const sections: DocumentSection[] = [];
  const smallNote = `A percentage built on fewer than ${SMALL_SAMPLE} records says "small sample" beside it: read it with care.`;

  // 1. Headlines
  const decidedResponses = union(complaints.respondedInTime, complaints.respondedLate, complaints.overdue).length;
  sections.push({
    id: 'headlines',
    title: 'Headlines',
    blocks: [
      {
        type: 'table',
        table: {
          caption: 'Headline figures',
          columns: ['Figure', 'Value'],
          rows: [
            { cells: ['QA activity completed', `${all.completed.length} of ${all.expected.length} expected: ${shareText(all.completed.length, all.expected.length)}`] },
            { cells: ['Completed on time', `${all.onTime.length}: ${shareText(all.onTime.length, all.expected.length)} of expected`] },
            { cells: ['Excused', `${all.excused.length} (listed with their reasons under QA activity)`] },
            { cells: ['Final practice reviews good or better', `${gradeFigures.finalReviews.goodOrBetter.length} of ${gradeFigures.finalReviews.all.length}: ${shareText(gradeFigures.finalReviews.goodOrBetter.length, gradeFigures.finalReviews.all.length)}`] },
            { cells: ['Moderation agreement', shareText(moderation.agreed.length, moderation.moderated.length)] },
            { cells: ['Practice observations good or better', `${gradeFigures.observations.goodOrBetter.length} of ${gradeFigures.observations.all.length}: ${shareText(gradeFigures.observations.goodOrBetter.length, gradeFigures.observations.all.length)}`] },
            { cells: ['Family feedback', `${feedback.all.length}: ${feedbackKinds.map((kind) => `${feedback.byKind[kind].length} ${feedbackKindLabels[kind].toLowerCase()}`).join(', ')}`] },
            { cells: ['Complaints responded to in time', `${complaints.respondedInTime.length}: ${shareText(complaints.respondedInTime.length, decidedResponses)}; ${complaints.overdue.length} overdue`] },
            { cells: ['Actions completed on time', `${actions.completedOnTime.length} of ${actions.completed.length} completed: ${shareText(actions.completedOnTime.length, actions.completed.length)}; ${actions.overdue.length} overdue`] },
          ],
        },
      },
      paragraph(smallNote),
    ],
  });

  // 2. QA activity
  const activityBlocks: DocumentBlock[] = [];
  if (report.activeMonths.length === 0) activityBlocks.push(paragraph(`${report.pausedMonths.map(monthName).join(' and ')}: QA activity is paused (reflection and family feedback), so none was expected.`));
  else if (report.pausedMonths.length > 0) activityBlocks.push(paragraph(`QA activity is paused in ${report.pausedMonths.map(monthName).join(' and ')}: nothing was expected then.`));
  activityBlocks.push(
    paragraph('Expected is what was assigned less what was excused. An activity is on time when it was done by the last working day of its month (London).'),
    {
      type: 'table',
      table: {
        caption: 'QA activity against what was expected, by kind',
        columns: ['Activity', 'Assigned', 'Excused', 'Expected', 'Completed', 'On time', 'Late', 'Not done, past due', 'Not done, not yet due', 'Completed (of expected)', 'On time (of expected)'],
        rows: [...QA_KINDS.map((kind) => activityRow(kindLabels[kind], activity.byKind[kind])), activityRow('All QA activity', all, true)],
      },
    },
    {
      type: 'chart',
      caption: 'QA activity by kind: on time, late and not done',
      svg: stackedBarChart({
        id: 'chart-activity',
        title: 'QA activity by kind: on time, late and not done',
        description: QA_KINDS.map((kind) => `${kindLabels[kind]}: ${activity.byKind[kind].onTime.length} on time, ${activity.byKind[kind].late.length} late, ${activity.byKind[kind].overdue.length + activity.byKind[kind].notYetDue.length} not done`).join('; '),
        legend: [
          { label: 'On time', pattern: 'solid' },
          { label: 'Late', pattern: 'hatch' },
          { label: 'Not done', pattern: 'plain' },
        ],
        bars: [...QA_KINDS.map((kind) => ({ kind: kindLabels[kind], figures: activity.byKind[kind] })), { kind: 'All QA activity', figures: all }].map(({ kind, figures }) => ({
          label: kind,
          segments: [
            { value: figures.onTime.length, pattern: 'solid' as const },
            { value: figures.late.length, pattern: 'hatch' as const },
            { value: figures.overdue.length + figures.notYetDue.length, pattern: 'plain' as const },
          ],
          note: `${figures.onTime.length} on time, ${figures.late.length} late, ${figures.overdue.length + figures.notYetDue.length} not done`,
        })),
      }),
    },
  );
  activityBlocks.push(
    activity.excusals.length === 0
      ? paragraph('No one was excused in this period.')
      : {
          type: 'table',
          table: {
            caption: 'Excusals, with their reasons (not counted in what was expected)',
            columns: ['Manager', 'Team', 'Month', 'Activity', 'Reason'],
            rows: activity.excusals.map((excusal) => ({ cells: [excusal.name, `${excusal.team}, ${excusal.service}`, monthName(excusal.month), kindLabels[excusal.kind], excusal.reason] })),
          },
        },
  );
  sections.push({ id: 'activity', title: 'QA activity completed against expected', blocks: activityBlocks });

  // 3. Grades
  sections.push({
    id: 'grades',
    title: 'Grades',
    blocks: [
      paragraph('Final practice reviews are those moderated in the period; their grade is the moderated one. Section grades are the reviewer\'s, from the child\'s records review of the same reviews. Observations are those that took place in the period.'),
      { type: 'table', table: gradeTable('Moderated grades of final practice reviews', 'Reviews', gradeFigures.finalReviews) },
      gradeChart('chart-review-grades', 'Moderated grades of final practice reviews', gradeFigures.finalReviews),
      {
        type: 'table',
        table: {
          caption: 'Records review section grades (the reviewer\'s), final practice reviews',
          columns: ['Section', ...grades.map((grade) => gradeLabels[grade]), 'Graded', 'Good or better'],
          rows: gradeFigures.sections.map((section) => ({
            cells: [section.title, ...grades.map((grade) => n(section.grades.byGrade[grade].length)), n(section.grades.all.length), shareText(section.grades.goodOrBetter.length, section.grades.all.length)],
          })),
        },
      },
      { type: 'table', table: gradeTable('Grades of practice observations', 'Observations', gradeFigures.observations) },
      gradeChart('chart-observation-grades', 'Grades of practice observations', gradeFigures.observations),
    ],
  });

  // 4. Trend
  const pct = (figures: GradeFigures): number | undefined => (figures.all.length === 0 ? undefined : (figures.goodOrBetter.length * 100) / figures.all.length);
  sections.push({
    id: 'trend',
    title: 'Grades over the last 12 months',
    blocks: [
      paragraph(`Good or better, month by month, from ${monthName(report.trend[0]?.month ?? '')} to ${monthName(report.trend.at(-1)?.month ?? '')}. A dash is a month with nothing graded.`),
      {
        type: 'chart',
        caption: 'Share good or better by month: final practice reviews and practice observations',
        svg: groupedColumnChart({
          id: 'chart-trend',
          title: 'Share good or better by month',
          description: report.trend
            .map((point) => `${monthName(point.month)}: reviews ${shareText(point.reviews.goodOrBetter.length, point.reviews.all.length)}, observations ${shareText(point.observations.goodOrBetter.length, point.observations.all.length)}`)
            .join('; '),
          series: [
            { label: 'Final practice reviews', pattern: 'solid' },
            { label: 'Practice observations', pattern: 'hatch' },
          ],
          groups: report.trend.map((point) => ({ label: shortMonthName(point.month), values: [pct(point.reviews), pct(point.observations)] })),
        }),
      },
      {
        type: 'table',
        table: {
          caption: 'Grades by month',
          columns: ['Month', 'Final practice reviews', 'Reviews good or better', 'Practice observations', 'Observations good or better'],
          rows: report.trend.map((point) => ({
            cells: [
              monthName(point.month),
              n(point.reviews.all.length),
              shareText(point.reviews.goodOrBetter.length, point.reviews.all.length),
              n(point.observations.all.length),
              shareText(point.observations.goodOrBetter.length, point.observations.all.length),
            ],
          })),
        },
      },
    ],
  });

  // 5. Moderation
  const moderated = moderation.moderated.length;
  sections.push({
    id: 'moderation',
    title: 'Moderation',
    blocks: [
      paragraph('Agreement is the reviewer\'s overall grade being the grade the moderator settled on. Where they differ, the direction says whether the moderator graded the practice higher (better) or lower.'),
      {
        type: 'table',
        table: {
          caption: 'Moderation of final practice reviews',
          columns: ['Figure', 'Reviews', 'Share'],
          rows: [
            { cells: ['Moderated', n(moderated), ''] },
            { cells: ['Moderator agreed the grade', n(moderation.agreed.length), shareText(moderation.agreed.length, moderated)] },
            { cells: ['Moderator graded higher', n(moderation.moderatorHigher.length), shareText(moderation.moderatorHigher.length, moderated)] },
            { cells: ['Moderator graded lower', n(moderation.moderatorLower.length), shareText(moderation.moderatorLower.length, moderated)] },
          ],
        },
      },
    ],
  });

  // 6. Observations by setting
  const observed = observations.all.length;
  sections.push({
    id: 'observations',
    title: 'Observations by setting',
    blocks: [
      {
        type: 'table',
        table: {
          caption: 'Practice observations by setting',
          columns: ['Setting', 'Observations', 'Share'],
          rows: [
            ...observations.bySetting.map((setting) => ({ cells: [setting.label, n(setting.records.length), shareText(setting.records.length, observed)] })),
            { cells: ['All settings', n(observed), ''], total: true },
            { cells: ['On a Practice Focused Day', n(observations.onFocusDays.length), shareText(observations.onFocusDays.length, observed)] },
          ],
        },
      },
      {
        type: 'chart',
        caption: 'Practice observations by setting',
        svg: barChart({
          id: 'chart-settings',
          title: 'Practice observations by setting',
          description: observations.bySetting.map((setting) => `${setting.label}: ${setting.records.length}`).join('; '),
          pattern: 'hatch',
          bars: observations.bySetting.map((setting) => ({ label: setting.label, value: setting.records.length, note: n(setting.records.length) })),
        }),
      },
    ],
  });

  // 7. Family feedback
  sections.push({
    id: 'feedback',
    title: 'Family feedback',
    blocks: [
      paragraph('Compliments, comments and complaints recorded in the period, by who gave them.'),
      {
        type: 'table',
        table: {
          caption: 'Family feedback by kind and by who gave it',
          columns: ['Kind', ...feedback.sources.map((source) => source.label), 'Total'],
          rows: [
            ...feedbackKinds.map((kind) => ({
              cells: [feedbackKindLabels[kind], ...feedback.sources.map((source) => n(feedback.byKindAndSource[kind][source.source]?.length ?? 0)), n(feedback.byKind[kind].length)],
            })),
            {
              cells: ['All feedback', ...feedback.sources.map((source) => n(feedbackKinds.reduce((sum, kind) => sum + (feedback.byKindAndSource[kind][source.source]?.length ?? 0), 0))), n(feedback.all.length)],
              total: true,
            },
          ],
        },
      },
      {
        type: 'chart',
        caption: 'Family feedback by kind',
        svg: barChart({
          id: 'chart-feedback',
          title: 'Family feedback by kind',
          description: feedbackKinds.map((kind) => `${feedbackKindLabels[kind]}: ${feedback.byKind[kind].length}`).join('; '),
          pattern: 'dots',
          bars: feedbackKinds.map((kind) => ({ label: feedbackKindLabels[kind], value: feedback.byKind[kind].length, note: `${feedback.byKind[kind].length} (${shareText(feedback.byKind[kind].length, feedback.all.length)})` })),
        }),
      },
    ],
  });

  // 8. Complaints
  const received = complaints.received.length;
  const acknowledgementDecided = union(complaints.acknowledgedInTime, complaints.acknowledgedLate, complaints.acknowledgementOverdue).length;
  sections.push({
    id: 'complaints',
    title: 'Complaints against their deadlines',
    blocks: [
      paragraph(
        'Complaints received in the period, against the stage-1 deadlines: acknowledged within 3 working days, answered within 10 (or the extended deadline). Shares are of those whose deadline has passed or that were met already.',
      ),
      {
        type: 'table',
        table: {
          caption: 'Complaints received, and their deadlines',
          columns: ['Figure', 'Complaints', 'Share'],
          rows: [
            { cells: ['Received', n(received), ''], total: true },
            { cells: ['Acknowledged in time', n(complaints.acknowledgedInTime.length), shareText(complaints.acknowledgedInTime.length, acknowledgementDecided)] },
            { cells: ['Acknowledged late', n(complaints.acknowledgedLate.length), shareText(complaints.acknowledgedLate.length, acknowledgementDecided)] },
            { cells: ['Not acknowledged, deadline passed', n(complaints.acknowledgementOverdue.length), shareText(complaints.acknowledgementOverdue.length, acknowledgementDecided)] },
            { cells: ['Not acknowledged, deadline ahead', n(complaints.acknowledgementPending.length), ''] },
            { cells: ['Responded in time', n(complaints.respondedInTime.length), shareText(complaints.respondedInTime.length, decidedResponses)] },
            { cells: ['Responded late', n(complaints.respondedLate.length), shareText(complaints.respondedLate.length, decidedResponses)] },
            { cells: ['Overdue: not responded, deadline passed', n(complaints.overdue.length), shareText(complaints.overdue.length, decidedResponses)] },
            { cells: ['Not responded, deadline ahead', n(complaints.awaitingResponse.length), ''] },
            { cells: ['Response deadline extended', n(complaints.extended.length), ''] },
          ],
        },
      },
    ],
  });

  // 9. Actions
  sections.push({
    id: 'actions',
    title: 'Actions',
    blocks: [
      paragraph('Actions from practice reviews and observations: opened and completed in the period, and every action open and past its due date at the end of it, whenever it was opened.'),
      {
        type: 'table',
        table: {
          caption: 'Actions',
          columns: ['Figure', 'Actions', 'Share'],
          rows: [
            { cells: ['Opened', n(actions.opened.length), ''] },
            { cells: ['Completed', n(actions.completed.length), ''] },
            { cells: ['Completed on time', n(actions.completedOnTime.length), shareText(actions.completedOnTime.length, actions.completed.length)] },
            { cells: ['Completed late', n(actions.completedLate.length), shareText(actions.completedLate.length, actions.completed.length)] },
            { cells: ['Overdue: open and past the due date', n(actions.overdue.length), ''] },
          ],
        },
      },
    ],
  });

  // 10. Spotlights and briefings
  sections.push(closingTheLoopSection(report.closingTheLoop, report.request.scope.kind === 'trust'));

  // 11. About
  sections.push({
    id: 'about',
    title: 'About these figures',
    blocks: [
      {
        type: 'list',
        items: [
          `Figures count what had happened by ${asAtText(report)}. Dates and deadlines are London days.`,
          'Records belong to a scope by their own service and team where they have one (reviews, observations); assignments by the manager\'s, family feedback by the review or observation it belongs to, else the practitioner it is about, else whoever recorded it; actions by the review or observation they came from.',
          smallNote,
          'Every figure has an id; the CSV versions list each figure, and every record behind it (npm run qa -- report ... --format csv --detail FILE, or the download links of the online report).',
        ],
      },
    ],
  });

  return {
    title: report.title,
    facts: [
      { label: 'Period', value: report.periodLabel },
      { label: 'Scope', value: report.scopeLabel },
      { label: 'Figures as at', value: asAtText(report) },
      { label: 'Produced', value: `${formatLondonTime(report.generatedAt)} (London)` },
    ],
    sections,
  };
}

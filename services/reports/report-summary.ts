import { feedbackKinds } from '../feedback/feedback';
import { kindLabels, QA_KINDS } from '../rota';
import { shareText, union } from './figures';
import { feedbackKindLabels } from './labels';
import type { QaReport } from './report';
import { asAtText } from './report-document';
import type { ReportRequest } from './scope';

/** The headline figures of a report, as a card shows them: a few groups of facts. */
export interface ReportSummary {
  request: ReportRequest;
  title: string;
  scopeLabel: string;
  asAt: string;
  groups: { title: string; facts: { title: string; value: string }[] }[];
}

export function summarise(report: QaReport): ReportSummary {
  const { activity, grades, moderation, observations, feedback, complaints, actions, closingTheLoop: loop } = report;
  const all = activity.all;
  const expected = all.expected.length;
  const activityFacts =
    report.activeMonths.length === 0
      ? [{ title: 'QA activity', value: 'Paused this period: none expected' }]
      : [
          { title: 'Completed', value: `${all.completed.length} of ${expected}: ${shareText(all.completed.length, expected)}` },
          { title: 'On time', value: `${all.onTime.length}: ${shareText(all.onTime.length, expected)}` },
          { title: 'Late', value: String(all.late.length) },
          { title: 'Not done', value: String(all.overdue.length + all.notYetDue.length) },
          { title: 'Excused', value: String(all.excused.length) },
          ...QA_KINDS.map((kind) => ({ title: kindLabels[kind], value: `${activity.byKind[kind].completed.length} of ${activity.byKind[kind].expected.length} done` })),
        ];
  const decided = union(complaints.respondedInTime, complaints.respondedLate, complaints.overdue).length;
  return {
    request: report.request,
    title: report.title,
    scopeLabel: report.scopeLabel,
    asAt: asAtText(report),
    groups: [
      { title: 'QA activity against expected', facts: activityFacts },
      {
        title: 'Grades and moderation',
        facts: [
          { title: 'Final reviews', value: `${grades.finalReviews.all.length}; good or better ${shareText(grades.finalReviews.goodOrBetter.length, grades.finalReviews.all.length)}` },
          { title: 'Moderation agreement', value: shareText(moderation.agreed.length, moderation.moderated.length) },
          { title: 'Moderator higher / lower', value: `${moderation.moderatorHigher.length} / ${moderation.moderatorLower.length}` },
          { title: 'Observations', value: `${observations.all.length}; good or better ${shareText(grades.observations.goodOrBetter.length, grades.observations.all.length)}` },
        ],
      },
      {
        title: 'Family feedback and complaints',
        facts: [
          ...feedbackKinds.map((kind) => ({ title: feedbackKindLabels[kind], value: String(feedback.byKind[kind].length) })),
          { title: 'Responded in time', value: shareText(complaints.respondedInTime.length, decided) },
          { title: 'Complaints overdue', value: String(complaints.overdue.length) },
        ],
      },
      {
        title: 'Actions',
        facts: [
          { title: 'Opened', value: String(actions.opened.length) },
          { title: 'Completed on time', value: `${actions.completedOnTime.length} of ${actions.completed.length}: ${shareText(actions.completedOnTime.length, actions.completed.length)}` },
          { title: 'Overdue', value: String(actions.overdue.length) },
        ],
      },
      {
        title: 'Spotlights and briefings',
        facts: [
          { title: 'Spotlights posted', value: loop.spotlights.length === 0 ? 'None' : loop.spotlights.map((line) => line.theme).join('; ') },
          { title: 'Thread replies', value: String(loop.replies.length) },
          { title: 'Briefings sent', value: String(loop.briefings.length) },
          { title: 'Delivered', value: `${loop.delivered.length} of ${loop.copies.length} copies` },
          { title: 'Acknowledged', value: `${loop.acknowledged.length}: ${shareText(loop.acknowledged.length, loop.delivered.length)}` },
        ],
      },
    ],
  };
}

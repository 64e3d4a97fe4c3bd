import { nextMonth, type CycleCalendar } from '../services/calendar';
import type { Notice, NoticeComposer } from '../services/notices';
import type { ReportLinkMaker } from '../services/reports/report-link';
import { effectiveRoles } from '../services/roles';
import { standingOf } from '../services/reviews/review-snapshot';
import type { StaffMember } from '../services/staff';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import { observationStandingOf } from '../services/observations/observation-snapshot';
import { actionCard } from './action.card';
import { assignmentCard } from './assignment.card';
import { briefingActivity } from './briefing-team.card';
import { complaintCard, complaintOverdueCard } from './complaint.card';
import { escalationCard, reflectionCard, rotaChangedCard, rotaRequestCard } from './cycle-notices.card';
import { complimentCard } from './feedback.card';
import { focusDayNoticeCard } from './focus-day.card';
import { dayLabel, firstNameOf } from './labels';
import { observationCard } from './observation.card';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render';
import { reportCard } from './report.card';
import { reviewCard, type ReviewMoment } from './review.card';
import { spotlightCard } from './spotlight.card';

/** A message activity carrying one card; `summary` is what Teams shows in notifications. */
const cardActivity = (card: AdaptiveCard, summary: string): Record<string, unknown> => ({
  type: 'message',
  summary,
  attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
});

const reviewFor = (snapshot: ReviewSnapshot, person: StaffMember, moment: ReviewMoment): AdaptiveCard =>
  reviewCard({ snapshot, standing: standingOf(snapshot, person, effectiveRoles(person.roles)), moment });

/** Turns the QA cycle's notices into Teams messages. `reportLink` signs the links on report cards (none: no link). */
export function createNoticeComposer(calendar: CycleCalendar, reportLink?: ReportLinkMaker): NoticeComposer {
  return (notice: Notice) => {
    switch (notice.type) {
      case 'assignment':
      case 'nudge':
      case 'final-reminder':
        return cardActivity(
          assignmentCard({ assignment: notice.assignment, firstName: firstNameOf(notice.person.name), dueDate: notice.dueDate, moment: notice.type === 'assignment' ? 'assigned' : notice.type }),
          notice.type === 'assignment' ? 'Your QA activity for this month' : 'A reminder about your QA activity',
        );
      case 'escalation':
        return cardActivity(
          escalationCard({ person: notice.person, assignment: notice.assignment, recipientIsLineManager: notice.person.lineManagerId === notice.recipient.id }),
          `Overdue QA activity: ${notice.person.name}`,
        );
      case 'reflection': {
        let next = nextMonth(notice.month);
        while (!calendar.isActiveMonth(next)) next = nextMonth(next);
        return cardActivity(
          reflectionCard({ month: notice.month, nextActiveMonth: next, nextActiveDay: dayLabel(calendar.firstWorkingDay(next)) }),
          'A month for reflection and family feedback',
        );
      }
      case 'request-for-decision':
        return cardActivity(rotaRequestCard({ request: notice.request, person: notice.person, forQaManager: true }), `Rota request from ${notice.person.name}`);
      case 'request-decided':
        return cardActivity(
          rotaRequestCard({ request: notice.request, person: notice.person, forQaManager: false, note: 'Type "my tasks" to see your activity as it is now.' }),
          'Your rota request has been decided',
        );
      case 'rota-changed':
        return cardActivity(rotaChangedCard(notice), 'Your QA activity has changed');
      case 'reflection-request':
        return cardActivity(reviewFor(notice.snapshot, notice.person, 'reflection-request'), `${notice.snapshot.reviewer.name} asks for your reflection`);
      case 'review-moderated':
        return cardActivity(reviewFor(notice.snapshot, notice.person, 'moderated'), 'Your practice review has been moderated');
      case 'review-findings':
        return cardActivity(reviewFor(notice.snapshot, notice.person, 'findings'), 'Findings of a practice review');
      case 'oversight-recorded':
        return cardActivity(reviewFor(notice.snapshot, notice.person, 'oversight-recorded'), 'Management oversight of your practice review');
      case 'action-assigned':
      case 'action-due': {
        const view = { action: notice.action, source: notice.source, ownerName: notice.person.name, overdue: notice.type === 'action-due' && notice.overdue };
        return cardActivity(actionCard({ view, moment: notice.type === 'action-assigned' ? 'assigned' : 'due', by: notice.type === 'action-assigned' ? notice.by : '' }), notice.type === 'action-assigned' ? 'A new action for you' : 'An action is due');
      }
      case 'observation-feedback':
      case 'observation-reflected': {
        const standing = observationStandingOf(notice.observation, notice.person, effectiveRoles(notice.person.roles));
        return notice.type === 'observation-feedback'
          ? cardActivity(observationCard({ snapshot: notice.observation, standing, moment: 'feedback' }), 'Feedback from your practice observation')
          : cardActivity(observationCard({ snapshot: notice.observation, standing, moment: 'reflected' }), `${notice.observation.practitioner.name} added their reflection`);
      }
      case 'focus-day':
        return cardActivity(focusDayNoticeCard(notice.focusDay, notice.person !== undefined), `Practice Focused Day: ${dayLabel(notice.focusDay.day)}`);
      case 'action-overdue': {
        const view = { action: notice.action, source: notice.source, ownerName: notice.person.name, overdue: true };
        return cardActivity(actionCard({ view, moment: 'overdue-to-manager' }), `Overdue action: ${notice.person.name}`);
      }
      case 'complaint':
        return cardActivity(
          complaintCard({ snapshot: notice.complaint, moment: notice.moment, told: notice.told }),
          notice.moment === 'assigned' ? 'A complaint for you to handle' : 'A complaint deadline has passed',
        );
      case 'complaint-overdue':
        return cardActivity(complaintOverdueCard({ snapshot: notice.complaint, recipient: notice.recipient, missed: notice.missed, asServiceManager: notice.asServiceManager }), `Complaint deadline missed: ${notice.complaint.officer.name}`);
      case 'compliment':
        return cardActivity(complimentCard(notice.feedback, notice.person), 'A compliment from a family');
      case 'qa-report':
        return cardActivity(
          reportCard({ summary: notice.summary, link: reportLink?.(notice.summary.request, notice.person.email), intro:
              notice.summary.request.period.kind === 'quarterly'
                ? 'For the Executive Management Team and the Trust Board, sent to the QA managers.'
                : 'Sent to the QA managers on the first working day after the month.',
          }),
          notice.summary.title,
        );
      case 'spotlight-preview':
        return cardActivity(spotlightCard(notice.view), `This month's spotlight is ready for you to check and post`);
      case 'briefing':
        return briefingActivity(notice.message);
    }
  };
}

import { nextMonth, type CycleCalendar } from '../services/calendar';
import type { Notice, NoticeComposer } from '../services/notices';
import { assignmentCard } from './assignment.card';
import { escalationCard, reflectionCard, rotaChangedCard, rotaRequestCard } from './cycle-notices.card';
import { dayLabel, firstNameOf } from './labels';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render';

/** A message activity carrying one card; `summary` is what Teams shows in notifications. */
const cardActivity = (card: AdaptiveCard, summary: string): Record<string, unknown> => ({
  type: 'message',
  summary,
  attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
});

/** Turns the QA cycle's notices into Teams messages. */
export function createNoticeComposer(calendar: CycleCalendar): NoticeComposer {
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
    }
  };
}

import type { TrackedAction } from './actions/action';
import type { Assignment, RotaRequest } from './assignments';
import type { QaKind } from './rota';
import type { ServiceContext } from './context';
import type { ComplaintSnapshot, FeedbackSnapshot } from './feedback/feedback-snapshot';
import type { FocusDay } from './observations/observation';
import type { ObservationSnapshot } from './observations/observation-snapshot';
import type { ReviewSnapshot } from './reviews/review-snapshot';
import type { ReportSummary } from './reports/report-summary';
import type { SpotlightView } from './spotlights/spotlights-service';
import type { BriefingMessage } from './briefings/briefing-messages';
import type { StaffMember } from './staff';

/**
 * What the QA cycle tells people. The domain decides who is told what; the bot turns
 * a notice into a Teams message (a card) through the composer it is given.
 */
export type Notice =
  | { type: 'assignment'; person: StaffMember; assignment: Assignment; dueDate: string }
  | { type: 'nudge'; person: StaffMember; assignment: Assignment; dueDate: string }
  | { type: 'final-reminder'; person: StaffMember; assignment: Assignment; dueDate: string }
  | { type: 'escalation'; recipient: StaffMember; person: StaffMember; assignment: Assignment }
  | { type: 'reflection'; person: StaffMember; month: string }
  | { type: 'request-for-decision'; recipient: StaffMember; person: StaffMember; request: RotaRequest }
  | { type: 'request-decided'; person: StaffMember; request: RotaRequest }
  | { type: 'rota-changed'; person: StaffMember; month: string; change: 'swap' | 'excuse'; kind: QaKind | null; reason: string | null; by: string }
  | { type: 'reflection-request'; person: StaffMember; snapshot: ReviewSnapshot }
  | { type: 'review-moderated'; person: StaffMember; snapshot: ReviewSnapshot }
  | { type: 'review-findings'; person: StaffMember; snapshot: ReviewSnapshot }
  | { type: 'oversight-recorded'; person: StaffMember; snapshot: ReviewSnapshot }
  | { type: 'action-assigned'; person: StaffMember; action: TrackedAction; source: string; by: string }
  | { type: 'action-due'; person: StaffMember; action: TrackedAction; source: string; overdue: boolean }
  | { type: 'observation-feedback'; person: StaffMember; observation: ObservationSnapshot }
  | { type: 'observation-reflected'; person: StaffMember; observation: ObservationSnapshot }
  | { type: 'focus-day'; person: StaffMember | undefined; focusDay: FocusDay }
  | { type: 'action-overdue'; recipient: StaffMember; person: StaffMember; action: TrackedAction; source: string }
  // Family feedback: a complaint to its officer (and again when a stage-1 deadline passes, `told` naming who else was told), the
  // missed deadline to the officer's service manager, and a compliment to the practitioner and their service manager.
  | { type: 'complaint'; person: StaffMember; complaint: ComplaintSnapshot; moment: 'assigned' | 'acknowledge-overdue' | 'respond-overdue'; told: string }
  | { type: 'complaint-overdue'; recipient: StaffMember; complaint: ComplaintSnapshot; missed: 'acknowledge' | 'respond'; asServiceManager: boolean }
  | { type: 'compliment'; person: StaffMember; feedback: FeedbackSnapshot }
  // The monthly and quarterly QA reports, to each QA manager: the headline figures and a link to the full report.
  | { type: 'qa-report'; person: StaffMember; summary: ReportSummary }
  // The month's spotlight, collated at the month's end, for the QA manager to edit and post.
  | { type: 'spotlight-preview'; person: StaffMember; view: SpotlightView }
  // Seven-minute briefings: copies, the delivery card, approval and what follows (services/briefings/briefing-messages.ts).
  | { type: 'briefing'; message: BriefingMessage };

/** Turns a notice into the activity to send (text and/or an Adaptive Card attachment). */
export type NoticeComposer = (notice: Notice) => Record<string, unknown>;

/**
 * Queues a notice for one person through the outbox. The dedupe key makes it once-only:
 * a job that runs again, or two instances, queue it once.
 */
export async function queueNotice(
  context: Pick<ServiceContext, 'repos' | 'clock'>,
  compose: NoticeComposer,
  recipient: StaffMember,
  notice: Notice,
  dedupeKey: string,
): Promise<boolean> {
  return context.repos.outbox.enqueue(
    { dedupeKey, kind: notice.type, conversationId: null, staffId: recipient.id, payload: compose(notice) },
    context.clock.now(),
  );
}

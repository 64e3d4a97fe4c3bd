import type { Grade } from '../forms/grades';
import type { QaKind } from '../rota';
import type { FeedbackKind } from '../feedback/feedback';
import type { ReportRequest } from './scope';

/**
 * A QA report: every figure of the monthly, quarterly or yearly report for a scope, each
 * kept as the list of records it counts, so that any number can be traced back to the
 * records behind it (the `records` CSV lists them). A count is the length of its list.
 */
export type RecordKind = 'assignment' | 'review' | 'observation' | 'feedback' | 'complaint' | 'action' | 'spotlight' | 'spotlight_reply' | 'briefing_copy' | 'briefing_usage';

export interface RecordRef {
  kind: RecordKind;
  id: string;
  /** The month or London day that placed it in the figure. */
  date: string;
  service: string;
  team: string;
  /** What else is worth knowing when tracing it (an excusal's reason). */
  note?: string;
}

/** The records a figure counts. */
export type Tally = readonly RecordRef[];

/** QA activity of one kind (or all kinds), against what was expected. */
export interface ActivityFigures {
  /** Assignments made for the period's months. */
  assigned: Tally;
  excused: Tally;
  /** Assigned less excused. */
  expected: Tally;
  /** Done by the report's as-at moment. */
  completed: Tally;
  /** Done on or before the due date (the month's last working day, London). */
  onTime: Tally;
  late: Tally;
  /** Not done, and the due date has passed. */
  overdue: Tally;
  /** Not done, and not due yet (a month still running). */
  notYetDue: Tally;
}

export interface Excusal {
  assignmentId: string;
  name: string;
  service: string;
  team: string;
  month: string;
  kind: QaKind;
  reason: string;
}

/** Records by grade, best first, and how many of them were good or better. */
export interface GradeFigures {
  byGrade: Record<Grade, Tally>;
  all: Tally;
  goodOrBetter: Tally;
}

export interface SectionGrades {
  /** The question id, e.g. lived_experience_grade. */
  question: string;
  /** The section's title on the form, e.g. "The child's lived experience and voice". */
  title: string;
  grades: GradeFigures;
}

export interface TrendPoint {
  month: string;
  reviews: GradeFigures;
  observations: GradeFigures;
}

export interface ModerationFigures {
  /** Final reviews with both a reviewer's and a moderated grade. */
  moderated: Tally;
  agreed: Tally;
  /** The moderator graded higher (better) than the reviewer. */
  moderatorHigher: Tally;
  moderatorLower: Tally;
}

export interface SettingFigures {
  setting: string;
  label: string;
  records: Tally;
}

export interface FeedbackFigures {
  all: Tally;
  byKind: Record<FeedbackKind, Tally>;
  /** By kind, then by who gave it. */
  byKindAndSource: Record<FeedbackKind, Record<string, Tally>>;
  sources: { source: string; label: string }[];
}

export interface ComplaintFigures {
  received: Tally;
  acknowledgedInTime: Tally;
  acknowledgedLate: Tally;
  /** Not acknowledged, and the acknowledgement deadline has passed. */
  acknowledgementOverdue: Tally;
  /** Not acknowledged, deadline still ahead. */
  acknowledgementPending: Tally;
  respondedInTime: Tally;
  respondedLate: Tally;
  /** Not answered, and the response deadline (as extended) has passed. */
  overdue: Tally;
  /** Not answered, deadline still ahead. */
  awaitingResponse: Tally;
  extended: Tally;
}

export interface ActionFigures {
  opened: Tally;
  completed: Tally;
  completedOnTime: Tally;
  completedLate: Tally;
  /** Open at the as-at moment, past their due date: whenever they were opened. */
  overdue: Tally;
}

/** A month's spotlight as posted: its theme, headline findings and the discussion in its threads. */
export interface SpotlightLine {
  id: string;
  month: string;
  theme: string;
  origin: string;
  headline: string;
  strengths: string[];
  gaps: string[];
  managers: number;
  casesSampled: number;
  channels: number;
  /** Replies in its threads (questions to the bot included). */
  replies: Tally;
  questionsToBot: Tally;
}

/** One briefing sent in the period: its personal copies in the report's scope, and how they fared. */
export interface BriefingLine {
  id: string;
  title: string;
  sentOn: string;
  recalled: boolean;
  /** Channels it was posted to (counted for the whole trust only). */
  channels: number;
  copies: Tally;
  delivered: Tally;
  /** Not installed, or the person blocked the app. */
  notInstalled: Tally;
  failed: Tally;
  /** Still queued, or withdrawn before it went. */
  notSent: Tally;
  acknowledged: Tally;
  read: Tally;
  usage: Tally;
}

export interface ClosingTheLoopFigures {
  spotlights: SpotlightLine[];
  replies: Tally;
  briefings: BriefingLine[];
  /** Totals over the briefings above. */
  copies: Tally;
  delivered: Tally;
  acknowledged: Tally;
  read: Tally;
  usage: Tally;
  /** Acknowledgement of delivered copies, by service and team. */
  acknowledgementByTeam: { service: string; team: string; delivered: Tally; acknowledged: Tally }[];
}

export interface QaReport {
  request: ReportRequest;
  title: string;
  periodLabel: string;
  scopeLabel: string;
  /** Figures count what had happened by this moment: the end of the period, or when the report was made if sooner. */
  asAt: Date;
  /** The London day of the as-at moment (the period's last day, or today). */
  asAtDate: string;
  /** True when the period had not ended when the report was made. */
  partial: boolean;
  generatedAt: Date;
  /** The period's months with QA activity, and those paused. */
  activeMonths: string[];
  pausedMonths: string[];
  activity: { byKind: Record<QaKind, ActivityFigures>; all: ActivityFigures; excusals: Excusal[] };
  grades: { finalReviews: GradeFigures; sections: SectionGrades[]; observations: GradeFigures };
  trend: TrendPoint[];
  moderation: ModerationFigures;
  observations: { all: Tally; bySetting: SettingFigures[]; onFocusDays: Tally };
  feedback: FeedbackFigures;
  complaints: ComplaintFigures;
  actions: ActionFigures;
  /** Spotlights and seven-minute briefings. */
  closingTheLoop: ClosingTheLoopFigures;
}

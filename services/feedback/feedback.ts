/**
 * Family feedback: a compliment, comment or complaint from a child, young person,
 * parent or carer, recorded by any member of staff against a case reference, on its
 * own or attached to a practice review or observation. The answers live in
 * form_responses against the version of the `feedback` form they answered; the key
 * fields are kept here for counting and routing.
 */
export const feedbackKinds = ['compliment', 'comment', 'complaint'] as const;
export type FeedbackKind = (typeof feedbackKinds)[number];

export const isFeedbackKind = (value: string): value is FeedbackKind => (feedbackKinds as readonly string[]).includes(value);

export interface FamilyFeedback {
  id: string;
  /** The one-time key of the card it was recorded on: a second press of that card stores nothing. */
  startKey: string;
  caseReference: string;
  recordedBy: string;
  formId: string;
  kind: FeedbackKind;
  source: string;
  method: string;
  /** 1 (poor) to 5 (excellent), when they gave one. */
  rating: number | null;
  consent: boolean;
  practitionerId: string | null;
  reviewId: string | null;
  observationId: string | null;
  /** The London month it was recorded in, YYYY-MM. */
  month: string;
  createdAt: Date;
}

export type NewFeedback = Omit<FamilyFeedback, 'id' | 'createdAt'>;

/**
 * A complaint, handled under stage 1 of the statutory children's complaints procedure:
 * acknowledged within 3 working days of receipt, answered within 10, extendable once by
 * a further 10 with a reason. open → acknowledged → responded (or open → responded).
 */
export type ComplaintStatus = 'open' | 'acknowledged' | 'responded';

export interface Complaint {
  id: string;
  feedbackId: string;
  /** The named officer who handles it. */
  officerId: string;
  stage: number;
  /** London dates, YYYY-MM-DD. */
  receivedOn: string;
  acknowledgeBy: string;
  respondBy: string;
  status: ComplaintStatus;
  acknowledgedAt: Date | null;
  respondedAt: Date | null;
  response: string | null;
  extendedAt: Date | null;
  extensionReason: string | null;
  /** When the officer and their service manager were told the acknowledgement deadline had passed. */
  acknowledgeOverdueAt: Date | null;
  /** When they were told the response deadline had passed (cleared by an extension, so the new one is watched). */
  respondOverdueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewComplaint = Pick<Complaint, 'feedbackId' | 'officerId' | 'receivedOn' | 'acknowledgeBy' | 'respondBy'>;

/** Feedback recorded in a month, by kind. */
export type FeedbackCounts = Record<FeedbackKind, number> & { total: number };

/** Stage 1 of the children's complaints procedure, in working days from receipt. */
export const ACKNOWLEDGE_WORKING_DAYS = 3;
export const RESPOND_WORKING_DAYS = 10;
export const EXTENSION_WORKING_DAYS = 10;

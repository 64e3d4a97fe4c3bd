import type { Grade } from '../forms/grades';

/**
 * A collaborative practice review: the reviewer's records review, the practitioner's
 * reflection and the family's feedback, then moderation by the QA service and the
 * line manager's management oversight.
 *
 * draft → submitted (waits for moderation) → moderated (final; findings shared) → overseen.
 */
export type ReviewStatus = 'draft' | 'submitted' | 'moderated' | 'overseen';

export interface PracticeReview {
  id: string;
  assignmentId: string;
  reviewerId: string;
  practitionerId: string;
  /** The Independent Chair involved with the child, when the reviewer flags one. */
  chairId: string | null;
  caseReference: string;
  service: string;
  team: string;
  status: ReviewStatus;
  recordsFormId: string;
  reflectionFormId: string;
  familyFormId: string;
  reviewerGrade: Grade | null;
  finalGrade: Grade | null;
  moderatorId: string | null;
  moderationReason: string | null;
  moderationFeedback: string | null;
  oversightBy: string | null;
  oversightDirections: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  moderatedAt: Date | null;
  oversightAt: Date | null;
  updatedAt: Date;
}

/** The three parts of a review, each answered on its own form. */
export type ReviewPart = 'records' | 'reflection' | 'family';

export type { FormResponse } from '../forms/form-response';

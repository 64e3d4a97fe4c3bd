import type { Grade } from '../forms/grades';

/**
 * A practice observation: a manager (or Independent Chair) observes one of their own
 * practitioners at work and gives feedback; the practitioner adds their own reflection.
 * draft → submitted (to the QA service; the practitioner sees the feedback).
 */
export interface Observation {
  id: string;
  /** What makes a start unique: "assignment:ID", or "card:TOKEN" for one begun at any time. */
  startKey: string;
  assignmentId: string | null;
  observerId: string;
  practitionerId: string;
  service: string;
  team: string;
  /** Set on submission, from the form. */
  observedOn: string | null;
  setting: string | null;
  /** The Practice Focused Day it happened on, if any. */
  focusDayId: string | null;
  status: 'draft' | 'submitted';
  formId: string;
  reflectionFormId: string;
  grade: Grade | null;
  createdAt: Date;
  submittedAt: Date | null;
  updatedAt: Date;
}

export type ObservationPart = 'observation' | 'reflection';

/** A quarterly Practice Focused Day, coordinated by the QA service. */
export interface FocusDay {
  id: string;
  /** A London date, YYYY-MM-DD. */
  day: string;
  theme: string;
  createdBy: string;
  createdAt: Date;
}

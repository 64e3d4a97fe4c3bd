import type { Answers } from './form-answers';

/** What a set of answers belongs to: a practice review, an observation, or a piece of family feedback. */
export type FormSubjectKind = 'review' | 'observation' | 'feedback';

/** Answers to one part of a piece of work, against the form version it started on. */
export interface FormResponse {
  id: string;
  subjectKind: FormSubjectKind;
  subjectId: string;
  /** Which part of the work: "records", "reflection", "family", "observation", "feedback". */
  part: string;
  formId: string;
  respondentId: string;
  answers: Answers;
  status: 'draft' | 'submitted';
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
}

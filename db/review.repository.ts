import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Grade } from '../services/forms/grades';
import type { PracticeReview, ReviewStatus } from '../services/reviews/review';
import { isDuplicateKeyError } from './errors';
import type { Database, ReviewTable } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));

function toReview(row: Selectable<ReviewTable>): PracticeReview {
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    reviewerId: row.reviewer_id,
    practitionerId: row.practitioner_id,
    chairId: row.chair_id,
    caseReference: row.case_reference,
    service: row.service,
    team: row.team,
    status: row.status as ReviewStatus,
    recordsFormId: row.records_form_id,
    reflectionFormId: row.reflection_form_id,
    familyFormId: row.family_form_id,
    reviewerGrade: row.reviewer_grade as Grade | null,
    finalGrade: row.final_grade as Grade | null,
    moderatorId: row.moderator_id,
    moderationReason: row.moderation_reason,
    moderationFeedback: row.moderation_feedback,
    oversightBy: row.oversight_by,
    oversightDirections: row.oversight_directions,
    createdAt: fromDbTime(row.created_at),
    submittedAt: time(row.submitted_at),
    moderatedAt: time(row.moderated_at),
    oversightAt: time(row.oversight_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

export type NewReview = Pick<
  PracticeReview,
  'assignmentId' | 'reviewerId' | 'practitionerId' | 'chairId' | 'caseReference' | 'service' | 'team' | 'recordsFormId' | 'reflectionFormId' | 'familyFormId'
>;

/** What a status change writes alongside the status. */
export interface ReviewChange {
  reviewerGrade?: Grade;
  finalGrade?: Grade;
  moderatorId?: string;
  moderationReason?: string | null;
  moderationFeedback?: string;
  oversightBy?: string;
  oversightDirections?: string;
}

export class ReviewRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Starts the review of an assignment once; a second start (double click, two devices) finds the first. */
  async create(review: NewReview, now: Date): Promise<{ review: PracticeReview; created: boolean }> {
    const row: ReviewTable = {
      id: newId(),
      assignment_id: review.assignmentId,
      reviewer_id: review.reviewerId,
      practitioner_id: review.practitionerId,
      chair_id: review.chairId,
      case_reference: review.caseReference,
      service: review.service,
      team: review.team,
      status: 'draft',
      records_form_id: review.recordsFormId,
      reflection_form_id: review.reflectionFormId,
      family_form_id: review.familyFormId,
      reviewer_grade: null,
      final_grade: null,
      moderator_id: null,
      moderation_reason: null,
      moderation_feedback: null,
      oversight_by: null,
      oversight_directions: null,
      created_at: toDbTime(now),
      submitted_at: null,
      moderated_at: null,
      oversight_at: null,
      updated_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('reviews').values(row).execute();
      return { review: toReview(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByAssignment(review.assignmentId);
      if (existing === undefined) throw error;
      return { review: existing, created: false };
    }
  }

  async findById(id: string): Promise<PracticeReview | undefined> {
    const row = await this.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toReview(row);
  }

  async findByAssignment(assignmentId: string): Promise<PracticeReview | undefined> {
    const row = await this.db.selectFrom('reviews').selectAll().where('assignment_id', '=', assignmentId).executeTakeFirst();
    return row === undefined ? undefined : toReview(row);
  }

  /** Reviews in one status, oldest submission first: the moderation queue is `submitted`. */
  async listByStatus(status: ReviewStatus): Promise<PracticeReview[]> {
    const rows = await this.db.selectFrom('reviews').selectAll().where('status', '=', status).orderBy('submitted_at').orderBy('created_at').orderBy('id').execute();
    return rows.map(toReview);
  }

  /** Reviews a person is part of in any role: as reviewer, practitioner or Independent Chair. */
  async listInvolving(staffId: string): Promise<PracticeReview[]> {
    const rows = await this.db
      .selectFrom('reviews')
      .selectAll()
      .where((eb) => eb.or([eb('reviewer_id', '=', staffId), eb('practitioner_id', '=', staffId), eb('chair_id', '=', staffId)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toReview);
  }

  /** Moderated reviews of these practitioners still waiting for management oversight. */
  async listAwaitingOversight(practitionerIds: readonly string[]): Promise<PracticeReview[]> {
    if (practitionerIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('reviews')
      .selectAll()
      .where('status', '=', 'moderated')
      .where('practitioner_id', 'in', [...practitionerIds])
      .orderBy('moderated_at')
      .orderBy('id')
      .execute();
    return rows.map(toReview);
  }

  /**
   * Moves a review on from `from` to `to` with what that step records. Conditional, so a
   * double submit or two moderators at once change it once: false when it had moved already.
   */
  async transition(id: string, from: ReviewStatus, to: ReviewStatus, change: ReviewChange, now: Date): Promise<boolean> {
    const at = toDbTime(now);
    const set: Updateable<ReviewTable> = { status: to, updated_at: at };
    if (to === 'submitted') set.submitted_at = at;
    if (to === 'moderated') set.moderated_at = at;
    if (to === 'overseen') set.oversight_at = at;
    if (change.reviewerGrade !== undefined) set.reviewer_grade = change.reviewerGrade;
    if (change.finalGrade !== undefined) set.final_grade = change.finalGrade;
    if (change.moderatorId !== undefined) set.moderator_id = change.moderatorId;
    if (change.moderationReason !== undefined) set.moderation_reason = change.moderationReason;
    if (change.moderationFeedback !== undefined) set.moderation_feedback = change.moderationFeedback;
    if (change.oversightBy !== undefined) set.oversight_by = change.oversightBy;
    if (change.oversightDirections !== undefined) set.oversight_directions = change.oversightDirections;
    const result = await this.db.updateTable('reviews').set(set).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

import type { Kysely, Selectable } from 'kysely';
import { feedbackKinds, type Complaint, type FamilyFeedback, type FeedbackCounts, type FeedbackKind, type NewComplaint, type NewFeedback } from '../services/feedback/feedback';
import { isDuplicateKeyError } from './errors';
import type { ComplaintTable, Database, FeedbackTable } from './schema';
import { fromDbBool, fromDbTime, newId, toDbBool, toDbTime } from './values';

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));

function toFeedback(row: Selectable<FeedbackTable>): FamilyFeedback {
  return {
    id: row.id,
    startKey: row.start_key,
    caseReference: row.case_reference,
    recordedBy: row.recorded_by,
    formId: row.form_id,
    kind: row.kind as FeedbackKind,
    source: row.source,
    method: row.method,
    rating: row.rating === null ? null : Number(row.rating),
    consent: fromDbBool(row.consent),
    practitionerId: row.practitioner_id,
    reviewId: row.review_id,
    observationId: row.observation_id,
    month: row.month,
    createdAt: fromDbTime(row.created_at),
  };
}

/** Family feedback: one row a piece, made once per card it was recorded on. */
export class FeedbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a piece of feedback once per start key: a second press of the same card finds the first. */
  async create(feedback: NewFeedback, now: Date): Promise<{ feedback: FamilyFeedback; created: boolean }> {
    const row: FeedbackTable = {
      id: newId(),
      start_key: feedback.startKey,
      case_reference: feedback.caseReference,
      recorded_by: feedback.recordedBy,
      form_id: feedback.formId,
      kind: feedback.kind,
      source: feedback.source,
      method: feedback.method,
      rating: feedback.rating,
      consent: toDbBool(feedback.consent),
      practitioner_id: feedback.practitionerId,
      review_id: feedback.reviewId,
      observation_id: feedback.observationId,
      month: feedback.month,
      created_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('feedback').values(row).execute();
      return { feedback: toFeedback(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByStartKey(feedback.startKey);
      if (existing === undefined) throw error;
      return { feedback: existing, created: false };
    }
  }

  async findById(id: string): Promise<FamilyFeedback | undefined> {
    const row = await this.db.selectFrom('feedback').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toFeedback(row);
  }

  async findByStartKey(startKey: string): Promise<FamilyFeedback | undefined> {
    const row = await this.db.selectFrom('feedback').selectAll().where('start_key', '=', startKey).executeTakeFirst();
    return row === undefined ? undefined : toFeedback(row);
  }

  /** Feedback attached to a practice review or an observation, oldest first. */
  async listFor(subject: { reviewId: string } | { observationId: string }): Promise<FamilyFeedback[]> {
    const query = this.db.selectFrom('feedback').selectAll();
    const filtered = 'reviewId' in subject ? query.where('review_id', '=', subject.reviewId) : query.where('observation_id', '=', subject.observationId);
    return (await filtered.orderBy('created_at').orderBy('id').execute()).map(toFeedback);
  }

  /** How many pieces were recorded in a London month, by kind. */
  async countByKind(month: string): Promise<FeedbackCounts> {
    const rows = await this.db
      .selectFrom('feedback')
      .select((eb) => ['kind', eb.fn.countAll<number | string>().as('n')])
      .where('month', '=', month)
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    const counts: FeedbackCounts = { compliment: 0, comment: 0, complaint: 0, total: 0 };
    for (const row of rows) {
      const n = Number(row.n);
      if ((feedbackKinds as readonly string[]).includes(row.kind)) counts[row.kind as FeedbackKind] += n;
      counts.total += n;
    }
    return counts;
  }
}

function toComplaint(row: Selectable<ComplaintTable>): Complaint {
  return {
    id: row.id,
    feedbackId: row.feedback_id,
    officerId: row.officer_id,
    stage: Number(row.stage),
    receivedOn: row.received_on,
    acknowledgeBy: row.acknowledge_by,
    respondBy: row.respond_by,
    status: row.status as Complaint['status'],
    acknowledgedAt: time(row.acknowledged_at),
    respondedAt: time(row.responded_at),
    response: row.response,
    extendedAt: time(row.extended_at),
    extensionReason: row.extension_reason,
    acknowledgeOverdueAt: time(row.acknowledge_overdue_at),
    respondOverdueAt: time(row.respond_overdue_at),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Complaints at stage 1: each step is a conditional update, so two presses (or two devices) take it once. */
export class ComplaintRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Opens the complaint of a piece of feedback once: a second create finds the first. */
  async create(complaint: NewComplaint, now: Date): Promise<{ complaint: Complaint; created: boolean }> {
    const row: ComplaintTable = {
      id: newId(),
      feedback_id: complaint.feedbackId,
      officer_id: complaint.officerId,
      stage: 1,
      received_on: complaint.receivedOn,
      acknowledge_by: complaint.acknowledgeBy,
      respond_by: complaint.respondBy,
      status: 'open',
      acknowledged_at: null,
      responded_at: null,
      response: null,
      extended_at: null,
      extension_reason: null,
      acknowledge_overdue_at: null,
      respond_overdue_at: null,
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('complaints').values(row).execute();
      return { complaint: toComplaint(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByFeedback(complaint.feedbackId);
      if (existing === undefined) throw error;
      return { complaint: existing, created: false };
    }
  }

  async findById(id: string): Promise<Complaint | undefined> {
    const row = await this.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toComplaint(row);
  }

  async findByFeedback(feedbackId: string): Promise<Complaint | undefined> {
    const row = await this.db.selectFrom('complaints').selectAll().where('feedback_id', '=', feedbackId).executeTakeFirst();
    return row === undefined ? undefined : toComplaint(row);
  }

  /** Complaints a person handles that are not answered yet, soonest response deadline first. */
  async listOpenFor(officerId: string): Promise<Complaint[]> {
    const rows = await this.db
      .selectFrom('complaints')
      .selectAll()
      .where('officer_id', '=', officerId)
      .where('status', 'in', ['open', 'acknowledged'])
      .orderBy('respond_by')
      .orderBy('id')
      .execute();
    return rows.map(toComplaint);
  }

  /**
   * Complaints with a stage-1 deadline passed before `today` that nobody has been told
   * about yet: not acknowledged by the acknowledgement deadline, or not answered by the
   * response deadline. Oldest receipt first.
   */
  async listOverdue(today: string): Promise<Complaint[]> {
    const rows = await this.db
      .selectFrom('complaints')
      .selectAll()
      .where('status', 'in', ['open', 'acknowledged'])
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'open'), eb('acknowledge_by', '<', today), eb('acknowledge_overdue_at', 'is', null)]),
          eb.and([eb('respond_by', '<', today), eb('respond_overdue_at', 'is', null)]),
        ]),
      )
      .orderBy('received_on')
      .orderBy('id')
      .execute();
    return rows.map(toComplaint);
  }

  /** open → acknowledged, once. */
  async acknowledge(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('complaints')
      .set({ status: 'acknowledged', acknowledged_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the stage-1 response, once; a response given before any acknowledgement acknowledges it too. */
  async respond(id: string, response: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('complaints')
      .set((eb) => ({
        status: 'responded',
        response,
        responded_at: toDbTime(now),
        acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(toDbTime(now))),
        updated_at: toDbTime(now),
      }))
      .where('id', '=', id)
      .where('status', 'in', ['open', 'acknowledged'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Extends the response deadline, once, with a reason. The new deadline is watched
   * afresh: whoever was told the old one had passed is told again if this one passes.
   */
  async extend(id: string, respondBy: string, reason: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('complaints')
      .set({ respond_by: respondBy, extension_reason: reason, extended_at: toDbTime(now), respond_overdue_at: null, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'acknowledged'])
      .where('extended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks that the missed acknowledgement deadline was told, once. */
  async markAcknowledgeOverdue(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('complaints')
      .set({ acknowledge_overdue_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('acknowledge_overdue_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks that the missed response deadline was told, once (per deadline: an extension clears it). */
  async markRespondOverdue(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('complaints')
      .set({ respond_overdue_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', 'in', ['open', 'acknowledged'])
      .where('respond_overdue_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

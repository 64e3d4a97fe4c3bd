import type { Kysely } from 'kysely';
import type { Answers } from '../services/forms/form-answers';
import { REMOVED } from '../services/retention';
import type { Database } from './schema';
import { toDbJson, toDbTime } from './values';

/** What a message's content becomes when only its outcome is kept. */
const EMPTY_PAYLOAD = '{}';

/** A finished piece of work whose case detail is past its retention period. */
export interface RetentionSubject {
  kind: 'review' | 'observation' | 'feedback';
  id: string;
}

/** The writes of the retention job: nothing else removes or rewrites records. */
export class RetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Work finished before the cutoff and not yet anonymised: reviews with oversight
   * recorded (or moderated and left), submitted observations, and feedback.
   */
  async finishedBefore(cutoff: Date): Promise<RetentionSubject[]> {
    const at = toDbTime(cutoff);
    const [reviews, observations, feedback] = await Promise.all([
      this.db.selectFrom('reviews').select('id').where('status', 'in', ['moderated', 'overseen']).where('updated_at', '<', at).where('case_reference', '<>', REMOVED).orderBy('id').execute(),
      this.db.selectFrom('observations').select('id').where('status', '=', 'submitted').where('updated_at', '<', at).where('team', '<>', REMOVED).orderBy('id').execute(),
      this.db.selectFrom('feedback').select('id').where('created_at', '<', at).where('case_reference', '<>', REMOVED).orderBy('id').execute(),
    ]);
    return [
      ...reviews.map((row) => ({ kind: 'review' as const, id: row.id })),
      ...observations.map((row) => ({ kind: 'observation' as const, id: row.id })),
      ...feedback.map((row) => ({ kind: 'feedback' as const, id: row.id })),
    ];
  }

  async replaceAnswers(responseId: string, answers: Answers, now: Date): Promise<void> {
    await this.db.updateTable('form_responses').set({ answers_json: toDbJson(answers), updated_at: toDbTime(now) }).where('id', '=', responseId).execute();
  }

  /** Removes a subject's case reference and free text held outside its answers, and the text of its actions. */
  async anonymise(subject: RetentionSubject, now: Date): Promise<void> {
    const at = toDbTime(now);
    if (subject.kind === 'review') {
      await this.db
        .updateTable('reviews')
        .set({ case_reference: REMOVED, moderation_reason: null, moderation_feedback: null, oversight_directions: null, updated_at: at })
        .where('id', '=', subject.id)
        .execute();
    } else if (subject.kind === 'observation') {
      // Observations hold no case reference; the team marks that their detail is gone.
      await this.db.updateTable('observations').set({ team: REMOVED, updated_at: at }).where('id', '=', subject.id).execute();
    } else {
      await this.db.updateTable('feedback').set({ case_reference: REMOVED }).where('id', '=', subject.id).execute();
      await this.db.updateTable('complaints').set({ response: null, extension_reason: null, updated_at: at }).where('feedback_id', '=', subject.id).execute();
    }
    if (subject.kind !== 'feedback') {
      await this.db.updateTable('actions').set({ description: REMOVED, completion_note: null, updated_at: at }).where('source_id', '=', subject.id).where('status', '=', 'done').execute();
    }
  }

  /**
   * Deletes messages that were delivered, given up on or withdrawn before the cutoff; queued
   * ones are kept. Messages of `keepOutcomeKinds` (briefing copies: the reports count how
   * their delivery went) keep their row and outcome but lose their content. Says how many
   * messages went either way.
   */
  async deleteMessagesBefore(cutoff: Date, keepOutcomeKinds: readonly string[] = []): Promise<number> {
    const finished = ['sent', 'failed', 'blocked', 'not_installed', 'cancelled'];
    const before = toDbTime(cutoff);
    let emptied = 0;
    if (keepOutcomeKinds.length > 0) {
      const result = await this.db
        .updateTable('outbox')
        .set({ payload_json: EMPTY_PAYLOAD })
        .where('status', 'in', finished)
        .where('created_at', '<', before)
        .where('kind', 'in', [...keepOutcomeKinds])
        .where('payload_json', '<>', EMPTY_PAYLOAD)
        .executeTakeFirst();
      emptied = Number(result.numUpdatedRows);
    }
    let query = this.db.deleteFrom('outbox').where('status', 'in', finished).where('created_at', '<', before);
    if (keepOutcomeKinds.length > 0) query = query.where('kind', 'not in', [...keepOutcomeKinds]);
    const result = await query.executeTakeFirst();
    return emptied + Number(result.numDeletedRows);
  }

  /**
   * Deletes the record of job runs that succeeded before the cutoff. The scheduler only
   * looks at this month's and last month's periods, so an old run is never asked about
   * again; a job that runs every few minutes would otherwise keep ~100 rows a day.
   */
  async deleteJobRunsBefore(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('job_runs').where('status', '=', 'succeeded').where('finished_at', '<', toDbTime(cutoff)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

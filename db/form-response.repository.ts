import type { Kysely, Selectable } from 'kysely';
import type { Answers } from '../services/forms/form-answers';
import type { FormResponse, FormSubjectKind } from '../services/forms/form-response';
import { isDuplicateKeyError } from './errors';
import type { Database, FormResponseTable } from './schema';
import { fromDbJson, fromDbTime, newId, toDbJson, toDbTime } from './values';

function toResponse(row: Selectable<FormResponseTable>): FormResponse {
  return {
    id: row.id,
    subjectKind: row.subject_kind as FormSubjectKind,
    subjectId: row.subject_id,
    part: row.part,
    formId: row.form_id,
    respondentId: row.respondent_id,
    answers: fromDbJson<Answers>(row.answers_json) ?? {},
    status: row.status as FormResponse['status'],
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
    submittedAt: row.submitted_at === null ? null : fromDbTime(row.submitted_at),
  };
}

/** Answers to one part of a piece of work, against the form version it started on. Saved at every step as a draft. */
export class FormResponseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async find(subjectId: string, part: string, subjectKind: FormSubjectKind = 'review'): Promise<FormResponse | undefined> {
    const row = await this.db.selectFrom('form_responses').selectAll().where('subject_kind', '=', subjectKind).where('subject_id', '=', subjectId).where('part', '=', part).executeTakeFirst();
    return row === undefined ? undefined : toResponse(row);
  }

  async listFor(subjectId: string, subjectKind: FormSubjectKind = 'review'): Promise<FormResponse[]> {
    const rows = await this.db.selectFrom('form_responses').selectAll().where('subject_kind', '=', subjectKind).where('subject_id', '=', subjectId).orderBy('part').execute();
    return rows.map(toResponse);
  }

  /** Makes the (empty) draft of a part once. */
  async open(subjectId: string, part: string, formId: string, respondentId: string, now: Date, subjectKind: FormSubjectKind = 'review'): Promise<FormResponse> {
    const row: FormResponseTable = {
      id: newId(),
      subject_kind: subjectKind,
      subject_id: subjectId,
      part,
      form_id: formId,
      respondent_id: respondentId,
      answers_json: toDbJson({}),
      status: 'draft',
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
      submitted_at: null,
    };
    try {
      await this.db.insertInto('form_responses').values(row).execute();
      return toResponse(row);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.find(subjectId, part, subjectKind);
      if (existing === undefined) throw error;
      return existing;
    }
  }

  /** Replaces a draft's answers; false when it is no longer a draft (submitted on another device). */
  async saveDraft(id: string, answers: Answers, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('form_responses')
      .set({ answers_json: toDbJson(answers), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Submits a draft with its final answers, once: false for a second submit. */
  async submit(id: string, answers: Answers, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('form_responses')
      .set({ answers_json: toDbJson(answers), status: 'submitted', updated_at: toDbTime(now), submitted_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

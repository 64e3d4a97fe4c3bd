import type { Kysely, Selectable } from 'kysely';
import type { Grade } from '../services/forms/grades';
import type { Observation } from '../services/observations/observation';
import { isDuplicateKeyError } from './errors';
import type { Database, ObservationTable } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

function toObservation(row: Selectable<ObservationTable>): Observation {
  return {
    id: row.id,
    startKey: row.start_key,
    assignmentId: row.assignment_id,
    observerId: row.observer_id,
    practitionerId: row.practitioner_id,
    service: row.service,
    team: row.team,
    observedOn: row.observed_on,
    setting: row.setting,
    focusDayId: row.focus_day_id,
    status: row.status as Observation['status'],
    formId: row.form_id,
    reflectionFormId: row.reflection_form_id,
    grade: row.grade as Grade | null,
    createdAt: fromDbTime(row.created_at),
    submittedAt: row.submitted_at === null ? null : fromDbTime(row.submitted_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

export type NewObservation = Pick<Observation, 'startKey' | 'assignmentId' | 'observerId' | 'practitionerId' | 'service' | 'team' | 'formId' | 'reflectionFormId'>;

/** What submitting an observation records from its form. */
export interface ObservationSubmission {
  observedOn: string;
  setting: string;
  grade: Grade;
  focusDayId: string | null;
}

export class ObservationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Starts an observation once per start key: a second start (double click) finds the first. */
  async create(observation: NewObservation, now: Date): Promise<{ observation: Observation; created: boolean }> {
    const row: ObservationTable = {
      id: newId(),
      start_key: observation.startKey,
      assignment_id: observation.assignmentId,
      observer_id: observation.observerId,
      practitioner_id: observation.practitionerId,
      service: observation.service,
      team: observation.team,
      observed_on: null,
      setting: null,
      focus_day_id: null,
      status: 'draft',
      form_id: observation.formId,
      reflection_form_id: observation.reflectionFormId,
      grade: null,
      created_at: toDbTime(now),
      submitted_at: null,
      updated_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('observations').values(row).execute();
      return { observation: toObservation(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByStartKey(observation.startKey);
      if (existing === undefined) throw error;
      return { observation: existing, created: false };
    }
  }

  async findById(id: string): Promise<Observation | undefined> {
    const row = await this.db.selectFrom('observations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toObservation(row);
  }

  async findByStartKey(startKey: string): Promise<Observation | undefined> {
    const row = await this.db.selectFrom('observations').selectAll().where('start_key', '=', startKey).executeTakeFirst();
    return row === undefined ? undefined : toObservation(row);
  }

  /** Observations a person is part of, as observer or practitioner, oldest first. */
  async listInvolving(staffId: string): Promise<Observation[]> {
    const rows = await this.db
      .selectFrom('observations')
      .selectAll()
      .where((eb) => eb.or([eb('observer_id', '=', staffId), eb('practitioner_id', '=', staffId)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toObservation);
  }

  /** Submits a draft with what its form recorded, once: false for a second submit. */
  async submit(id: string, submission: ObservationSubmission, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('observations')
      .set({
        status: 'submitted',
        observed_on: submission.observedOn,
        setting: submission.setting,
        grade: submission.grade,
        focus_day_id: submission.focusDayId,
        submitted_at: toDbTime(now),
        updated_at: toDbTime(now),
      })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

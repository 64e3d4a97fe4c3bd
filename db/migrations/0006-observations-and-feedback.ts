import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/**
 * Practice observations, Practice Focused Days, family feedback (compliments, comments,
 * complaints) and the statutory stage-1 complaint deadlines. Answers themselves live in
 * form_responses, against the form version they answered. Frozen once landed.
 */
export function observationsAndFeedbackMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('focus_days')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('day', t.text(10), (c) => c.notNull())
        .addColumn('theme', t.text(200), (c) => c.notNull())
        .addColumn('created_by', t.text(320), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_focus_days_day').on('focus_days').column('day').unique().execute();

      await db.schema
        .createTable('observations')
        .addColumn('id', t.id, (c) => c.primaryKey())
        // What makes a start unique: the assignment, or the card an ad-hoc observation began on.
        .addColumn('start_key', t.text(100), (c) => c.notNull())
        .addColumn('assignment_id', t.id, (c) => c.references('assignments.id'))
        .addColumn('observer_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('practitioner_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('service', t.text(200), (c) => c.notNull())
        .addColumn('team', t.text(200), (c) => c.notNull())
        .addColumn('observed_on', t.text(10))
        .addColumn('setting', t.text(40))
        .addColumn('focus_day_id', t.id, (c) => c.references('focus_days.id'))
        // draft or submitted
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('reflection_form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('grade', t.text(40))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('submitted_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_observations_start').on('observations').column('start_key').unique().execute();
      await db.schema.createIndex('ix_observations_observer').on('observations').columns(['observer_id', 'status']).execute();
      await db.schema.createIndex('ix_observations_practitioner').on('observations').column('practitioner_id').execute();

      await db.schema
        .createTable('feedback')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('start_key', t.text(100), (c) => c.notNull())
        .addColumn('case_reference', t.text(40), (c) => c.notNull())
        .addColumn('recorded_by', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('form_id', t.id, (c) => c.notNull().references('forms.id'))
        // compliment, comment or complaint
        .addColumn('kind', t.text(20), (c) => c.notNull())
        // child, young_person, parent, carer, other
        .addColumn('source', t.text(20), (c) => c.notNull())
        // conversation, visit, survey, letter, email, phone
        .addColumn('method', t.text(20), (c) => c.notNull())
        .addColumn('rating', t.integer)
        .addColumn('consent', t.integer, (c) => c.notNull())
        .addColumn('practitioner_id', t.id, (c) => c.references('staff.id'))
        .addColumn('review_id', t.id, (c) => c.references('reviews.id'))
        .addColumn('observation_id', t.id, (c) => c.references('observations.id'))
        .addColumn('month', t.text(7), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_feedback_start').on('feedback').column('start_key').unique().execute();
      await db.schema.createIndex('ix_feedback_month_kind').on('feedback').columns(['month', 'kind']).execute();
      await db.schema.createIndex('ix_feedback_practitioner').on('feedback').column('practitioner_id').execute();

      await db.schema
        .createTable('complaints')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('feedback_id', t.id, (c) => c.notNull().references('feedback.id'))
        .addColumn('officer_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('stage', t.integer, (c) => c.notNull())
        .addColumn('received_on', t.text(10), (c) => c.notNull())
        .addColumn('acknowledge_by', t.text(10), (c) => c.notNull())
        .addColumn('respond_by', t.text(10), (c) => c.notNull())
        // open, acknowledged, responded
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('acknowledged_at', t.time)
        .addColumn('responded_at', t.time)
        .addColumn('response', t.longText)
        .addColumn('extended_at', t.time)
        .addColumn('extension_reason', t.text(1000))
        .addColumn('acknowledge_overdue_at', t.time)
        .addColumn('respond_overdue_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_complaints_feedback').on('complaints').column('feedback_id').unique().execute();
      await db.schema.createIndex('ix_complaints_status').on('complaints').columns(['status', 'respond_by']).execute();
    },
  };
}

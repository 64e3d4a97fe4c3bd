import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/**
 * Forms as versioned data, collaborative practice reviews, the answers to each of their
 * parts (kept with the form version they answered) and the actions that come out of
 * them. Frozen once landed.
 */
export function practiceReviewsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('forms')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('form_key', t.text(40), (c) => c.notNull())
        .addColumn('version', t.integer, (c) => c.notNull())
        .addColumn('title', t.text(200), (c) => c.notNull())
        .addColumn('definition_json', t.longText, (c) => c.notNull())
        .addColumn('published_by', t.text(320), (c) => c.notNull())
        .addColumn('published_at', t.time, (c) => c.notNull())
        .execute();
      // Two publishes at once cannot both become the same version.
      await db.schema.createIndex('ux_forms_key_version').on('forms').columns(['form_key', 'version']).unique().execute();

      await db.schema
        .createTable('reviews')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('assignment_id', t.id, (c) => c.notNull().references('assignments.id'))
        .addColumn('reviewer_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('practitioner_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('chair_id', t.id, (c) => c.references('staff.id'))
        .addColumn('case_reference', t.text(40), (c) => c.notNull())
        .addColumn('service', t.text(200), (c) => c.notNull())
        .addColumn('team', t.text(200), (c) => c.notNull())
        // draft, submitted, moderated, overseen
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('records_form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('reflection_form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('family_form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('reviewer_grade', t.text(40))
        .addColumn('final_grade', t.text(40))
        .addColumn('moderator_id', t.id, (c) => c.references('staff.id'))
        .addColumn('moderation_reason', t.longText)
        .addColumn('moderation_feedback', t.longText)
        .addColumn('oversight_by', t.id, (c) => c.references('staff.id'))
        .addColumn('oversight_directions', t.longText)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('submitted_at', t.time)
        .addColumn('moderated_at', t.time)
        .addColumn('oversight_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      // One review per assignment: a second "Start" finds the first.
      await db.schema.createIndex('ux_reviews_assignment').on('reviews').column('assignment_id').unique().execute();
      await db.schema.createIndex('ix_reviews_status').on('reviews').columns(['status', 'submitted_at']).execute();
      await db.schema.createIndex('ix_reviews_practitioner').on('reviews').column('practitioner_id').execute();
      await db.schema.createIndex('ix_reviews_reviewer').on('reviews').column('reviewer_id').execute();
      await db.schema.createIndex('ix_reviews_chair').on('reviews').column('chair_id').execute();

      await db.schema
        .createTable('form_responses')
        .addColumn('id', t.id, (c) => c.primaryKey())
        // What the answers belong to (a review now; observations and feedback later) and which part.
        .addColumn('subject_kind', t.text(20), (c) => c.notNull())
        .addColumn('subject_id', t.id, (c) => c.notNull())
        .addColumn('part', t.text(20), (c) => c.notNull())
        .addColumn('form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('respondent_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('answers_json', t.longText, (c) => c.notNull())
        // draft or submitted
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('submitted_at', t.time)
        .execute();
      await db.schema.createIndex('ux_form_responses_part').on('form_responses').columns(['subject_kind', 'subject_id', 'part']).unique().execute();

      await db.schema
        .createTable('actions')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('source_kind', t.text(20), (c) => c.notNull())
        .addColumn('source_id', t.id, (c) => c.notNull())
        .addColumn('description', t.text(1000), (c) => c.notNull())
        .addColumn('owner_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('due_date', t.text(10), (c) => c.notNull())
        // open or done
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('created_by', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('reminded_at', t.time)
        .addColumn('overdue_notified_at', t.time)
        .addColumn('completed_at', t.time)
        .addColumn('completed_by', t.id, (c) => c.references('staff.id'))
        .addColumn('completion_note', t.text(2000))
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_actions_status_due').on('actions').columns(['status', 'due_date']).execute();
      await db.schema.createIndex('ix_actions_owner_status').on('actions').columns(['owner_id', 'status']).execute();
      await db.schema.createIndex('ix_actions_source').on('actions').columns(['source_kind', 'source_id']).execute();
    },
  };
}

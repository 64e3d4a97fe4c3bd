import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/**
 * The QA manager's planner of monthly themes (spotlights) and the managers' thematic
 * reviews: dip-samples of cases answered against the month's theme questions, which are a
 * version of the thematic review form. Frozen once landed.
 */
export function themesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('themes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('month', t.text(7), (c) => c.notNull())
        .addColumn('title', t.text(200), (c) => c.notNull())
        // emt, slt, pib, performance_data, other
        .addColumn('origin', t.text(40), (c) => c.notNull())
        .addColumn('why', t.text(2000), (c) => c.notNull())
        .addColumn('form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('sample_size', t.integer, (c) => c.notNull())
        // JSON list of conversation ids of the channels its spotlight goes to.
        .addColumn('channels_json', t.longText, (c) => c.notNull())
        .addColumn('created_by', t.text(320), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_themes_month').on('themes').column('month').unique().execute();

      await db.schema
        .createTable('thematic_reviews')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('assignment_id', t.id, (c) => c.notNull().references('assignments.id'))
        .addColumn('theme_id', t.id, (c) => c.notNull().references('themes.id'))
        .addColumn('reviewer_id', t.id, (c) => c.notNull().references('staff.id'))
        // draft or submitted
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('submitted_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_thematic_reviews_assignment').on('thematic_reviews').column('assignment_id').unique().execute();
      await db.schema.createIndex('ix_thematic_reviews_theme').on('thematic_reviews').column('theme_id').execute();

      await db.schema
        .createTable('thematic_samples')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('thematic_review_id', t.id, (c) => c.notNull().references('thematic_reviews.id'))
        .addColumn('case_reference', t.text(40), (c) => c.notNull())
        .addColumn('form_id', t.id, (c) => c.notNull().references('forms.id'))
        .addColumn('answers_json', t.longText, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      // A case is sampled once in a thematic review: a double press stores one.
      await db.schema.createIndex('ux_thematic_samples_case').on('thematic_samples').columns(['thematic_review_id', 'case_reference']).unique().execute();
    },
  };
}

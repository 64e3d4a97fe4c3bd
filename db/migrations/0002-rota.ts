import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/** The rota, monthly assignments, QA-manager overrides and managers' requests. Frozen once landed. */
export function rotaMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rota_members')
        .addColumn('staff_id', t.id, (c) => c.primaryKey().references('staff.id'))
        // Position in the review → observation → thematic rotation; kind = (offset + active month index) mod 3.
        .addColumn('rotation_offset', t.integer, (c) => c.notNull())
        .addColumn('joined_month', t.text(7), (c) => c.notNull())
        .addColumn('on_rota', t.integer, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('assignments')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('staff_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('month', t.text(7), (c) => c.notNull())
        .addColumn('kind', t.text(40), (c) => c.notNull())
        // assigned, started, done, excused
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('excuse_reason', t.text(1000))
        .addColumn('assigned_at', t.time, (c) => c.notNull())
        .addColumn('started_at', t.time)
        .addColumn('completed_at', t.time)
        .addColumn('escalated_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_assignments_staff_month').on('assignments').columns(['staff_id', 'month']).unique().execute();
      await db.schema.createIndex('ix_assignments_month_status').on('assignments').columns(['month', 'status']).execute();

      await db.schema
        .createTable('rota_overrides')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('staff_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('month', t.text(7), (c) => c.notNull())
        // swap (kind set) or excuse (reason set)
        .addColumn('action', t.text(20), (c) => c.notNull())
        .addColumn('kind', t.text(40))
        .addColumn('reason', t.text(1000))
        .addColumn('decided_by', t.text(320), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_rota_overrides_staff_month').on('rota_overrides').columns(['staff_id', 'month']).unique().execute();

      await db.schema
        .createTable('rota_requests')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('staff_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('month', t.text(7), (c) => c.notNull())
        .addColumn('action', t.text(20), (c) => c.notNull())
        .addColumn('kind', t.text(40))
        .addColumn('reason', t.text(1000), (c) => c.notNull())
        // pending, approved, declined
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('decided_by', t.text(320))
        .addColumn('decided_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_rota_requests_status').on('rota_requests').columns(['status', 'created_at']).execute();
    },
  };
}

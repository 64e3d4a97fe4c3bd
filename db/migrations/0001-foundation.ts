import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/** Frozen once landed: later changes go in a new migration. */
export function foundationMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('staff')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('email', t.text(320), (c) => c.notNull())
        .addColumn('aad_object_id', t.text(36))
        .addColumn('name', t.text(200), (c) => c.notNull())
        .addColumn('tier', t.text(40), (c) => c.notNull())
        .addColumn('service', t.text(120), (c) => c.notNull())
        .addColumn('team', t.text(120), (c) => c.notNull())
        .addColumn('line_manager_id', t.id, (c) => c.references('staff.id'))
        .addColumn('roles', t.text(400), (c) => c.notNull())
        .addColumn('active', t.integer, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_staff_email').on('staff').column('email').unique().execute();
      // Filtered: SQL Server would otherwise allow only one NULL in a unique index.
      await db.schema
        .createIndex('ux_staff_aad_object_id')
        .on('staff')
        .column('aad_object_id')
        .unique()
        .where(sql.ref('aad_object_id'), 'is not', null)
        .execute();
      await db.schema.createIndex('ix_staff_service_team').on('staff').columns(['service', 'team']).execute();

      await db.schema
        .createTable('conversation_refs')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('conversation_id', t.text(400), (c) => c.notNull())
        .addColumn('scope', t.text(20), (c) => c.notNull())
        .addColumn('tenant_id', t.text(36))
        .addColumn('aad_object_id', t.text(36))
        .addColumn('staff_id', t.id, (c) => c.references('staff.id'))
        .addColumn('team_id', t.text(400))
        .addColumn('channel_id', t.text(400))
        .addColumn('service_url', t.text(400), (c) => c.notNull())
        .addColumn('reference_json', t.longText, (c) => c.notNull())
        .addColumn('installed', t.integer, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_conversation_refs_conversation').on('conversation_refs').column('conversation_id').unique().execute();
      await db.schema.createIndex('ix_conversation_refs_staff').on('conversation_refs').columns(['staff_id', 'scope']).execute();
      await db.schema.createIndex('ix_conversation_refs_aad').on('conversation_refs').columns(['aad_object_id', 'scope']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('at', t.time, (c) => c.notNull())
        .addColumn('actor', t.text(320), (c) => c.notNull())
        .addColumn('actor_role', t.text(40))
        .addColumn('action', t.text(80), (c) => c.notNull())
        .addColumn('record_kind', t.text(40), (c) => c.notNull())
        .addColumn('record_id', t.text(100))
        .addColumn('source', t.text(40), (c) => c.notNull())
        .addColumn('detail_json', t.longText)
        .execute();
      await db.schema.createIndex('ix_audit_log_at').on('audit_log').columns(['at', 'id']).execute();
      await db.schema.createIndex('ix_audit_log_record').on('audit_log').columns(['record_kind', 'record_id']).execute();
      // Append-only is enforced by the engine too, not only by the absence of an update method.
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_log_append_only ON audit_log INSTEAD OF UPDATE, DELETE AS BEGIN THROW 50001, 'audit_log is append-only', 1; END`.execute(db);
      }

      await db.schema
        .createTable('job_runs')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('job', t.text(80), (c) => c.notNull())
        .addColumn('period', t.text(40), (c) => c.notNull())
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('instance_id', t.text(80), (c) => c.notNull())
        .addColumn('attempts', t.integer, (c) => c.notNull())
        .addColumn('started_at', t.time, (c) => c.notNull())
        .addColumn('lease_until', t.time, (c) => c.notNull())
        .addColumn('finished_at', t.time)
        .addColumn('error', t.longText)
        .execute();
      await db.schema.createIndex('ux_job_runs_job_period').on('job_runs').columns(['job', 'period']).unique().execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('dedupe_key', t.text(200), (c) => c.notNull())
        .addColumn('kind', t.text(40), (c) => c.notNull())
        .addColumn('conversation_id', t.text(400))
        .addColumn('staff_id', t.id, (c) => c.references('staff.id'))
        .addColumn('payload_json', t.longText, (c) => c.notNull())
        .addColumn('status', t.text(20), (c) => c.notNull())
        .addColumn('attempts', t.integer, (c) => c.notNull())
        .addColumn('next_attempt_at', t.time, (c) => c.notNull())
        .addColumn('locked_until', t.time)
        .addColumn('last_error', t.text(1000))
        .addColumn('activity_id', t.text(400))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('sent_at', t.time)
        .execute();
      await db.schema.createIndex('ux_outbox_dedupe_key').on('outbox').column('dedupe_key').unique().execute();
      await db.schema.createIndex('ix_outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    },
  };
}

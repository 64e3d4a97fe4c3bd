import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../schema';

/**
 * Closes a way round the audit log's triggers on SQLite. `INSERT OR REPLACE` (or
 * `REPLACE INTO`) with the id of an existing entry deletes that entry and writes another,
 * and SQLite fires no delete trigger for a row removed that way (unless the connection
 * has turned on recursive triggers). This refuses any insert that reuses an id.
 * SQL Server has no REPLACE; a MERGE that matches a row updates or deletes it, which
 * 0001's INSTEAD OF trigger refuses already. Frozen once landed.
 */
export function auditLogNoReplaceMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'sqlite') return;
      await sql`CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    },
  };
}

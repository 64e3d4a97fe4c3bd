import type { Kysely } from 'kysely';
import type { AuditEntry, AuditSource, StoredAuditEntry } from '../services/audit';
import { applyPage, type Page } from './paging';
import type { Database, DialectName } from './schema';
import { fromDbJson, fromDbTime, newId, toDbJson, toDbTime } from './values';

/** Append and read only: there is deliberately no update or delete here (and triggers refuse them). */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async append(entry: AuditEntry, at: Date): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('audit_log')
      .values({
        id,
        at: toDbTime(at),
        actor: entry.actor,
        actor_role: entry.actorRole,
        action: entry.action,
        record_kind: entry.recordKind,
        record_id: entry.recordId,
        source: entry.source,
        detail_json: entry.detail === undefined ? null : toDbJson(entry.detail),
      })
      .execute();
    return id;
  }

  /** Entries with from <= at < to, oldest first. */
  async list(from: Date, to: Date, page: Page): Promise<StoredAuditEntry[]> {
    const query = this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('at', '>=', toDbTime(from))
      .where('at', '<', toDbTime(to))
      .orderBy('at')
      .orderBy('id');
    const rows = await applyPage(query, this.dialect, page).execute();
    return rows.map((row) => ({
      id: row.id,
      at: fromDbTime(row.at),
      actor: row.actor,
      actorRole: row.actor_role,
      action: row.action,
      recordKind: row.record_kind,
      recordId: row.record_id,
      source: row.source as AuditSource,
      ...(row.detail_json === null ? {} : { detail: fromDbJson<Record<string, unknown>>(row.detail_json) ?? {} }),
    }));
  }
}

import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../schema';

/**
 * Column types that mean the same in both engines. nvarchar(n) is Unicode text in
 * SQL Server and TEXT affinity in SQLite; long text is nvarchar(max) in SQL Server,
 * which SQLite's grammar does not accept, so it is chosen by dialect.
 */
export interface ColumnTypes {
  id: RawBuilder<unknown>;
  text: (length: number) => RawBuilder<unknown>;
  longText: RawBuilder<unknown>;
  /** ISO-8601 UTC timestamp text, e.g. 2026-09-01T08:00:00.000Z */
  time: RawBuilder<unknown>;
  integer: RawBuilder<unknown>;
}

export function columnTypes(dialect: DialectName): ColumnTypes {
  return {
    id: sql`nvarchar(36)`,
    text: (length: number) => sql.raw(`nvarchar(${length})`),
    longText: dialect === 'mssql' ? sql`nvarchar(max)` : sql`text`,
    time: sql`nvarchar(30)`,
    integer: sql`integer`,
  };
}

import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect';

/**
 * How many rows each table of a SQLite database holds (Kysely's own migration tables
 * aside). Taken before and after a request, it shows whether the request stored
 * anything anywhere, including in tables added after this was written.
 */
export async function storedRows(database: DatabaseHandle): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(database.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(database.db);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

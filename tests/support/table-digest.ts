import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../../db/connect';
import { storedRows } from './stored-rows';

/**
 * A fingerprint of every row of each SQLite table (Kysely's own tables aside): equal
 * before and after a request only if the request changed nothing there, not even a value
 * in a row that was already stored. Tables added later are included by name.
 */
export async function tableDigests(database: DatabaseHandle, except: readonly string[] = []): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const name of Object.keys(await storedRows(database))) {
    if (except.includes(name)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)} order by rowid`.execute(database.db);
    digests[name] = createHash('sha256').update(JSON.stringify(rows.rows)).digest('hex');
  }
  return digests;
}

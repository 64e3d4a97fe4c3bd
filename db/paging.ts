import type { SelectQueryBuilder } from 'kysely';
import type { DialectName } from './schema';

export interface Page {
  offset: number;
  limit: number;
}

/**
 * Pages a query that already has an ORDER BY. SQLite needs LIMIT/OFFSET; T-SQL has no
 * LIMIT (Kysely would emit it anyway) and needs OFFSET ... FETCH after an ORDER BY.
 */
export function applyPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  dialect: DialectName,
  page: Page,
): SelectQueryBuilder<DB, TB, O> {
  const limit = Math.max(1, Math.min(500, Math.trunc(page.limit)));
  const offset = Math.max(0, Math.trunc(page.offset));
  return dialect === 'mssql' ? query.offset(offset).fetch(limit) : query.limit(limit).offset(offset);
}

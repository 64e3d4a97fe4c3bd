/**
 * Engine errors, normalised. Uniqueness is enforced by unique indexes in both
 * engines; a repository catches the duplicate-key error and decides what it means.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, number } = error as { code?: unknown; number?: unknown };
  // better-sqlite3
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  // SQL Server: 2627 unique constraint, 2601 unique index
  if (number === 2627 || number === 2601) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isDuplicateKeyError(cause);
}

/** Errors that mean the database cannot be reached now (as opposed to a bad query). */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return (
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_BUSY' ||
    code === 'ESOCKET' ||
    code === 'ETIMEOUT' ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNCLOSED' ||
    // By its message, not `instanceof Error`: errors from the native driver may come from another realm.
    (typeof (error as { message?: unknown }).message === 'string' &&
      /Timeout: Request failed to complete|timed out|database connection is not open|pool (has been )?destroyed|driver has already been destroyed|Connection lost|Failed to connect/i.test((error as { message: string }).message))
  );
}

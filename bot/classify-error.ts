import { isUnavailableError } from '../db/errors';
import { QaError, toQaError } from '../services/errors';

/** Turns anything thrown into the one coded error type, recognising an unreachable database. */
export function classifyError(error: unknown): QaError {
  if (error instanceof QaError) return error;
  if (isUnavailableError(error)) {
    return new QaError('DATABASE_UNAVAILABLE', error instanceof Error ? error.message : String(error), { cause: error });
  }
  return toQaError(error);
}

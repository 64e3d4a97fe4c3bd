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

/**
 * What the log may say about an error. A coded error's message is ours; anything else
 * (a driver's message can quote the value it refused, which may be something a person
 * typed) is reduced to its class and code.
 */
export function loggableError(problem: QaError): string {
  if (problem.code !== 'INTERNAL' && problem.code !== 'DATABASE_UNAVAILABLE') return problem.message;
  const cause = problem.cause;
  if (typeof cause !== 'object' || cause === null) return problem.code;
  const { code, number } = cause as { code?: unknown; number?: unknown };
  return [cause.constructor?.name ?? 'Error', typeof code === 'string' ? code : undefined, typeof number === 'number' ? String(number) : undefined].filter(Boolean).join(' ');
}

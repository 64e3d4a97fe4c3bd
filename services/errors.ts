import { isUnavailableError } from '../db/errors';

/**
 * The one error type of QA Loop. Code that fails on purpose throws a QaError with a
 * code; the edges (turn error handler, restify error handler, job runner, CLI) turn it
 * into a clear message. `userMessage` is safe to show to a person; `message` may carry
 * detail for the log and is never shown to users.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INVALID_INPUT'
  | 'UNKNOWN_VERB'
  | 'UNKNOWN_COMMAND'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DATABASE_UNAVAILABLE'
  | 'DELIVERY_FAILED'
  | 'INTERNAL';

const defaultUserMessages: Record<ErrorCode, string> = {
  CONFIG_INVALID: 'QA Loop is not set up correctly. Please tell the QA service.',
  INVALID_INPUT: 'Some of that could not be used. Please check it and try again.',
  UNKNOWN_VERB: 'That button is not one QA Loop knows. The card may be out of date.',
  UNKNOWN_COMMAND: 'QA Loop does not know that command. Type "help" to see what it can do.',
  FORBIDDEN: 'Your role does not allow that. If you think it should, please ask the QA service.',
  NOT_FOUND: 'QA Loop could not find that. It may have been removed or finished already.',
  CONFLICT: 'That has already been done.',
  DATABASE_UNAVAILABLE: 'QA Loop cannot reach its records just now. Please try again shortly.',
  DELIVERY_FAILED: 'QA Loop could not deliver that message. It will try again.',
  INTERNAL: 'Something went wrong in QA Loop. Please try again shortly.',
};

export class QaError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  /** Extra facts for the log, never for the user. Must not hold card contents. */
  readonly detail: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { userMessage?: string; detail?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QaError';
    this.code = code;
    this.userMessage = options.userMessage ?? defaultUserMessages[code];
    this.detail = options.detail;
  }
}

export function isQaError(error: unknown): error is QaError {
  return error instanceof QaError;
}

/** Wraps anything thrown into a QaError, keeping a QaError as it is. */
export function toQaError(error: unknown): QaError {
  if (isQaError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  // An unreachable database keeps its own code wherever it is caught (the job runner too).
  if (isUnavailableError(error)) return new QaError('DATABASE_UNAVAILABLE', message, { cause: error });
  return new QaError('INTERNAL', message, { cause: error });
}

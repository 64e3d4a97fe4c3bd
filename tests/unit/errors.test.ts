import { isDuplicateKeyError, isUnavailableError } from '../../db/errors';
import { QaError, toQaError } from '../../services/errors';

describe('the one coded error type', () => {
  test('carries a code, a safe message for people and detail for the log', () => {
    const error = new QaError('FORBIDDEN', 'role check refused status', { detail: { command: 'status' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.userMessage).toMatch(/Your role does not allow that/);
    expect(error.userMessage).not.toContain('status');
  });

  test('anything else thrown becomes INTERNAL, keeping its cause', () => {
    const cause = new TypeError('x is undefined');
    const wrapped = toQaError(cause);
    expect(wrapped).toMatchObject({ code: 'INTERNAL', message: 'x is undefined', cause });
    expect(wrapped.userMessage).not.toContain('undefined');
  });

  test('duplicate keys are recognised from both engines, also when wrapped', () => {
    expect(isDuplicateKeyError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
    expect(isDuplicateKeyError({ number: 2627 })).toBe(true);
    expect(isDuplicateKeyError({ number: 2601 })).toBe(true);
    expect(isDuplicateKeyError(new Error('wrapper', { cause: { number: 2627 } }))).toBe(true);
    expect(isDuplicateKeyError({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });

  test('an unreachable database is told apart from a bad query', () => {
    expect(isUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(true);
    expect(isUnavailableError(new Error('driver has already been destroyed'))).toBe(true);
    expect(isUnavailableError(new Error('no such column: x'))).toBe(false);
  });
});

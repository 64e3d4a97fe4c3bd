import { randomUUID } from 'node:crypto';

/** The one place where values are shaped for storage and read back, identically for both engines. */
export const newId = (): string => randomUUID();

export const toDbBool = (value: boolean): number => (value ? 1 : 0);
export const fromDbBool = (value: number | boolean | null | undefined): boolean => value === 1 || value === true;

/** Timestamps are stored as ISO-8601 UTC text, which sorts the same way it compares. */
export const toDbTime = (value: Date): string => value.toISOString();
export const fromDbTime = (value: string): Date => new Date(value);

export const toDbJson = (value: unknown): string => JSON.stringify(value);
export function fromDbJson<T>(value: string | null): T | null {
  return value === null ? null : (JSON.parse(value) as T);
}

export const toDbList = (values: readonly string[]): string => [...new Set(values.map((v) => v.trim()).filter(Boolean))].join(',');
export const fromDbList = (value: string): string[] => (value === '' ? [] : value.split(','));

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

import { QaError } from './errors';

/**
 * Children are named in QA Loop only by the case reference of the trust's case record
 * system. The format is configuration (CASE_REFERENCE_PATTERN); the default takes an
 * optional short letter prefix and digits, which a name can never match.
 */
export const DEFAULT_CASE_REFERENCE_PATTERN = '^[A-Za-z]{0,4}-?[0-9]{4,12}$';
export const DEFAULT_CASE_REFERENCE_EXAMPLE = 'CR123456';

export interface CaseReferenceRule {
  pattern: RegExp;
  example: string;
}

export const defaultCaseReferenceRule: CaseReferenceRule = { pattern: new RegExp(DEFAULT_CASE_REFERENCE_PATTERN), example: DEFAULT_CASE_REFERENCE_EXAMPLE };

/** What is wrong with a case reference, in words for the person typing it; undefined when it is fine. */
export function caseReferenceProblem(rule: CaseReferenceRule, value: string): string | undefined {
  if (value === '') return 'Enter the case reference from the case record system.';
  if (value.length > 40 || !rule.pattern.test(value)) return `That is not a case reference. Use the reference from the case record system, like ${rule.example}: never a child's name.`;
  return undefined;
}

export function checkCaseReference(rule: CaseReferenceRule, value: string): string {
  const problem = caseReferenceProblem(rule, value);
  if (problem !== undefined) throw new QaError('INVALID_INPUT', 'case reference does not match the configured format', { userMessage: problem });
  return value;
}

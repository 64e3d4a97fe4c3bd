import { QaError } from '../../services/errors';
import type { Caller } from '../../services/identity';
import type { StaffMember } from '../../services/staff';

/** A card input's value as text: what Teams sends for a text or choice input; anything else counts as empty. */
export const textInput = (data: Record<string, unknown>, name: string): string => {
  const value = data[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** An id the card itself carried: must be a short plain string, or the card was tampered with. */
export function idInput(data: Record<string, unknown>, name: string): string {
  const value = data[name];
  if (typeof value !== 'string' || !/^[0-9a-zA-Z-]{1,64}$/.test(value)) {
    throw new QaError('INVALID_INPUT', `card data ${name} missing or malformed`, { userMessage: 'That card is missing what QA Loop needs. Type "my tasks" for a fresh one.' });
  }
  return value;
}

/** The staff record behind a button that acts on someone's own work. */
export function staffOf(caller: Caller): StaffMember {
  if (caller.staff === undefined) {
    throw new QaError('FORBIDDEN', 'caller not on file', { userMessage: 'QA Loop does not know you yet, so it cannot act on that. Please ask the QA service to add you.' });
  }
  return caller.staff;
}

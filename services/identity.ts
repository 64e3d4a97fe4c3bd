import type { StaffRepository } from '../db/staff.repository';
import { effectiveRoles, type Role } from './roles';
import type { StaffMember } from './staff';

/** The person behind an activity, as far as QA Loop knows them. */
export interface Caller {
  staff: StaffMember | undefined;
  roles: Role[];
  /** What the audit log records as the actor: email when known, else the Entra object id. */
  actor: string;
  /** True when this call linked the person's Teams identity to their staff record for the first time. */
  linked: boolean;
}

export interface CallerHints {
  aadObjectId: string | undefined;
  /** Asked only when the Entra id is not on file: a Teams member look-up costs a request. */
  lookUpEmail: () => Promise<string | undefined>;
}

/**
 * Finds the staff member by Entra object id, else by email from a member look-up, and
 * then remembers the Entra id so that the next time needs no look-up.
 */
export async function identifyCaller(staff: StaffRepository, hints: CallerHints, now: Date): Promise<Caller> {
  let person = hints.aadObjectId === undefined ? undefined : await staff.findByAadObjectId(hints.aadObjectId);
  let linked = false;
  if (person === undefined) {
    const email = await hints.lookUpEmail();
    if (email !== undefined) {
      person = await staff.findByEmail(email);
      // The email matches but a different Teams identity is on file: not the same person.
      if (person !== undefined && person.aadObjectId !== null && person.aadObjectId !== hints.aadObjectId) person = undefined;
      if (person !== undefined && person.aadObjectId === null && hints.aadObjectId !== undefined) {
        linked = await staff.linkAadObjectId(person.id, hints.aadObjectId, now);
        person = { ...person, aadObjectId: hints.aadObjectId };
      }
    }
  }
  const active = person?.active === true ? person : undefined;
  return {
    staff: active,
    roles: effectiveRoles(active?.roles ?? []),
    actor: active?.email ?? hints.aadObjectId ?? 'unknown',
    linked: linked && active !== undefined,
  };
}

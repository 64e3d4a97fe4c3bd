/**
 * Roles a person can hold in QA Loop. Everyone who can reach the bot is `staff`;
 * the others come from the rota (or, later, from Entra).
 */
export const roleNames = ['qa_manager', 'moderator', 'approver', 'manager', 'practitioner', 'independent_chair', 'admin'] as const;
export type AssignedRole = (typeof roleNames)[number];
export type Role = AssignedRole | 'staff';

export const roleLabels: Record<Role, string> = {
  staff: 'member of staff',
  qa_manager: 'QA manager',
  moderator: 'moderator',
  approver: 'approver',
  manager: 'manager',
  practitioner: 'practitioner',
  independent_chair: 'Independent Chair',
  admin: 'administrator',
};

export function isAssignedRole(value: string): value is AssignedRole {
  return (roleNames as readonly string[]).includes(value);
}

/** The roles a person holds: always `staff`, plus any valid assigned role on file. */
export function effectiveRoles(assigned: readonly string[]): Role[] {
  return ['staff', ...assigned.filter(isAssignedRole)];
}

export function describeRoles(roles: readonly Role[]): string {
  const named = roles.filter((role) => role !== 'staff').map((role) => roleLabels[role]);
  return named.length === 0 ? roleLabels.staff : named.join(', ');
}

/** A member of staff as QA Loop knows them: from the rota or from Entra. */
export interface StaffMember {
  id: string;
  email: string;
  aadObjectId: string | null;
  name: string;
  /** director, head_of_service, service_manager, team_manager, independent_chair, practitioner, qa_service */
  tier: string;
  service: string;
  team: string;
  lineManagerId: string | null;
  roles: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewStaffMember {
  email: string;
  aadObjectId?: string | null;
  name: string;
  tier: string;
  service: string;
  team: string;
  lineManagerId?: string | null;
  roles: string[];
}

/** An email address as compared: trimmed, lower case (as db/ stores it). */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

import type { QaKind } from './rota';

/** One manager's QA activity for one active month. */
export type AssignmentStatus = 'assigned' | 'started' | 'done' | 'excused';

export interface Assignment {
  id: string;
  staffId: string;
  month: string;
  kind: QaKind;
  status: AssignmentStatus;
  excuseReason: string | null;
  assignedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  escalatedAt: Date | null;
}

/** Still to do: neither finished nor excused. */
export const isOpen = (assignment: Pick<Assignment, 'status'>): boolean => assignment.status === 'assigned' || assignment.status === 'started';

export interface RotaOverride {
  staffId: string;
  month: string;
  action: 'swap' | 'excuse';
  kind: QaKind | null;
  reason: string | null;
  decidedBy: string;
}

export type RequestStatus = 'pending' | 'approved' | 'declined';

/** A manager asking the QA manager to swap or excuse their month. */
export interface RotaRequest {
  id: string;
  staffId: string;
  month: string;
  action: 'swap' | 'excuse';
  kind: QaKind | null;
  reason: string;
  status: RequestStatus;
  decidedBy: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

/** Where an action came from: a practice review's oversight, an observation, or a team's use of a seven-minute briefing. */
export type ActionSourceKind = 'review' | 'observation' | 'briefing';

/** An action that came out of QA activity (management oversight of a review), tracked until its owner closes it. */
export interface TrackedAction {
  id: string;
  sourceKind: ActionSourceKind;
  sourceId: string;
  description: string;
  ownerId: string;
  /** A London date, YYYY-MM-DD. */
  dueDate: string;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: Date;
  remindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  completionNote: string | null;
}

export type NewAction = Pick<TrackedAction, 'sourceKind' | 'sourceId' | 'description' | 'ownerId' | 'dueDate' | 'createdBy'>;

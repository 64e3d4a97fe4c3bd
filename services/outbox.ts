/** A proactive message waiting to go out, kept in the database until it is delivered. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'blocked' | 'not_installed';

export interface OutboxMessage {
  id: string;
  dedupeKey: string;
  kind: string;
  conversationId: string | null;
  staffId: string | null;
  /** The activity to send (text and/or card attachments). */
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  activityId: string | null;
  /** While a worker holds it: when its claim runs out. Outcome writes name it, so a stale worker's write does nothing. */
  lockedUntil: Date | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface NewOutboxMessage {
  dedupeKey: string;
  kind: string;
  conversationId: string | null;
  staffId: string | null;
  payload: Record<string, unknown>;
  notBefore?: Date;
}

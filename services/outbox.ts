/** A proactive message waiting to go out, kept in the database until it is delivered. */
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'blocked' | 'not_installed' | 'cancelled';

/**
 * What a message does in Teams: a new post (the default), or a change to (`update`) or
 * removal of (`delete`) an activity the bot posted before, named by its activity id.
 */
export type OutboxOperation = { kind: 'post' } | { kind: 'update'; activityId: string } | { kind: 'delete'; activityId: string };

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
  operation: OutboxOperation;
}

export interface NewOutboxMessage {
  dedupeKey: string;
  kind: string;
  conversationId: string | null;
  staffId: string | null;
  payload: Record<string, unknown>;
  notBefore?: Date;
  /** A new post unless said otherwise. */
  operation?: OutboxOperation;
}

import { createHash } from 'node:crypto';

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

/** Longest id an outbox dedupe key embeds as it is; the key column holds 200 characters. */
const KEY_PART_MAX = 100;

/**
 * An id as part of an outbox dedupe key: as it is when short, otherwise a stable short form
 * (`h-` and 32 hex of its SHA-256). Teams conversation ids can run to 400 characters.
 */
export const outboxKeyPart = (id: string): string => (id.length <= KEY_PART_MAX ? id : `h-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`);

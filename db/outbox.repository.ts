import type { Kysely, Selectable } from 'kysely';
import type { NewOutboxMessage, OutboxMessage, OutboxOperation, OutboxStatus } from '../services/outbox';
import { QaError } from '../services/errors';
import { isDuplicateKeyError } from './errors';
import { applyPage } from './paging';
import type { Database, DialectName, OutboxTable } from './schema';
import { fromDbJson, fromDbTime, newId, toDbJson, toDbTime } from './values';

function toOperation(row: Selectable<OutboxTable>): OutboxOperation {
  if ((row.operation === 'update' || row.operation === 'delete') && row.target_activity_id !== null) {
    return { kind: row.operation, activityId: row.target_activity_id };
  }
  return { kind: 'post' };
}

/** Every status, counted from zero. */
export const emptyStatusCounts = (): Record<OutboxStatus, number> => ({ queued: 0, sending: 0, sent: 0, failed: 0, blocked: 0, not_installed: 0, cancelled: 0 });

/**
 * A dedupe-key prefix as a LIKE pattern. The engines escape LIKE differently (SQL Server
 * also reads [ ]), so a prefix holding a wildcard is refused rather than escaped: the
 * prefixes are the bot's own ("briefing:<id>:"), never typed by anyone.
 */
function prefixPattern(prefix: string): string {
  if (prefix === '' || /[%_[\]]/.test(prefix)) throw new QaError('INTERNAL', `Outbox key prefix may not hold LIKE wildcards: ${prefix}`);
  return `${prefix}%`;
}

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    kind: row.kind,
    conversationId: row.conversation_id,
    staffId: row.staff_id,
    payload: fromDbJson<Record<string, unknown>>(row.payload_json) ?? {},
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    nextAttemptAt: fromDbTime(row.next_attempt_at),
    lastError: row.last_error,
    activityId: row.activity_id,
    lockedUntil: row.locked_until === null ? null : fromDbTime(row.locked_until),
    createdAt: fromDbTime(row.created_at),
    sentAt: row.sent_at === null ? null : fromDbTime(row.sent_at),
    operation: toOperation(row),
  };
}

export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /** Queues a message once: a second enqueue with the same dedupe key returns false and changes nothing. */
  async enqueue(message: NewOutboxMessage, now: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('outbox')
        .values({
          id: newId(),
          dedupe_key: message.dedupeKey,
          kind: message.kind,
          conversation_id: message.conversationId,
          staff_id: message.staffId,
          payload_json: toDbJson(message.payload),
          status: 'queued',
          attempts: 0,
          next_attempt_at: toDbTime(message.notBefore ?? now),
          locked_until: null,
          last_error: null,
          activity_id: null,
          created_at: toDbTime(now),
          sent_at: null,
          operation: message.operation === undefined || message.operation.kind === 'post' ? null : message.operation.kind,
          target_activity_id: message.operation === undefined || message.operation.kind === 'post' ? null : message.operation.activityId,
        })
        .execute();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * Takes up to `count` due messages for this worker. A message stuck in `sending`
   * past its lock (its worker died) is due again. Each is claimed by a conditional
   * update, so two workers never take the same message.
   */
  async claimDue(now: Date, count: number, lockMs: number): Promise<OutboxMessage[]> {
    const nowText = toDbTime(now);
    const candidates = await applyPage(
      this.db
        .selectFrom('outbox')
        .select(['id', 'status', 'locked_until'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', nowText)]),
            eb.and([eb('status', '=', 'sending'), eb('locked_until', '<', nowText)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .orderBy('id'),
      this.dialect,
      { offset: 0, limit: count },
    ).execute();
    const lockedUntil = toDbTime(new Date(now.getTime() + lockMs));
    const claimed: string[] = [];
    for (const candidate of candidates) {
      const result = await this.db
        .updateTable('outbox')
        .set((eb) => ({ status: 'sending', locked_until: lockedUntil, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', candidate.id)
        .where('status', '=', candidate.status)
        .where((eb) =>
          candidate.locked_until === null ? eb('locked_until', 'is', null) : eb('locked_until', '=', candidate.locked_until),
        )
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) claimed.push(candidate.id);
    }
    if (claimed.length === 0) return [];
    const rows = await this.db.selectFrom('outbox').selectAll().where('id', 'in', claimed).orderBy('next_attempt_at').orderBy('id').execute();
    return rows.map(toMessage);
  }

  /**
   * The outcome writes below take the claim (the lock time `claimDue` gave the message).
   * With it, a worker whose lock ran out while it was busy cannot overwrite the outcome
   * of the worker that took the message over: the write changes nothing.
   */
  private outcome(id: string, claim: Date | null | undefined) {
    let query = this.db.updateTable('outbox').where('id', '=', id);
    if (claim !== undefined) {
      query = query.where('status', '=', 'sending').where((eb) => (claim === null ? eb('locked_until', 'is', null) : eb('locked_until', '=', toDbTime(claim))));
    }
    return query;
  }

  async markSent(id: string, activityId: string | null, now: Date, claim?: Date | null): Promise<void> {
    await this.outcome(id, claim)
      .set({ status: 'sent', activity_id: activityId, sent_at: toDbTime(now), locked_until: null, last_error: null })
      .execute();
  }

  /** Puts a message back in the queue for a later attempt. */
  async markRetry(id: string, nextAttemptAt: Date, error: string, claim?: Date | null): Promise<void> {
    await this.outcome(id, claim)
      .set({ status: 'queued', next_attempt_at: toDbTime(nextAttemptAt), locked_until: null, last_error: error.slice(0, 1000) })
      .execute();
  }

  /** Ends a message that will not be delivered: failed, blocked (user blocked the app) or not_installed. */
  async markFinal(id: string, status: Extract<OutboxStatus, 'failed' | 'blocked' | 'not_installed'>, error: string, claim?: Date | null): Promise<void> {
    await this.outcome(id, claim).set({ status, locked_until: null, last_error: error.slice(0, 1000) }).execute();
  }

  /**
   * Puts a person's messages that found no chat back in the queue: they have just
   * installed the app, so what was waiting for them (since `since`) can now arrive.
   */
  async requeueNotInstalled(staffId: string, since: Date, now: Date): Promise<number> {
    const result = await this.db
      .updateTable('outbox')
      .set({ status: 'queued', next_attempt_at: toDbTime(now), locked_until: null })
      .where('staff_id', '=', staffId)
      .where('status', '=', 'not_installed')
      .where('created_at', '>=', toDbTime(since))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async findByDedupeKey(dedupeKey: string): Promise<OutboxMessage | undefined> {
    const row = await this.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
    return row === undefined ? undefined : toMessage(row);
  }

  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .orderBy('status')
      .execute();
    const counts = emptyStatusCounts();
    for (const row of rows) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }

  /** How the messages whose dedupe key starts with `prefix` stand (e.g. one broadcast's copies). */
  async countByStatusWithPrefix(prefix: string): Promise<Record<OutboxStatus, number>> {
    const rows = await this.db
      .selectFrom('outbox')
      .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
      .where('dedupe_key', 'like', prefixPattern(prefix))
      .groupBy('status')
      .orderBy('status')
      .execute();
    const counts = emptyStatusCounts();
    for (const row of rows) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }

  /** The messages whose dedupe key starts with `prefix`, in key order, a page at a time. */
  async listWithPrefix(prefix: string, page: { offset: number; limit: number }): Promise<OutboxMessage[]> {
    const rows = await applyPage(
      this.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', prefixPattern(prefix)).orderBy('dedupe_key').orderBy('id'),
      this.dialect,
      page,
    ).execute();
    return rows.map(toMessage);
  }

  /** The newest message whose dedupe key starts with `prefix` (e.g. a card's latest update). */
  async latestWithPrefix(prefix: string): Promise<OutboxMessage | undefined> {
    const rows = await applyPage(
      this.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', prefixPattern(prefix)).orderBy('created_at', 'desc').orderBy('id', 'desc'),
      this.dialect,
      { offset: 0, limit: 1 },
    ).execute();
    return rows[0] === undefined ? undefined : toMessage(rows[0]);
  }

  /**
   * Withdraws the messages with this key prefix that have not gone yet: queued ones become
   * `cancelled` and are never claimed. One being sent right now is not touched; it ends as
   * sent (or not) and its sender decides what follows. Returns how many were withdrawn.
   */
  async cancelQueued(prefix: string, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('outbox')
      .set({ status: 'cancelled', last_error: reason.slice(0, 1000), locked_until: null })
      .where('dedupe_key', 'like', prefixPattern(prefix))
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Withdraws for good the messages with this key prefix that have not arrived: queued ones,
   * and those that found no chat or were blocked (which `requeueNotInstalled` would
   * otherwise bring back when the person installs the app) all become `cancelled`. One
   * being sent right now is not touched. Returns how many were withdrawn.
   */
  async cancelUnfinished(prefix: string, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('outbox')
      .set({ status: 'cancelled', last_error: reason.slice(0, 1000), locked_until: null })
      .where('dedupe_key', 'like', prefixPattern(prefix))
      .where('status', 'in', ['queued', 'not_installed', 'blocked'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

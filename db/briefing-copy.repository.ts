import type { Kysely, Selectable } from 'kysely';
import type { BriefingRecipient, BriefingUsage } from '../services/briefings/briefing';
import type { NewOutboxMessage } from '../services/outbox';
import { isDuplicateKeyError } from './errors';
import { applyPage, type Page } from './paging';
import type { BriefingRecipientTable, BriefingUsageTable, Database, DialectName, OutboxTable } from './schema';
import { fromDbTime, newId, toDbJson, toDbTime } from './values';

/** Ids looked up in one statement: well inside SQL Server's 2,100 parameters. */
const KEY_LOOKUP_CHUNK = 1000;

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));

const toRecipient = (row: Selectable<BriefingRecipientTable>): BriefingRecipient => ({
  id: row.id,
  briefingId: row.briefing_id,
  recipientKey: row.recipient_key,
  kind: row.kind as BriefingRecipient['kind'],
  staffId: row.staff_id,
  conversationId: row.conversation_id,
  service: row.service,
  team: row.team,
  outboxKey: row.outbox_key,
  acknowledgedAt: time(row.acknowledged_at),
  readAt: time(row.read_at),
  remindedAt: time(row.reminded_at),
  createdAt: fromDbTime(row.created_at),
});

const toUsage = (row: Selectable<BriefingUsageTable>): BriefingUsage => ({
  id: row.id,
  briefingId: row.briefing_id,
  team: row.team,
  recordedBy: row.recorded_by,
  setting: row.setting,
  discussedOn: row.discussed_on,
  notes: row.notes,
  createdAt: fromDbTime(row.created_at),
});

export type NewBriefingRecipient = Pick<BriefingRecipient, 'recipientKey' | 'kind' | 'staffId' | 'conversationId' | 'service' | 'team' | 'outboxKey'>;
export type NewBriefingUsage = Pick<BriefingUsage, 'briefingId' | 'team' | 'recordedBy' | 'setting' | 'discussedOn' | 'notes'>;

/** One sent copy, with where its outbox message stands: what a recall or a read receipt acts on. */
export interface BriefingCopy {
  recipientId: string;
  recipientKey: string;
  kind: 'person' | 'channel';
  staffId: string | null;
  conversationId: string | null;
  status: string;
  activityId: string | null;
}

/** Acknowledgements of one briefing's personal copies, for one service and team. */
export interface BriefingAckCount {
  service: string;
  team: string;
  people: number;
  delivered: number;
  acknowledged: number;
  read: number;
}

/** A person in a team and whether they have acknowledged their copy. */
export interface BriefingTeamMember {
  staffId: string;
  name: string;
  acknowledgedAt: Date | null;
  delivered: boolean;
}

/**
 * Rows go to SQL Server in batches: a statement takes at most 2,100 parameters, and an
 * outbox row has 17 columns, so 100 rows (1,700) keep well inside it.
 */
const BATCH = 100;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/**
 * A seven-minute briefing's copies and what people did with them: each recipient and its
 * queued copy, acknowledgements, reads and reminders, and how teams used it. The briefing
 * row itself is BriefingRepository's (db/briefing.repository.ts).
 */
export class BriefingCopyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Stores every recipient and queues every copy (and anything else given, e.g. the
   * delivery card), in batches. Called inside the send's transaction, after `markSent`.
   */
  async addRecipients(recipients: readonly NewBriefingRecipient[], briefingId: string, messages: readonly NewOutboxMessage[], now: Date): Promise<void> {
    const at = toDbTime(now);
    for (const batch of chunks(recipients)) {
      await this.db
        .insertInto('briefing_recipients')
        .values(
          batch.map((r) => ({
            id: newId(), briefing_id: briefingId, recipient_key: r.recipientKey, kind: r.kind, staff_id: r.staffId, conversation_id: r.conversationId,
            service: r.service, team: r.team, outbox_key: r.outboxKey, acknowledged_at: null, read_at: null, reminded_at: null, created_at: at,
          })),
        )
        .execute();
    }
    for (const batch of chunks(messages)) {
      await this.db.insertInto('outbox').values(batch.map((message): OutboxTable => outboxRow(message, now))).execute();
    }
  }

  async findRecipient(briefingId: string, recipientKey: string): Promise<BriefingRecipient | undefined> {
    const row = await this.db.selectFrom('briefing_recipients').selectAll().where('briefing_id', '=', briefingId).where('recipient_key', '=', recipientKey).executeTakeFirst();
    return row === undefined ? undefined : toRecipient(row);
  }

  /** "I've read this", stored once. */
  async acknowledge(recipientId: string, now: Date): Promise<boolean> {
    const result = await this.db.updateTable('briefing_recipients').set({ acknowledged_at: toDbTime(now) }).where('id', '=', recipientId).where('acknowledged_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A person's delivered copies not yet marked read, with the activity each was posted as. */
  async unreadCopiesFor(staffId: string): Promise<BriefingCopy[]> {
    return this.copies()
      .where('br.staff_id', '=', staffId)
      .where('br.kind', '=', 'person')
      .where('br.read_at', 'is', null)
      .where('o.status', '=', 'sent')
      .orderBy('br.created_at')
      .orderBy('br.id')
      .execute() as Promise<BriefingCopy[]>;
  }

  async markRead(recipientIds: readonly string[], now: Date): Promise<number> {
    if (recipientIds.length === 0) return 0;
    const result = await this.db.updateTable('briefing_recipients').set({ read_at: toDbTime(now) }).where('id', 'in', [...recipientIds]).where('read_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** People whose copy reached them and who have neither acknowledged it nor been reminded. */
  async listToRemind(briefingId: string): Promise<BriefingCopy[]> {
    return this.copies()
      .where('br.briefing_id', '=', briefingId)
      .where('br.kind', '=', 'person')
      .where('br.acknowledged_at', 'is', null)
      .where('br.reminded_at', 'is', null)
      .where('o.status', '=', 'sent')
      .orderBy('br.recipient_key')
      .execute() as Promise<BriefingCopy[]>;
  }

  async markRecipientReminded(recipientId: string, now: Date): Promise<boolean> {
    const result = await this.db.updateTable('briefing_recipients').set({ reminded_at: toDbTime(now) }).where('id', '=', recipientId).where('reminded_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The copies posted in Teams (with an activity id), a page at a time: what a recall removes. */
  async listPostedCopies(briefingId: string, page: Page): Promise<BriefingCopy[]> {
    const rows = await applyPage(
      this.copies().where('br.briefing_id', '=', briefingId).where('o.status', '=', 'sent').where('o.activity_id', 'is not', null).orderBy('br.recipient_key').orderBy('br.id'),
      this.dialect,
      page,
    ).execute();
    return rows as BriefingCopy[];
  }

  private copies() {
    return this.db
      .selectFrom('briefing_recipients as br')
      .innerJoin('outbox as o', 'o.dedupe_key', 'br.outbox_key')
      .select(['br.id as recipientId', 'br.recipient_key as recipientKey', 'br.kind as kind', 'br.staff_id as staffId', 'br.conversation_id as conversationId', 'o.status as status', 'o.activity_id as activityId']);
  }

  /** Personal copies by service and team: how many, delivered, acknowledged and read. */
  async ackCounts(briefingId: string): Promise<BriefingAckCount[]> {
    const rows = await this.db
      .selectFrom('briefing_recipients as br')
      .leftJoin('outbox as o', 'o.dedupe_key', 'br.outbox_key')
      .select((eb) => [
        eb.fn.coalesce('br.service', eb.val('')).as('service'),
        eb.fn.coalesce('br.team', eb.val('')).as('team'),
        eb.fn.countAll<number | string>().as('people'),
        eb.fn.sum<number | string | null>(eb.case().when('o.status', '=', 'sent').then(1).else(0).end()).as('delivered'),
        eb.fn.count<number | string>('br.acknowledged_at').as('acknowledged'),
        eb.fn.count<number | string>('br.read_at').as('read'),
      ])
      .where('br.briefing_id', '=', briefingId)
      .where('br.kind', '=', 'person')
      .groupBy(['br.service', 'br.team'])
      .orderBy('br.service')
      .orderBy('br.team')
      .execute();
    return rows.map((row) => ({ service: row.service, team: row.team, people: Number(row.people), delivered: Number(row.delivered ?? 0), acknowledged: Number(row.acknowledged), read: Number(row.read) }));
  }

  /** The people of one team a briefing went to, by name, and whether each has acknowledged it. */
  async teamMembers(briefingId: string, service: string, team: string): Promise<BriefingTeamMember[]> {
    const rows = await this.db
      .selectFrom('briefing_recipients as br')
      .innerJoin('staff as s', 's.id', 'br.staff_id')
      .leftJoin('outbox as o', 'o.dedupe_key', 'br.outbox_key')
      .select(['br.staff_id as staffId', 's.name as name', 'br.acknowledged_at as acknowledgedAt', 'o.status as status'])
      .where('br.briefing_id', '=', briefingId)
      .where('br.kind', '=', 'person')
      .where('br.service', '=', service)
      .where('br.team', '=', team)
      .orderBy('s.name')
      .orderBy('br.id')
      .execute();
    return rows.map((row) => ({ staffId: row.staffId ?? '', name: row.name, acknowledgedAt: time(row.acknowledgedAt), delivered: row.status === 'sent' }));
  }

  /**
   * The dedupe keys of outbox messages (which briefing each delivery event belongs to),
   * looked up in chunks: SQL Server takes at most 2,100 parameters a statement.
   */
  async outboxKeysOf(messageIds: readonly string[]): Promise<string[]> {
    const keys: string[] = [];
    for (let at = 0; at < messageIds.length; at += KEY_LOOKUP_CHUNK) {
      const rows = await this.db.selectFrom('outbox').select('dedupe_key').where('id', 'in', messageIds.slice(at, at + KEY_LOOKUP_CHUNK)).orderBy('dedupe_key').execute();
      keys.push(...rows.map((row) => row.dedupe_key));
    }
    return keys;
  }

  /** Staff ids with the app installed in a personal chat (linked, or matched by their Entra id). */
  async staffWithPersonalChat(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('staff as s')
      .select('s.id as id')
      .where('s.active', '=', 1)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_refs as c')
            .select('c.id')
            .where('c.scope', '=', 'personal')
            .where('c.installed', '=', 1)
            .where((inner) => inner.or([inner('c.staff_id', '=', inner.ref('s.id')), inner('c.aad_object_id', '=', inner.ref('s.aad_object_id'))])),
        ),
      )
      .orderBy('s.id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** How a team used a briefing; false when this use is recorded already (a double press). */
  async addUsage(usage: NewBriefingUsage, now: Date): Promise<BriefingUsage | undefined> {
    const row: BriefingUsageTable = {
      id: newId(), briefing_id: usage.briefingId, team: usage.team, recorded_by: usage.recordedBy, setting: usage.setting,
      discussed_on: usage.discussedOn, notes: usage.notes, created_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('briefing_usage').values(row).execute();
      return toUsage(row);
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  /**
   * How one team used a briefing. The usage row names the team only (`team`); its service is
   * that of the manager who recorded it (staff joined on `recorded_by`), as the reports read it.
   */
  async listUsageForTeam(briefingId: string, service: string, team: string): Promise<BriefingUsage[]> {
    const rows = await this.db
      .selectFrom('briefing_usage as u')
      .innerJoin('staff as rb', 'rb.id', 'u.recorded_by')
      .selectAll('u')
      .where('u.briefing_id', '=', briefingId)
      .where('rb.service', '=', service)
      .where('u.team', '=', team)
      .orderBy('u.discussed_on')
      .orderBy('u.id')
      .execute();
    return rows.map(toUsage);
  }

  async listUsage(briefingId: string): Promise<BriefingUsage[]> {
    const rows = await this.db.selectFrom('briefing_usage').selectAll().where('briefing_id', '=', briefingId).orderBy('discussed_on').orderBy('id').execute();
    return rows.map(toUsage);
  }
}

/** An outbox row as OutboxRepository.enqueue writes it, for the batched insert of a broadcast. */
function outboxRow(message: NewOutboxMessage, now: Date): OutboxTable {
  const operation = message.operation === undefined || message.operation.kind === 'post' ? undefined : message.operation;
  return {
    id: newId(), dedupe_key: message.dedupeKey, kind: message.kind, conversation_id: message.conversationId, staff_id: message.staffId,
    payload_json: toDbJson(message.payload), status: 'queued', attempts: 0, next_attempt_at: toDbTime(message.notBefore ?? now), locked_until: null,
    last_error: null, activity_id: null, created_at: toDbTime(now), sent_at: null, operation: operation?.kind ?? null, target_activity_id: operation?.activityId ?? null,
  };
}

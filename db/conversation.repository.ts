import type { Kysely, Selectable } from 'kysely';
import type { ConversationScope, ConversationToSave, SavedConversation } from '../services/conversations';
import { isDuplicateKeyError } from './errors';
import type { ConversationRefTable, Database } from './schema';
import { fromDbBool, fromDbJson, fromDbTime, newId, toDbBool, toDbJson, toDbTime } from './values';

function toSaved(row: Selectable<ConversationRefTable>): SavedConversation {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    scope: row.scope as ConversationScope,
    tenantId: row.tenant_id,
    aadObjectId: row.aad_object_id,
    staffId: row.staff_id,
    teamId: row.team_id,
    channelId: row.channel_id,
    serviceUrl: row.service_url,
    reference: fromDbJson<Record<string, unknown>>(row.reference_json) ?? {},
    installed: fromDbBool(row.installed),
    updatedAt: fromDbTime(row.updated_at),
  };
}

export class ConversationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Saves or refreshes a conversation reference. Insert first; a duplicate key means
   * it is known already, so update it (no MERGE or ON CONFLICT: both engines alike).
   * Says whether the conversation is new, back after a removal, or just refreshed.
   */
  async save(conversation: ConversationToSave, now: Date): Promise<'created' | 'reinstalled' | 'refreshed'> {
    const values = {
      scope: conversation.scope,
      tenant_id: conversation.tenantId,
      aad_object_id: conversation.aadObjectId,
      staff_id: conversation.staffId,
      team_id: conversation.teamId,
      channel_id: conversation.channelId,
      service_url: conversation.serviceUrl,
      reference_json: toDbJson(conversation.reference),
      installed: toDbBool(true),
      updated_at: toDbTime(now),
    };
    try {
      await this.db
        .insertInto('conversation_refs')
        .values({ id: newId(), conversation_id: conversation.conversationId, created_at: toDbTime(now), ...values })
        .execute();
      return 'created';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const before = await this.findByConversationId(conversation.conversationId);
    await this.db
      .updateTable('conversation_refs')
      .set({ ...values, staff_id: conversation.staffId ?? before?.staffId ?? null })
      .where('conversation_id', '=', conversation.conversationId)
      .execute();
    return before?.installed === false ? 'reinstalled' : 'refreshed';
  }

  async findByConversationId(conversationId: string): Promise<SavedConversation | undefined> {
    const row = await this.db.selectFrom('conversation_refs').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
    return row === undefined ? undefined : toSaved(row);
  }

  /**
   * The personal chat with one person, newest first if there are several: linked to
   * their staff record, or saved under their Entra id (they installed the app before
   * they were on file, or were found by email later).
   */
  async findPersonalForStaff(staffId: string): Promise<SavedConversation | undefined> {
    const rows = await this.db
      .selectFrom('conversation_refs')
      .selectAll()
      .where('scope', '=', 'personal')
      .where('installed', '=', toDbBool(true))
      .where((eb) =>
        eb.or([
          eb('staff_id', '=', staffId),
          eb('aad_object_id', 'in', eb.selectFrom('staff').select('aad_object_id').where('id', '=', staffId).where('aad_object_id', 'is not', null)),
        ]),
      )
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .execute();
    const first = rows[0];
    return first === undefined ? undefined : toSaved(first);
  }

  /** Links a personal conversation to a staff member once the person is known. */
  async linkStaff(conversationId: string, staffId: string, now: Date): Promise<void> {
    await this.db
      .updateTable('conversation_refs')
      .set({ staff_id: staffId, updated_at: toDbTime(now) })
      .where('conversation_id', '=', conversationId)
      .execute();
  }

  /** Team channels and group chats the bot is in, for choosing where to post. */
  async listInstalled(scope: ConversationScope): Promise<SavedConversation[]> {
    const rows = await this.db
      .selectFrom('conversation_refs')
      .selectAll()
      .where('scope', '=', scope)
      .where('installed', '=', toDbBool(true))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSaved);
  }

  /** The app was removed or the user blocked it: stop sending there. */
  async markUninstalled(conversationId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('conversation_refs')
      .set({ installed: toDbBool(false), updated_at: toDbTime(now) })
      .where('conversation_id', '=', conversationId)
      .where('installed', '=', toDbBool(true))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The app was removed from a team: every channel of it saved for posting goes with it. Says how many. */
  async markTeamUninstalled(teamId: string, now: Date): Promise<number> {
    const result = await this.db
      .updateTable('conversation_refs')
      .set({ installed: toDbBool(false), updated_at: toDbTime(now) })
      .where('team_id', '=', teamId)
      .where('scope', '=', 'team')
      .where('installed', '=', toDbBool(true))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async countInstalled(): Promise<number> {
    const row = await this.db
      .selectFrom('conversation_refs')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('installed', '=', toDbBool(true))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { ActionSourceKind, NewAction, TrackedAction } from '../services/actions/action';
import type { ActionTable, Database } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));

function toAction(row: Selectable<ActionTable>): TrackedAction {
  return {
    id: row.id,
    sourceKind: row.source_kind as ActionSourceKind,
    sourceId: row.source_id,
    description: row.description,
    ownerId: row.owner_id,
    dueDate: row.due_date,
    status: row.status as TrackedAction['status'],
    createdBy: row.created_by,
    createdAt: fromDbTime(row.created_at),
    remindedAt: time(row.reminded_at),
    overdueNotifiedAt: time(row.overdue_notified_at),
    completedAt: time(row.completed_at),
    completedBy: row.completed_by,
    completionNote: row.completion_note,
  };
}

/** Actions from QA activity, open until their owner closes them. */
export class ActionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(action: NewAction, now: Date): Promise<TrackedAction> {
    const row: ActionTable = {
      id: newId(),
      source_kind: action.sourceKind,
      source_id: action.sourceId,
      description: action.description,
      owner_id: action.ownerId,
      due_date: action.dueDate,
      status: 'open',
      created_by: action.createdBy,
      created_at: toDbTime(now),
      reminded_at: null,
      overdue_notified_at: null,
      completed_at: null,
      completed_by: null,
      completion_note: null,
      updated_at: toDbTime(now),
    };
    await this.db.insertInto('actions').values(row).execute();
    return toAction(row);
  }

  async findById(id: string): Promise<TrackedAction | undefined> {
    const row = await this.db.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAction(row);
  }

  async listForSource(sourceId: string, sourceKind: ActionSourceKind = 'review'): Promise<TrackedAction[]> {
    const rows = await this.db.selectFrom('actions').selectAll().where('source_kind', '=', sourceKind).where('source_id', '=', sourceId).orderBy('due_date').orderBy('id').execute();
    return rows.map(toAction);
  }

  /** A person's open actions, soonest due first. */
  async listOpenFor(ownerId: string): Promise<TrackedAction[]> {
    const rows = await this.db.selectFrom('actions').selectAll().where('owner_id', '=', ownerId).where('status', '=', 'open').orderBy('due_date').orderBy('id').execute();
    return rows.map(toAction);
  }

  /** Open actions due on or before a date: those to remind and those overdue. */
  async listOpenDueBy(date: string): Promise<TrackedAction[]> {
    const rows = await this.db.selectFrom('actions').selectAll().where('status', '=', 'open').where('due_date', '<=', date).orderBy('due_date').orderBy('id').execute();
    return rows.map(toAction);
  }

  /** Closes an open action with what was done; false when it was closed already. */
  async close(id: string, note: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('actions')
      .set({ status: 'done', completion_note: note, completed_by: by, completed_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks the before-due reminder as sent, once. */
  async markReminded(id: string, now: Date): Promise<boolean> {
    const result = await this.db.updateTable('actions').set({ reminded_at: toDbTime(now), updated_at: toDbTime(now) }).where('id', '=', id).where('status', '=', 'open').where('reminded_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks that the owner's manager was told it is overdue, once. */
  async markOverdueNotified(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('actions')
      .set({ overdue_notified_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('overdue_notified_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { Assignment, AssignmentStatus } from '../services/assignments';
import type { QaKind } from '../services/rota';
import { isDuplicateKeyError } from './errors';
import type { AssignmentTable, Database } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

function toAssignment(row: Selectable<AssignmentTable>): Assignment {
  const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));
  return {
    id: row.id,
    staffId: row.staff_id,
    month: row.month,
    kind: row.kind as QaKind,
    status: row.status as AssignmentStatus,
    excuseReason: row.excuse_reason,
    assignedAt: fromDbTime(row.assigned_at),
    startedAt: time(row.started_at),
    completedAt: time(row.completed_at),
    escalatedAt: time(row.escalated_at),
  };
}

export class AssignmentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Makes a manager's assignment for a month once; a second call finds the first. */
  async create(staffId: string, month: string, kind: QaKind, status: 'assigned' | 'excused', excuseReason: string | null, now: Date): Promise<{ assignment: Assignment; created: boolean }> {
    const row: AssignmentTable = {
      id: newId(),
      staff_id: staffId,
      month,
      kind,
      status,
      excuse_reason: excuseReason,
      assigned_at: toDbTime(now),
      started_at: null,
      completed_at: null,
      escalated_at: null,
      updated_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('assignments').values(row).execute();
      return { assignment: toAssignment(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findFor(staffId, month);
      if (existing === undefined) throw error;
      return { assignment: existing, created: false };
    }
  }

  async findById(id: string): Promise<Assignment | undefined> {
    const row = await this.db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAssignment(row);
  }

  async findFor(staffId: string, month: string): Promise<Assignment | undefined> {
    const row = await this.db.selectFrom('assignments').selectAll().where('staff_id', '=', staffId).where('month', '=', month).executeTakeFirst();
    return row === undefined ? undefined : toAssignment(row);
  }

  async listForMonth(month: string): Promise<Assignment[]> {
    const rows = await this.db.selectFrom('assignments').selectAll().where('month', '=', month).orderBy('staff_id').execute();
    return rows.map(toAssignment);
  }

  /** Open (not done, not excused) assignments of one person, oldest month first. */
  async listOpenFor(staffId: string): Promise<Assignment[]> {
    const rows = await this.db
      .selectFrom('assignments')
      .selectAll()
      .where('staff_id', '=', staffId)
      .where('status', 'in', ['assigned', 'started'])
      .orderBy('month')
      .execute();
    return rows.map(toAssignment);
  }

  /**
   * Moves an assignment from one of `from` to `to`. Conditional, so a double click or
   * two instances change it once: returns false when it was not in a `from` status.
   */
  async transition(id: string, from: readonly AssignmentStatus[], to: AssignmentStatus, now: Date, extra: { excuseReason?: string; kind?: QaKind } = {}): Promise<boolean> {
    const result = await this.db
      .updateTable('assignments')
      .set({
        status: to,
        updated_at: toDbTime(now),
        ...(to === 'started' ? { started_at: toDbTime(now) } : {}),
        ...(to === 'done' ? { completed_at: toDbTime(now) } : {}),
        ...(extra.excuseReason === undefined ? {} : { excuse_reason: extra.excuseReason }),
        ...(extra.kind === undefined ? {} : { kind: extra.kind }),
      })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Changes the kind of an open assignment (a swap agreed after the month began). */
  async changeKind(id: string, kind: QaKind, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('assignments')
      .set({ kind, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'assigned')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records that the line manager was told; once only. */
  async markEscalated(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('assignments')
      .set({ escalated_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('escalated_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

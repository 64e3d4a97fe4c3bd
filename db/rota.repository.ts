import type { Kysely } from 'kysely';
import type { RotaOverride, RotaRequest, RequestStatus } from '../services/assignments';
import type { QaKind } from '../services/rota';
import { isDuplicateKeyError } from './errors';
import type { Database } from './schema';
import { fromDbBool, fromDbTime, newId, toDbBool, toDbTime } from './values';

export interface RotaMember {
  staffId: string;
  rotationOffset: number;
  joinedMonth: string;
  onRota: boolean;
}

/** Rota places, QA-manager overrides and managers' swap or excusal requests. */
export class RotaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a person to the rota, or brings them back keeping their place in the rotation. */
  async join(staffId: string, rotationOffset: number, joinedMonth: string, now: Date): Promise<void> {
    try {
      await this.db
        .insertInto('rota_members')
        .values({ staff_id: staffId, rotation_offset: rotationOffset, joined_month: joinedMonth, on_rota: toDbBool(true), created_at: toDbTime(now), updated_at: toDbTime(now) })
        .execute();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.db.updateTable('rota_members').set({ on_rota: toDbBool(true), updated_at: toDbTime(now) }).where('staff_id', '=', staffId).execute();
    }
  }

  /** Takes a person off the rota; their place and history are kept. */
  async leave(staffId: string, now: Date): Promise<void> {
    await this.db.updateTable('rota_members').set({ on_rota: toDbBool(false), updated_at: toDbTime(now) }).where('staff_id', '=', staffId).execute();
  }

  async listMembers(): Promise<RotaMember[]> {
    const rows = await this.db.selectFrom('rota_members').selectAll().orderBy('staff_id').execute();
    return rows.map((row) => ({ staffId: row.staff_id, rotationOffset: row.rotation_offset, joinedMonth: row.joined_month, onRota: fromDbBool(row.on_rota) }));
  }

  /** Sets the QA manager's decision for one manager's month, replacing an earlier one. */
  async setOverride(override: RotaOverride, now: Date): Promise<void> {
    const values = { action: override.action, kind: override.kind, reason: override.reason, decided_by: override.decidedBy, created_at: toDbTime(now) };
    try {
      await this.db.insertInto('rota_overrides').values({ id: newId(), staff_id: override.staffId, month: override.month, ...values }).execute();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.db.updateTable('rota_overrides').set(values).where('staff_id', '=', override.staffId).where('month', '=', override.month).execute();
    }
  }

  async overridesForMonth(month: string): Promise<RotaOverride[]> {
    const rows = await this.db.selectFrom('rota_overrides').selectAll().where('month', '=', month).orderBy('staff_id').execute();
    return rows.map((row) => ({
      staffId: row.staff_id,
      month: row.month,
      action: row.action as RotaOverride['action'],
      kind: row.kind as QaKind | null,
      reason: row.reason,
      decidedBy: row.decided_by,
    }));
  }

  /** Stores a waiting request; undefined when one is already waiting for that manager and month. */
  async addRequest(request: Omit<RotaRequest, 'id' | 'status' | 'decidedBy' | 'decidedAt' | 'createdAt'>, now: Date): Promise<string | undefined> {
    const id = newId();
    try {
      await this.db
        .insertInto('rota_requests')
        .values({
          id,
          staff_id: request.staffId,
          month: request.month,
          action: request.action,
          kind: request.kind,
          reason: request.reason,
          status: 'pending',
          decided_by: null,
          decided_at: null,
          created_at: toDbTime(now),
        })
        .execute();
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
    return id;
  }

  /** Puts a request back to waiting when agreeing to it could not be applied. */
  async reopenRequest(id: string): Promise<void> {
    await this.db.updateTable('rota_requests').set({ status: 'pending', decided_by: null, decided_at: null }).where('id', '=', id).where('status', '=', 'approved').execute();
  }

  async findRequest(id: string): Promise<RotaRequest | undefined> {
    const row = await this.db.selectFrom('rota_requests').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      staffId: row.staff_id,
      month: row.month,
      action: row.action as RotaRequest['action'],
      kind: row.kind as QaKind | null,
      reason: row.reason,
      status: row.status as RequestStatus,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at === null ? null : fromDbTime(row.decided_at),
      createdAt: fromDbTime(row.created_at),
    };
  }

  /** Decides a pending request; false when it was decided already (a second click). */
  async decideRequest(id: string, status: Exclude<RequestStatus, 'pending'>, decidedBy: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('rota_requests')
      .set({ status, decided_by: decidedBy, decided_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async pendingRequestFor(staffId: string, month: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('rota_requests')
      .select('id')
      .where('staff_id', '=', staffId)
      .where('month', '=', month)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row !== undefined;
  }
}

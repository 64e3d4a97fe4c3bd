import type { Kysely, Selectable } from 'kysely';
import { QaError } from '../services/errors';
import type { NewStaffMember, StaffMember } from '../services/staff';
import { isDuplicateKeyError } from './errors';
import { applyPage, type Page } from './paging';
import type { Database, DialectName, StaffTable } from './schema';
import { fromDbBool, fromDbList, fromDbTime, newId, normaliseEmail, toDbBool, toDbList, toDbTime } from './values';

function toStaffMember(row: Selectable<StaffTable>): StaffMember {
  return {
    id: row.id,
    email: row.email,
    aadObjectId: row.aad_object_id,
    name: row.name,
    tier: row.tier,
    service: row.service,
    team: row.team,
    lineManagerId: row.line_manager_id,
    roles: fromDbList(row.roles),
    active: fromDbBool(row.active),
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

export class StaffRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /** Adds a person. An email already on file is a CONFLICT. */
  async insert(person: NewStaffMember, now: Date): Promise<StaffMember> {
    const row: StaffTable = {
      id: newId(),
      email: normaliseEmail(person.email),
      aad_object_id: person.aadObjectId ?? null,
      name: person.name,
      tier: person.tier,
      service: person.service,
      team: person.team,
      line_manager_id: person.lineManagerId ?? null,
      roles: toDbList(person.roles),
      active: toDbBool(true),
      created_at: toDbTime(now),
      updated_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('staff').values(row).execute();
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new QaError('CONFLICT', `A staff member with email ${row.email} or that Entra id already exists.`, { cause: error });
      }
      throw error;
    }
    return toStaffMember(row);
  }

  /** Updates the details of a person already on file, keeping their id and history. */
  async update(id: string, changes: Partial<NewStaffMember> & { active?: boolean }, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('staff')
      .set({
        ...(changes.email !== undefined ? { email: normaliseEmail(changes.email) } : {}),
        ...(changes.aadObjectId !== undefined ? { aad_object_id: changes.aadObjectId } : {}),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.tier !== undefined ? { tier: changes.tier } : {}),
        ...(changes.service !== undefined ? { service: changes.service } : {}),
        ...(changes.team !== undefined ? { team: changes.team } : {}),
        ...(changes.lineManagerId !== undefined ? { line_manager_id: changes.lineManagerId } : {}),
        ...(changes.roles !== undefined ? { roles: toDbList(changes.roles) } : {}),
        ...(changes.active !== undefined ? { active: toDbBool(changes.active) } : {}),
        updated_at: toDbTime(now),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the Teams (Entra) identity of a person found by email, once known. */
  async linkAadObjectId(id: string, aadObjectId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('staff')
      .set({ aad_object_id: aadObjectId, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('aad_object_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async findById(id: string): Promise<StaffMember | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toStaffMember(row);
  }

  async findByEmail(email: string): Promise<StaffMember | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
    return row === undefined ? undefined : toStaffMember(row);
  }

  async findByAadObjectId(aadObjectId: string): Promise<StaffMember | undefined> {
    const row = await this.db.selectFrom('staff').selectAll().where('aad_object_id', '=', aadObjectId).executeTakeFirst();
    return row === undefined ? undefined : toStaffMember(row);
  }

  /** Active people, ordered by name then email, a page at a time. */
  async listActive(page: Page): Promise<StaffMember[]> {
    const query = this.db.selectFrom('staff').selectAll().where('active', '=', toDbBool(true)).orderBy('name').orderBy('email');
    const rows = await applyPage(query, this.dialect, page).execute();
    return rows.map(toStaffMember);
  }

  /** Everyone on file, active or not, by email. The trust's staff list is hundreds, not millions. */
  async listAll(): Promise<StaffMember[]> {
    const rows = await this.db.selectFrom('staff').selectAll().orderBy('email').execute();
    return rows.map(toStaffMember);
  }

  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('staff')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('active', '=', toDbBool(true))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

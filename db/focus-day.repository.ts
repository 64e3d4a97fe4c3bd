import type { Kysely, Selectable } from 'kysely';
import type { FocusDay } from '../services/observations/observation';
import { isDuplicateKeyError } from './errors';
import type { Database, FocusDayTable } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

const toFocusDay = (row: Selectable<FocusDayTable>): FocusDay => ({ id: row.id, day: row.day, theme: row.theme, createdBy: row.created_by, createdAt: fromDbTime(row.created_at) });

/** Practice Focused Days: one a date. */
export class FocusDayRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a day; undefined when there is already one on that date. */
  async add(day: string, theme: string, createdBy: string, now: Date): Promise<FocusDay | undefined> {
    const row: FocusDayTable = { id: newId(), day, theme, created_by: createdBy, created_at: toDbTime(now) };
    try {
      await this.db.insertInto('focus_days').values(row).execute();
      return toFocusDay(row);
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  async findByDay(day: string): Promise<FocusDay | undefined> {
    const row = await this.db.selectFrom('focus_days').selectAll().where('day', '=', day).executeTakeFirst();
    return row === undefined ? undefined : toFocusDay(row);
  }

  /** Days on or after a date, soonest first. */
  async listFrom(day: string): Promise<FocusDay[]> {
    const rows = await this.db.selectFrom('focus_days').selectAll().where('day', '>=', day).orderBy('day').execute();
    return rows.map(toFocusDay);
  }
}

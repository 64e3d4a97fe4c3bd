import type { Kysely, Selectable } from 'kysely';
import type { FormDefinition, FormKey, PublishedForm } from '../services/forms/form-definition';
import { isDuplicateKeyError } from './errors';
import { applyPage } from './paging';
import type { Database, DialectName, FormTable } from './schema';
import { fromDbJson, fromDbTime, newId, toDbJson, toDbTime } from './values';

function toForm(row: Selectable<FormTable>): PublishedForm {
  const definition = fromDbJson<FormDefinition>(row.definition_json);
  if (definition === null) throw new Error(`Form ${row.id} has no definition`);
  return { id: row.id, key: row.form_key as FormKey, version: row.version, definition, publishedBy: row.published_by, publishedAt: fromDbTime(row.published_at) };
}

/** Published form versions. A version, once stored, never changes: answers point at it. */
export class FormRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async latest(key: FormKey): Promise<PublishedForm | undefined> {
    const query = this.db.selectFrom('forms').selectAll().where('form_key', '=', key).orderBy('version', 'desc');
    const row = await applyPage(query, this.dialect, { offset: 0, limit: 1 }).executeTakeFirst();
    return row === undefined ? undefined : toForm(row);
  }

  async findById(id: string): Promise<PublishedForm | undefined> {
    const row = await this.db.selectFrom('forms').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toForm(row);
  }

  async listVersions(key: FormKey): Promise<PublishedForm[]> {
    const rows = await this.db.selectFrom('forms').selectAll().where('form_key', '=', key).orderBy('version').execute();
    return rows.map(toForm);
  }

  /** Stores a version; undefined when that version of the form already exists (someone else published it first). */
  async insert(key: FormKey, version: number, definition: FormDefinition, publishedBy: string, now: Date): Promise<PublishedForm | undefined> {
    const row: FormTable = {
      id: newId(),
      form_key: key,
      version,
      title: definition.title,
      definition_json: toDbJson(definition),
      published_by: publishedBy,
      published_at: toDbTime(now),
    };
    try {
      await this.db.insertInto('forms').values(row).execute();
      return toForm(row);
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }
}

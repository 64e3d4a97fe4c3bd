import { sql, type Kysely, type Migration } from 'kysely';

/**
 * One waiting swap or excusal request per manager and month, enforced by the engine: two
 * presses of "Send" at once store one request. Filtered, so decided requests may repeat.
 * Frozen once landed.
 */
export function pendingRequestOnceMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('ux_rota_requests_pending')
        .on('rota_requests')
        .columns(['staff_id', 'month'])
        .unique()
        .where(sql.ref('status'), '=', sql.lit('pending'))
        .execute();
    },
  };
}

import type { Kysely } from 'kysely';
import { createRepositories, type Repositories } from './repositories';
import type { Database, DialectName } from './schema';

/** Runs `work` with repositories bound to one transaction: committed if it resolves, rolled back if it throws. */
export function transactionRunner(db: Kysely<Database>, dialect: DialectName) {
  return <T>(work: (repos: Repositories) => Promise<T>): Promise<T> =>
    db.transaction().execute((trx) => work(createRepositories(trx, dialect)));
}

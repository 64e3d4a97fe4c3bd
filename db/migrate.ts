import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { QaError } from '../services/errors';
import type { Database, DialectName } from './schema';
import { foundationMigration } from './migrations/0001-foundation';
import { rotaMigration } from './migrations/0002-rota';
import { pendingRequestOnceMigration } from './migrations/0003-pending-request-once';
import { practiceReviewsMigration } from './migrations/0004-practice-reviews';
import { auditLogNoReplaceMigration } from './migrations/0005-audit-log-no-replace';
import { observationsAndFeedbackMigration } from './migrations/0006-observations-and-feedback';
import { themesMigration } from './migrations/0007-themes';
import { spotlightsAndBriefingsMigration } from './migrations/0008-spotlights-and-briefings';

/** Migrations in order. Names are frozen: Kysely records them in kysely_migration. */
export function migrationsFor(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-foundation': foundationMigration(dialect),
    '0002-rota': rotaMigration(dialect),
    '0003-pending-request-once': pendingRequestOnceMigration(),
    '0004-practice-reviews': practiceReviewsMigration(dialect),
    '0005-audit-log-no-replace': auditLogNoReplaceMigration(dialect),
    '0006-observations-and-feedback': observationsAndFeedbackMigration(dialect),
    '0007-themes': themesMigration(dialect),
    '0008-spotlights-and-briefings': spotlightsAndBriefingsMigration(dialect),
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return this.migrations;
  }
}

/** Brings the schema up to date; called on every start. Returns the names it applied. */
export async function migrateToLatest(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(migrationsFor(dialect)) });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new QaError('INTERNAL', `Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

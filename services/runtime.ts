import { openDatabase, type DatabaseHandle } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createRepositories } from '../db/repositories';
import { transactionRunner } from '../db/transaction';
import { createCalendar, loadBankHolidays } from './calendar';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import type { ServiceContext } from './context';
import type { Logger } from './logger';
import { defaultRetention, type RetentionSettings } from './retention';

/**
 * Opens the database, brings its schema up to date and builds the domain's context.
 * The bot and the `qa` command start the same way.
 */
export async function openRuntime(config: Config, logger: Logger, clock: Clock = systemClock): Promise<{ database: DatabaseHandle; context: ServiceContext; migrationsApplied: string[] }> {
  const calendar = createCalendar({ pausedMonths: config.pausedMonths, bankHolidays: loadBankHolidays(config.bankHolidaysFile) });
  const database = openDatabase(config.database);
  let migrationsApplied: string[];
  try {
    migrationsApplied = await migrateToLatest(database.db, database.dialect);
  } catch (error) {
    // An open SQL Server pool would keep the process alive after the error.
    await database.close().catch(() => undefined);
    throw error;
  }
  return { database, context: contextFor(database, calendar, clock, logger, config.retention), migrationsApplied };
}

export function contextFor(database: DatabaseHandle, calendar: ServiceContext['calendar'], clock: Clock, logger: Logger, retention: RetentionSettings = defaultRetention): ServiceContext {
  return {
    retention,
    repos: createRepositories(database.db, database.dialect),
    transaction: transactionRunner(database.db, database.dialect),
    calendar,
    clock,
    logger,
  };
}

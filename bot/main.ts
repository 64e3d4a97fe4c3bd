import { migrateToLatest } from '../db/migrate';
import { openDatabase } from '../db/connect';
import { loadConfig, redactDatabaseUrl, type Config } from '../services/config';
import { isQaError } from '../services/errors';
import { createLogger } from '../services/logger';
import { createBotApp } from './app';

/** Start-up: settings, database, migrations, then the HTTP server. Any failure stops the process with a clear line. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`QA Loop cannot start: ${isQaError(error) ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const database = openDatabase(config.database);
  const applied = await migrateToLatest(database.db, database.dialect);
  logger.info({ database: redactDatabaseUrl(config.databaseUrl), migrationsApplied: applied }, 'database ready');

  const app = createBotApp({ config, logger, database });
  const port = await app.listen(config.port);
  logger.info({ port, localMode: config.localMode }, `QA Loop is listening on http://localhost:${port}/api/messages`);

  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`QA Loop stopped: ${isQaError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

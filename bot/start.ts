import { migrateToLatest } from '../db/migrate';
import { openDatabase } from '../db/connect';
import { loadConfig, redactDatabaseUrl, type Config } from '../services/config';
import { createLogger, type Logger } from '../services/logger';
import { startCron } from '../services/cron';
import { createBotApp, type BotApp } from './app';

export interface RunningBot {
  config: Config;
  logger: Logger;
  app: BotApp;
  port: number;
  /** Stops the HTTP server, then closes the database. */
  stop(): Promise<void>;
}

/**
 * Start-up: settings (from `env`, with defaults), database, migrations, then the HTTP
 * server. A bad setting throws a QaError with code CONFIG_INVALID.
 */
export async function startBot(env: NodeJS.ProcessEnv = process.env): Promise<RunningBot> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  const database = openDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db, database.dialect);
    logger.info({ database: redactDatabaseUrl(config.databaseUrl), migrationsApplied: applied }, 'database ready');

    const app = createBotApp({ config, logger, database });
    const port = await app.listen(config.port, config.host);
    if (config.localMode && config.host !== '127.0.0.1' && config.host !== 'localhost') {
      logger.warn({ host: config.host }, 'local mode: requests are not authenticated, and this address is reachable from other machines');
    }
    logger.info({ port, localMode: config.localMode }, `QA Loop is listening on http://localhost:${port}/api/messages`);
    if (config.reportLinks.secretSource === 'generated') {
      logger.warn('REPORT_LINK_SECRET is not set: a secret was made for this run, so links to reports stop working when QA Loop restarts');
    } else if (config.reportLinks.secretSource === 'missing' || config.reportLinks.publicBaseUrl === undefined) {
      logger.warn('Links to full reports are off: set REPORT_LINK_SECRET and PUBLIC_BASE_URL (report cards still show the headline figures)');
    }
    app.delivery.start();
    const cron = startCron(app.scheduler, logger);
    // Make up any run missed while the bot was down (the scheduler only acts in working hours).
    app.scheduler.tick().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'catch-up tick failed'));
    return {
      config,
      logger,
      app,
      port,
      stop: async () => {
        await cron.stop();
        await app.delivery.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

import { Writable } from 'node:stream';
import { createBotApp, type BotApp } from '../../bot/app';
import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import type { Clock } from '../../services/clock';
import { loadConfig } from '../../services/config';
import { createLogger } from '../../services/logger';
import { ConnectorStandIn } from './connector-stand-in';
import { people, TeamsClient } from './teams-client';

export interface Harness {
  app: BotApp;
  botUrl: string;
  baseUrl: string;
  connector: ConnectorStandIn;
  teams: TeamsClient;
  database: DatabaseHandle;
  /** Every JSON line the bot logged. */
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The real bot on a loopback port with a real in-memory SQLite database, talking to a
 * connector stand-in. Settings come from `env`, exactly as at start-up.
 */
export async function startHarness(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<Harness> {
  const connector = new ConnectorStandIn();
  await connector.start();
  Object.values(people).forEach((person) => connector.addMember(person));
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'info', ...options.env });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const database = openDatabase(config.database);
  await migrateToLatest(database.db, database.dialect);
  const app = createBotApp({ config, logger, database, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  const port = await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  const botUrl = `${baseUrl}/api/messages`;
  return {
    app,
    botUrl,
    baseUrl,
    connector,
    teams: new TeamsClient(botUrl, connector),
    database,
    logLines,
    close: async () => {
      await app.close();
      await connector.stop();
      await database.close().catch(() => undefined);
    },
  };
}

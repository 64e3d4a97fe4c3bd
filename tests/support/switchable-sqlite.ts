import { Writable } from 'node:stream';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createBotApp } from '../../bot/app';
import type { DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import type { Clock } from '../../services/clock';
import { loadConfig } from '../../services/config';
import { createLogger } from '../../services/logger';
import { ConnectorStandIn } from './connector-stand-in';
import type { Harness } from './harness';
import { TeamsClient } from './teams-client';

/**
 * A real SQLite file whose connection a test can take away and give back while the bot
 * runs on it: the database going away mid-run, as a disk, share or server does.
 *
 * The bot gets an ordinary Kysely handle (the same dialect and settings db/connect.ts
 * uses); underneath, every statement is prepared on the current better-sqlite3
 * connection. `takeAway()` closes that connection: from then on every statement fails
 * with the driver's own error ("The database connection is not open"), and a transaction
 * cut off is rolled back by SQLite, as when a connection drops. `giveBack()` opens the
 * file again. `takeAwayAfter(n)` lets `n` more statements through and cuts at the next,
 * wherever in a request or transaction that falls.
 */
export interface SwitchableSqlite {
  handle: DatabaseHandle;
  path: string;
  takeAway(): void;
  takeAwayAfter(statements: number): void;
  /** Cuts at the `occurrence`-th statement (1 = the next) whose SQL matches `pattern`, before it runs. */
  takeAwayAt(pattern: RegExp, occurrence: number): void;
  giveBack(): void;
  readonly away: boolean;
  /** Statements prepared since the last giveBack() (or the start). */
  readonly statements: number;
}

function connect(path: string): SqliteDatabase.Database {
  const database = new SqliteDatabase(path);
  // As db/connect.ts opens it.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return database;
}

export function switchableSqlite(path: string): SwitchableSqlite {
  let current = connect(path);
  let cutAt: number | undefined;
  let cutWhen: { pattern: RegExp; left: number } | undefined;
  let statements = 0;
  const takeAway = (): void => {
    if (current.open) current.close();
    cutAt = undefined;
    cutWhen = undefined;
  };
  // What Kysely's SQLite driver uses of a better-sqlite3 connection.
  const connection = {
    prepare(sqlText: string) {
      statements++;
      if (cutAt !== undefined && statements > cutAt) takeAway();
      if (cutWhen !== undefined && cutWhen.pattern.test(sqlText) && --cutWhen.left <= 0) takeAway();
      try {
        return current.prepare(sqlText);
      } catch (error) {
        // The driver's own error, thrown again as an error of this realm. Under Jest the
        // bot's modules run in a sandbox whose Error is not the one native code throws, so
        // `instanceof Error` (db/errors.ts) would fail here though it holds in production.
        const { message, constructor } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; constructor?: { name?: string } };
        if (typeof message === 'string' && constructor?.name === 'TypeError') throw new TypeError(message);
        throw error;
      }
    },
    close() {
      if (current.open) current.close();
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection as unknown as SqliteDatabase.Database }) });
  return {
    handle: { db, dialect: 'sqlite', close: () => db.destroy() },
    path,
    takeAway,
    takeAwayAfter(n) {
      cutAt = statements + n;
    },
    takeAwayAt(pattern, occurrence) {
      cutWhen = { pattern, left: occurrence };
    },
    giveBack() {
      cutAt = undefined;
      cutWhen = undefined;
      if (!current.open) current = connect(path);
      statements = 0;
    },
    get away() {
      return !current.open;
    },
    get statements() {
      return statements;
    },
  };
}

/** The real bot (as tests/support/harness.ts builds it) on a switchable SQLite file. */
export async function startHarnessOnSwitchable(path: string, options: { clock?: Clock } = {}): Promise<Harness & { sqlite: SwitchableSqlite }> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const config = loadConfig({ DATABASE_URL: `sqlite:${path}`, LOG_LEVEL: 'info' });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const sqlite = switchableSqlite(path);
  await migrateToLatest(sqlite.handle.db, sqlite.handle.dialect);
  const app = createBotApp({ config, logger, database: sqlite.handle, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  const port = await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  const botUrl = `${baseUrl}/api/messages`;
  return {
    app,
    botUrl,
    baseUrl,
    connector,
    teams: new TeamsClient(botUrl, connector),
    database: sqlite.handle,
    logLines,
    sqlite,
    close: async () => {
      await app.close();
      await connector.stop();
      await sqlite.handle.close().catch(() => undefined);
    },
  };
}

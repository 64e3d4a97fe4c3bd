import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, MssqlDialect, SqliteDialect, sql, type Dialect } from 'kysely';
import type * as Tarn from 'tarn';
import type * as Tedious from 'tedious';
import type { DatabaseSettings } from '../services/config';
import type { Database, DialectName } from './schema';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

function sqliteDialect(path: string): Dialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  // WAL lets the health check and the delivery worker read while a job writes.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database });
}

function mssqlDialect(settings: Extract<DatabaseSettings, { kind: 'mssql' }>): Dialect {
  // Loaded only for SQL Server: they cost most of a second at every start on SQLite.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tedious = require('tedious') as typeof Tedious;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tarn = require('tarn') as typeof Tarn;
  return new MssqlDialect({
    tarn: {
      ...tarn,
      // Without an acquire timeout a query against a down server waits ~30 s.
      options: { min: 0, max: 10, acquireTimeoutMillis: 5000 },
    },
    tedious: {
      ...tedious,
      connectionFactory: () =>
        new tedious.Connection({
          server: settings.server,
          authentication: { type: 'default', options: { userName: settings.user, password: settings.password } },
          options: {
            port: settings.port,
            database: settings.database,
            encrypt: settings.encrypt,
            trustServerCertificate: settings.trustServerCertificate,
            connectTimeout: 5000,
            requestTimeout: 15000,
          },
        }),
    },
  });
}

export function openDatabase(settings: DatabaseSettings): DatabaseHandle {
  const dialect = settings.kind === 'sqlite' ? sqliteDialect(settings.path) : mssqlDialect(settings);
  const db = new Kysely<Database>({ dialect });
  return { db, dialect: settings.kind, close: () => db.destroy() };
}

/** True when a trivial query succeeds; used by /healthz. */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1 as ok`.execute(db);
    return true;
  } catch {
    return false;
  }
}

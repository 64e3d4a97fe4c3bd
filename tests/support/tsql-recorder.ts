import {
  Kysely,
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Database } from '../../db/schema';

/**
 * A Kysely instance that compiles with Kysely's real SQL Server compiler and records
 * every statement instead of sending it: how the T-SQL of each repository query is
 * checked on a machine with no SQL Server. `answer` scripts what the "server" returns,
 * so each code path (found, not found, duplicate key) can be walked.
 */
export type Answer = (query: CompiledQuery) => QueryResult<unknown> | Error | undefined;

export interface TsqlRecorder {
  db: Kysely<Database>;
  statements: CompiledQuery[];
  answer: Answer | undefined;
}

export function createTsqlRecorder(): TsqlRecorder {
  const recorder: TsqlRecorder = { db: undefined as unknown as Kysely<Database>, statements: [], answer: undefined };
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      recorder.statements.push(query);
      const scripted = recorder.answer?.(query);
      if (scripted instanceof Error) throw scripted;
      return (scripted ?? { rows: [], numAffectedRows: 1n }) as QueryResult<R>;
    },
    // eslint-disable-next-line require-yield
    async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
      throw new Error('streaming is not used');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const dialect: Dialect = {
    createAdapter: () => new MssqlAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new MssqlQueryCompiler(),
    createIntrospector: (db) => new MssqlIntrospector(db),
  };
  recorder.db = new Kysely<Database>({ dialect });
  return recorder;
}

/** A SQL Server duplicate-key error as tedious reports it (error 2627). */
export function mssqlDuplicateKey(): Error {
  return Object.assign(new Error("Violation of UNIQUE KEY constraint. Cannot insert duplicate key."), { number: 2627 });
}

/**
 * T-SQL rules every statement must keep: no LIMIT (SQL Server has none), an ORDER BY
 * before every OFFSET, no RETURNING / ON CONFLICT / OUTPUT in shared code, no
 * SQLite-only functions, and one parameter for every placeholder. (Kysely quotes
 * identifiers with double quotes, which SQL Server reads as identifiers because
 * tedious connects with QUOTED_IDENTIFIER ON.)
 */
export function tsqlProblems(query: CompiledQuery): string[] {
  const text = query.sql;
  // Quoted identifiers are stripped so that a column named e.g. "limit" is not a false alarm.
  const bare = text.replace(/"[^"]*"/g, '""');
  const problems: string[] = [];
  if (/\blimit\b/i.test(bare)) problems.push('uses LIMIT');
  if (/\boffset\b/i.test(bare)) {
    const offsetAt = bare.search(/\boffset\b/i);
    if (!/\border by\b/i.test(bare.slice(0, offsetAt))) problems.push('OFFSET without ORDER BY');
    if (!/\bfetch next\b/i.test(bare.slice(offsetAt))) problems.push('OFFSET without FETCH NEXT');
  }
  if (/\bfetch next\b/i.test(bare) && !/\boffset\b/i.test(bare)) problems.push('FETCH without OFFSET');
  if (/\breturning\b/i.test(bare)) problems.push('uses RETURNING');
  if (/\bon conflict\b/i.test(bare)) problems.push('uses ON CONFLICT');
  if (/\boutput\b/i.test(bare)) problems.push('uses OUTPUT');
  if (/\b(datetime|strftime|julianday|ifnull|group_concat|autoincrement)\b/i.test(bare)) problems.push('SQLite-only function');
  if (/\btext\b/i.test(bare) && /^\s*create table/i.test(bare)) problems.push('column of type text (deprecated in SQL Server)');
  const placeholders = new Set((text.match(/@\d+/g) ?? []).map((p) => p));
  if (placeholders.size !== query.parameters.length) problems.push(`${placeholders.size} placeholders for ${query.parameters.length} parameters`);
  return problems;
}

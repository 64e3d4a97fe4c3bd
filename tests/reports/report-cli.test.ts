import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { createCalendar, loadBankHolidays } from '../../services/calendar';
import { parseCsv } from '../../services/csv';
import { FIGURE_COLUMNS, RECORD_COLUMNS } from '../../services/reports/report-csv';
import { runQa } from '../support/qa-process';
import { buildWorld, type World } from './report-world';

/** `npm run qa -- report ...` as a real process, in each format, against a SQLite file holding the year of known records. */
const temp = mkdtempSync(join(tmpdir(), 'qa-loop-report-cli-'));
const database = join(temp, 'reports.sqlite');
const NOW = { QA_NOW: '2028-01-15T10:00:00Z' };
let world: World;

beforeAll(async () => {
  const handle = openDatabase({ kind: 'sqlite', path: database });
  await migrateToLatest(handle.db, handle.dialect);
  world = await buildWorld(createRepositories(handle.db, handle.dialect), createCalendar({ bankHolidays: loadBankHolidays() }));
  await handle.close();
});

describe('npm run qa -- report', () => {
  test('monthly as CSV on the screen, quarterly for a service as Markdown, yearly as HTML', async () => {
    const [csv, markdown, html] = await Promise.all([
      runQa(database, ['report', 'monthly', '2027-01', '--format', 'csv'], NOW),
      runQa(database, ['report', 'quarterly', '2027-q1', '--service', 'south', '--format', 'md'], NOW),
      runQa(database, ['report', 'yearly', '2027'], NOW),
    ]);
    expect(csv).toMatchObject({ code: 0 });
    expect(csv.stderr).toContain('Made the Monthly QA report: January 2027 (The whole trust)');
    const rows = parseCsv(csv.stdout);
    expect(rows[0]?.fields).toEqual([...FIGURE_COLUMNS]);
    expect(csv.stdout.includes('\r\n')).toBe(true);
    const row = (id: string) => rows.find((candidate) => candidate.fields[3] === id)?.fields;
    expect(row('activity.all.completed')?.slice(0, 3)).toEqual(['2027-01', 'trust', '2027-02-01T00:00:00.000Z']);
    expect(row('activity.all.completed')?.slice(6)).toEqual(['4', 'activity.all.expected', '5', '80', 'small sample']);
    expect(row('activity.all.excused')?.[6]).toBe('1');
    expect(row('moderation.agreed')?.slice(6)).toEqual(['1', 'moderation.moderated', '1', '100', 'small sample']);

    expect(markdown).toMatchObject({ code: 0 });
    expect(markdown.stdout.startsWith('# Quarterly QA report: Q1 2027 (January to March)\n')).toBe(true);
    expect(markdown.stdout).toContain('- **Scope:** South service');
    expect(markdown.stdout).toContain('| **All QA activity** | 6 | 1 | 5 | 4 | 4 | 0 | 1 | 0 | 80% (n=5, small sample) | 80% (n=5, small sample) |');

    expect(html).toMatchObject({ code: 0 });
    expect(html.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.stdout).toContain('<h1>Yearly QA report: 2027</h1>');
    expect(html.stdout).toContain('<td class="num">59</td>');
  });

  test('--out and --detail write new files only their owner can read: the report, and the records behind every figure', async () => {
    const out = join(temp, 'january.html');
    const detail = join(temp, 'january-records.csv');
    const run = await runQa(database, ['report', 'monthly', '2027-01', '--service', 'North', '--team', 'North A', '--out', out, '--detail', detail], NOW);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(`Wrote the Monthly QA report: January 2027 (North A, North service)`);
    expect(run.stdout).toContain(`to ${detail}.`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(detail).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain('<dd>North A, North service</dd>');
    const records = parseCsv(readFileSync(detail, 'utf8'));
    expect(records[0]?.fields).toEqual([...RECORD_COLUMNS]);
    // North A in January: N1 on time (the 10th), N2 late (30 January, 00:30).
    expect(records.filter((r) => r.fields[2] === 'activity.all.completed').map((r) => r.fields[4]).sort()).toEqual([world.assignments.get('n1/2027-01'), world.assignments.get('n2/2027-01')].sort());
    expect(records.filter((r) => r.fields[2] === 'activity.all.late').map((r) => [r.fields[1], r.fields[3], r.fields[4], r.fields[5], r.fields[6], r.fields[7]])).toEqual([
      ['team:North/North A', 'assignment', world.assignments.get('n2/2027-01'), '2027-01-30', 'North', 'North A'],
    ]);
    // Nothing is overwritten.
    const again = await runQa(database, ['report', 'monthly', '2027-01', '--out', out], NOW);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('it exists already');
    expect(readFileSync(out, 'utf8')).toContain('<dd>North A, North service</dd>');
    // Each export is in the audit log.
    const handle = openDatabase({ kind: 'sqlite', path: database });
    try {
      const exported = await handle.db.selectFrom('audit_log').select(['actor', 'record_id', 'detail_json']).where('action', '=', 'report.exported').execute();
      expect(exported).toContainEqual({ actor: 'cli:cli-test', record_id: 'monthly/2027-01', detail_json: JSON.stringify({ scope: 'team:North/North A', format: 'html', detail: true }) });
    } finally {
      await handle.close();
    }
  });

  test('jobs run makes up the report jobs by hand: the quarterly report of Q1, and nothing after paused August', async () => {
    const [quarterly, august] = await Promise.all([
      runQa(database, ['jobs', 'run', 'quarterly-report', '--at', '2027-04-01T09:00'], NOW),
      runQa(database, ['jobs', 'run', 'monthly-report', '--at', '2027-09-01T09:00'], NOW),
    ]);
    expect(quarterly).toMatchObject({ code: 0 });
    expect(quarterly.stdout).toContain('quarterly-report ran for 2027-Q1 as at 2027-04-01 09:00 Europe/London: 1 message queued; qaManagers 1, expected 17, completed 16.');
    expect(august).toMatchObject({ code: 0 });
    expect(august.stdout).toContain('monthly-report: nothing to do: 2027-08 (August 2027) is paused.');
  });

  test('bad arguments say how to write them (exit 2); an unknown service names those there are (exit 1); a month not begun is refused', async () => {
    const taken = join(temp, 'taken.csv');
    writeFileSync(taken, 'keep me');
    const [month, format, team, service, future, quarter] = await Promise.all([
      runQa(database, ['report', 'monthly', '2027-13'], NOW),
      runQa(database, ['report', 'quarterly', '2027-Q1', '--format', 'pdf'], NOW),
      runQa(database, ['report', 'monthly', '2027-01', '--team', 'North A'], NOW),
      runQa(database, ['report', 'monthly', '2027-01', '--service', 'Nowhere', '--out', join(temp, 'nowhere.html')], NOW),
      runQa(database, ['report', 'monthly', '2028-02'], NOW),
      runQa(database, ['report', 'quarterly', '2027-01'], NOW),
    ]);
    expect(month).toMatchObject({ code: 2, stdout: '' });
    expect(month.stderr).toContain('A month is written YYYY-MM, e.g. 2027-01.');
    expect(month.stderr).toContain('Usage: npm run qa -- report monthly YYYY-MM');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be html, csv or md.');
    expect(team.code).toBe(2);
    expect(team.stderr).toContain('--team needs --service');
    expect(service.code).toBe(1);
    expect(service.stderr).toContain('There is no service of that name. Services on file: Children and Families, North, Quality Assurance, South.');
    expect(existsSync(join(temp, 'nowhere.html'))).toBe(false);
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('February 2028 has not started yet');
    expect(quarter.code).toBe(2);
    expect(quarter.stderr).toContain('A quarter is written YYYY-Qn, e.g. 2027-Q1 (Q1 is January to March).');
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
  });
});

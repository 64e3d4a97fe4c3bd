import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { cycleJobs } from '../../services/cycle-jobs';
import { runQa, type QaRun } from '../support/qa-process';

/**
 * The real `qa` command as a real process against a temporary SQLite file. Each process
 * costs about a second, so the steps build on one another, and reads run side by side.
 * QA_NOW pins the time: importing puts newcomers on the rota from the next active month,
 * so what a replayed month shows depends on when the rota was imported.
 */
const qa = runQa;
type Run = QaRun;

/** `rota show` lines: email, name, service / team, kind (or excused: reason), status. */
function rotaLines(run: Run): Map<string, string[]> {
  const rows = run.stdout
    .split('\n')
    .filter((line) => /^\S+@\S+\s/.test(line))
    .map((line) => line.split(/ {2,}/));
  const byEmail = new Map(rows.map((row) => [row[0] ?? '', row]));
  expect(byEmail.size).toBe(rows.length);
  return byEmail;
}

const KINDS = ['Practice review', 'Practice observation', 'Thematic review'];

const temp = mkdtempSync(join(tmpdir(), 'qa-loop-cli-'));
const file = (name: string, text: string): string => {
  const path = join(temp, name);
  writeFileSync(path, text);
  return path;
};

const HEADER = 'email,name,tier,service,team,line_manager_email,roles,start_kind';
const goodRows = (northTeam1: string): string[] => [
  HEADER,
  'hos.n@example.org,Nia North,head_of_service,Fictional North,Leadership,,approver,',
  'sm.n@example.org,Sam North,service_manager,Fictional North,Leadership,hos.n@example.org,,',
  `tm1.n@example.org,Tara One,team_manager,Fictional North,${northTeam1},sm.n@example.org,,`,
  'tm2.n@example.org,Theo Two,team_manager,Fictional North,Team 2,sm.n@example.org,,',
  'tm3.n@example.org,Tess Three,team_manager,Fictional North,Team 3,sm.n@example.org,,',
  'prac.n@example.org,Pat Practitioner,practitioner,Fictional North,Team 2,tm2.n@example.org,practitioner,',
  'hos.s@example.org,Sol South,head_of_service,Fictional South,Leadership,,qa_manager;approver,',
  'tm1.s@example.org,Uma One,team_manager,Fictional South,Team A,hos.s@example.org,,',
  'tm2.s@example.org,Vic Two,team_manager,Fictional South,Team B,hos.s@example.org,,',
  'tm3.s@example.org,Wren Three,team_manager,Fictional South,Team C,hos.s@example.org,,thematic',
  'chair.s@example.org,Cal Chair,independent_chair,Fictional South,Chairs,,independent_chair,',
];
const MANAGERS = ['hos.n', 'sm.n', 'tm1.n', 'tm2.n', 'tm3.n', 'hos.s', 'tm1.s', 'tm2.s', 'tm3.s'].map((name) => `${name}@example.org`);

describe('npm run qa', () => {
  test('--help prints every command; bad arguments print the usage line and exit 2', async () => {
    const database = join(temp, 'arguments.sqlite');
    const [help, missing, badMonth, unknown] = await Promise.all([
      qa(database, ['--help']),
      qa(database, ['rota', 'swap', 'someone@example.org']),
      qa(database, ['rota', 'show', '2026-13']),
      qa(database, ['rota', 'frobnicate']),
    ]);
    expect(help.code).toBe(0);
    for (const usage of ['rota import FILE.csv', 'rota show [YYYY-MM]', 'rota swap EMAIL YYYY-MM KIND', 'rota excuse EMAIL YYYY-MM "REASON"', 'jobs list', 'jobs run NAME [--at TIME]', 'demo load']) {
      expect(help.stdout).toContain(usage);
    }
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('rota swap takes 3 arguments, not 1.');
    expect(missing.stderr).toContain('Usage: npm run qa -- rota swap EMAIL YYYY-MM KIND');
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain('"2026-13" is not a month');
    expect(badMonth.stderr).toContain('Usage: npm run qa -- rota show [YYYY-MM]');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('There is no command "rota frobnicate".');
    expect(missing.stdout + badMonth.stdout + unknown.stdout).toBe('');
  }, 60_000);

  describe('the rota and the jobs, in August 2026 (a paused month)', () => {
    const database = join(temp, 'rota.sqlite');
    const env = { QA_NOW: '2026-08-20T10:00:00Z' };
    const run = (...args: string[]): Promise<Run> => qa(database, args, env);
    let september: Run;

    test('a good rota imports; rota show has one line per manager, kinds even within each service, start_kind honoured', async () => {
      const imported = await run('rota', 'import', file('good.csv', goodRows('Team 1').join('\n')));
      expect(imported.stderr).not.toMatch(/error/i);
      expect(imported.code).toBe(0);
      expect(imported.stdout.trim().split('\n')).toHaveLength(1);
      expect(imported.stdout).toContain('11 added, 0 updated, 9 joined the rota, 0 left the rota, 9 on the rota.');

      september = await run('rota', 'show', '2026-09');
      expect(september.code).toBe(0);
      const lines = rotaLines(september);
      expect([...lines.keys()].sort()).toEqual([...MANAGERS].sort());
      for (const service of ['Fictional North', 'Fictional South']) {
        const counts = KINDS.map((kind) => [...lines.values()].filter((row) => row[2]?.startsWith(`${service} /`) && row[3] === kind).length);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }
      expect(lines.get('tm3.s@example.org')).toEqual(['tm3.s@example.org', 'Wren Three', 'Fictional South / Team C', 'Thematic review', 'planned']);
      expect(lines.get('tm1.n@example.org')?.[2]).toBe('Fictional North / Team 1');
    }, 60_000);

    test('a bad rota prints every problem with its line number, exits 1 and imports nothing', async () => {
      const bad = [
        HEADER,
        'new.person@example.org,New Person,team_manager,Fictional North,Team 4,sm.n@example.org,,',
        'not-an-email,Nobody,team_manager,Fictional North,Team 4,,,',
        'boss@example.org,Big Boss,overlord,Fictional North,Team 4,,,',
        'tm1.n@example.org,Tara One,team_manager,Fictional North,Moved Team,sm.n@example.org,,juggling',
        'lost@example.org,Lost Soul,team_manager,Fictional South,Team D,nobody@example.org,,',
      ].join('\n');
      const refused = await run('rota', 'import', file('bad.csv', bad));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('line 3: email "not-an-email" is not an email address');
      expect(refused.stderr).toMatch(/line 4: tier "overlord" is not one of/);
      expect(refused.stderr).toContain('line 5: start_kind "juggling" is not review, observation or thematic');
      expect(refused.stderr).toContain('line 6: line manager nobody@example.org is not in this file or already on file');
      expect(refused.stderr.trim().split('\n').at(-1)).toBe('Nothing was imported.');
      expect(refused.stdout).toBe('');

      const after = await run('rota', 'show', '2026-09');
      expect(after.stdout).toBe(september.stdout);
      expect(after.stdout).not.toContain('new.person@example.org');
    }, 60_000);

    test('jobs: list, run assign-month for September, again (already done), and for August (paused)', async () => {
      const first = await run('jobs', 'run', 'assign-month', '--at', '2026-09-01T08:00:00Z');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('assign-month ran for 2026-09 (September 2026) as at 2026-09-01 09:00 Europe/London: 9 messages queued; assigned 9, excused 0.');
      expect(first.stdout).toContain('the running bot delivers them');

      const [again, august, list] = await Promise.all([
        run('jobs', 'run', 'assign-month', '--at', '2026-09-01T08:00:00Z'),
        run('jobs', 'run', 'assign-month', '--at', '2026-08-03T08:00:00Z'),
        run('jobs', 'list'),
      ]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('assign-month: already done for 2026-09');
      expect(august.code).toBe(0);
      expect(august.stdout).toContain('assign-month: nothing to do: 2026-08 (August 2026) is paused.');

      expect(list.code).toBe(0);
      const lines = list.stdout.trim().split('\n');
      expect(lines).toHaveLength(cycleJobs.length);
      for (const job of cycleJobs) {
        const line = lines.filter((candidate) => candidate.startsWith(`${job.name} `));
        expect(line).toHaveLength(1);
        expect(line[0]).toMatch(/next: \d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/London/);
        expect(line[0]).toContain(job.description);
      }
      expect(lines.find((line) => line.startsWith('assign-month '))).toMatch(/ 0 9 \* \* 1-5 \(Europe\/London\) +next: 2026-09-01 09:00 Europe\/London /);
    }, 60_000);

    test('re-importing with a changed team keeps the person and their assignment', async () => {
      const reimported = await run('rota', 'import', file('moved.csv', goodRows('Team 9').join('\n')));
      expect(reimported.code).toBe(0);
      expect(reimported.stdout).toContain('0 added, 11 updated, 0 joined the rota, 0 left the rota, 9 on the rota.');

      const before = rotaLines(september).get('tm1.n@example.org');
      const now = rotaLines(await run('rota', 'show', '2026-09')).get('tm1.n@example.org');
      expect(now).toEqual(['tm1.n@example.org', 'Tara One', 'Fictional North / Team 9', before?.[3], 'assigned']);
    }, 60_000);

    test('swap and excuse show in rota show; the default month is this one; the demo will not load over this rota', async () => {
      // October is the next active month: everyone moves on one kind.
      const septemberKind = rotaLines(september).get('tm2.s@example.org')?.[3] ?? '';
      const octoberPlan = KINDS[(KINDS.indexOf(septemberKind) + 1) % 3];
      const swapTo = KINDS[(KINDS.indexOf(septemberKind) + 2) % 3] ?? '';
      const kindWord = { 'Practice review': 'review', 'Practice observation': 'observation', 'Thematic review': 'thematic' }[swapTo] ?? '';

      const swapped = await run('rota', 'swap', 'tm2.s@example.org', '2026-10', kindWord);
      expect(swapped.code).toBe(0);
      expect(swapped.stdout).toContain(`Swapped: Vic Two (tm2.s@example.org) does a ${swapTo.toLowerCase()} in October 2026.`);
      const excused = await run('rota', 'excuse', 'hos.n@example.org', '2026-10', 'Long-term leave');
      expect(excused.code).toBe(0);

      const [october, today, demo, paused] = await Promise.all([
        run('rota', 'show', '2026-10'),
        run('rota', 'show'),
        run('demo', 'load'),
        run('rota', 'swap', 'tm2.s@example.org', '2026-12', 'review'),
      ]);
      const lines = rotaLines(october);
      expect(lines.size).toBe(MANAGERS.length);
      expect(swapTo).not.toBe(octoberPlan);
      expect(lines.get('tm2.s@example.org')?.slice(3)).toEqual([swapTo, 'planned']);
      expect(lines.get('hos.n@example.org')?.slice(3)).toEqual(['excused: Long-term leave', 'excused']);
      expect(today.stdout.trim()).toBe('August 2026 is a paused month: no QA activity.');
      expect(demo.code).toBe(1);
      expect(demo.stderr).toContain('nothing was loaded');
      expect(paused.code).toBe(1);
      expect(paused.stderr).toContain('2026-12 is a paused month');
    }, 60_000);
  });

  test('demo load works twice, queues no messages, and Alex Wilber has this month\'s assignment', async () => {
    const database = join(temp, 'demo.sqlite');
    const env = { QA_NOW: '2026-10-05T09:00:00Z' };
    const first = await qa(database, ['demo', 'load'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Northbrook Children's Trust (fictional demo)");
    expect(first.stdout).toContain('Alex Wilber (alexw@example.com');
    expect(first.stdout).toContain('Start the Playground with npm run playground and type "my tasks"');

    const second = await qa(database, ['demo', 'load'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/\(0 added, \d+ updated\)/);
    expect(second.stdout).toContain('0 assignments made');

    const shown = rotaLines(await qa(database, ['rota', 'show'], env));
    expect(shown.size).toBeGreaterThanOrEqual(25);
    expect(shown.get('alexw@example.com')?.slice(3)).toEqual(['Practice review', 'assigned']);
    for (const email of ['meganb@example.com', 'adelev@example.com', 'isaiahl@example.com', 'pattif@example.com']) expect(shown.has(email)).toBe(true);
    for (const row of shown.values()) {
      expect(row[0]).toMatch(/@example\.(com|org)$/);
      expect(row[2]).toMatch(/^Fictional /);
    }

    const db = new SqliteDatabase(database, { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from outbox').get()).toEqual({ n: 0 });
      // Recorded as done, so the bot's scheduler does not make up the run and send the cards after all.
      expect(db.prepare("select status from job_runs where job = 'assign-month' and period = '2026-10'").all()).toEqual([{ status: 'succeeded' }]);
      expect(db.prepare("select count(*) as n from staff where email like '%@example.com' and aad_object_id is not null").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 60_000);
});

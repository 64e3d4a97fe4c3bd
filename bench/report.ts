import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { createRepositories } from '../db/repositories';
import type { ReportRepository } from '../db/report.repository';
import type { Database } from '../db/schema';
import { createCalendar, loadBankHolidays } from '../services/calendar';
import { reportFigures } from '../services/reports/figures';
import { parsePeriod } from '../services/reports/period';
import { buildReport } from '../services/reports/report-builder';
import { figuresCsv, recordsCsv } from '../services/reports/report-csv';
import { reportHtml } from '../services/reports/report-html';
import { reportMarkdown } from '../services/reports/report-markdown';
import { TRUST, type ReportRequest } from '../services/reports/scope';
import { median, round, type Bench, type BenchResult } from './measure';
import { FIRST_MONTH, seedSyntheticTrust, TRUST_SIZE } from './synthetic-trust';
import { measureTabLoad, type LoadTime } from './tab-load';

/**
 * The quarterly QA report for a large synthetic trust (bench/synthetic-trust.ts: 500
 * managers, a year of assignments, reviews and observations, 20,000 pieces of feedback,
 * 5,000 actions) on a SQLite file in a temporary directory, opened as the app opens it
 * (WAL) and migrated with migrateToLatest.
 *
 * The figure is the time to build the report (buildReport, as `qa report quarterly`
 * calls it, for the whole trust, then every output: HTML, Markdown, the figures CSV and
 * the records CSV) over the time to read the rows it uses once: a plain SELECT * through
 * Kysely, on the same file, of each table it reads, narrowed as the report narrows it
 * (the same arguments, caught from a build), and the staff and the records review's form
 * versions. Goal: at most 3. Then each of the report's queries alone against the plain
 * read of its table, to show which dominates; and the dashboard tab's first load on the
 * same database (bench/tab-load.ts), against a trivial static page.
 *
 * Q1 2027 of a cycle year April 2026 to March 2027: the quarter's three active months, and
 * a trend whose twelve months are the whole year.
 */
const QUARTER = '2027-Q1';
/** When the report is made: after the quarter, so its figures are as at the quarter's end. */
const NOW = new Date('2027-04-15T10:00:00Z');
/** The dashboard's month: the quarter's last. */
const TAB_MONTH = '2027-03';
const WARMUP = 2;
const ROUNDS = 9;
const TAB_LOADS = 7;
const GOAL = 3;

type Calls = Map<string, unknown[]>;
type Read = (db: Kysely<Database>, args: readonly unknown[]) => Promise<unknown[]>;
const FINAL = ['moderated', 'overseen'];
const arg = (args: readonly unknown[], i: number): string => String(args[i]);

/** The plain read behind each of the report's queries: SELECT * of its table, narrowed alike, no joins. */
const finalReviews = (db: Kysely<Database>, a: readonly unknown[]) => db.selectFrom('reviews').where('status', 'in', FINAL).where('moderated_at', '>=', arg(a, 0)).where('moderated_at', '<', arg(a, 1));
const PLAIN: Record<string, { table: string; read: Read } | undefined> = {
  assignments: { table: 'assignments', read: (db, a) => db.selectFrom('assignments').selectAll().where('month', '>=', arg(a, 0)).where('month', '<=', arg(a, 1)).execute() },
  finalReviews: { table: 'reviews', read: (db, a) => finalReviews(db, a).selectAll().execute() },
  finalRecordsAnswers: {
    table: 'form_responses',
    read: (db, a) => db.selectFrom('form_responses').selectAll().where('subject_kind', '=', 'review').where('part', '=', 'records').where('subject_id', 'in', finalReviews(db, a).select('id')).execute(),
  },
  observations: {
    table: 'observations',
    read: (db, a) => db.selectFrom('observations').selectAll().where('status', '=', 'submitted').where('observed_on', '>=', arg(a, 0)).where('observed_on', '<=', arg(a, 1)).where('submitted_at', '<', arg(a, 2)).execute(),
  },
  feedback: { table: 'feedback', read: (db, a) => db.selectFrom('feedback').selectAll().where('month', '>=', arg(a, 0)).where('month', '<=', arg(a, 1)).where('created_at', '<', arg(a, 2)).execute() },
  complaints: { table: 'complaints', read: (db, a) => db.selectFrom('complaints').selectAll().where('received_on', '>=', arg(a, 0)).where('received_on', '<=', arg(a, 1)).where('created_at', '<', arg(a, 2)).execute() },
  actions: {
    table: 'actions',
    read: (db, a) => db.selectFrom('actions').selectAll().where('created_at', '<', arg(a, 1)).where((eb) => eb.or([eb('completed_at', 'is', null), eb('completed_at', '>=', arg(a, 0))])).execute(),
  },
};

/** The report repository, noting each method's arguments as buildReport calls it. */
function recording(reports: ReportRepository, calls: Calls): ReportRepository {
  return new Proxy(reports, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        calls.set(String(property), args);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const time = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
};
const ms = (value: number): string => value.toFixed(1);
const pair = (values: readonly number[]): string => `${ms(median(values))} (${ms(Math.min(...values))})`;
const times = (value: number): string => `${value.toFixed(2)}x`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

export const reportBench: Bench = {
  name: 'report',
  async run(progress): Promise<BenchResult> {
    const directory = mkdtempSync(join(tmpdir(), 'qa-loop-bench-report-'));
    const path = join(directory, 'qa-loop.sqlite');
    const handle = openDatabase({ kind: 'sqlite', path });
    try {
      await migrateToLatest(handle.db, handle.dialect);
      const db = handle.db;
      const repos = createRepositories(db, handle.dialect);
      const context = { repos, calendar: createCalendar({ bankHolidays: loadBankHolidays() }), clock: { now: () => NOW } };
      progress('seeding the synthetic trust');
      const seeding = await time(() => seedSyntheticTrust(db, context, progress));
      const { counts } = seeding.value;
      const request: ReportRequest = { period: parsePeriod('quarterly', QUARTER), scope: TRUST };

      // The report's queries and their arguments, from one build.
      const calls: Calls = new Map();
      await buildReport({ ...context, repos: { ...repos, reports: recording(repos.reports, calls) } }, request);
      const argsOf = (name: string): unknown[] => calls.get(name) ?? [];
      const viaReport = (name: string): Read => (_db, args) => (Reflect.get(repos.reports, name) as (...a: unknown[]) => Promise<unknown[]>).apply(repos.reports, [...args]);
      // A query this bench has no plain read for (the report has grown) is read through the report's own query, and said so.
      const QUERIES = [...calls.keys()];
      const unplanned = QUERIES.filter((name) => PLAIN[name] === undefined);
      const reader = (name: string): { table: string; read: Read } => PLAIN[name] ?? { table: name, read: viaReport(name) };

      const readOnce = async (): Promise<Record<string, number>> => {
        const rows: Record<string, number> = {};
        for (const name of QUERIES) rows[reader(name).table] = (await reader(name).read(db, argsOf(name))).length;
        rows.staff = (await db.selectFrom('staff').selectAll().execute()).length;
        rows.forms = (await db.selectFrom('forms').selectAll().where('form_key', '=', 'records_review').execute()).length;
        return rows;
      };
      const build = async (): Promise<{ reportMs: number; renderMs: number; figures: number; records: number; bytes: number }> => {
        const t0 = performance.now();
        const report = await buildReport(context, request);
        const t1 = performance.now();
        const figures = reportFigures(report);
        const bytes = [reportHtml(report), reportMarkdown(report), figuresCsv(report, figures), recordsCsv(report, figures)].reduce((sum, text) => sum + text.length, 0);
        return { reportMs: t1 - t0, renderMs: performance.now() - t1, figures: figures.length, records: figures.reduce((sum, figure) => sum + figure.records.length, 0), bytes };
      };

      progress(`${QUARTER}, whole trust: ${WARMUP} warm-up rounds, then ${ROUNDS} rounds of one read and one build, alternating which goes first`);
      const readMs: number[] = [];
      const buildMs: number[] = [];
      const reportMs: number[] = [];
      const renderMs: number[] = [];
      let rowsRead: Record<string, number> = {};
      let built = { figures: 0, records: 0, bytes: 0 };
      for (let r = 0; r < WARMUP + ROUNDS; r++) {
        const doRead = async (): Promise<void> => {
          const { ms: took, value } = await time(readOnce);
          rowsRead = value;
          if (r >= WARMUP) readMs.push(took);
        };
        const doBuild = async (): Promise<void> => {
          const { ms: took, value } = await time(build);
          built = value;
          if (r < WARMUP) return;
          buildMs.push(took);
          reportMs.push(value.reportMs);
          renderMs.push(value.renderMs);
        };
        if (r % 2 === 0) await doRead().then(doBuild);
        else await doBuild().then(doRead);
      }
      const totalRows = Object.values(rowsRead).reduce((sum, n) => sum + n, 0);

      progress("each of the report's queries alone, against the plain read of its table");
      const perQuery = new Map<string, { query: number[]; plain: number[]; rows: number }>(QUERIES.map((name) => [name, { query: [], plain: [], rows: 0 }]));
      for (let r = 0; r < ROUNDS; r++) {
        for (const name of QUERIES) {
          const entry = perQuery.get(name)!;
          const query = await time(() => viaReport(name)(db, argsOf(name)));
          const plain = await time(() => reader(name).read(db, argsOf(name)));
          entry.query.push(query.ms);
          entry.plain.push(plain.ms);
          entry.rows = query.value.length;
        }
      }
      const queryMedians = QUERIES.map((name) => ({ name, query: median(perQuery.get(name)!.query), plain: median(perQuery.get(name)!.plain), rows: perQuery.get(name)!.rows }));
      const slowest = [...queryMedians].sort((a, b) => b.query - a.query)[0]!;
      const queriesMs = queryMedians.reduce((sum, q) => sum + q.query, 0);
      const others = queryMedians.filter((q) => PLAIN[q.name] === undefined).reduce((sum, q) => ({ rows: sum.rows + q.rows, query: sum.query + q.query }), { rows: 0, query: 0 });
      await handle.close().catch(() => undefined);

      const tab = await measureTabLoad(`sqlite:${path}`, NOW, TAB_MONTH, TAB_LOADS, progress);
      const ratio = median(buildMs) / median(readMs);
      const bestRatio = Math.min(...buildMs) / Math.min(...readMs);
      const seeded = `${counts.staff} staff in ${TRUST_SIZE.services} services, ${counts.rota_members} managers on the rota, ${counts.assignments} assignments, ${counts.reviews} practice reviews (${counts.final_reviews} final) with ${counts.form_responses} records reviews, ${counts.observations} observations, ${counts.focus_days} focus days, ${counts.feedback} pieces of feedback (${counts.complaints} complaints), ${counts.actions} actions`;
      const rendered = (loads: readonly LoadTime[]): number[] => loads.map((load) => load.renderedMs);
      const tabRows: string[][] = [];
      const tabNotes: string[] = [];
      let tabFigures: Record<string, unknown> = {};
      if ('skipped' in tab) {
        tabRows.push(['tab first load', 'skipped', '', '']);
        tabNotes.push(`The tab figure was skipped: ${tab.skipped}`);
        tabFigures = { skipped: tab.skipped };
      } else {
        const tabRatio = median(rendered(tab.tab)) / median(rendered(tab.trivial));
        tabRows.push(
          ['tab first load / trivial page load (medians, navigation to rendered)', times(tabRatio), 'no goal set', ''],
          [`tab first load ms, median (best) of ${TAB_LOADS}: navigation to the figures rendered`, pair(rendered(tab.tab)), '', ''],
          ['  its /api/tab/summary request ms, median (best)', pair(tab.tab.map((load) => load.summaryMs)), '', ''],
          ['  the same JSON fetched from Node, no browser, ms, median (best)', pair(tab.summaryFromNodeMs), '', ''],
          ['  goto to the figures seen by Playwright ms, median', ms(median(tab.tab.map((load) => load.wallMs))), '', ''],
          ['  the very first load, bot just started, ms', ms(tab.cold.renderedMs), '', ''],
          ['trivial static page ms, median (best): navigation to rendered', pair(rendered(tab.trivial)), '', ''],
        );
        tabNotes.push(
          `Tab: the real bot in local mode on the same file, signed in as the development identity (the QA manager): "${tab.cold.heading}", ${TAB_MONTH}, ${tab.cold.rows} services in the breakdown; headless Chromium, each load in a new browser context (empty cache); the trivial page comes from a bare node:http server, loaded in alternation with the tab.`,
        );
        const loadFigures = (loads: readonly LoadTime[]) => ({ medianMs: round(median(rendered(loads))), bestMs: round(Math.min(...rendered(loads))), wallMedianMs: round(median(loads.map((load) => load.wallMs))) });
        tabFigures = { loads: TAB_LOADS, tab: loadFigures(tab.tab), summaryMedianMs: round(median(tab.tab.map((load) => load.summaryMs))), summaryFromNodeMedianMs: round(median(tab.summaryFromNodeMs)), coldMs: round(tab.cold.renderedMs), trivial: loadFigures(tab.trivial), ratio: round(tabRatio) };
      }
      return {
        name: 'report',
        title: `report: the quarterly QA report (${QUARTER}, whole trust) of a large synthetic trust on a SQLite file (WAL), and the dashboard tab's first load`,
        table: [
          ['measure', 'value', 'goal', ''],
          ['build / read of its rows once (medians)', times(ratio), `<= ${GOAL}x`, verdict(ratio <= GOAL)],
          ['build / read of its rows once (bests)', times(bestRatio), '', ''],
          [`build ms, median (best) of ${ROUNDS}: buildReport, then HTML, Markdown, figures and records CSV`, pair(buildMs), '', ''],
          ['  buildReport: its queries and the counting', pair(reportMs), '', ''],
          [`  outputs: ${built.figures} figures, ${built.records} record rows, ${(built.bytes / 1e6).toFixed(1)} MB of text`, pair(renderMs), '', ''],
          [`read of its rows once ms, median (best) of ${ROUNDS}: ${totalRows} rows, SELECT *`, pair(readMs), '', ''],
          ...queryMedians
            .filter((q) => PLAIN[q.name] !== undefined)
            .map((q) => [`  ${q.name} (${q.rows} rows): report's query / SELECT * of ${reader(q.name).table} ms`, `${ms(q.query)} / ${ms(q.plain)}`, '', '']),
          ...(unplanned.length === 0 ? [] : [[`  ${unplanned.join(', ')} (${others.rows} rows): report's queries ms`, ms(others.query), '', '']]),
          ...tabRows,
        ],
        notes: [
          `goal: the build at most ${GOAL}x the time to read the rows it uses once.`,
          `Seeded (${(seeding.ms / 1000).toFixed(1)} s, bulk inserts in transactions): ${seeded}. Cycle year ${FIRST_MONTH} to ${seeding.value.months[seeding.value.months.length - 1] ?? ''}, ${seeding.value.activeMonths.length} active months.`,
          `Rows read once: ${Object.entries(rowsRead).map(([table, n]) => `${table} ${n}`).join(', ')}; the tables narrowed by the report's own arguments (reviews and observations over the trend's twelve months), no joins.`,
          `Each query alone, median of ${ROUNDS}: together ${ms(queriesMs)} ms of buildReport's ${ms(median(reportMs))} ms; the slowest is ${slowest.name} (${ms(slowest.query)} ms${PLAIN[slowest.name] === undefined ? '' : `, ${times(slowest.query / slowest.plain)} the plain read of ${reader(slowest.name).table}`}).`,
          ...(unplanned.length === 0 ? [] : [`Read through the report's own queries, as this bench has no plain read for them: ${unplanned.join(', ')} (${others.rows} rows: the synthetic trust does not seed their records).`]),
          `Build and read in ${ROUNDS} rounds after ${WARMUP} warm-up rounds, alternating which goes first; one process, one SQLite connection each.`,
          ...tabNotes,
        ],
        figures: {
          quarter: QUARTER,
          seeded: counts,
          seedSeconds: round(seeding.ms / 1000, 1),
          rowsRead,
          buildMs: { median: round(median(buildMs)), best: round(Math.min(...buildMs)) },
          buildReportMs: { median: round(median(reportMs)), best: round(Math.min(...reportMs)) },
          outputsMs: { median: round(median(renderMs)), best: round(Math.min(...renderMs)) },
          readMs: { median: round(median(readMs)), best: round(Math.min(...readMs)) },
          ratio: round(ratio),
          bestRatio: round(bestRatio),
          goal: GOAL,
          pass: ratio <= GOAL,
          queriesMs: Object.fromEntries(queryMedians.map((q) => [q.name, { query: round(q.query), plain: round(q.plain), rows: q.rows }])),
          outputs: { figures: built.figures, records: built.records, bytes: built.bytes },
          tab: tabFigures,
        },
      };
    } finally {
      await handle.close().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    }
  },
};

/** `report monthly|quarterly|yearly`: the QA report of a period, as HTML, CSV or Markdown. */
import { isQaError } from '../services/errors';
import { reportFigures } from '../services/reports/figures';
import { parsePeriod, type PeriodKind, type ReportPeriod } from '../services/reports/period';
import { buildReport } from '../services/reports/report-builder';
import { figuresCsv, recordsCsv } from '../services/reports/report-csv';
import { reportHtml } from '../services/reports/report-html';
import { reportMarkdown } from '../services/reports/report-markdown';
import { resolveScope, scopeKey } from '../services/reports/scope';
import { writeNewFile } from './files';
import type { CliCommand, CliRuntime } from './qa';

const FORMATS = ['html', 'csv', 'md'] as const;
type Format = (typeof FORMATS)[number];

function periodArgument(cli: CliRuntime, kind: PeriodKind, text: string): ReportPeriod {
  try {
    return parsePeriod(kind, text);
  } catch (error) {
    throw isQaError(error) ? cli.badArgument(error.userMessage) : error;
  }
}

const SHAPES: Record<PeriodKind, { shape: string; what: string }> = {
  monthly: { shape: 'YYYY-MM', what: 'The QA report of a month' },
  quarterly: { shape: 'YYYY-Qn', what: 'The QA report of a calendar quarter (Q1 = January to March)' },
  yearly: { shape: 'YYYY', what: 'The QA report of a calendar year' },
};

function reportCommand(kind: PeriodKind): CliCommand {
  const { shape, what } = SHAPES[kind];
  return {
    usage: `report ${kind} ${shape} [--service NAME [--team NAME]] [--format html|csv|md] [--out FILE] [--detail FILE]`,
    summary: `${what}, for the trust or a service or team: HTML (default), CSV of the figures or Markdown; --detail FILE writes the records behind every figure as CSV`,
    takes: { min: 1, max: 1 },
    options: ['service', 'team', 'format', 'out', 'detail'],
    async run({ args, options }, cli) {
      const period = periodArgument(cli, kind, args[0] ?? '');
      const format = (options.get('format') ?? 'html').toLowerCase();
      if (!(FORMATS as readonly string[]).includes(format)) throw cli.badArgument(`--format must be html, csv or md.`);
      if (options.has('team') && !options.has('service')) throw cli.badArgument('--team needs --service: a team is named within its service.');
      const scope = await resolveScope(cli.context, { service: options.get('service'), team: options.get('team') });
      const report = await buildReport(cli.context, { period, scope });
      const figures = reportFigures(report);
      const text = (format as Format) === 'html' ? reportHtml(report) : format === 'csv' ? figuresCsv(report, figures) : reportMarkdown(report);
      const out = options.get('out');
      const detail = options.get('detail');
      if (out !== undefined && out === detail) throw cli.badArgument('--out and --detail must be different files.');
      if (out === undefined) await cli.write(text);
      else await writeNewFile(out, text);
      if (detail !== undefined) await writeNewFile(detail, recordsCsv(report, figures));
      await cli.context.repos.audit.append(
        { actor: cli.actor, actorRole: null, action: 'report.exported', recordKind: 'report', recordId: `${period.kind}/${period.key}`, source: 'cli', detail: { scope: scopeKey(scope), format, detail: detail !== undefined } },
        cli.context.clock.now(),
      );
      const summary = `${report.title} (${report.scopeLabel}), ${figures.length} figures`;
      if (out === undefined) cli.err(`Made the ${summary}.`);
      else cli.out(`Wrote the ${summary} to ${out}.`);
      if (detail !== undefined) cli.out(`Wrote the records behind each figure (${figures.reduce((sum, figure) => sum + figure.records.length, 0)} rows) to ${detail}.`);
    },
  };
}

export const reportCommands: readonly CliCommand[] = [reportCommand('monthly'), reportCommand('quarterly'), reportCommand('yearly')];

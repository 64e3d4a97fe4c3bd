import { csvField } from '../csv';
import { percentOf, reportFigures, sampleNote, type Figure } from './figures';
import type { QaReport } from './report';
import { scopeKey } from './scope';

/**
 * The report as CSV for Power BI and Excel (RFC 4180: a header line, CRLF line ends,
 * quoting where needed; cells a spreadsheet would run as a formula start with ').
 *
 * - `figures`: one row per figure, with its stable id, count and (for a share) the
 *   figure it is a share of and the percentage, and a sample note.
 * - `records`: one row per record behind each figure (figure id, record kind and id,
 *   its date, service and team): join it to `figures` on period, scope and figure_id to
 *   drill from any number to the records it counts.
 *
 * Both carry the period and scope on every row, so months appended into one table stay apart.
 */
export const FIGURE_COLUMNS = ['period', 'scope', 'as_at_utc', 'figure_id', 'section', 'figure', 'count', 'of_figure_id', 'of_count', 'percent', 'sample'] as const;
export const RECORD_COLUMNS = ['period', 'scope', 'figure_id', 'record_kind', 'record_id', 'date', 'service', 'team', 'note'] as const;

const line = (cells: readonly string[]): string => `${cells.map(csvField).join(',')}\r\n`;

export function figuresCsv(report: QaReport, figures: readonly Figure[] = reportFigures(report)): string {
  const period = report.request.period.key;
  const scope = scopeKey(report.request.scope);
  const asAt = report.asAt.toISOString();
  const rows = [line(FIGURE_COLUMNS)];
  for (const figure of figures) {
    const percent = figure.of === undefined ? undefined : percentOf(figure.count, figure.of.count);
    rows.push(
      line([
        period,
        scope,
        asAt,
        figure.id,
        figure.section,
        figure.label,
        String(figure.count),
        figure.of?.id ?? '',
        figure.of === undefined ? '' : String(figure.of.count),
        percent === undefined ? '' : String(percent),
        figure.of === undefined ? '' : sampleNote(figure.of.count),
      ]),
    );
  }
  return rows.join('');
}

export function recordsCsv(report: QaReport, figures: readonly Figure[] = reportFigures(report)): string {
  const period = report.request.period.key;
  const scope = scopeKey(report.request.scope);
  const rows = [line(RECORD_COLUMNS)];
  for (const figure of figures) {
    for (const record of figure.records) rows.push(line([period, scope, figure.id, record.kind, record.id, record.date, record.service, record.team, record.note ?? '']));
  }
  return rows.join('');
}

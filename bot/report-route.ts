import type restify from 'restify';
import { escapeXml } from '../services/reports/svg-charts';
import { isPeriodKind, parsePeriod, type ReportPeriod } from '../services/reports/period';
import { reportFigures } from '../services/reports/figures';
import { buildReport } from '../services/reports/report-builder';
import { figuresCsv, recordsCsv } from '../services/reports/report-csv';
import { reportHtml } from '../services/reports/report-html';
import { reportPath, scopeFromQuery, verifyReportToken } from '../services/reports/report-link';
import { reportMarkdown } from '../services/reports/report-markdown';
import { scopeKey, type ReportRequest } from '../services/reports/scope';
import { classifyError, loggableError } from './classify-error';
import type { BotDeps } from './deps';

/**
 * GET /reports/{monthly|quarterly|yearly}/{period}?service=&team=&token=[&format=html|csv|records|md]
 *
 * The full report, from the bot's own server. It is not public: the link must carry a
 * token signed with REPORT_LINK_SECRET for exactly this period and scope, not yet
 * expired (report cards carry one). Every opening is written to the audit log. Until
 * the dashboard tab brings Teams sign-in, the signed link is the only way in.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(res: restify.Response, status: number, title: string, message: string): void {
  const html = `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>${escapeXml(title)}</title></head><body style="font-family:Arial,sans-serif;max-width:40em;margin:2em auto"><h1>${escapeXml(title)}</h1><p>${escapeXml(message)}</p></body></html>`;
  res.sendRaw(status, html, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': HTML_POLICY });
}

const REFUSALS = {
  missing: 'This report can only be opened from the link on a QA Loop report card.',
  malformed: 'This link is not a valid report link. Open the report from its card, or type "report" to QA Loop in Teams for a fresh one.',
  signature: 'This link is not a valid report link. Open the report from its card, or type "report" to QA Loop in Teams for a fresh one.',
  'other-report': 'This link does not open this report. Open the report from its own card.',
  expired: 'This link has expired. Type "report" to QA Loop in Teams (e.g. "report 2027-01") for a fresh one.',
} as const;

const FORMATS = ['html', 'csv', 'records', 'md'] as const;
type Format = (typeof FORMATS)[number];

export function registerReportRoutes(server: restify.Server, deps: BotDeps): void {
  server.get('/reports/:kind/:period', async (req: restify.Request, res: restify.Response) => {
    const settings = deps.config.reportLinks;
    if (settings.secret === undefined) {
      page(res, 404, 'Reports are not available here', 'Links to reports are not set up on this QA Loop (REPORT_LINK_SECRET).');
      return;
    }
    const kind = String(req.params.kind ?? '');
    const query = new URLSearchParams(req.getQuery());
    const scope = scopeFromQuery(query.get('service') ?? undefined, query.get('team') ?? undefined);
    let period: ReportPeriod;
    try {
      if (!isPeriodKind(kind) || scope === undefined) throw new Error('bad report address');
      period = parsePeriod(kind, decodeURIComponent(String(req.params.period ?? '')));
    } catch {
      page(res, 404, 'No such report', 'This is not the address of a QA Loop report.');
      return;
    }
    const format = (query.get('format') ?? 'html').toLowerCase();
    if (!(FORMATS as readonly string[]).includes(format)) {
      page(res, 400, 'No such format', 'A report comes as html, csv, records or md.');
      return;
    }
    const request: ReportRequest = { period, scope };
    const check = verifyReportToken(settings.secret, query.get('token') ?? undefined, request, deps.clock.now());
    if (!check.ok) {
      deps.logger.warn({ report: `${period.kind}/${period.key}`, refused: check.reason }, 'report link refused');
      page(res, 403, check.reason === 'expired' ? 'This link has expired' : 'This link cannot open this report', REFUSALS[check.reason]);
      return;
    }
    try {
      const report = await buildReport(deps.services, request);
      const figures = reportFigures(report);
      const name = `qa-report-${period.key}-${scopeKey(scope).replace(/[^A-Za-z0-9-]+/g, '-')}`.toLowerCase();
      const token = query.get('token') ?? '';
      await deps.repos.audit.append(
        { actor: `link:${check.claims.issuedTo}`.slice(0, 320), actorRole: null, action: 'report.viewed', recordKind: 'report', recordId: `${period.kind}/${period.key}`, source: 'system', detail: { scope: scopeKey(scope), format } },
        deps.clock.now(),
      );
      switch (format as Format) {
        case 'html':
          res.sendRaw(
            200,
            reportHtml(report, {
              figuresCsv: reportPath(request, { token, format: 'csv' }),
              recordsCsv: reportPath(request, { token, format: 'records' }),
              markdown: reportPath(request, { token, format: 'md' }),
            }),
            { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': HTML_POLICY },
          );
          return;
        case 'csv':
        case 'records':
          res.sendRaw(200, format === 'csv' ? figuresCsv(report, figures) : recordsCsv(report, figures), {
            ...SECURITY_HEADERS,
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Disposition': `attachment; filename="${name}${format === 'records' ? '-records' : ''}.csv"`,
          });
          return;
        case 'md':
          res.sendRaw(200, reportMarkdown(report), { ...SECURITY_HEADERS, 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.md"` });
          return;
      }
    } catch (error) {
      const problem = classifyError(error);
      const status = problem.code === 'INVALID_INPUT' ? 400 : problem.code === 'DATABASE_UNAVAILABLE' ? 503 : 500;
      if (status >= 500) deps.logger.error({ code: problem.code, err: loggableError(problem) }, 'report failed');
      page(res, status, 'The report could not be made', problem.userMessage);
    }
  });
}

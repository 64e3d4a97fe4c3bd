/**
 * The audit log as CSV (RFC 4180: a header line, CRLF line ends, fields quoted when they
 * hold a comma, a quote or a line break), for whoever must check who did what. Cells a
 * spreadsheet would run as a formula are neutralised by csvField. Reading only: there is
 * no way to change or remove an audit entry, here or anywhere.
 */
import type { StoredAuditEntry } from './audit';
import { LONDON } from './clock';
import type { ServiceContext } from './context';
import { csvField } from './csv';
import { QaError } from './errors';

export const AUDIT_CSV_COLUMNS = ['id', 'at_utc', 'at_london', 'actor', 'actor_role', 'action', 'record_kind', 'record_id', 'source', 'detail'] as const;

/** The repository pages at most this many entries a query. */
const PAGE_SIZE = 500;

const londonSecond = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A real calendar date written YYYY-MM-DD, or undefined. */
export function parseIsoDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? text : undefined;
}

function dayAfter(date: string): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

export interface AuditExportRange {
  /** First London day, YYYY-MM-DD. */
  from: string;
  /** Last London day, YYYY-MM-DD, included. */
  to: string;
}

export interface AuditExportResult {
  entries: number;
  /** From London midnight at the start of `from`... */
  start: Date;
  /** ...to London midnight at the end of `to`, or now if that is sooner (entries still being written are left for the next export). */
  end: Date;
}

export function auditCsvRow(entry: StoredAuditEntry, calendar: ServiceContext['calendar']): string {
  const cells = [
    entry.id,
    entry.at.toISOString(),
    `${calendar.londonDateOf(entry.at)} ${londonSecond.format(entry.at)}`,
    entry.actor,
    entry.actorRole ?? '',
    entry.action,
    entry.recordKind,
    entry.recordId ?? '',
    entry.source,
    entry.detail === undefined ? '' : JSON.stringify(entry.detail),
  ];
  return cells.map(csvField).join(',');
}

/**
 * Writes the entries of London days `from` to `to` (both included), oldest first, as CSV
 * through `write`, a page at a time so that a year of entries never sits in memory.
 */
export async function exportAuditCsv(context: ServiceContext, range: AuditExportRange, write: (text: string) => Promise<void>): Promise<AuditExportResult> {
  if (parseIsoDate(range.from) === undefined || parseIsoDate(range.to) === undefined) {
    throw new QaError('INVALID_INPUT', 'audit export dates must be YYYY-MM-DD', { userMessage: 'Dates must be real days written YYYY-MM-DD, e.g. 2026-09-01.' });
  }
  if (range.from > range.to) {
    throw new QaError('INVALID_INPUT', 'audit export range ends before it starts', { userMessage: `${range.to} is before ${range.from}: --to must not be before --from.` });
  }
  const start = context.calendar.londonTime(range.from, '00:00');
  const dayEnd = context.calendar.londonTime(dayAfter(range.to), '00:00');
  const now = context.clock.now();
  const end = dayEnd.getTime() < now.getTime() ? dayEnd : now;
  await write(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
  let entries = 0;
  if (start.getTime() >= end.getTime()) return { entries, start, end };
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await context.repos.audit.list(start, end, { offset, limit: PAGE_SIZE });
    if (page.length > 0) await write(page.map((entry) => `${auditCsvRow(entry, context.calendar)}\r\n`).join(''));
    entries += page.length;
    if (page.length < PAGE_SIZE) break;
  }
  return { entries, start, end };
}

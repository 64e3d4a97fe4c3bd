import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReportPeriod } from './period';
import { scopeKey, type ReportRequest, type ReportScope } from './scope';
import type { ReportLinkSettings } from './report-settings';

/**
 * Signed, expiring links to a full report on the bot's own server. The token names the
 * report (period and scope), when it stops working, and whom it was made for; it is
 * signed with HMAC-SHA256 under REPORT_LINK_SECRET. A token opens that report only:
 * another period or scope, a changed character, or an expired one is refused.
 *
 * Format: `v1.<payload>.<signature>`, both base64url; the payload is JSON.
 */
export interface ReportLinkClaims {
  /** monthly/2027-01 */
  report: string;
  /** trust, service:NAME or team:SERVICE/TEAM */
  scope: string;
  /** Seconds since 1970 after which the link no longer works. */
  expires: number;
  /** Who it was made for (an email, or "qa-managers" for a scheduled report): recorded when it is opened. */
  issuedTo: string;
}

export type TokenCheck = { ok: true; claims: ReportLinkClaims } | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' | 'other-report' };

const VERSION = 'v1';
const reportName = (period: Pick<ReportPeriod, 'kind' | 'key'>): string => `${period.kind}/${period.key}`;
const sign = (secret: string, payload: string): string => createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');

export function signReportToken(secret: string, claims: ReportLinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${sign(secret, payload)}`;
}

function readClaims(payload: string): ReportLinkClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { report, scope, expires, issuedTo } = value as Record<string, unknown>;
    if (typeof report !== 'string' || typeof scope !== 'string' || typeof expires !== 'number' || typeof issuedTo !== 'string') return undefined;
    return { report, scope, expires, issuedTo };
  } catch {
    return undefined;
  }
}

/** Checks a token against the report it is used to open, at `now`. */
export function verifyReportToken(secret: string, token: string | undefined, request: ReportRequest, now: Date): TokenCheck {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '') || !/^[A-Za-z0-9_-]+$/.test(parts[2] ?? '')) return { ok: false, reason: 'malformed' };
  const [, payload = '', signature = ''] = parts;
  const expected = Buffer.from(sign(secret, payload), 'base64url');
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  const claims = readClaims(payload);
  if (claims === undefined) return { ok: false, reason: 'malformed' };
  if (claims.expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (claims.report !== reportName(request.period) || claims.scope !== scopeKey(request.scope)) return { ok: false, reason: 'other-report' };
  return { ok: true, claims };
}

/** The path of a report on the bot's server, e.g. /reports/monthly/2027-01?service=Safeguarding. */
export function reportPath(request: ReportRequest, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  if (request.scope.kind !== 'trust') query.set('service', request.scope.service);
  if (request.scope.kind === 'team') query.set('team', request.scope.team);
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const text = query.toString();
  return `/reports/${request.period.kind}/${encodeURIComponent(request.period.key)}${text === '' ? '' : `?${text}`}`;
}

/** The scope a report URL names (`service`, and `team` within it). */
export function scopeFromQuery(service: string | undefined, team: string | undefined): ReportScope | undefined {
  const s = (service ?? '').trim();
  const t = (team ?? '').trim();
  if (s === '') return t === '' ? { kind: 'trust' } : undefined;
  return t === '' ? { kind: 'service', service: s } : { kind: 'team', service: s, team: t };
}

export type ReportLinkMaker = (request: ReportRequest, issuedTo: string) => string | undefined;

/** Makes links with the configured secret and address, or none when links are not set up. */
export function reportLinkMaker(settings: ReportLinkSettings, clock: { now(): Date }): ReportLinkMaker {
  return (request, issuedTo) => {
    if (settings.secret === undefined || settings.publicBaseUrl === undefined) return undefined;
    const expires = Math.floor(clock.now().getTime() / 1000) + settings.days * 86_400;
    const token = signReportToken(settings.secret, { report: reportName(request.period), scope: scopeKey(request.scope), expires, issuedTo });
    return `${settings.publicBaseUrl}${reportPath(request, { token })}`;
  };
}

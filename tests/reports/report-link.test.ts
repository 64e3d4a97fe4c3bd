import { loadConfig } from '../../services/config';
import { parsePeriod } from '../../services/reports/period';
import { reportLinkMaker, reportPath, signReportToken, verifyReportToken } from '../../services/reports/report-link';
import { readReportLinkSettings } from '../../services/reports/report-settings';
import type { ReportRequest } from '../../services/reports/scope';

/** The signed, expiring report links and their settings, without a server (tests/reports/report-teams.test.ts opens them over HTTP). */
const secret = 'a-report-link-secret-of-at-least-32-characters';
const january: ReportRequest = { period: parsePeriod('monthly', '2027-01'), scope: { kind: 'service', service: 'North' } };
const now = new Date('2027-02-01T09:00:00Z');
const expires = Math.floor(now.getTime() / 1000) + 3600;
const token = signReportToken(secret, { report: 'monthly/2027-01', scope: 'service:North', expires, issuedTo: 'qa@trust.example.org' });

describe('report link tokens', () => {
  test('a valid token opens its report until it expires', () => {
    expect(verifyReportToken(secret, token, january, now)).toEqual({ ok: true, claims: { report: 'monthly/2027-01', scope: 'service:North', expires, issuedTo: 'qa@trust.example.org' } });
    expect(verifyReportToken(secret, token, january, new Date((expires - 1) * 1000)).ok).toBe(true);
    expect(verifyReportToken(secret, token, january, new Date(expires * 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  test('another scope or period is refused, as is a token for the trust used on a service', () => {
    expect(verifyReportToken(secret, token, { ...january, scope: { kind: 'service', service: 'South' } }, now)).toEqual({ ok: false, reason: 'other-report' });
    expect(verifyReportToken(secret, token, { ...january, scope: { kind: 'trust' } }, now)).toEqual({ ok: false, reason: 'other-report' });
    expect(verifyReportToken(secret, token, { ...january, scope: { kind: 'team', service: 'North', team: 'North A' } }, now)).toEqual({ ok: false, reason: 'other-report' });
    expect(verifyReportToken(secret, token, { ...january, period: parsePeriod('quarterly', '2027-Q1') }, now)).toEqual({ ok: false, reason: 'other-report' });
  });

  test('a tampered, malformed, missing or differently signed token is refused', () => {
    const [version, payload, signature] = token.split('.') as [string, string, string];
    const other = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('North', 'South'), 'utf8').toString('base64url');
    expect(verifyReportToken(secret, `${version}.${other}.${signature}`, { ...january, scope: { kind: 'service', service: 'South' } }, now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyReportToken(secret, `${version}.${payload}.${signature.slice(0, -2)}`, january, now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyReportToken('another-secret-that-is-also-32-chars-long', token, january, now)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyReportToken(secret, `v2.${payload}.${signature}`, january, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyReportToken(secret, 'v1.a.b.c', january, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyReportToken(secret, '', january, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyReportToken(secret, undefined, january, now)).toEqual({ ok: false, reason: 'missing' });
    // Signed, but not claims: refused.
    const junk = Buffer.from('[1,2]').toString('base64url');
    const signedJunk = signReportToken(secret, { report: 'x', scope: 'y', expires: 1, issuedTo: 'z' }).split('.')[2];
    expect(verifyReportToken(secret, `v1.${junk}.${signedJunk}`, january, now).ok).toBe(false);
  });

  test('a link names the report and its scope in the address, and carries the token', () => {
    expect(reportPath({ period: parsePeriod('quarterly', '2027-Q1'), scope: { kind: 'team', service: 'Children in Care', team: 'Team 1' } })).toBe('/reports/quarterly/2027-Q1?service=Children+in+Care&team=Team+1');
    const link = reportLinkMaker({ secret, secretSource: 'configured', publicBaseUrl: 'https://qaloop.example.org', days: 14 }, { now: () => now })(january, 'n1@trust.example.org');
    const url = new URL(link!);
    expect(`${url.origin}${url.pathname}`).toBe('https://qaloop.example.org/reports/monthly/2027-01');
    expect(url.searchParams.get('service')).toBe('North');
    const check = verifyReportToken(secret, url.searchParams.get('token')!, january, now);
    expect(check).toMatchObject({ ok: true, claims: { issuedTo: 'n1@trust.example.org', expires: Math.floor(now.getTime() / 1000) + 14 * 86_400 } });
    expect(reportLinkMaker({ secret: undefined, secretSource: 'missing', publicBaseUrl: 'https://qaloop.example.org', days: 14 }, { now: () => now })(january, 'x')).toBeUndefined();
  });
});

describe('report link settings', () => {
  test('local mode makes a secret for the run and uses localhost; a set secret and address are used as given', () => {
    const local = readReportLinkSettings({}, { localMode: true, port: 3978 });
    expect(local).toMatchObject({ secretSource: 'generated', publicBaseUrl: 'http://localhost:3978', days: 14 });
    expect(local.secret?.length).toBeGreaterThanOrEqual(32);
    expect(readReportLinkSettings({}, { localMode: true, port: 3978 }).secret).not.toBe(local.secret);
    expect(readReportLinkSettings({ REPORT_LINK_SECRET: secret, PUBLIC_BASE_URL: 'https://qaloop.example.org/', REPORT_LINK_DAYS: '30' }, { localMode: false, port: 3978 })).toEqual({
      secret,
      secretSource: 'configured',
      publicBaseUrl: 'https://qaloop.example.org',
      days: 30,
    });
  });

  test('with an app id and no secret, links are off (the card says how to get the report)', () => {
    expect(readReportLinkSettings({}, { localMode: false, port: 3978 })).toEqual({ secret: undefined, secretSource: 'missing', publicBaseUrl: undefined, days: 14 });
  });

  test('a short secret, a plain-http public address, or a bad number of days stops start-up naming the setting', () => {
    expect(() => loadConfig({ REPORT_LINK_SECRET: 'too-short' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('Setting REPORT_LINK_SECRET must be at least 32 characters') }));
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'http://qaloop.example.org' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('Setting PUBLIC_BASE_URL must be an https:// URL') }));
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'https://qaloop.example.org/?a=1' })).toThrow(expect.objectContaining({ message: expect.stringContaining('PUBLIC_BASE_URL must be a plain address') }));
    expect(() => loadConfig({ REPORT_LINK_DAYS: '0' })).toThrow(expect.objectContaining({ message: expect.stringContaining('Setting REPORT_LINK_DAYS must be a whole number of days from 1 to 90') }));
    expect(loadConfig({ PORT: '4000' }).reportLinks).toMatchObject({ secretSource: 'generated', publicBaseUrl: 'http://localhost:4000' });
  });
});

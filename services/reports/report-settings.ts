import { randomBytes } from 'node:crypto';
import { QaError } from '../errors';

/**
 * Settings for the signed links to full reports, read with the rest at start-up
 * (services/config.ts). A link carries an HMAC of what it opens and until when, made
 * with REPORT_LINK_SECRET; the bot's own server checks it.
 *
 * - REPORT_LINK_SECRET: at least 32 characters. Unset in local mode, one is made for the
 *   run (links stop working when the bot restarts; the start-up log says so). Unset with
 *   an app id, links are off: the report card says where the full report can be had.
 * - PUBLIC_BASE_URL: where people's browsers reach this bot, e.g. https://qaloop.example.org
 *   (https, or http for localhost). Default in local mode: http://localhost:PORT.
 * - REPORT_LINK_DAYS: how long a link works, 1 to 90 days (default 14).
 */
export interface ReportLinkSettings {
  secret: string | undefined;
  secretSource: 'configured' | 'generated' | 'missing';
  /** No trailing slash. */
  publicBaseUrl: string | undefined;
  days: number;
}

export const MIN_SECRET_LENGTH = 32;
const DEFAULT_DAYS = 14;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const refuse = (setting: string, problem: string): QaError => new QaError('CONFIG_INVALID', `Setting ${setting} ${problem}.`, { detail: { setting } });

function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('PUBLIC_BASE_URL', 'must be a URL such as https://qaloop.example.org');
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))) throw refuse('PUBLIC_BASE_URL', 'must be an https:// URL (http:// only for localhost)');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') throw refuse('PUBLIC_BASE_URL', 'must be a plain address, without a query, fragment or credentials');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function readReportLinkSettings(env: NodeJS.ProcessEnv, options: { localMode: boolean; port: number }): ReportLinkSettings {
  const secretText = (env.REPORT_LINK_SECRET ?? '').trim();
  if (secretText !== '' && secretText.length < MIN_SECRET_LENGTH) {
    throw refuse('REPORT_LINK_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters (e.g. the output of: openssl rand -base64 48)`);
  }
  const daysText = (env.REPORT_LINK_DAYS ?? '').trim();
  if (daysText !== '' && !(/^\d+$/.test(daysText) && Number(daysText) >= 1 && Number(daysText) <= 90)) throw refuse('REPORT_LINK_DAYS', 'must be a whole number of days from 1 to 90');
  const urlText = (env.PUBLIC_BASE_URL ?? '').trim();
  const secretSource = secretText !== '' ? 'configured' : options.localMode ? 'generated' : 'missing';
  return {
    secret: secretText !== '' ? secretText : options.localMode ? randomBytes(32).toString('base64url') : undefined,
    secretSource,
    publicBaseUrl: urlText !== '' ? baseUrl(urlText) : options.localMode ? `http://localhost:${options.port}` : undefined,
    days: daysText === '' ? DEFAULT_DAYS : Number(daysText),
  };
}

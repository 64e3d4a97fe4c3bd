import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { TabSsoSettings } from '../services/dashboard/tab-settings';

/**
 * Checks the Teams single sign-on token the dashboard tab sends (authentication.getAuthToken):
 * an Entra ID access token, RS256, signed by a key from the JWKS named in the OpenID metadata,
 * issued for the person's own tenant, meant for this app (TAB_SSO_AUDIENCE), in date, and
 * from an allowed tenant (ALLOWED_TENANT_IDS). Written with node:crypto: the JWT libraries
 * are not dependencies of this project.
 */
export interface TabClaims {
  tid: string;
  oid: string | undefined;
  /** preferred_username, upn or email: the work email to fall back on. */
  email: string | undefined;
}

export type TabTokenRefusal = 'not-configured' | 'malformed' | 'algorithm' | 'unknown-key' | 'signature' | 'expired' | 'not-yet-valid' | 'audience' | 'issuer' | 'tenant' | 'keys-unavailable';
export type TabTokenCheck = { ok: true; claims: TabClaims } | { ok: false; reason: TabTokenRefusal };

/** Keys are re-read at most this often when a token names one not held (a flood of made-up kids stays cheap). */
const REFETCH_MS = 5 * 60_000;
const KEYS_TTL_MS = 60 * 60_000;
const CLOCK_SKEW_S = 300;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function trustworthy(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class TabTokenVerifier {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private fetching: Promise<void> | undefined;

  constructor(
    private readonly settings: TabSsoSettings,
    private readonly allowedTenantIds: readonly string[],
    private readonly fetchJson: (url: string) => Promise<unknown> = defaultFetchJson,
  ) {}

  get configured(): boolean {
    return this.settings.audiences.length > 0;
  }

  async check(token: string, nowMs: number = Date.now()): Promise<TabTokenCheck> {
    if (!this.configured) return { ok: false, reason: 'not-configured' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)) || token.length > 16_384) return { ok: false, reason: 'malformed' };
    const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
    const header = decodePart(headerPart);
    const claims = decodePart(payloadPart);
    if (header === undefined || claims === undefined) return { ok: false, reason: 'malformed' };
    if (header.alg !== 'RS256') return { ok: false, reason: 'algorithm' };
    const kid = typeof header.kid === 'string' ? header.kid : '';
    let key: KeyObject | undefined;
    try {
      key = await this.keyFor(kid, nowMs);
    } catch {
      return { ok: false, reason: 'keys-unavailable' };
    }
    if (key === undefined) return { ok: false, reason: 'unknown-key' };
    const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'));
    if (!signed) return { ok: false, reason: 'signature' };

    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== 'number' || now >= claims.exp + CLOCK_SKEW_S) return { ok: false, reason: 'expired' };
    if (typeof claims.nbf === 'number' && now + CLOCK_SKEW_S < claims.nbf) return { ok: false, reason: 'not-yet-valid' };
    if (typeof claims.aud !== 'string' || !this.settings.audiences.includes(claims.aud)) return { ok: false, reason: 'audience' };
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : '';
    if (!GUID.test(tid)) return { ok: false, reason: 'tenant' };
    const issuers = [`${this.settings.authority}/${tid}/v2.0`, `https://sts.windows.net/${tid}/`].map((issuer) => issuer.toLowerCase());
    if (typeof claims.iss !== 'string' || !issuers.includes(claims.iss.toLowerCase())) return { ok: false, reason: 'issuer' };
    if (this.allowedTenantIds.length > 0 && !this.allowedTenantIds.includes(tid)) return { ok: false, reason: 'tenant' };
    const text = (name: string): string | undefined => (typeof claims[name] === 'string' && claims[name] !== '' ? (claims[name] as string) : undefined);
    return { ok: true, claims: { tid, oid: text('oid'), email: (text('preferred_username') ?? text('upn') ?? text('email'))?.toLowerCase() } };
  }

  private async keyFor(kid: string, nowMs: number): Promise<KeyObject | undefined> {
    const stale = nowMs - this.fetchedAt > KEYS_TTL_MS;
    if (stale || (!this.keys.has(kid) && nowMs - this.fetchedAt > REFETCH_MS)) {
      this.fetching ??= this.refresh(nowMs).finally(() => (this.fetching = undefined));
      await this.fetching;
    }
    return this.keys.get(kid);
  }

  private async refresh(nowMs: number): Promise<void> {
    const metadata = (await this.fetchJson(this.settings.openIdMetadataUrl)) as { jwks_uri?: unknown };
    if (!trustworthy(metadata.jwks_uri)) throw new Error('OpenID metadata has no usable jwks_uri');
    const jwks = (await this.fetchJson(metadata.jwks_uri)) as { keys?: unknown };
    const keys = new Map<string, KeyObject>();
    for (const jwk of Array.isArray(jwks.keys) ? (jwks.keys as Record<string, unknown>[]) : []) {
      if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey, format: 'jwk' }));
      } catch {
        // A key that cannot be read signs nothing we accept.
      }
    }
    this.keys = keys;
    this.fetchedAt = nowMs;
  }
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

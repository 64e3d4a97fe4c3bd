import { Client, HTTPMessageHandler, ResponseType, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import { QaError, type ErrorCode } from '../errors';
import type { GraphSettings } from './graph-settings';

/**
 * Microsoft Graph as QA Loop uses it: app-only (client credentials), JSON in and out,
 * collections read to the end, throttling waited out. Every failure is a QaError whose
 * detail carries the HTTP status, so callers decide on codes, not on SDK error shapes.
 */
export interface GraphClient {
  /** The configured Graph root including the version, for `@odata.bind` references. */
  readonly baseUrl: string;
  /** GET one resource; `path` is relative to baseUrl and may carry a query. */
  get(path: string): Promise<unknown>;
  /** GET a collection, following @odata.nextLink until the last page. */
  getAll(path: string): Promise<unknown[]>;
  /** POST a JSON body; the parsed response, or undefined when there is none (201/204). */
  post(path: string, body: Record<string, unknown>): Promise<unknown>;
}

export interface GraphClientOptions {
  /** Waits before a retry; tests pass one that records the wait instead. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a 429 or 503 before giving up. */
  maxRetries?: number;
  now?: () => number;
}

/** Graph asks for waits of seconds to a couple of minutes; longer than this and a CLI run should fail and be run again. */
const MAX_WAIT_MS = 120_000;
const RETRY_STATUSES = new Set([429, 503]);
/** A server that hands back the same nextLink for ever would otherwise hang the sync. */
const MAX_PAGES = 1000;
/** Tokens live 60–90 minutes; renewing five minutes early keeps a long run from using one that expires mid-request. */
const RENEW_EARLY_MS = 5 * 60_000;

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const tokenError = z.object({ error: z.string(), error_description: z.string().optional() });
const collection = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const graphErrorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/** App-only tokens by client credentials, cached until shortly before they expire; concurrent callers share one request. */
export function clientCredentialsToken(settings: GraphSettings, now: () => number = Date.now): () => Promise<string> {
  const endpoint = `${settings.authorityHost}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`;
  // The scope is the Graph resource itself, so a national cloud's base URL asks for that cloud's token.
  const scope = `${new URL(settings.baseUrl).origin}/.default`;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const asked = now();
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: settings.clientId, client_secret: settings.clientSecret, scope }),
      });
    } catch (error) {
      throw new QaError('INTERNAL', `Could not reach ${settings.authorityHost} for a Graph token.`, { cause: error });
    }
    const body: unknown = await response.json().catch(() => undefined);
    const granted = tokenResponse.safeParse(body);
    if (response.ok && granted.success) {
      const lifetimeMs = granted.data.expires_in * 1000;
      cached = { token: granted.data.access_token, renewAt: asked + Math.max(lifetimeMs - RENEW_EARLY_MS, lifetimeMs / 2) };
      return cached.token;
    }
    // Entra's reason (e.g. AADSTS7000215, a wrong secret) names the fix; it never echoes the secret.
    const refused = tokenError.safeParse(body);
    const reason = refused.success ? `${refused.data.error}: ${(refused.data.error_description ?? '').split(/\r?\n/)[0]}` : `HTTP ${response.status}`;
    const code: ErrorCode = response.status === 400 || response.status === 401 ? 'CONFIG_INVALID' : 'INTERNAL';
    throw new QaError(code, `Graph token refused for client ${settings.clientId} in tenant ${settings.tenantId}: ${reason}`, {
      detail: { status: response.status, ...(refused.success ? { graphCode: refused.data.error } : {}) },
    });
  }

  return async () => {
    if (cached !== undefined && now() < cached.renewAt) return cached.token;
    pending ??= requestToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

function setHeader(context: Context, name: string, value: string): void {
  const headers = new Headers(context.options?.headers);
  headers.set(name, value);
  context.options = { ...context.options, headers };
}

const urlOf = (context: Context): string => (typeof context.request === 'string' ? context.request : context.request.url);

/**
 * Adds the bearer token. The SDK's own AuthenticationHandler does this only for https
 * Microsoft hosts, which would leave a proxy or a local stand-in unauthenticated; this
 * one sends the token to the configured Graph origin and nowhere else.
 */
class BearerHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly origin: string,
    private readonly token: () => Promise<string>,
  ) {}

  async execute(context: Context): Promise<void> {
    if (new URL(urlOf(context)).origin === this.origin) setHeader(context, 'Authorization', `Bearer ${await this.token()}`);
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** How long Graph asked us to wait: Retry-After in seconds or as a date, else a short doubling back-off. */
export function retryDelayMs(retryAfter: string | null, attempt: number, now: number): number {
  let wait = 1000 * 2 ** attempt;
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) wait = Number(retryAfter.trim()) * 1000;
  else if (retryAfter !== null && !Number.isNaN(Date.parse(retryAfter))) wait = Date.parse(retryAfter) - now;
  return Math.min(Math.max(wait, 0), MAX_WAIT_MS);
}

/**
 * Waits out throttling (429) and brief unavailability (503), as Graph asks, a couple
 * of times. Written here rather than the SDK's RetryHandler so that the wait can be
 * observed and skipped in tests, and capped for a command someone is watching.
 */
class RetryAfterHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly maxRetries: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number,
  ) {}

  async execute(context: Context): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await this.next?.execute(context);
      const response = context.response;
      if (response === undefined || !RETRY_STATUSES.has(response.status) || attempt >= this.maxRetries) return;
      // Drain the refused response so its connection goes back to the pool.
      await response.arrayBuffer().catch(() => undefined);
      await this.sleep(retryDelayMs(response.headers.get('retry-after'), attempt, this.now()));
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'INVALID_INPUT';
  // A refusal means a missing application permission or admin consent: a set-up problem.
  if (status === 401 || status === 403) return 'CONFIG_INVALID';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  return 'INTERNAL';
}

/** The HTTP status a Graph call failed with, if it got that far. */
export function graphStatusOf(error: unknown): number | undefined {
  const status = error instanceof QaError ? error.detail?.status : undefined;
  return typeof status === 'number' ? status : undefined;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createGraphClient(settings: GraphSettings, options: GraphClientOptions = {}): GraphClient {
  const now = options.now ?? Date.now;
  const base = new URL(settings.baseUrl);
  // The SDK joins host, version and path; the last segment of the base URL is the version.
  const segments = base.pathname.split('/').filter(Boolean);
  const version = segments.pop() ?? '';
  const token = clientCredentialsToken(settings, now);
  const client = Client.initWithMiddleware({
    baseUrl: `${base.origin}/${segments.join('/')}`,
    defaultVersion: version,
    middleware: [
      new BearerHandler(base.origin, token),
      new RetryAfterHandler(options.maxRetries ?? 2, options.sleep ?? sleepFor, now),
      new HTTPMessageHandler(),
    ],
  });

  async function send(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<unknown> {
    const where = `${method} ${path.split('?')[0]}`;
    // Asked here first because the SDK wraps anything a middleware throws in its own error,
    // losing the QaError that says the credentials are wrong; the middleware then hits the cache.
    await token();
    const request = client.api(path).responseType(ResponseType.RAW);
    let response: Response;
    try {
      response = (await (method === 'GET' ? request.get() : request.post(body))) as Response;
    } catch (error) {
      if (error instanceof QaError) throw error;
      throw new QaError('INTERNAL', `Graph ${where} could not be sent: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const failure = graphErrorBody.safeParse(parsed);
      const graphCode = failure.success ? failure.data.error.code : undefined;
      const message = failure.success ? (failure.data.error.message ?? '').slice(0, 200) : '';
      throw new QaError(codeForStatus(response.status), `Graph ${where} failed: ${response.status} ${graphCode ?? ''} ${message}`.trim(), {
        detail: { status: response.status, graphCode, request: where, retryAfter: response.headers.get('retry-after') ?? undefined },
      });
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new QaError('INTERNAL', `Graph ${where} did not answer with JSON.`, { cause: error });
    }
  }

  const baseUrl = settings.baseUrl;
  return {
    baseUrl,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    async getAll(path) {
      const items: unknown[] = [];
      let next: string | undefined = path;
      for (let page = 0; next !== undefined; page++) {
        if (page === MAX_PAGES) throw new QaError('INTERNAL', `Graph GET ${path.split('?')[0]} had more than ${MAX_PAGES} pages.`);
        const parsed = collection.safeParse(await send('GET', next));
        if (!parsed.success) throw new QaError('INTERNAL', `Graph GET ${path.split('?')[0]} did not return a collection.`);
        items.push(...parsed.data.value);
        const link = parsed.data['@odata.nextLink'];
        // nextLink is absolute; the SDK only parses https links, and the token must not follow a link elsewhere.
        if (link !== undefined && !link.startsWith(`${baseUrl}/`)) {
          throw new QaError('INTERNAL', `Graph GET ${path.split('?')[0]} gave a next page outside ${baseUrl}.`);
        }
        next = link?.slice(baseUrl.length);
      }
      return items;
    },
  };
}

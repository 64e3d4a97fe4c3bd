import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphSettings } from '../../services/graph/graph-settings';

/**
 * A local stand-in for the parts of Entra and Microsoft Graph that QA Loop calls: the
 * client-credentials token endpoint, a group's transitive user members (paged with
 * @odata.nextLink), a user's manager and a user's installed Teams apps. Calls arrive
 * over real HTTP and are recorded; faults (429 with Retry-After, 409, 500) can be
 * injected for the next matching calls.
 */
export interface GraphCall {
  method: string;
  /** Path without the query, e.g. /v1.0/users/{id}/manager. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

export interface StandInUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  officeLocation?: string | null;
  accountEnabled?: boolean;
  onPremisesExtensionAttributes?: Record<string, string | null>;
}

export interface GraphFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface PendingFault {
  match: (call: GraphCall) => boolean;
  fault: GraphFault;
  remaining: number;
}

const graphError = (code: string, message: string) => ({ error: { code, message } });

export class GraphStandIn {
  readonly tenantId = randomUUID();
  readonly clientId = randomUUID();
  readonly clientSecret = `secret-${randomUUID()}`;
  readonly calls: GraphCall[] = [];
  readonly users = new Map<string, StandInUser>();
  /** Group id → member ids, users or groups (nested groups are expanded, as Graph's transitiveMembers does). */
  readonly groups = new Map<string, string[]>();
  /** User id → their manager's id. */
  readonly managers = new Map<string, string>();
  /** User id → app catalogue ids installed for them. */
  readonly installed = new Map<string, Set<string>>();
  pageSize = 100;
  tokenLifetimeSeconds = 3599;
  private readonly tokens = new Set<string>();
  private readonly faults: PendingFault[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(graphError('StandInError', String(error))));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** Settings that point QA Loop's Graph client here. */
  settings(overrides: Partial<GraphSettings> = {}): GraphSettings {
    return {
      tenantId: this.tenantId,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      baseUrl: `${this.url}/v1.0`,
      authorityHost: this.url,
      appCatalogId: undefined,
      teamAttribute: 'officeLocation',
      ...overrides,
    };
  }

  addUser(user: StandInUser): StandInUser {
    this.users.set(user.id, user);
    return user;
  }

  /** Answers the next `times` calls that match with `fault` instead. */
  failNext(match: (call: GraphCall) => boolean, fault: GraphFault, times = 1): void {
    this.faults.push({ match, fault, remaining: times });
  }

  /** Calls to Graph itself (not the token endpoint), optionally those whose path matches. */
  graphCalls(pattern?: RegExp): GraphCall[] {
    return this.calls.filter((call) => call.path.startsWith('/v1.0/') && (pattern === undefined || pattern.test(call.path)));
  }

  tokenCalls(): GraphCall[] {
    return this.calls.filter((call) => call.path.endsWith('/oauth2/v2.0/token'));
  }

  clear(): void {
    this.calls.length = 0;
  }

  private transitiveUsers(groupId: string, seen = new Set<string>()): StandInUser[] {
    const found: StandInUser[] = [];
    for (const id of this.groups.get(groupId) ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const user = this.users.get(id);
      if (user !== undefined) found.push(user);
      else if (this.groups.has(id)) found.push(...this.transitiveUsers(id, seen));
    }
    return found;
  }

  private selected(user: StandInUser, select: string | undefined): Record<string, unknown> {
    const all: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user', ...user };
    if (select === undefined) return all;
    // Graph returns every selected property, null when the user has no value.
    const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user' };
    for (const name of select.split(',')) out[name] = all[name] ?? null;
    return out;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = raw;
    if (raw !== '' && contentType.includes('application/json')) body = JSON.parse(raw) as unknown;
    if (contentType.includes('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
    const call: GraphCall = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorization, body, status: 0 };
    this.calls.push(call);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      res.writeHead(status, payload === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    const pending = this.faults.find((candidate) => candidate.remaining > 0 && candidate.match(call));
    if (pending !== undefined) {
      pending.remaining--;
      return send(pending.fault.status, pending.fault.body ?? graphError(`Status${pending.fault.status}`, 'Injected fault.'), pending.fault.headers);
    }

    // POST /{tenant}/oauth2/v2.0/token
    if (method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[2] === 'v2.0' && parts[3] === 'token') {
      const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, string>;
      if (parts[0] !== this.tenantId) return send(400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${parts[0]}' not found.` });
      if (form.grant_type !== 'client_credentials' || form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
        return send(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0' });
      }
      const token = `stand-in-${randomUUID()}`;
      this.tokens.add(token);
      return send(200, { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, ext_expires_in: this.tokenLifetimeSeconds, access_token: token });
    }

    if (parts[0] !== 'v1.0') return send(404, graphError('UnknownRoute', url.pathname));
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (bearer === undefined || !this.tokens.has(bearer)) return send(401, graphError('InvalidAuthenticationToken', 'Access token is empty or not valid.'));
    const route = parts.slice(1);

    // GET /groups/{id}/transitiveMembers/microsoft.graph.user
    if (method === 'GET' && route.length === 4 && route[0] === 'groups' && route[2] === 'transitiveMembers' && route[3] === 'microsoft.graph.user') {
      const groupId = route[1]!;
      if (!this.groups.has(groupId)) return send(404, graphError('Request_ResourceNotFound', `Resource '${groupId}' does not exist.`));
      const select = url.searchParams.get('$select') ?? undefined;
      const top = Math.min(Number(url.searchParams.get('$top') ?? this.pageSize), this.pageSize);
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const users = this.transitiveUsers(groupId);
      const page = users.slice(skip, skip + top).map((user) => this.selected(user, select));
      // Graph writes nextLinks with literal $-names; the skip token here is just the offset.
      const next = [...(select === undefined ? [] : [`$select=${select}`]), `$top=${top}`, `$skiptoken=${skip + top}`].join('&');
      return send(200, {
        '@odata.context': `${this.url}/v1.0/$metadata#users`,
        value: page,
        ...(skip + top < users.length ? { '@odata.nextLink': `${this.url}/v1.0/groups/${groupId}/transitiveMembers/microsoft.graph.user?${next}` } : {}),
      });
    }

    // GET /users/{id}/manager
    if (method === 'GET' && route.length === 3 && route[0] === 'users' && route[2] === 'manager') {
      const managerId = this.managers.get(route[1]!);
      const manager = managerId === undefined ? undefined : this.users.get(managerId);
      if (!this.users.has(route[1]!) || manager === undefined) {
        return send(404, graphError('Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`));
      }
      return send(200, this.selected(manager, url.searchParams.get('$select') ?? undefined));
    }

    // POST /users/{id}/teamwork/installedApps
    if (method === 'POST' && route.length === 4 && route[0] === 'users' && route[2] === 'teamwork' && route[3] === 'installedApps') {
      const userId = route[1]!;
      if (!this.users.has(userId)) return send(404, graphError('NotFound', 'User not found.'));
      const bind = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['teamsApp@odata.bind'] : undefined;
      const catalogId = typeof bind === 'string' ? /\/appCatalogs\/teamsApps\/([^/]+)$/.exec(bind)?.[1] : undefined;
      if (typeof bind !== 'string' || !bind.startsWith(`${this.url}/v1.0/`) || catalogId === undefined) {
        return send(400, graphError('BadRequest', 'teamsApp@odata.bind is missing or not an app catalogue reference.'));
      }
      const apps = this.installed.get(userId) ?? new Set<string>();
      if (apps.has(catalogId)) return send(409, graphError('Conflict', 'App is already installed.'));
      apps.add(catalogId);
      this.installed.set(userId, apps);
      return send(201);
    }

    return send(404, graphError('UnknownRoute', `${method} ${url.pathname}`));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

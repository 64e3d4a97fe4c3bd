import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Connector service: the bot's outgoing calls (replies,
 * proactive sends, updates, deletes, member look-ups) land here over real HTTP, and
 * tests read what the bot really sent.
 */
export interface ConnectorCall {
  kind: 'reply' | 'send' | 'update' | 'delete' | 'createConversation';
  conversationId: string;
  activityId?: string;
  /** The activity body the bot sent (absent for deletes). */
  activity?: Record<string, unknown>;
  /** The Authorization header the bot sent, if any (with an app id: its own Bearer token). */
  authorization?: string;
  at: number;
}

export interface TeamsMember {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  userPrincipalName: string;
  tenantId: string;
}

/** Lets a test answer a call itself (e.g. with a 429); return undefined to answer normally. */
export type FaultInjector = (call: ConnectorCall) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/** "At most `limit` posts in any `windowMs`", as Teams counts them. */
export interface LimitWindow {
  limit: number;
  windowMs: number;
}

/**
 * Teams' limits for bots: 50 requests a second per app (per tenant); per conversation 7 a
 * second, 8 in 2 s, 60 in 30 s and 1800 an hour. `scale` multiplies every limit.
 */
export interface TeamsLimitsOptions {
  scale?: number;
  appWindows?: LimitWindow[];
  conversationWindows?: LimitWindow[];
}

/** A fault for chosen posts to one conversation: `attempts` counts every post there, 1 = the first. */
export interface ScriptedFault {
  conversationId: string;
  attempts: readonly number[];
  status: number;
  /** Sent as the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  body?: unknown;
}

/** What Teams answers (with 403) when the person has blocked the bot. */
export const BLOCKED_BY_USER_BODY = {
  error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' },
};

/** A post that the stand-in's Teams-limits enforcer answered with 429. */
export interface ThrottledCall extends ConnectorCall {
  retryAfterSeconds: number;
  window: 'app' | 'conversation';
}

/**
 * Counts message posts (sends and replies) as they arrive and says when one would break a
 * limit. Written apart from the bot's own limiter (a sorted list per conversation and one
 * for the app, counted by binary search) so that it checks that code rather than sharing
 * it. Posts it throttles do not count towards the limits.
 */
class TeamsLimitsEnforcer {
  private readonly app: number[] = [];
  private readonly perConversation = new Map<string, number[]>();
  private readonly appWindows: LimitWindow[];
  private readonly conversationWindows: LimitWindow[];

  constructor(options: TeamsLimitsOptions) {
    const scale = options.scale ?? 1;
    const scaled = (windows: LimitWindow[]): LimitWindow[] =>
      windows.map((window) => ({ limit: Math.max(1, Math.floor(window.limit * scale)), windowMs: window.windowMs }));
    this.appWindows = scaled(options.appWindows ?? [{ limit: 50, windowMs: 1000 }]);
    this.conversationWindows = scaled(
      options.conversationWindows ?? [
        { limit: 7, windowMs: 1000 },
        { limit: 8, windowMs: 2000 },
        { limit: 60, windowMs: 30_000 },
        { limit: 1800, windowMs: 3_600_000 },
      ],
    );
  }

  /** Undefined when the post fits (and it is counted); otherwise which limit it breaks and the Retry-After. */
  check(conversationId: string, at: number): { window: 'app' | 'conversation'; retryAfterSeconds: number } | undefined {
    const appSpan = Math.max(...this.appWindows.map((window) => window.windowMs));
    const stale = firstAfter(this.app, at - appSpan);
    if (stale > 0) this.app.splice(0, stale);
    const mine = this.perConversation.get(conversationId) ?? [];
    // How long until `times` has room in every window, for a post at `at` (0: room now).
    const overBy = (times: number[], windows: LimitWindow[]): number => {
      let wait = 0;
      for (const window of windows) {
        const inside = times.length - firstAfter(times, at - window.windowMs);
        if (inside >= window.limit) wait = Math.max(wait, (times[times.length - window.limit] as number) + window.windowMs - at);
      }
      return wait;
    };
    const appWait = overBy(this.app, this.appWindows);
    const conversationWait = overBy(mine, this.conversationWindows);
    if (appWait > 0 || conversationWait > 0) {
      return {
        window: appWait >= conversationWait ? 'app' : 'conversation',
        retryAfterSeconds: Math.max(1, Math.ceil(Math.max(appWait, conversationWait) / 1000)),
      };
    }
    insertSorted(this.app, at);
    insertSorted(mine, at);
    this.perConversation.set(conversationId, mine);
    return undefined;
  }
}

/** Index of the first time after `after` in ascending `times`. */
function firstAfter(times: readonly number[], after: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((times[mid] as number) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insertSorted(times: number[], time: number): void {
  const at = firstAfter(times, time);
  if (at === times.length) times.push(time);
  else times.splice(at, 0, time);
}

/** The first message id the stand-in gives out: a Teams-like millisecond timestamp. */
const FIRST_MESSAGE_ID = 1_790_000_000_000;

export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  readonly members = new Map<string, TeamsMember>();
  faults: FaultInjector | undefined;
  /** Posts the Teams-limits enforcer answered with 429 (see enforceTeamsLimits). */
  readonly throttled: ThrottledCall[] = [];
  /** Posts answered with a scripted fault (see scriptFault). */
  readonly faulted: (ConnectorCall & { status: number })[] = [];
  private limits: TeamsLimitsEnforcer | undefined;
  private scripted: ScriptedFault[] = [];
  private readonly postsTo = new Map<string, number>();
  private server: Server | undefined;
  private nextId = 1;
  private waiters: (() => void)[] = [];
  url = '';

  /** The channels of each team, as Teams lists them (GET /v3/teams/{id}/conversations). */
  readonly teamChannels = new Map<string, { id: string; name?: string }[]>();

  /** Gives a team its channels; General's id is the team's id and Teams sends it without a name. */
  setTeamChannels(teamId: string, channels: { id: string; name?: string }[]): void {
    this.teamChannels.set(teamId, channels);
  }

  addMember(member: TeamsMember): void {
    this.members.set(member.id, member);
  }

  /**
   * From now on, answer 429 with Retry-After (seconds) to any message post that would break
   * Teams' limits (scaled by `scale`), as Teams does. Pass undefined to stop enforcing.
   * Off by default.
   */
  enforceTeamsLimits(options: TeamsLimitsOptions | undefined = {}): void {
    this.limits = options === undefined ? undefined : new TeamsLimitsEnforcer(options);
  }

  /** Answers chosen posts to a conversation with a fault: 429 (with Retry-After), 5xx, or 403 with BLOCKED_BY_USER_BODY. */
  scriptFault(fault: ScriptedFault): void {
    this.scripted.push(fault);
  }

  /** Message posts (sends and replies) that reached a conversation, faulted and throttled ones included. */
  postsReceived(conversationId: string): number {
    return this.postsTo.get(conversationId) ?? 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'StandInError', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  /** Messages (replies and sends) the bot posted, optionally to one conversation. */
  posted(conversationId?: string): Record<string, unknown>[] {
    return this.calls
      .filter((call) => (call.kind === 'reply' || call.kind === 'send') && (conversationId === undefined || call.conversationId === conversationId))
      .map((call) => call.activity ?? {});
  }

  /** Resolves once `predicate` holds, or fails after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('Timed out waiting for the bot to call the connector.');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  clear(): void {
    this.calls.length = 0;
  }

  private record(call: ConnectorCall): void {
    this.calls.push(call);
    const waiting = this.waiters.splice(0);
    waiting.forEach((wake) => wake());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // When the post arrived, before its body is read: what Teams' limits count.
    const arrivedAt = Date.now();
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization };
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };

    // /v3/conversations/{id}/activities[/{activityId}]
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities' && parts[2] !== undefined) {
      const conversationId = parts[2];
      const activityId = parts[4];
      const kind: ConnectorCall['kind'] =
        method === 'PUT' ? 'update' : method === 'DELETE' ? 'delete' : activityId === undefined ? 'send' : 'reply';
      const call: ConnectorCall = {
        kind,
        conversationId,
        ...(activityId === undefined ? {} : { activityId }),
        ...(body === undefined ? {} : { activity: body }),
        ...authorization,
        at: Date.now(),
      };
      if (kind === 'send' || kind === 'reply') {
        const attempt = (this.postsTo.get(conversationId) ?? 0) + 1;
        this.postsTo.set(conversationId, attempt);
        const over = this.limits?.check(conversationId, arrivedAt);
        if (over !== undefined) {
          this.throttled.push({ ...call, at: arrivedAt, ...over });
          return send(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': String(over.retryAfterSeconds) });
        }
        const scripted = this.scripted.find((rule) => rule.conversationId === conversationId && rule.attempts.includes(attempt));
        if (scripted !== undefined) {
          this.faulted.push({ ...call, status: scripted.status });
          return send(
            scripted.status,
            scripted.body ?? { error: { code: scripted.status === 429 ? 'Throttled' : 'ServiceError', message: `Scripted ${scripted.status}` } },
            scripted.retryAfterSeconds === undefined ? {} : { 'retry-after': String(scripted.retryAfterSeconds) },
          );
        }
      }
      const fault = this.faults?.(call);
      if (fault !== undefined) return send(fault.status, fault.body, fault.headers);
      this.record(call);
      if (kind === 'delete') return send(200);
      // Teams' message ids in a chat are numbers (milliseconds), and read receipts compare them as numbers.
      return send(200, { id: kind === 'update' ? activityId : String(FIRST_MESSAGE_ID + this.nextId++) });
    }
    // POST /v3/conversations: a proactive 1:1 chat
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts.length === 2 && method === 'POST') {
      const members = (body?.members as { id?: string }[] | undefined) ?? [];
      const conversationId = `a:personal-${members[0]?.id ?? 'unknown'}`;
      const call: ConnectorCall = { kind: 'createConversation', conversationId, ...(body === undefined ? {} : { activity: body }), ...authorization, at: Date.now() };
      const fault = this.faults?.(call);
      if (fault !== undefined) return send(fault.status, fault.body, fault.headers);
      this.record(call);
      return send(200, { id: conversationId });
    }
    // GET /v3/conversations/{id}/members/{memberId}
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'members' && parts[4] !== undefined && method === 'GET') {
      const member = this.findMember(parts[4]);
      return member === undefined ? send(404, { error: { code: 'MemberNotFoundInConversation', message: 'Member not found' } }) : send(200, member);
    }
    // GET /v3/conversations/{id}/members and /pagedmembers
    if (parts[0] === 'v3' && parts[1] === 'conversations' && (parts[3] === 'members' || parts[3] === 'pagedmembers') && method === 'GET') {
      const members = [...this.members.values()];
      return send(200, parts[3] === 'members' ? members : { members });
    }
    // GET /v3/teams/{teamId}/conversations: the team's channels
    if (parts[0] === 'v3' && parts[1] === 'teams' && parts[3] === 'conversations' && parts[2] !== undefined && method === 'GET') {
      const channels = this.teamChannels.get(parts[2]);
      return channels === undefined ? send(404, { error: { code: 'TeamNotFound', message: 'Team not found' } }) : send(200, { conversations: channels });
    }
    send(404, { error: { code: 'NotFound', message: `${method} ${path} is not part of the stand-in` } });
  }

  private findMember(idOrAad: string): TeamsMember | undefined {
    return this.members.get(idOrAad) ?? [...this.members.values()].find((member) => member.aadObjectId === idOrAad);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

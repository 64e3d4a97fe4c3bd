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

export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  readonly members = new Map<string, TeamsMember>();
  faults: FaultInjector | undefined;
  private server: Server | undefined;
  private nextId = 1;
  private waiters: (() => void)[] = [];
  url = '';

  addMember(member: TeamsMember): void {
    this.members.set(member.id, member);
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
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
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
        at: Date.now(),
      };
      const fault = this.faults?.(call);
      if (fault !== undefined) return send(fault.status, fault.body, fault.headers);
      this.record(call);
      if (kind === 'delete') return send(200);
      return send(200, { id: kind === 'update' ? activityId : `activity-${this.nextId++}` });
    }
    // POST /v3/conversations: a proactive 1:1 chat
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts.length === 2 && method === 'POST') {
      const members = (body?.members as { id?: string }[] | undefined) ?? [];
      const conversationId = `a:personal-${members[0]?.id ?? 'unknown'}`;
      const call: ConnectorCall = { kind: 'createConversation', conversationId, ...(body === undefined ? {} : { activity: body }), at: Date.now() };
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

import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { SavedConversation } from '../services/conversations';
import { DEFAULT_SEND_TIMEOUT_MS, type SendGate, type Sender, type SendResult } from '../services/delivery';
import type { OutboxMessage } from '../services/outbox';

/**
 * Sends outbox messages to Teams through the Bot Framework adapter, one HTTP request per
 * attempt, and says how that request ended.
 *
 * Why the SDK's own retries are switched off. botframework-connector 4.23 builds each
 * ConnectorClient (through botbuilder-stdlib's core-http compat layer) on @azure/core-client,
 * whose default pipeline (@azure/core-rest-pipeline 1.x) has a `defaultRetryPolicy`: up to 3
 * silent retries of a 429 or 503 that carries Retry-After (waiting it out), of 408 and
 * other 5xx with exponential backoff from 1 s, and of ECONNRESET, ETIMEDOUT, ECONNREFUSED
 * and ENOTFOUND. The worker would see one slow answer for up to four requests: Retry-After
 * hidden from it, the rate limiter bypassed (retries take no slot), and a POST repeated
 * after a connection reset, i.e. a message possibly posted twice. ConnectorClientOptions
 * cannot turn the policy off (the compat layer passes no retry options on), so:
 *
 * - the adapter still makes the client (`continueConversationAsync`), so app id, token,
 *   audience, cloud, proxy and user agent are exactly what it uses for replies (with a
 *   MicrosoftAppId the credentials sign each request with a token, refreshed from the
 *   SDK's token cache as it expires; in local mode there are none and nothing is signed);
 * - on that client, which the adapter made for us alone, we remove the policy named
 *   `defaultRetryPolicy` and check that no retry policy is left. If a future SDK changes
 *   that shape, nothing is sent and the attempt counts as retryable, so a change shows as
 *   failing sends rather than as silent double sends;
 * - the client is kept per service URL for a few minutes and shared by the sends to it: it
 *   holds no per-turn state, and making one per message (two pipelines and a turn each)
 *   cost more than the send itself;
 * - we call `conversations.sendToConversation` directly: POST
 *   {serviceUrl}/v3/conversations/{id}/activities, a new message rather than a reply to the
 *   continuation activity, outside any turn, so no `onTurnError` apology reaches the
 *   person when a send fails.
 *
 * Fetch with a token taken from the adapter's credentials would also work, but would skip
 * the SDK's proxy settings and serialisation; building our own pipeline would mean
 * importing @azure packages that are only transitive dependencies.
 */

/** Where saved conversations are found (db/conversation.repository.ts). */
export interface ConversationLookup {
  findByConversationId(conversationId: string): Promise<SavedConversation | undefined>;
  findPersonalForStaff(staffId: string): Promise<SavedConversation | undefined>;
}

export interface ProactiveSenderOptions {
  adapter: CloudAdapter;
  /** MicrosoftAppId; '' in local mode. */
  appId: string;
  conversations: ConversationLookup;
  /** Abort a request after this long; must not exceed the worker's sendTimeoutMs. */
  timeoutMs?: number;
}

/** The parts of botframework-connector's ConnectorClient used here (botbuilder does not export its type). */
interface ConnectorClientLike {
  conversations: {
    sendToConversation(conversationId: string, activity: Partial<Activity>, options?: { timeout?: number; abortSignal?: AbortSignal }): Promise<{ id?: string }>;
    updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>, options?: { timeout?: number; abortSignal?: AbortSignal }): Promise<{ id?: string }>;
    deleteActivity(conversationId: string, activityId: string, options?: { timeout?: number; abortSignal?: AbortSignal }): Promise<unknown>;
  };
}

/** Teams names a channel thread "<channel conversation id>;messageid=<id of its first message>". */
const THREAD_MARK = ';messageid=';

/** The channel a thread's conversation id belongs to (the id itself when it is not a thread). */
export function channelOfThread(conversationId: string): string {
  const at = conversationId.indexOf(THREAD_MARK);
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

export function threadConversationId(channelConversationId: string, rootActivityId: string): string {
  return `${channelOfThread(channelConversationId)}${THREAD_MARK}${rootActivityId}`;
}

interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
  getOrderedPolicies(): readonly { name: string }[];
}

const SDK_RETRY_POLICY = 'defaultRetryPolicy';

/** How long one adapter-made connector client is reused for a service URL. */
const CLIENT_REUSE_MS = 10 * 60_000;

/** The adapter's connector client for this turn, without the SDK's retry policy; undefined if that cannot be made sure of. */
function connectorWithoutRetries(context: TurnContext): ConnectorClientLike | undefined {
  const connector: unknown = context.turnState.get(context.adapter.ConnectorClientKey);
  if (typeof connector !== 'object' || connector === null) return undefined;
  // ServiceClientContext (botbuilder-stdlib) keeps its @azure/core-client ServiceClient in `client`.
  const pipeline = (connector as { client?: { pipeline?: Partial<PipelineLike> } }).client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.getOrderedPolicies !== 'function') return undefined;
  pipeline.removePolicy({ name: SDK_RETRY_POLICY });
  if (pipeline.getOrderedPolicies().some((policy) => /retry/i.test(policy.name))) return undefined;
  const conversations = (connector as Partial<ConnectorClientLike>).conversations;
  const usable =
    typeof conversations?.sendToConversation === 'function' &&
    typeof conversations.updateActivity === 'function' &&
    typeof conversations.deleteActivity === 'function';
  return usable ? (connector as ConnectorClientLike) : undefined;
}

/** What a failed request told us: status (0 when there was no response), Retry-After, error codes. */
export interface SendFailure {
  status: number;
  retryAfterMs?: number;
  /** Every `code` and `subCode` in the error body, e.g. ConversationBlockedByUser, MessageWritesBlocked. */
  codes: string[];
  message: string;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

function collectCodes(value: unknown, into: string[], depth = 0): void {
  if (depth > 4 || typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'code' || key === 'subCode') && typeof inner === 'string') into.push(inner);
    else collectCodes(inner, into, depth + 1);
  }
}

/** Reads a RestError from @azure/core-rest-pipeline (or anything else thrown) into plain facts. */
export function describeFailure(error: unknown, nowMs: number): SendFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { headers?: { get?: (name: string) => string | undefined }; bodyAsText?: string | null };
  };
  const status = typeof record.statusCode === 'number' ? record.statusCode : 0;
  const codes: string[] = [];
  if (typeof record.code === 'string') codes.push(record.code);
  const body = record.response?.bodyAsText;
  if (typeof body === 'string' && body !== '') {
    try {
      collectCodes(JSON.parse(body), codes);
    } catch {
      // not JSON: the status decides
    }
  }
  const retryAfterMs = status === 0 ? undefined : parseRetryAfter(record.response?.headers?.get?.('retry-after'), nowMs);
  const message = (typeof record.message === 'string' ? record.message : String(error)).slice(0, 300);
  return { status, codes: [...new Set(codes)], message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** Teams' answers, turned into what the worker should do. */
export function resultForFailure(failure: SendFailure, conversationId: string): SendResult {
  const { status, codes, message } = failure;
  const has = (code: string): boolean => codes.some((c) => c.toLowerCase() === code.toLowerCase());
  if (status === 403 && (has('MessageWritesBlocked') || has('ConversationBlockedByUser'))) {
    return { kind: 'blocked', error: `HTTP 403 ${codes.join('/')}: ${message}`, conversationId };
  }
  if (status === 403 && has('BotNotInConversationRoster')) {
    return { kind: 'notInstalled', error: `HTTP 403 BotNotInConversationRoster: ${message}`, conversationId };
  }
  if (status === 0 || status === 408 || status === 412 || status === 429 || status >= 500) {
    return { kind: 'retry', status, error: message, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) };
  }
  return { kind: 'failed', status, error: codes.length === 0 ? message : `${codes.join('/')}: ${message}` };
}

export class ProactiveSender implements Sender {
  private readonly timeoutMs: number;
  private readonly connectors = new Map<string, { connector: Promise<ConnectorClientLike | undefined>; until: number }>();

  constructor(private readonly options: ProactiveSenderOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  }

  async send(message: OutboxMessage, gate: SendGate): Promise<SendResult> {
    const saved = await this.findConversation(message);
    if (saved === undefined) {
      return { kind: 'notInstalled', error: message.conversationId === null ? 'no personal chat saved for this person' : 'conversation not saved' };
    }
    if (!saved.installed) return { kind: 'notInstalled', error: 'the app was removed from this conversation' };
    // A thread in a channel is reached through the channel's saved reference, under the thread's id.
    const conversationId = message.conversationId ?? saved.conversationId;
    const savedReference = saved.reference as Partial<ConversationReference>;
    const reference = {
      ...savedReference,
      serviceUrl: saved.serviceUrl,
      ...(savedReference.conversation === undefined || conversationId === saved.conversationId
        ? {}
        : { conversation: { ...savedReference.conversation, id: conversationId } }),
    };
    if (reference.conversation?.id === undefined) return { kind: 'failed', status: 0, error: 'saved conversation reference has no conversation id' };

    let connector: ConnectorClientLike | undefined;
    try {
      connector = await this.connectorFor(reference);
    } catch (error) {
      // The adapter could not make a client (e.g. credentials); nothing was sent.
      return { kind: 'retry', status: 0, error: describeFailure(error, Date.now()).message };
    }
    if (connector === undefined) {
      return { kind: 'retry', status: 0, error: 'could not switch off the Bot Framework client retries; not sending' };
    }

    const payload = message.payload as Partial<Activity>;
    const activity: Partial<Activity> = {
      ...payload,
      type: typeof payload.type === 'string' ? payload.type : 'message',
      channelId: reference.channelId ?? 'msteams',
      serviceUrl: saved.serviceUrl,
      conversation: reference.conversation,
      ...(reference.bot === undefined ? {} : { from: reference.bot }),
      ...(reference.user === undefined ? {} : { recipient: reference.user }),
    };
    // The rate-limit slot is taken as late as possible, so it is close to when Teams counts the request.
    if (!(await gate(saved.conversationId))) return { kind: 'deferred' };
    const options = { timeout: this.timeoutMs, abortSignal: AbortSignal.timeout(this.timeoutMs) };
    const operation = message.operation;
    try {
      if (operation.kind === 'update') {
        await connector.conversations.updateActivity(conversationId, operation.activityId, { ...activity, id: operation.activityId }, options);
        return { kind: 'sent', activityId: operation.activityId };
      }
      if (operation.kind === 'delete') {
        await connector.conversations.deleteActivity(conversationId, operation.activityId, options);
        return { kind: 'sent', activityId: operation.activityId };
      }
      const response = await connector.conversations.sendToConversation(conversationId, activity, options);
      return { kind: 'sent', activityId: response.id ?? null };
    } catch (error) {
      const failure = describeFailure(error, Date.now());
      // The message to change or remove is gone already (deleted by someone, or never posted): nothing left to do.
      if (operation.kind !== 'post' && failure.status === 404) return { kind: 'failed', status: 404, error: failure.message };
      return resultForFailure(failure, saved.conversationId);
    }
  }

  private async findConversation(message: OutboxMessage): Promise<SavedConversation | undefined> {
    if (message.conversationId !== null) {
      const saved = await this.options.conversations.findByConversationId(message.conversationId);
      const channel = channelOfThread(message.conversationId);
      return saved ?? (channel === message.conversationId ? undefined : this.options.conversations.findByConversationId(channel));
    }
    if (message.staffId !== null) return this.options.conversations.findPersonalForStaff(message.staffId);
    return Promise.resolve(undefined);
  }

  /** The adapter's connector client for this service URL, without SDK retries; made once and reused for a while. */
  private connectorFor(reference: Partial<ConversationReference> & { serviceUrl: string }): Promise<ConnectorClientLike | undefined> {
    const now = Date.now();
    const cached = this.connectors.get(reference.serviceUrl);
    if (cached !== undefined && cached.until > now) return cached.connector;
    const made = this.makeConnector(reference);
    this.connectors.set(reference.serviceUrl, { connector: made, until: now + CLIENT_REUSE_MS });
    // A failed attempt is not kept: the next send asks the adapter again.
    made.then(
      (connector) => connector === undefined && this.connectors.delete(reference.serviceUrl),
      () => this.connectors.delete(reference.serviceUrl),
    );
    return made;
  }

  private async makeConnector(reference: Partial<ConversationReference>): Promise<ConnectorClientLike | undefined> {
    let connector: ConnectorClientLike | undefined;
    // Only takes the client the adapter made for this turn; nothing here can throw into onTurnError.
    await this.options.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
      connector = connectorWithoutRetries(context);
    });
    return connector;
  }
}

import { fork, type ChildProcess } from 'node:child_process';
import { ConnectorStandIn } from '../tests/support/connector-stand-in';

/**
 * The connector stand-in in its own process, enforcing Teams' limits (50 requests a
 * second per app; 7/1 s, 8/2 s, 60/30 s, 1800/h per conversation) scaled by `scale`.
 * Teams does not share the bot's event loop, and in-process the stand-in's work would be
 * charged to the delivery worker. The child is this same file, started with CONNECTOR_ROLE
 * set; the parent talks to it through RemoteConnector. Shared by the delivery benches.
 */

const CONNECTOR_ROLE = 'QA_LOOP_BENCH_CONNECTOR';
const CONNECTOR_SCALE = 'QA_LOOP_BENCH_CONNECTOR_SCALE';

/** Messages between a bench and its stand-in process. */
type ToConnector = { type: 'reset' } | { type: 'report'; updatesOf?: string };

export interface ConnectorReport {
  type: 'report';
  /** Successful proactive sends per dedupe key, for messages whose text carries it in brackets. */
  arrivals: [string, number][];
  /** Successful proactive sends per conversation id. */
  sendsByConversation: [string, number][];
  sendTimes: number[];
  throttled: number;
  /** Updates (PUTs) of the activity named in the request: how many, and the last one's body. */
  updates: { count: number; last?: Record<string, unknown>; lastAt?: number };
}
type FromConnector = { type: 'ready'; url: string } | { type: 'reset' } | ConnectorReport;

/** The child's side: a stand-in enforcing the scaled limits, answering the parent's questions. */
async function serveConnector(scale: number): Promise<void> {
  const connector = new ConnectorStandIn();
  await connector.start();
  connector.enforceTeamsLimits({ scale });
  const reply = (message: FromConnector): void => {
    process.send?.(message);
  };
  process.on('message', (message: ToConnector) => {
    if (message.type === 'reset') {
      connector.clear();
      connector.throttled.length = 0;
      connector.enforceTeamsLimits({ scale });
      reply({ type: 'reset' });
      return;
    }
    const arrivals = new Map<string, number>();
    const byConversation = new Map<string, number>();
    const sendTimes: number[] = [];
    const updates: ConnectorReport['updates'] = { count: 0 };
    for (const call of connector.calls) {
      if (call.kind === 'update' && message.updatesOf !== undefined && call.activityId === message.updatesOf) {
        updates.count++;
        if (call.activity !== undefined) updates.last = call.activity;
        updates.lastAt = call.at;
      }
      if (call.kind !== 'send') continue;
      sendTimes.push(call.at);
      byConversation.set(call.conversationId, (byConversation.get(call.conversationId) ?? 0) + 1);
      const key = /\[(.+)\]/.exec(String(call.activity?.text ?? ''))?.[1];
      if (key !== undefined) arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
    }
    reply({ type: 'report', arrivals: [...arrivals], sendsByConversation: [...byConversation], sendTimes, throttled: connector.throttled.length, updates });
  });
  process.once('disconnect', () => {
    void connector.stop().finally(() => process.exit(0));
  });
  reply({ type: 'ready', url: connector.url });
}

if (process.env[CONNECTOR_ROLE] === '1') void serveConnector(Number(process.env[CONNECTOR_SCALE] ?? '1'));

/** The parent's side of the stand-in process. */
export class RemoteConnector {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Starts the stand-in process with Teams' limits scaled by `scale`. */
  static async start(scale: number): Promise<RemoteConnector> {
    const child = fork(__filename, [], { env: { ...process.env, [CONNECTOR_ROLE]: '1', [CONNECTOR_SCALE]: String(scale) } });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`The stand-in process ended (${code}) before it was ready.`)));
      child.once('message', (message: FromConnector) => (message.type === 'ready' ? resolve(message.url) : reject(new Error('Unexpected first message.'))));
    });
    child.removeAllListeners('exit');
    return new RemoteConnector(child, url);
  }

  private ask<T extends FromConnector>(message: ToConnector): Promise<T> {
    return new Promise<T>((resolve) => {
      this.child.once('message', (answer: T) => resolve(answer));
      this.child.send(message);
    });
  }

  /** Forgets every call so far and starts a fresh enforcer. */
  async reset(): Promise<void> {
    await this.ask({ type: 'reset' });
  }

  /** What reached the stand-in since the last reset; `updatesOf` names an activity whose updates to report. */
  report(updatesOf?: string): Promise<ConnectorReport> {
    return this.ask<ConnectorReport>(updatesOf === undefined ? { type: 'report' } : { type: 'report', updatesOf });
  }

  async stop(): Promise<void> {
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    await ended;
  }
}

import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay in front of a local server (the connector stand-in), on a port that stays
 * the same, so a test can make that server unreachable the ways a network does:
 *
 * - `up`: every byte passes both ways;
 * - `down`: nothing listens on the port (connection refused);
 * - `blackhole`: connections are accepted and then nothing ever comes back;
 * - `lose-answers`: requests reach the server, its answers are dropped (the caller cannot
 *   tell whether its request was taken).
 */
export type SwitchMode = 'up' | 'down' | 'blackhole' | 'lose-answers';

export class TcpSwitch {
  private server: Server | undefined;
  private port = 0;
  private mode: SwitchMode = 'up';
  private readonly sockets = new Set<Socket>();

  constructor(private readonly targetPort: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    await this.listen();
  }

  async set(mode: SwitchMode): Promise<void> {
    this.mode = mode;
    // Connections already open would carry on in the old mode: end them.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (mode === 'down') await this.close();
    else if (this.server === undefined) await this.listen();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.close();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.relay(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  private relay(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.mode === 'blackhole') {
      client.resume();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    if (this.mode === 'lose-answers') upstream.resume();
    else upstream.pipe(client);
  }
}

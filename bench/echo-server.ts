import type { AddressInfo } from 'node:net';
import restify from 'restify';

/**
 * The reference for the bot's figures: a bare restify server (same version, same body
 * parser settings as the bot's) that answers a POSTed JSON body with that body. No
 * logging, no validation, no outgoing calls: only HTTP in and JSON out.
 */
export interface EchoServer {
  url: string;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const server = restify.createServer({ name: 'bench-echo', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));
  server.post('/echo', async (req: restify.Request, res: restify.Response) => {
    res.send(200, req.body as unknown);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}/echo`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

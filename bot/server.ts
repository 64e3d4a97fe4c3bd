import type { Activity } from 'botbuilder';
import restify from 'restify';
import { z } from 'zod';
import { isDatabaseReachable } from '../db/connect';
import type { QaAdapter } from './adapter';
import { classifyError, loggableError } from './classify-error';
import type { BotDeps } from './deps';
import type { QaBot } from './qa-bot';
import { registerReportRoutes } from './report-route';
import { registerTabRoutes } from './tab-routes';

/**
 * The smallest shape an activity must have before the adapter sees it. The adapter's
 * own parser throws on some malformed bodies, which would otherwise surface as a 500.
 */
const incomingActivity = z.looseObject({
  type: z.string().min(1).max(100),
  name: z.string().max(200).optional(),
  serviceUrl: z.string().max(2000).optional(),
  conversation: z.looseObject({ id: z.string().min(1).max(1000) }),
  from: z.looseObject({ id: z.string().min(1).max(1000) }),
  recipient: z.looseObject({ id: z.string().max(1000) }).optional(),
});

interface RequestFacts {
  activityType?: string;
  activityName?: string;
}

export function createServer(deps: BotDeps, adapter: QaAdapter, bot: QaBot): restify.Server {
  const server = restify.createServer({ name: 'qa-loop', handleUncaughtExceptions: false });
  const facts = new WeakMap<restify.Request, RequestFacts>();

  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const parsed = incomingActivity.safeParse(req.body);
    if (!parsed.success) {
      res.send(400, { code: 'INVALID_INPUT', message: 'The request body is not a Bot Framework activity.' });
      return;
    }
    facts.set(req, { activityType: parsed.data.type, ...(parsed.data.name === undefined ? {} : { activityName: parsed.data.name }) });
    try {
      // Token, then tenant, then the turn: a refused request is answered without running any handler.
      const answer = await adapter.handle(req.body as Activity, req.headers.authorization ?? '', (context) => bot.run(context));
      if (answer.body === undefined) res.send(answer.status);
      else res.send(answer.status, answer.body);
    } catch (error) {
      // Turn errors are handled by the adapter's onTurnError; what reaches here failed around the turn.
      const problem = classifyError(error);
      deps.logger.error({ code: problem.code, err: loggableError(problem) }, 'activity could not be processed');
      if (!res.headersSent) res.send(500, { code: problem.code, message: problem.userMessage });
    }
  });

  // The full QA reports, behind signed, expiring links (bot/report-route.ts).
  registerReportRoutes(server, deps);
  // The dashboard tab and its JSON, behind Teams sign-in (bot/tab-routes.ts).
  registerTabRoutes(server, deps);

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const reachable = await isDatabaseReachable(deps.database.db);
    res.send(reachable ? 200 : 503, {
      status: reachable ? 'ok' : 'unavailable',
      database: { engine: deps.database.dialect, reachable },
    });
  });

  // One JSON line per request: what, how it ended, how long. Never the body.
  server.on('after', (req: restify.Request, res: restify.Response) => {
    const known = facts.get(req);
    deps.logger.info(
      {
        request: { method: req.method, path: req.getPath(), status: res.statusCode, ms: Math.round(Date.now() - req.time()) },
        ...(known === undefined ? {} : { activity: { type: known.activityType, name: known.activityName } }),
      },
      'request',
    );
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, error: Error & { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      const problem = classifyError(error);
      deps.logger.error({ code: problem.code, err: loggableError(problem), path: req.getPath() }, 'request failed');
      error.toJSON = () => ({ code: problem.code, message: problem.userMessage });
    }
    callback();
  });

  return server;
}

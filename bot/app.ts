import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { createNoticeComposer } from '../cards/notice-composer';
import type { DatabaseHandle } from '../db/connect';
import { createCalendar, loadBankHolidays, type CycleCalendar } from '../services/calendar';
import { systemClock, type Clock } from '../services/clock';
import type { Config } from '../services/config';
import type { Logger } from '../services/logger';
import { cycleJobs } from '../services/cycle-jobs';
import { contextFor } from '../services/runtime';
import { reportLinkMaker } from '../services/reports/report-link';
import { BriefingDeliveryTracker } from '../services/briefings/briefing-delivery';
import { DeliveryWorker, realSleep } from '../services/delivery';
import { RateLimiter } from '../services/rate-limiter';
import { Scheduler } from '../services/scheduler';
import { createAdapter } from './adapter';
import { ProactiveSender } from './proactive-sender';
import type { BotDeps } from './deps';
import { QaBot } from './qa-bot';
import { createServer } from './server';

export interface BotApp {
  deps: BotDeps;
  /** Runs the QA cycle's jobs when due; started by start.ts, driven directly by tests. */
  scheduler: Scheduler;
  /** Drains the outbox to Teams within its rate limits; started by start.ts, driven directly by tests. */
  delivery: DeliveryWorker;
  server: restify.Server;
  /** Starts listening; resolves with the port actually used (PORT=0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** A job run not finished within this long is taken to have died with its instance. */
const JOB_LEASE_MS = 10 * 60 * 1000;

/** Builds the whole bot around an open, migrated database. Tests build it the same way. */
export function createBotApp(options: { config: Config; logger: Logger; database: DatabaseHandle; clock?: Clock; calendar?: CycleCalendar }): BotApp {
  const clock = options.clock ?? systemClock;
  const calendar =
    options.calendar ?? createCalendar({ pausedMonths: options.config.pausedMonths, bankHolidays: loadBankHolidays(options.config.bankHolidaysFile) });
  const services = contextFor(options.database, calendar, clock, options.logger, options.config.retention);
  const deps: BotDeps = {
    config: options.config,
    logger: options.logger,
    clock,
    calendar,
    database: options.database,
    repos: services.repos,
    services,
    compose: createNoticeComposer(calendar, reportLinkMaker(options.config.reportLinks, clock)),
  };
  const adapter = createAdapter(deps.config, deps.logger);
  const server = createServer(deps, adapter, new QaBot(deps));
  const scheduler = new Scheduler({ ...services, compose: deps.compose }, cycleJobs, { instanceId: options.config.instanceId, leaseMs: JOB_LEASE_MS });
  // Keeps each briefing's delivery card up to date as its copies go.
  const briefingDelivery = new BriefingDeliveryTracker({ ...services, compose: deps.compose }, deps.logger.child({ component: 'briefing-delivery' }));
  const delivery = new DeliveryWorker({
    outbox: deps.repos.outbox,
    sender: new ProactiveSender({ adapter, appId: deps.config.microsoftAppId, conversations: deps.repos.conversations }),
    // One limiter per process. Two instances sending at once would each need half the limits.
    limiter: new RateLimiter(),
    clock: deps.clock,
    logger: deps.logger.child({ component: 'delivery' }),
    sleep: realSleep,
    onUnreachable: async (conversationId, reason) => {
      if (!(await deps.repos.conversations.markUninstalled(conversationId, deps.clock.now()))) return;
      await deps.repos.audit.append(
        { actor: 'system', actorRole: null, action: reason === 'blocked' ? 'app.blocked' : 'app.uninstalled', recordKind: 'conversation', recordId: conversationId.slice(0, 100), source: 'system' },
        deps.clock.now(),
      );
    },
    onProgress: (event) => briefingDelivery.onProgress(event),
  });
  return {
    deps,
    scheduler,
    delivery,
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host ?? '0.0.0.0', () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}

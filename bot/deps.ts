import type { Repositories } from '../db/repositories';
import type { DatabaseHandle } from '../db/connect';
import type { CycleCalendar } from '../services/calendar';
import type { Clock } from '../services/clock';
import type { Config } from '../services/config';
import type { ServiceContext } from '../services/context';
import type { Logger } from '../services/logger';
import type { NoticeComposer } from '../services/notices';

/** What the bot's handlers need, built once at start-up and passed down. */
export interface BotDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  calendar: CycleCalendar;
  database: DatabaseHandle;
  repos: Repositories;
  /** The domain's context (repositories, transactions, calendar, clock). */
  services: ServiceContext;
  /** Turns the domain's notices into Teams messages. */
  compose: NoticeComposer;
}

import type { Repositories } from '../db/repositories';
import type { CycleCalendar } from './calendar';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { RetentionSettings } from './retention';

/**
 * What domain operations need: the repositories, a way to run several writes as one,
 * the cycle calendar and the clock. Built once by whoever runs the domain (the bot,
 * the CLI, a test).
 */
export interface ServiceContext {
  repos: Repositories;
  /** Runs `work` in one database transaction: all of it is saved, or none. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  calendar: CycleCalendar;
  clock: Clock;
  logger: Logger;
  /** How long case detail and sent messages are kept: the retention job's periods. */
  retention: RetentionSettings;
}

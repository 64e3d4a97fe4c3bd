import type { Repositories } from '../db/repositories';
import type { DatabaseHandle } from '../db/connect';
import type { Clock } from '../services/clock';
import type { Config } from '../services/config';
import type { Logger } from '../services/logger';

/** What the bot's handlers need, built once at start-up and passed down. */
export interface BotDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  database: DatabaseHandle;
  repos: Repositories;
}

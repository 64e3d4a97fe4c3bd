import { isQaError } from '../services/errors';
import { startBot } from './start';

/** Start-up (see start.ts), then stop cleanly on a signal. Any failure stops the process with a clear line. */
async function main(): Promise<void> {
  const bot = await startBot();
  const stop = async (signal: string): Promise<void> => {
    bot.logger.info({ signal }, 'stopping');
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (isQaError(error) && error.code === 'CONFIG_INVALID') {
    process.stderr.write(`QA Loop cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`QA Loop stopped: ${isQaError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  }
  process.exit(1);
});

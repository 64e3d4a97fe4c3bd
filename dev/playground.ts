/**
 * Chat with the real bot on your own machine: `npm run playground`.
 *
 * Starts QA Loop exactly as bot/main.ts does (settings from the environment with their
 * defaults, SQLite under data/, migrations), then the Microsoft 365 Agents Playground,
 * a Teams-like chat client that runs offline, pointed at the bot's /api/messages.
 * PORT (default 3978) is the bot's port, PLAYGROUND_PORT (default 56150) the Playground's.
 * Leave MicrosoftAppId unset: the Playground talks to the bot in local mode, without tokens.
 * Ctrl+C stops both. The Playground's own log is devTools/m365agentsplayground.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild, waitForHttp } from './child-process';
import { startBot } from '../bot/start';
import { isQaError } from '../services/errors';

const STARTUP_LIMIT_MS = 30_000;

async function main(): Promise<void> {
  const bot = await startBot();
  if (!bot.config.localMode) {
    bot.logger.warn('MicrosoftAppId is set, so the bot expects Bot Framework tokens; the Playground sends none and will be refused');
  }
  const botUrl = `http://127.0.0.1:${bot.port}/api/messages`;
  const playground = startPlayground(botUrl, process.env.PLAYGROUND_PORT || '56150');

  let stopping = false;
  const stop = async (reason: string, exitCode: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    bot.logger.info({ reason }, 'stopping');
    await stopChild(playground);
    await bot.stop();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop('SIGINT', 0));
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  playground.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(`The Playground stopped (${signal ?? `exit code ${code}`}), so QA Loop is stopping too.\n`);
    void stop('playground exited', 1);
  });

  try {
    const port = await playgroundPort(playground);
    await waitForHttp(`http://127.0.0.1:${port}/`, STARTUP_LIMIT_MS);
    process.stdout.write(`\nPlayground ready: open http://localhost:${port} to chat with QA Loop (Ctrl+C stops both).\n\n`);
  } catch (error) {
    process.stderr.write(`The Playground did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await stop('playground did not start', 1);
  }
}

function startPlayground(botUrl: string, port: string): ChildProcess {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  return spawn(process.execPath, [cli, '--disable-telemetry', '-p', port, '-c', 'msteams'], {
    env: { ...process.env, BOT_ENDPOINT: botUrl, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** The port it really listens on: it picks a random one when the asked-for port is taken. */
function playgroundPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Listening on" line within ${STARTUP_LIMIT_MS / 1000} s`)), STARTUP_LIMIT_MS);
    // Keep reading to the end so the child never blocks on a full pipe; only the port line matters.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Listening on (\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
}


main().catch((error: unknown) => {
  const message = isQaError(error) ? error.message : error instanceof Error ? error.stack ?? error.message : String(error);
  process.stderr.write(`QA Loop cannot start: ${message}\n`);
  process.exit(1);
});

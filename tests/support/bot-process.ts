import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The bot (bot/main.ts) or the `qa` command (cli/qa.ts) as a real process: node itself
 * with tsx as its loader, not the tsx wrapper, so that a signal (SIGKILL above all)
 * reaches the process that holds the port and the database, not a parent that cannot
 * pass SIGKILL on.
 */
const root = resolve(__dirname, '../..');
const loader = pathToFileURL(require.resolve('tsx')).href;

export interface RealProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

function run(entry: string, args: readonly string[], env: Record<string, string>, cwd: string): RealProcess {
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', loader, join(root, entry), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface BotProcess extends RealProcess {
  port: number;
  botUrl: string;
}

/** A port nothing listens on just now (PORT must be 1 to 65535, so the bot cannot pick its own). */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Starts the bot on a SQLite file and resolves once it says it is listening. */
export async function startBotProcess(databasePath: string, cwd: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<BotProcess> {
  const port = await freePort();
  const bot = run('bot/main.ts', [], { DATABASE_URL: `sqlite:${databasePath}`, PORT: String(port), LOG_LEVEL: 'info', ...env }, cwd);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (bot.output().includes('QA Loop is listening')) return { ...bot, port, botUrl: `http://127.0.0.1:${port}/api/messages` };
    if (bot.child.exitCode !== null || Date.now() > deadline) {
      await bot.kill('SIGKILL');
      throw new Error(`The bot did not start:\n${bot.output().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the `qa` command as `npm run qa --` would, on a SQLite file. */
export function startQaProcess(databasePath: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): RealProcess {
  return run('cli/qa.ts', args, { DATABASE_URL: `sqlite:${databasePath}`, LOG_LEVEL: 'warn', QA_ACTOR: 'kill-test', ...env }, cwd);
}

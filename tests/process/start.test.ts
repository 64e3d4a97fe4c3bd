import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The real entry point as a real process, started the way `npm start` does it. */
const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const main = join(root, 'bot', 'main.ts');

function start(env: Record<string, string>, cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(tsx, [main], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('starting the bot process', () => {
  test('with no configuration it creates data/, migrates, serves /healthz and stops cleanly on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qa-loop-start-'));
    const port = 40000 + Math.floor(Math.random() * 20000);
    const bot = start({ PORT: String(port) }, cwd);
    try {
      const health = await waitForHealth(port, 20000);
      expect(health.status).toBe(200);
      expect(existsSync(join(cwd, 'data', 'qa-loop.sqlite'))).toBe(true);
      expect(bot.output()).toMatch(/"migrationsApplied":\["0001-foundation","0002-rota","0003-pending-request-once"/);
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
  });

  test.each([
    [{ PORT: 'abc' }, 'Setting PORT must be a whole number'],
    [{ DATABASE_URL: 'mysql://x' }, 'Setting DATABASE_URL must start with sqlite: or mssql://'],
    [{ MicrosoftAppId: '11111111-2222-3333-4444-555555555555' }, 'Setting MicrosoftAppPassword is required when MicrosoftAppId is set'],
  ])('a bad setting %o stops it with a message naming the setting', async (env, message) => {
    const bot = start(env, mkdtempSync(join(tmpdir(), 'qa-loop-bad-')));
    expect(await bot.exited).toBe(1);
    expect(bot.output()).toContain(`QA Loop cannot start: ${message}`);
  });
});

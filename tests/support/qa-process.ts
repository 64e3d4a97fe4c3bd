import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The real `qa` command as a real process (as `npm run qa --` runs it), against a SQLite file. */
const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const entry = join(root, 'cli', 'qa.ts');

export interface QaRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runQa(database: string, args: readonly string[], env: Record<string, string> = {}): Promise<QaRun> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, [entry, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: `sqlite:${database}`, LOG_LEVEL: 'warn', QA_ACTOR: 'cli-test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

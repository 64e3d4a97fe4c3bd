/** How the `qa` commands read the files they are given and write the files they make. */
import { open, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { QaError } from '../services/errors';

/**
 * A new file only, readable by its owner alone: exports and reports name people. An
 * existing file is never overwritten.
 */
export async function createOutput(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EEXIST' ? 'it exists already (choose a new name; nothing is overwritten)' : code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message;
    throw new QaError('INVALID_INPUT', `cannot create output file: ${code ?? 'error'}`, { userMessage: `Cannot write ${path}: ${reason}.`, cause: error });
  }
}

/** Writes `text` to a new owner-only file; a failed write leaves no file behind. */
export async function writeNewFile(path: string, text: string): Promise<void> {
  const handle = await createOutput(path);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/**
 * A file the QA manager gave, as text without the byte order mark some Windows editors
 * add. `consequence` ends the message when it cannot be read, e.g. "Nothing was saved."
 */
export async function readInputFile(file: string, what: string, consequence = ''): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new QaError('INVALID_INPUT', `cannot read ${what}: ${reason}`, { userMessage: `Cannot read ${file}: ${reason}.${consequence === '' ? '' : ` ${consequence}`}`, cause: error });
  }
}

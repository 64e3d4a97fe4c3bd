/** `export person`: everything QA Loop holds about a member of staff, for a subject access request. */
import { unlink, type FileHandle } from 'node:fs/promises';
import { QaError } from '../services/errors';
import { countItems, findPerson, gatherPersonData, recordPersonExport } from '../services/subject-access';
import { createOutput } from './files';
import type { CliCommand } from './qa';

const personCommand: CliCommand = {
  usage: 'export person EMAIL [--out FILE]',
  summary: 'Everything QA Loop holds about a member of staff (subject access) as JSON, to FILE (a new file) or to the screen',
  takes: { min: 1, max: 1 },
  options: ['out'],
  async run({ args: [email = ''], options }, cli) {
    if (!email.includes('@')) throw cli.badArgument(`"${email}" is not an email address: give the person's work email.`);
    const person = await findPerson(cli.context, email);
    if (person === undefined) {
      throw new QaError('NOT_FOUND', 'export person: email not on file', { userMessage: `No one with the email ${email.trim()} is on file in QA Loop. Nothing was exported.` });
    }
    const path = options.get('out');
    // The file first, so that an existing one stops the export before anything is read.
    const file: FileHandle | undefined = path === undefined ? undefined : await createOutput(path);
    let items: number;
    try {
      const data = await gatherPersonData(cli.context, person);
      items = countItems(data);
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (file === undefined) await cli.write(json);
      else {
        await file.write(json);
        await file.close();
      }
    } catch (error) {
      if (file !== undefined && path !== undefined) {
        await file.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
      }
      throw error;
    }
    await recordPersonExport(cli.context, cli.actor, person, file === undefined ? 'screen' : 'file');
    const summary = `everything QA Loop holds about ${person.email} (${items} item${items === 1 ? '' : 's'})`;
    if (path === undefined) cli.err(`Exported ${summary}. The export is recorded in the audit log.`);
    else cli.out(`Wrote ${summary} to ${path}, readable only by you. The export is recorded in the audit log.`);
  },
};

export const exportCommands: readonly CliCommand[] = [personCommand];

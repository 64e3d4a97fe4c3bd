/** `audit export`: the audit log as CSV, for the QA service, information governance or an inspector. */
import { unlink } from 'node:fs/promises';
import { exportAuditCsv, parseIsoDate, type AuditExportResult } from '../services/audit-export';
import { createOutput } from './files';
import type { CliCommand, CliRuntime } from './qa';

function dayOption(cli: CliRuntime, options: ReadonlyMap<string, string>, name: 'from' | 'to'): string {
  const value = options.get(name);
  if (value === undefined) throw cli.badArgument(`audit export needs --from and --to, e.g. --from 2026-09-01 --to 2026-09-30.`);
  if (parseIsoDate(value) === undefined) throw cli.badArgument(`--${name} "${value}" is not a day: write it as YYYY-MM-DD, e.g. 2026-09-01.`);
  return value;
}

const exportCommand: CliCommand = {
  usage: 'audit export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]',
  summary: 'The audit log of those London days (both included) as CSV, to FILE (a new file) or to the screen',
  takes: { min: 0, max: 0 },
  options: ['from', 'to', 'out'],
  async run({ options }, cli) {
    const range = { from: dayOption(cli, options, 'from'), to: dayOption(cli, options, 'to') };
    if (range.from > range.to) throw cli.badArgument(`--to ${range.to} is before --from ${range.from}.`);
    const path = options.get('out');
    const file = path === undefined ? undefined : await createOutput(path);
    let result: AuditExportResult;
    try {
      result = await exportAuditCsv(cli.context, range, file === undefined ? cli.write : async (text) => void (await file.write(text)));
      await file?.close();
    } catch (error) {
      if (file !== undefined && path !== undefined) {
        await file.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
      }
      throw error;
    }
    // Reading the log is recorded in it too; this entry falls after the export's end, so it is in the next one.
    await cli.context.repos.audit.append(
      { actor: cli.actor, actorRole: null, action: 'audit.exported', recordKind: 'audit', recordId: null, source: 'cli', detail: { from: range.from, to: range.to, entries: result.entries } },
      cli.context.clock.now(),
    );
    const summary = `${result.entries} audit entr${result.entries === 1 ? 'y' : 'ies'} from ${range.from} to ${range.to} (London days; up to ${result.end.toISOString()})`;
    if (path === undefined) cli.err(`Exported ${summary}.`);
    else cli.out(`Wrote ${summary} to ${path}.`);
  },
};

export const auditCommands: readonly CliCommand[] = [exportCommand];

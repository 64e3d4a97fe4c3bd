import { QaError } from '../services/errors';
import { installForUnreachable } from '../services/graph/app-install';
import { createGraphClient } from '../services/graph/graph-client';
import { syncRotaFromGroup } from '../services/graph/rota-sync';
import type { CliCommand } from './qa';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the rota from an Entra group, then installs the app for rota managers the bot cannot reach yet. */
export const rotaSyncCommand: CliCommand = {
  usage: 'rota sync GROUP_ID',
  summary: 'Read the rota from an Entra group; then install the app for managers the bot cannot reach (if TEAMS_APP_CATALOG_ID is set)',
  takes: { min: 1, max: 1 },
  async run({ args: [groupId = ''] }, cli) {
    const settings = cli.config.graph;
    if (settings === undefined) {
      throw new QaError('CONFIG_INVALID', 'Setting GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are needed for rota sync.');
    }
    if (!GUID.test(groupId)) throw cli.badArgument(`"${groupId}" is not a group id: use the group's object id from Entra.`);
    const graph = createGraphClient(settings);
    const result = await syncRotaFromGroup(cli.context, graph, groupId, cli.actor, { teamAttribute: settings.teamAttribute, source: 'cli' });
    for (const person of result.skipped) cli.err(`Skipped ${person.name || person.entraId}: ${person.reason}`);
    for (const kept of result.emailsKept) cli.err(`Kept ${kept.emailOnFile} on file (Entra says ${kept.entraMail})`);
    if (!result.import.ok) {
      for (const problem of result.import.problems) cli.err(problem);
      throw new QaError('INVALID_INPUT', 'rota sync refused', { userMessage: 'Nothing was imported.', detail: { problems: result.import.problems.length } });
    }
    const r = result.import;
    cli.out(
      `Synced group ${groupId}: ${result.membersRead} members read, ${r.added} added, ${r.updated} updated, ${r.joinedRota} joined the rota, ${r.leftRota} left the rota, ${r.onRota} on the rota, ${result.skipped.length} skipped.`,
    );
    if (result.managersOutsideGroup.length > 0) cli.out(`Line managers from outside the group: ${result.managersOutsideGroup.join(', ')}`);
    if (settings.appCatalogId !== undefined) {
      const c = await installForUnreachable(cli.context, graph, settings.appCatalogId, { actor: cli.actor, source: 'cli' });
      cli.out(`Teams app: ${c.installed} installed, ${c.alreadyInstalled} already installed, ${c.failed} failed, ${c.skippedNoEntraId} with no Entra id.`);
    }
  },
};

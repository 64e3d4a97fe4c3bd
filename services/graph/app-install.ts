import type { AuditSource } from '../audit';
import type { ServiceContext } from '../context';
import { isQaError, toQaError } from '../errors';
import { graphStatusOf, type GraphClient } from './graph-client';

/**
 * A proactive message needs a personal conversation, and Teams makes one only when the
 * app is installed for the person. Installing it through Graph for rota managers who
 * never opened QA Loop lets the bot reach them; Teams then sends the bot the install
 * event, which saves the conversation as if they had added the app themselves.
 */
export interface InstallCounts {
  installed: number;
  /** Graph said 409: installed already (the install event may simply not have arrived yet). */
  alreadyInstalled: number;
  failed: number;
  /** On the rota but with no Entra object id on file, so there is no one to install for. */
  skippedNoEntraId: number;
}

export interface InstallOptions {
  /** Who to record in the audit log; the CLI passes the operator, a job its own name. */
  actor?: string;
  source?: Extract<AuditSource, 'job' | 'cli'>;
}

export async function installForUnreachable(context: ServiceContext, graph: GraphClient, appCatalogId: string, options: InstallOptions = {}): Promise<InstallCounts> {
  const source = options.source ?? 'job';
  const actor = options.actor ?? 'qa-loop';
  const counts: InstallCounts = { installed: 0, alreadyInstalled: 0, failed: 0, skippedNoEntraId: 0 };
  const [members, staff] = await Promise.all([context.repos.rota.listMembers(), context.repos.staff.listAll()]);
  const staffById = new Map(staff.map((person) => [person.id, person]));
  const teamsApp = `${graph.baseUrl}/appCatalogs/teamsApps/${encodeURIComponent(appCatalogId)}`;

  // One at a time: Teams app installs are throttled per tenant, and this runs rarely.
  for (const member of members) {
    const person = staffById.get(member.staffId);
    if (!member.onRota || person === undefined || !person.active) continue;
    if (person.aadObjectId === null) {
      counts.skippedNoEntraId++;
      continue;
    }
    if ((await context.repos.conversations.findPersonalForStaff(person.id)) !== undefined) continue;
    try {
      await graph.post(`/users/${encodeURIComponent(person.aadObjectId)}/teamwork/installedApps`, { 'teamsApp@odata.bind': teamsApp });
    } catch (error) {
      if (isQaError(error) && error.code === 'CONFLICT') {
        counts.alreadyInstalled++;
        continue;
      }
      // One person's failure (no Teams licence, account gone) must not stop the others.
      counts.failed++;
      const failure = toQaError(error);
      context.logger.warn({ staffId: person.id, code: failure.code, status: graphStatusOf(failure), err: failure.message }, 'teams app install failed');
      continue;
    }
    counts.installed++;
    await context.repos.audit.append(
      { actor, actorRole: source === 'cli' ? 'qa_manager' : null, action: 'teams_app.installed', recordKind: 'staff', recordId: person.id, source, detail: { appCatalogId } },
      context.clock.now(),
    );
  }
  context.logger.info({ ...counts }, 'teams app installed for unreachable rota members');
  return counts;
}

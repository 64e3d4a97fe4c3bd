import { z } from 'zod';
import type { ServiceContext } from '../context';
import { isQaError, QaError } from '../errors';
import { isManagerTier, type Tier } from '../rota';
import { readRotaFile } from '../rota-import';
import { importRota, type ImportResult } from '../rota-service';
import type { StaffMember } from '../staff';
import type { GraphClient } from './graph-client';
import type { TeamAttribute } from './graph-settings';

/**
 * Reads the rota from an Entra group instead of a CSV file. The group's people (and
 * their line managers) are written out as the same CSV rows a QA manager would upload
 * and handed to importRota, so a sync obeys exactly the rules of an import: checked
 * whole first, people matched by email, managers placed on the rota, managers missing
 * from the group taken off it. An empty group therefore changes nothing.
 *
 * Mapping from Entra:
 * - email ← mail (people without a mailbox are skipped: QA Loop matches people by email).
 *   Someone already on file with the same Entra id keeps the email on file, so a
 *   changed address does not make a second person.
 * - name ← displayName; aad_object_id ← id.
 * - service ← department; team ← officeLocation or the configured attribute; either
 *   falls back to the value on file when Entra has none.
 * - tier ← jobTitle, see tierFromJobTitle.
 * - roles: the tier's role (manager, practitioner or independent_chair) plus the roles
 *   on file that Entra cannot know (qa_manager, moderator, approver, admin): an import
 *   replaces roles, and a sync must not strip the QA manager of hers.
 * - line_manager_email ← GET /users/{id}/manager (none when Graph says 404).
 *
 * Line managers outside the group are added as staff rows so that the link is kept.
 * Because every manager-tier row of an import is on the rota, such a manager joins the
 * rota too when their job title is a manager's; they are listed in the result so the
 * QA manager sees it, and can add them to the group or excuse them.
 */

export interface SkippedPerson {
  entraId: string;
  name: string;
  reason: string;
}

export interface RotaSyncResult {
  import: ImportResult;
  /** Transitive user members of the group. */
  membersRead: number;
  /** Line managers added from outside the group, by email. */
  managersOutsideGroup: string[];
  /** People left out, and why; they are not changed, and leave the rota if they were on it. */
  skipped: SkippedPerson[];
  /** People matched by Entra id whose Entra mail differs from the email on file, which is kept. */
  emailsKept: { entraId: string; emailOnFile: string; entraMail: string }[];
}

export interface RotaSyncOptions {
  teamAttribute?: TeamAttribute;
  source?: 'cli' | 'job';
}

/**
 * Tier from job title, by phrase, case-insensitive, in order of seniority so that a
 * combined title takes the senior tier: Director (so also Assistant or Deputy
 * Director), Head of Service, Service Manager, Team Manager (so also Assistant or
 * Deputy Team Manager), Independent Chair. Anything else is undefined: a practitioner,
 * unless the person is on file as qa_service, which no job title expresses.
 */
const TITLE_TIERS: readonly [RegExp, Tier][] = [
  [/\bdirector\b/i, 'director'],
  [/\bhead[\s-]+of[\s-]+service\b/i, 'head_of_service'],
  [/\bservice[\s-]+manager\b/i, 'service_manager'],
  [/\bteam[\s-]+manager\b/i, 'team_manager'],
  [/\bindependent[\s-]+chair\b/i, 'independent_chair'],
];

export function tierFromJobTitle(jobTitle: string | null | undefined): Tier | undefined {
  return TITLE_TIERS.find(([pattern]) => pattern.test(jobTitle ?? ''))?.[1];
}

/** Roles that follow from the tier; the others are given by the QA service and kept. */
const TIER_ROLES = ['manager', 'practitioner', 'independent_chair'];

function rolesFor(tier: Tier, onFile: StaffMember | undefined): string[] {
  const kept = (onFile?.roles ?? []).filter((role) => !TIER_ROLES.includes(role));
  const fromTier = isManagerTier(tier) ? ['manager'] : tier === 'practitioner' || tier === 'independent_chair' ? [tier] : [];
  return [...new Set([...kept, ...fromTier])];
}

const nullableText = z.string().nullish();
const graphUser = z.object({
  '@odata.type': z.string().optional(),
  id: z.string().min(1),
  displayName: nullableText,
  mail: nullableText,
  userPrincipalName: nullableText,
  department: nullableText,
  jobTitle: nullableText,
  officeLocation: nullableText,
  companyName: nullableText,
  employeeType: nullableText,
  city: nullableText,
  accountEnabled: z.boolean().nullish(),
  onPremisesExtensionAttributes: z.record(z.string(), nullableText).nullish(),
});
type GraphUser = z.infer<typeof graphUser>;

function selectFor(teamAttribute: TeamAttribute): string {
  const teamField = teamAttribute.startsWith('extensionAttribute') ? 'onPremisesExtensionAttributes' : teamAttribute;
  return ['id', 'displayName', 'mail', 'userPrincipalName', 'department', 'jobTitle', 'accountEnabled', teamField].filter((field, i, all) => all.indexOf(field) === i).join(',');
}

function teamOf(user: GraphUser, attribute: TeamAttribute): string {
  const value = attribute.startsWith('extensionAttribute') ? user.onPremisesExtensionAttributes?.[attribute] : user[attribute as 'officeLocation' | 'companyName' | 'employeeType' | 'city'];
  return (value ?? '').trim();
}

/** One person as a rota row, before line managers are resolved to emails. */
interface Candidate {
  entraId: string;
  name: string;
  email: string;
  tier: Tier;
  service: string;
  team: string;
  roles: string[];
  /** Entra id of the line manager, for people in the group. */
  managerEntraId: string | null;
  /** The email of the line manager on file, for managers outside the group (Graph is not asked about theirs). */
  managerEmailOnFile: string | null;
}

/** Runs `work` over `items`, a few at a time: quicker than one by one, gentler on Graph's throttling than all at once. */
async function mapFew<T, R>(items: readonly T[], work: (item: T) => Promise<R>, limit = 4): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The person's line manager, or null: Graph answers 404 when there is none, and a contact is not a person QA Loop knows. */
async function managerOf(graph: GraphClient, entraId: string, select: string): Promise<GraphUser | null> {
  try {
    const parsed = graphUser.safeParse(await graph.get(`/users/${encodeURIComponent(entraId)}/manager?$select=${select}`));
    if (!parsed.success) return null;
    const type = parsed.data['@odata.type'];
    return type === undefined || type === '#microsoft.graph.user' ? parsed.data : null;
  } catch (error) {
    if (isQaError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/** Quoted always, line breaks flattened: one person, one CSV line, so a problem's line number finds the person. */
const field = (value: string): string => `"${value.replace(/[\r\n]+/g, ' ').replace(/"/g, '""')}"`;
const COLUMNS = ['email', 'name', 'tier', 'service', 'team', 'line_manager_email', 'roles', 'aad_object_id'];

export async function syncRotaFromGroup(context: ServiceContext, graph: GraphClient, groupId: string, actor: string, options: RotaSyncOptions = {}): Promise<RotaSyncResult> {
  const teamAttribute = options.teamAttribute ?? 'officeLocation';
  const select = selectFor(teamAttribute);
  const skipped: SkippedPerson[] = [];

  // The cast segment asks Graph for users only: nested groups, devices and contacts are left out by the server.
  const raw = await graph.getAll(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=${select}&$top=999`);
  const members = new Map<string, GraphUser>();
  for (const item of raw) {
    const parsed = graphUser.safeParse(item);
    if (!parsed.success) {
      skipped.push({ entraId: typeof item === 'object' && item !== null && 'id' in item ? String(item.id) : '', name: '', reason: 'Graph returned a record that is not a user' });
      continue;
    }
    members.set(parsed.data.id.toLowerCase(), parsed.data);
  }
  const usable = [...members.values()].filter((user) => user.accountEnabled !== false);
  const managers = await mapFew(usable, (user) => managerOf(graph, user.id, select));
  const managerOfMember = new Map(usable.map((user, i) => [user.id.toLowerCase(), managers[i] ?? null]));
  const outside = new Map<string, GraphUser>();
  for (const manager of managers) {
    if (manager !== null && !members.has(manager.id.toLowerCase())) outside.set(manager.id.toLowerCase(), manager);
  }

  const known = await context.repos.staff.listAll();
  const byEntraId = new Map(known.filter((person) => person.aadObjectId !== null).map((person) => [person.aadObjectId!.toLowerCase(), person]));
  const byEmail = new Map(known.map((person) => [person.email, person]));
  const byId = new Map(known.map((person) => [person.id, person]));
  const emailsKept: RotaSyncResult['emailsKept'] = [];

  const candidates: Candidate[] = [];
  const consider = (user: GraphUser, inGroup: boolean): void => {
    const entraId = user.id.toLowerCase();
    const name = (user.displayName ?? '').trim();
    const skip = (reason: string): void => void skipped.push({ entraId, name, reason: inGroup ? reason : `${reason} (line manager outside the group)` });
    if (user.accountEnabled === false) return skip('the account is disabled in Entra');
    const mail = (user.mail ?? '').trim().toLowerCase();
    if (mail === '') return skip('no mail address in Entra');
    if (name === '') return skip('no display name in Entra');
    const sameId = byEntraId.get(entraId);
    const onFile = sameId ?? byEmail.get(mail);
    if (sameId !== undefined && sameId.email !== mail) emailsKept.push({ entraId, emailOnFile: sameId.email, entraMail: mail });
    const service = (user.department ?? '').trim() || onFile?.service || '';
    if (service === '') return skip('no department in Entra');
    const team = teamOf(user, teamAttribute) || onFile?.team || '';
    if (team === '') return skip(`no ${teamAttribute} in Entra`);
    const tier = tierFromJobTitle(user.jobTitle) ?? (onFile?.tier === 'qa_service' ? 'qa_service' : 'practitioner');
    const lineManagerOnFile = onFile === undefined || onFile.lineManagerId === null ? undefined : byId.get(onFile.lineManagerId);
    candidates.push({
      entraId,
      name,
      email: onFile?.email ?? mail,
      tier,
      service,
      team,
      roles: rolesFor(tier, onFile),
      managerEntraId: inGroup ? (managerOfMember.get(entraId)?.id.toLowerCase() ?? null) : null,
      managerEmailOnFile: inGroup ? null : (lineManagerOnFile?.email ?? null),
    });
  };
  for (const user of members.values()) consider(user, true);
  for (const user of outside.values()) consider(user, false);

  // readRotaFile is the judge: anyone it refuses is skipped with its reason, and the rest checked again.
  const knownEmails = new Set(known.map((person) => person.email));
  let included = candidates;
  let csv = '';
  for (;;) {
    const emailOf = new Map(included.map((candidate) => [candidate.entraId, candidate.email]));
    const lineManagerEmail = (candidate: Candidate): string => {
      if (candidate.managerEntraId === null) return candidate.managerEmailOnFile ?? '';
      // A manager who was skipped may still be on file, and the link to them kept.
      return emailOf.get(candidate.managerEntraId) ?? byEntraId.get(candidate.managerEntraId)?.email ?? '';
    };
    const lines = included.map((candidate) =>
      [candidate.email, candidate.name, candidate.tier, candidate.service, candidate.team, lineManagerEmail(candidate), candidate.roles.join(';'), candidate.entraId].map(field).join(','),
    );
    csv = [COLUMNS.join(','), ...lines].join('\n');
    const checked = readRotaFile(csv, knownEmails);
    if (checked.ok || included.length === 0) break;
    const refused = new Map<number, string[]>();
    for (const problem of checked.problems) {
      const match = /^line (\d+): (.*)$/.exec(problem);
      const index = match === null ? -1 : Number(match[1]) - 2;
      if (match === null || index < 0 || index >= included.length) throw new QaError('INTERNAL', `Rota sync wrote a file the import refuses: ${problem}`);
      refused.set(index, [...(refused.get(index) ?? []), match[2]!]);
    }
    for (const [index, problems] of refused) {
      const candidate = included[index]!;
      skipped.push({ entraId: candidate.entraId, name: candidate.name, reason: problems.join('; ') });
    }
    included = included.filter((_, index) => !refused.has(index));
  }

  const result = await importRota(context, csv, actor);
  const managersOutsideGroup = included.filter((candidate) => outside.has(candidate.entraId)).map((candidate) => candidate.email);
  if (result.ok) {
    await context.repos.audit.append(
      {
        actor,
        actorRole: options.source === 'job' ? null : 'qa_manager',
        action: 'rota.synced',
        recordKind: 'rota',
        recordId: null,
        source: options.source ?? 'cli',
        detail: { groupId, membersRead: members.size, included: included.length, skipped: skipped.length, managersOutsideGroup: managersOutsideGroup.length },
      },
      context.clock.now(),
    );
  }
  context.logger.info({ groupId, membersRead: members.size, included: included.length, skipped: skipped.length, ok: result.ok }, 'rota synced from Entra group');
  return { import: result, membersRead: members.size, managersOutsideGroup, skipped, emailsKept };
}

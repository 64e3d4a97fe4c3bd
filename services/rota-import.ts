import { parseCsv } from './csv';
import { isAssignedRole, type AssignedRole } from './roles';
import { isManagerTier, isTier, parseKind, type QaKind, type Tier } from './rota';

/** One valid row of a rota file. */
export interface RotaRow {
  line: number;
  email: string;
  name: string;
  tier: Tier;
  service: string;
  team: string;
  lineManagerEmail: string | null;
  roles: AssignedRole[];
  aadObjectId: string | null;
  startKind: QaKind | undefined;
}

export const REQUIRED_COLUMNS = ['email', 'name', 'tier', 'service', 'team', 'line_manager_email', 'roles'] as const;
export const OPTIONAL_COLUMNS = ['aad_object_id', 'start_kind'] as const;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RotaFileResult = { ok: true; rows: RotaRow[] } | { ok: false; problems: string[] };

/**
 * Reads and checks a whole rota file. Any problem anywhere means nothing is imported,
 * so every problem is reported at once, each with its line number.
 * `knownEmails` are people already on file, who may be named as line managers.
 */
export function readRotaFile(text: string, knownEmails: ReadonlySet<string>): RotaFileResult {
  const records = parseCsv(text);
  const header = records[0];
  if (header === undefined) return { ok: false, problems: ['The file is empty: it needs a header line and one line per person.'] };
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(REQUIRED_COLUMNS as readonly string[]).includes(name) && !(OPTIONAL_COLUMNS as readonly string[]).includes(name));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`line ${header.line}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`line ${header.line}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (problems.length > 0) return { ok: false, problems };

  const rows: RotaRow[] = [];
  const seenEmails = new Map<string, number>();
  const seenAad = new Map<string, number>();
  for (const record of records.slice(1)) {
    const at = (name: string): string => (record.fields[columns.indexOf(name)] ?? '').trim();
    const rowProblems: string[] = [];
    if (record.fields.length !== columns.length) rowProblems.push(`has ${record.fields.length} fields, the header has ${columns.length}`);
    const email = at('email').toLowerCase();
    if (!EMAIL.test(email)) rowProblems.push(`email "${at('email')}" is not an email address`);
    else if (seenEmails.has(email)) rowProblems.push(`email ${email} is also on line ${seenEmails.get(email)}`);
    const name = at('name');
    if (name === '') rowProblems.push('name is empty');
    const tier = at('tier').toLowerCase().replace(/[\s-]+/g, '_');
    if (!isTier(tier)) rowProblems.push(`tier "${at('tier')}" is not one of director, head_of_service, service_manager, team_manager, independent_chair, practitioner, qa_service`);
    if (at('service') === '') rowProblems.push('service is empty');
    if (at('team') === '') rowProblems.push('team is empty');
    const lineManager = at('line_manager_email').toLowerCase();
    if (lineManager !== '' && !EMAIL.test(lineManager)) rowProblems.push(`line_manager_email "${at('line_manager_email')}" is not an email address`);
    if (lineManager !== '' && lineManager === email) rowProblems.push('line_manager_email is the person themself');
    // Roles are separated by ; or | (or commas inside a quoted field).
    const roleNames = at('roles').split(/[;|,\s]+/).map((role) => role.trim().toLowerCase()).filter(Boolean);
    const badRoles = roleNames.filter((role) => !isAssignedRole(role));
    if (badRoles.length > 0) rowProblems.push(`unknown role${badRoles.length > 1 ? 's' : ''} ${badRoles.join(', ')}`);
    const aad = columns.includes('aad_object_id') ? at('aad_object_id').toLowerCase() : '';
    if (aad !== '' && !GUID.test(aad)) rowProblems.push(`aad_object_id "${aad}" is not a GUID`);
    else if (aad !== '' && seenAad.has(aad)) rowProblems.push(`aad_object_id is also on line ${seenAad.get(aad)}`);
    const startText = columns.includes('start_kind') ? at('start_kind') : '';
    const startKind = startText === '' ? undefined : parseKind(startText);
    if (startText !== '' && startKind === undefined) rowProblems.push(`start_kind "${startText}" is not review, observation or thematic`);
    if (startKind !== undefined && isTier(tier) && !isManagerTier(tier)) rowProblems.push('start_kind is only for tier managers on the rota');

    if (EMAIL.test(email) && !seenEmails.has(email)) seenEmails.set(email, record.line);
    if (aad !== '' && !seenAad.has(aad)) seenAad.set(aad, record.line);
    if (rowProblems.length > 0) {
      problems.push(...rowProblems.map((problem) => `line ${record.line}: ${problem}`));
      continue;
    }
    const roles = roleNames.filter(isAssignedRole);
    if (isManagerTier(tier) && !roles.includes('manager')) roles.push('manager');
    rows.push({
      line: record.line,
      email,
      name,
      tier: tier as Tier,
      service: at('service'),
      team: at('team'),
      lineManagerEmail: lineManager === '' ? null : lineManager,
      roles: [...new Set(roles)],
      aadObjectId: aad === '' ? null : aad,
      startKind,
    });
  }
  if (records.length < 2) problems.push('The file has a header but no people.');
  for (const row of rows) {
    if (row.lineManagerEmail !== null && !seenEmails.has(row.lineManagerEmail) && !knownEmails.has(row.lineManagerEmail)) {
      problems.push(`line ${row.line}: line manager ${row.lineManagerEmail} is not in this file or already on file`);
    }
  }
  problems.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rows };
}

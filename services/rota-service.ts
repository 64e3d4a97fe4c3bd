import type { Repositories } from '../db/repositories';
import type { RotaMember } from '../db/rota.repository';
import { isOpen, type Assignment, type RotaOverride } from './assignments';
import { monthOf, nextMonth, type YearMonth } from './calendar';
import type { ServiceContext } from './context';
import { QaError } from './errors';
import { kindAt, placeNewcomers, isManagerTier, type QaKind } from './rota';
import { readRotaFile } from './rota-import';
import type { StaffMember } from './staff';
import { queueNotice, type NoticeComposer } from './notices';

export type ImportResult =
  | { ok: true; added: number; updated: number; joinedRota: number; leftRota: number; onRota: number }
  | { ok: false; problems: string[] };

/**
 * The month a newcomer's rotation starts: this month if its assignments are not yet
 * made, else the next active month.
 */
async function joiningMonth(context: ServiceContext, repos: Repositories): Promise<YearMonth> {
  let month = monthOf(context.clock.now());
  const assigned = await repos.jobRuns.find('assign-month', month);
  if (assigned?.status === 'succeeded' || !context.calendar.isActiveMonth(month)) month = nextMonth(month);
  while (!context.calendar.isActiveMonth(month)) month = nextMonth(month);
  return month;
}

/**
 * Imports the pre-agreed rota. The whole file is checked first; if any line is wrong
 * nothing changes. People are matched by email, so a re-import updates them and keeps
 * their history (assignments, rotation place). Managers missing from the new file
 * leave the rota but stay on file.
 */
export async function importRota(context: ServiceContext, text: string, actor: string): Promise<ImportResult> {
  const known = await context.repos.staff.listAll();
  const checked = readRotaFile(text, new Set(known.map((person) => person.email)));
  if (!checked.ok) return checked;
  const now = context.clock.now();
  return context.transaction(async (repos) => {
    const byEmail = new Map(known.map((person) => [person.email, person]));
    const ids = new Map<string, string>();
    let added = 0;
    let updated = 0;
    for (const row of checked.rows) {
      const details = { email: row.email, name: row.name, tier: row.tier, service: row.service, team: row.team, roles: row.roles };
      const existing = byEmail.get(row.email);
      if (existing === undefined) {
        const person = await repos.staff.insert({ ...details, aadObjectId: row.aadObjectId }, now);
        ids.set(row.email, person.id);
        added++;
        await repos.audit.append({ actor, actorRole: null, action: 'staff.added', recordKind: 'staff', recordId: person.id, source: 'cli', detail: { roles: row.roles } }, now);
      } else {
        await repos.staff.update(existing.id, { ...details, active: true, ...(row.aadObjectId === null ? {} : { aadObjectId: row.aadObjectId }) }, now);
        ids.set(row.email, existing.id);
        updated++;
        // Who was given (or lost) a role such as qa_manager or admin, and by which import.
        if ([...existing.roles].sort().join(',') !== [...row.roles].sort().join(',')) {
          await repos.audit.append(
            { actor, actorRole: null, action: 'staff.roles-changed', recordKind: 'staff', recordId: existing.id, source: 'cli', detail: { from: existing.roles, to: row.roles } },
            now,
          );
        }
      }
    }
    // Line managers second: they may appear later in the file than the people they manage.
    for (const row of checked.rows) {
      const lineManagerId = row.lineManagerEmail === null ? null : (ids.get(row.lineManagerEmail) ?? byEmail.get(row.lineManagerEmail)?.id ?? null);
      await repos.staff.update(ids.get(row.email)!, { lineManagerId }, now);
    }

    const members = await repos.rota.listMembers();
    const memberOf = new Map(members.map((member) => [member.staffId, member]));
    const staffById = new Map(known.map((person) => [person.id, person]));
    const month = await joiningMonth(context, repos);
    const index = context.calendar.activeMonthIndex(month);
    const managerRows = checked.rows.filter((row) => isManagerTier(row.tier));
    const newcomers = managerRows
      .filter((row) => memberOf.get(ids.get(row.email)!) === undefined)
      .map((row) => ({ staffId: ids.get(row.email)!, service: row.service, email: row.email, startKind: row.startKind }));
    const serviceOfRow = new Map(checked.rows.map((row) => [ids.get(row.email)!, row.service]));
    const existing = members
      .filter((member) => member.onRota || serviceOfRow.has(member.staffId))
      .map((member) => ({ service: serviceOfRow.get(member.staffId) ?? staffById.get(member.staffId)?.service ?? '', offset: member.rotationOffset }));
    const places = placeNewcomers(newcomers, existing, index);
    for (const [staffId, offset] of places) await repos.rota.join(staffId, offset, month, now);
    let joinedRota = places.size;
    const onRotaIds = new Set(managerRows.map((row) => ids.get(row.email)!));
    for (const member of members) {
      if (onRotaIds.has(member.staffId) && !member.onRota) {
        await repos.rota.join(member.staffId, member.rotationOffset, month, now);
        joinedRota++;
      }
    }
    let leftRota = 0;
    for (const member of members) {
      if (member.onRota && !onRotaIds.has(member.staffId)) {
        await repos.rota.leave(member.staffId, now);
        leftRota++;
      }
    }
    await repos.audit.append(
      { actor, actorRole: null, action: 'rota.imported', recordKind: 'rota', recordId: null, source: 'cli', detail: { added, updated, joinedRota, leftRota } },
      now,
    );
    return { ok: true as const, added, updated, joinedRota, leftRota, onRota: onRotaIds.size };
  });
}

/** One line of the rota for a month. */
export interface RotaEntry {
  person: StaffMember;
  kind: QaKind;
  /** planned (no assignment made yet), or the assignment's status */
  status: 'planned' | Assignment['status'];
  excuseReason: string | null;
  assignment: Assignment | undefined;
}

/**
 * What the rota plans for one member in an active month: their kind (after any swap)
 * and any excusal; undefined when they have no activity that month. The assignment job
 * and the rota view both read it, so they cannot disagree.
 */
export function planFor(
  member: RotaMember,
  person: StaffMember | undefined,
  override: RotaOverride | undefined,
  month: YearMonth,
  activeIndex: number,
): { kind: QaKind; excuseReason: string | null } | undefined {
  if (person === undefined || !person.active || !member.onRota || member.joinedMonth > month) return undefined;
  return {
    kind: override?.action === 'swap' && override.kind !== null ? override.kind : kindAt(member.rotationOffset, activeIndex),
    excuseReason: override?.action === 'excuse' ? override.reason : null,
  };
}

/** Who does what in a month: the assignment where one is made, else the plan with any override. */
export async function rotaForMonth(context: ServiceContext, month: YearMonth): Promise<RotaEntry[]> {
  if (!context.calendar.isActiveMonth(month)) return [];
  const index = context.calendar.activeMonthIndex(month);
  const [members, staff, overrides, assignments] = await Promise.all([
    context.repos.rota.listMembers(),
    context.repos.staff.listAll(),
    context.repos.rota.overridesForMonth(month),
    context.repos.assignments.listForMonth(month),
  ]);
  const staffById = new Map(staff.map((person) => [person.id, person]));
  const overrideFor = new Map(overrides.map((override) => [override.staffId, override]));
  const assignmentFor = new Map(assignments.map((assignment) => [assignment.staffId, assignment]));
  const entries: RotaEntry[] = [];
  for (const member of members) {
    const person = staffById.get(member.staffId);
    const assignment = assignmentFor.get(member.staffId);
    if (person === undefined) continue;
    const plan = planFor(member, person, overrideFor.get(member.staffId), month, index);
    // An assignment already made is shown as it is, even for someone since taken off the rota.
    if (assignment !== undefined) {
      entries.push({ person, kind: assignment.kind, status: assignment.status, excuseReason: assignment.excuseReason, assignment });
    } else if (plan !== undefined) {
      entries.push({ person, kind: plan.kind, status: plan.excuseReason === null ? 'planned' : 'excused', excuseReason: plan.excuseReason, assignment });
    }
  }
  return entries.sort((a, b) => a.person.service.localeCompare(b.person.service) || a.person.name.localeCompare(b.person.name) || a.person.email.localeCompare(b.person.email));
}

async function rotaPerson(context: ServiceContext, email: string, month: YearMonth): Promise<StaffMember> {
  if (!context.calendar.isActiveMonth(month)) {
    throw new QaError('INVALID_INPUT', `${month} is a paused month`, { userMessage: `${month} is a paused month: there is no QA activity to change.` });
  }
  const person = await context.repos.staff.findByEmail(email);
  const member = person === undefined ? undefined : (await context.repos.rota.listMembers()).find((m) => m.staffId === person.id && m.onRota);
  if (person === undefined || member === undefined) {
    throw new QaError('NOT_FOUND', `${email} is not on the rota`, { userMessage: `${email} is not on the QA rota.` });
  }
  return person;
}

/**
 * Tells a manager that the QA manager changed their month (a swap or excusal made
 * directly, not in answer to their own request, which has its own reply).
 */
async function announceChange(context: ServiceContext, compose: NoticeComposer, person: StaffMember, month: YearMonth, change: 'swap' | 'excuse', kind: QaKind | null, reason: string | null, by: string): Promise<void> {
  // The same change saved twice (a double click) is announced once.
  const key = `rota-changed:${month}:${person.id}:${change}:${kind ?? ''}`;
  await queueNotice(context, compose, person, { type: 'rota-changed', person, month, change, kind, reason, by }, key);
}

/** The QA manager gives a manager a different kind of activity for one month; `announce` tells the manager. */
export async function swapKind(
  context: ServiceContext,
  email: string,
  month: YearMonth,
  kind: QaKind,
  actor: string,
  source: 'cli' | 'card',
  announce?: { compose: NoticeComposer; by: string },
): Promise<StaffMember> {
  const person = await rotaPerson(context, email, month);
  const now = context.clock.now();
  await context.transaction(async (repos) => {
    await repos.rota.setOverride({ staffId: person.id, month, action: 'swap', kind, reason: null, decidedBy: actor }, now);
    const assignment = await repos.assignments.findFor(person.id, month);
    if (assignment?.status === 'excused') {
      throw new QaError('CONFLICT', 'assignment excused', { userMessage: `${person.name} is excused in ${month}; their activity cannot be swapped.` });
    }
    if (assignment !== undefined && assignment.kind !== kind) {
      if (!isOpen(assignment) || !(await repos.assignments.changeKind(assignment.id, kind, now))) {
        throw new QaError('CONFLICT', 'assignment already under way', { userMessage: `${person.name}'s ${month} activity is already under way or finished, so its kind cannot change.` });
      }
    }
    await repos.audit.append({ actor, actorRole: 'qa_manager', action: 'rota.swapped', recordKind: 'staff', recordId: person.id, source, detail: { month, kind } }, now);
  });
  if (announce !== undefined) await announceChange(context, announce.compose, person, month, 'swap', kind, null, announce.by);
  return person;
}

/** The QA manager excuses a manager from one month's activity, with a reason (counted in reports); `announce` tells the manager. */
export async function excuseMonth(
  context: ServiceContext,
  email: string,
  month: YearMonth,
  reason: string,
  actor: string,
  source: 'cli' | 'card',
  announce?: { compose: NoticeComposer; by: string },
): Promise<StaffMember> {
  const trimmed = reason.trim();
  if (trimmed.length < 3) throw new QaError('INVALID_INPUT', 'excusal without reason', { userMessage: 'An excusal needs a reason: it is reported.' });
  if (trimmed.length > 500) throw new QaError('INVALID_INPUT', 'excusal reason too long', { userMessage: 'Please keep the reason under 500 characters.' });
  const person = await rotaPerson(context, email, month);
  const now = context.clock.now();
  await context.transaction(async (repos) => {
    await repos.rota.setOverride({ staffId: person.id, month, action: 'excuse', kind: null, reason: trimmed, decidedBy: actor }, now);
    const assignment = await repos.assignments.findFor(person.id, month);
    if (assignment !== undefined) {
      // Already excused: the new reason replaces the old one.
      if (!(await repos.assignments.transition(assignment.id, ['assigned', 'started', 'excused'], 'excused', now, { excuseReason: trimmed }))) {
        throw new QaError('CONFLICT', 'assignment already done', { userMessage: `${person.name}'s ${month} activity is already done.` });
      }
    }
    await repos.audit.append({ actor, actorRole: 'qa_manager', action: 'rota.excused', recordKind: 'staff', recordId: person.id, source, detail: { month } }, now);
  });
  if (announce !== undefined) await announceChange(context, announce.compose, person, month, 'excuse', null, trimmed, announce.by);
  return person;
}

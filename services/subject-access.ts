/**
 * Subject access: everything QA Loop holds about one member of staff, gathered for the
 * trust's data protection officer, who reviews it before anything is disclosed. Read only;
 * the one write is the audit entry saying that an export was made (never what was in it).
 *
 * Other people appear by work email, children's cases by case reference only. Answers are
 * included for the parts of a review or observation the person wrote or that are about
 * their practice; message payloads and Teams conversation references are never read.
 */
import type { Repositories } from '../db/repositories';
import type { StoredAuditEntry } from './audit';
import type { ServiceContext } from './context';
import type { Answers } from './forms/form-answers';
import type { FormResponse } from './forms/form-response';
import type { StaffMember } from './staff';

type Iso = string;

interface Part {
  part: string;
  form: string | null;
  formVersion: number | null;
  respondent: string | null;
  status: string;
  answers: Answers;
  createdAt: Iso;
  updatedAt: Iso;
  submittedAt: Iso | null;
}

export type ReviewRole = 'reviewer' | 'practitioner' | 'independent_chair' | 'moderator' | 'overseeing_manager';

export interface PersonExport {
  about: string;
  exportedAt: Iso;
  person: {
    id: string;
    email: string;
    name: string;
    aadObjectId: string | null;
    tier: string;
    service: string;
    team: string;
    roles: string[];
    lineManagerEmail: string | null;
    active: boolean;
    createdAt: Iso;
    updatedAt: Iso;
  };
  rota: {
    membership: { joinedMonth: string; rotationOffset: number; onRota: boolean; createdAt: Iso; updatedAt: Iso } | null;
    overrides: { id: string; roles: ('subject' | 'decider')[]; person: string | null; month: string; action: string; kind: string | null; reason: string | null; decidedBy: string; createdAt: Iso }[];
  };
  assignments: { id: string; month: string; kind: string; status: string; excuseReason: string | null; assignedAt: Iso; startedAt: Iso | null; completedAt: Iso | null; escalatedAt: Iso | null }[];
  rotaRequests: {
    id: string;
    roles: ('requester' | 'decider')[];
    person: string | null;
    month: string;
    action: string;
    kind: string | null;
    reason: string;
    status: string;
    decidedBy: string | null;
    decidedAt: Iso | null;
    createdAt: Iso;
  }[];
  reviews: {
    id: string;
    roles: ReviewRole[];
    caseReference: string;
    service: string;
    team: string;
    status: string;
    reviewer: string | null;
    practitioner: string | null;
    independentChair: string | null;
    moderator: string | null;
    overseeingManager: string | null;
    reviewerGrade: string | null;
    finalGrade: string | null;
    /** For the reviewer, the practitioner and the moderator. */
    moderationReason?: string | null;
    /** For the reviewer and the moderator: it is feedback to the reviewer. */
    moderationFeedback?: string | null;
    /** For the practitioner and the manager who gave them. */
    oversightDirections?: string | null;
    createdAt: Iso;
    submittedAt: Iso | null;
    moderatedAt: Iso | null;
    oversightAt: Iso | null;
    /** The parts the person wrote or that are about their practice, with their answers. */
    parts: Part[];
  }[];
  observations: {
    id: string;
    roles: ('observer' | 'practitioner')[];
    observer: string | null;
    practitioner: string | null;
    service: string;
    team: string;
    status: string;
    observedOn: string | null;
    setting: string | null;
    focusDayId: string | null;
    grade: string | null;
    createdAt: Iso;
    submittedAt: Iso | null;
    parts: Part[];
  }[];
  thematicReviews: {
    id: string;
    assignmentId: string;
    themeMonth: string;
    themeTitle: string;
    status: string;
    createdAt: Iso;
    submittedAt: Iso | null;
    samples: { id: string; caseReference: string; answers: Answers; createdAt: Iso }[];
  }[];
  actions: {
    id: string;
    roles: ('owner' | 'creator' | 'closer')[];
    source: { kind: string; id: string };
    description: string;
    owner: string | null;
    dueDate: string;
    status: string;
    createdBy: string | null;
    createdAt: Iso;
    remindedAt: Iso | null;
    overdueNotifiedAt: Iso | null;
    completedAt: Iso | null;
    completedBy: string | null;
    completionNote: string | null;
  }[];
  feedback: {
    id: string;
    roles: ('recorder' | 'practitioner')[];
    caseReference: string;
    kind: string;
    source: string;
    method: string;
    rating: number | null;
    consent: boolean;
    recordedBy: string | null;
    practitioner: string | null;
    reviewId: string | null;
    observationId: string | null;
    month: string;
    createdAt: Iso;
    parts: Part[];
  }[];
  complaints: {
    id: string;
    roles: ('officer' | 'feedback')[];
    feedbackId: string;
    officer: string | null;
    stage: number;
    receivedOn: string;
    acknowledgeBy: string;
    respondBy: string;
    status: string;
    acknowledgedAt: Iso | null;
    respondedAt: Iso | null;
    response: string | null;
    extendedAt: Iso | null;
    extensionReason: string | null;
    createdAt: Iso;
  }[];
  /** Where the bot can reach them: identifiers and scope only. */
  conversations: { id: string; conversationId: string; scope: string; tenantId: string | null; teamId: string | null; channelId: string | null; installed: boolean; createdAt: Iso; updatedAt: Iso }[];
  /** Messages addressed to them: kind, status and dates, never what they said. */
  outbox: { id: string; kind: string; status: string; createdAt: Iso; sentAt: Iso | null }[];
  focusDaysScheduled: { id: string; day: string; theme: string; createdAt: Iso }[];
  formsPublished: { id: string; key: string; version: number; title: string; publishedAt: Iso }[];
  themesPlanned: { id: string; month: string; title: string; origin: string; why: string; createdAt: Iso; updatedAt: Iso }[];
  /** Audit entries where they are the actor (by work email, or by Entra id before they were known). */
  auditLog: { id: string; at: Iso; actor: string; actorRole: string | null; action: string; recordKind: string; recordId: string | null; source: string; detail: Record<string, unknown> | null }[];
}

/** The sections that are lists, for counting. */
const listSections = [
  'assignments',
  'rotaRequests',
  'reviews',
  'observations',
  'thematicReviews',
  'actions',
  'feedback',
  'complaints',
  'conversations',
  'outbox',
  'focusDaysScheduled',
  'formsPublished',
  'themesPlanned',
  'auditLog',
] as const satisfies readonly (keyof PersonExport)[];

export const ABOUT =
  'Everything QA Loop holds about this member of staff, for a subject access request. Other people are named by work email and children by case reference only: review before disclosing anything.';

/** The audit log is read a page at a time (AuditRepository's most). */
const AUDIT_PAGE = 500;
/**
 * Read to the end of the log, not to this process's "now": another instance's clock may run
 * a little ahead. Stored times are ISO text, so the bound stays a four-digit year.
 */
const END_OF_LOG = new Date('9999-12-31T23:59:59.999Z');

const iso = (value: Date): Iso => value.toISOString();
const isoOrNull = (value: Date | null): Iso | null => (value === null ? null : value.toISOString());

/** A person on file under this work email, active or not. */
export function findPerson(context: ServiceContext, email: string): Promise<StaffMember | undefined> {
  return context.repos.staff.findByEmail(email);
}

/** How many items the export holds, over every list (the rota membership and the person aside). */
export function countItems(data: PersonExport): number {
  return listSections.reduce((sum, key) => sum + data[key].length, 0) + data.rota.overrides.length;
}

/**
 * Every audit entry whose actor is one of `actors`, oldest first. Reads the whole log once,
 * a page at a time, keyed on the time of the last entry read (entries in the same
 * millisecond are skipped by count), so it costs one pass however long the log.
 */
async function auditEntriesBy(repos: Repositories, actors: ReadonlySet<string>): Promise<StoredAuditEntry[]> {
  const found: StoredAuditEntry[] = [];
  let from = new Date(0);
  let skip = 0;
  for (;;) {
    const page = await repos.audit.list(from, END_OF_LOG, { offset: skip, limit: AUDIT_PAGE });
    for (const entry of page) if (actors.has(entry.actor.toLowerCase())) found.push(entry);
    const last = page.at(-1);
    if (last === undefined || page.length < AUDIT_PAGE) return found;
    const lastAt = last.at.getTime();
    const atLast = page.filter((entry) => entry.at.getTime() === lastAt).length;
    if (lastAt === from.getTime()) skip += page.length;
    else {
      from = new Date(lastAt);
      skip = atLast;
    }
  }
}

/**
 * Reads each of `ids` in turn. One at a time on purpose: inside a transaction SQL Server
 * takes one request at a time on its connection.
 */
async function each<T>(ids: readonly string[], find: (id: string) => Promise<T | undefined>): Promise<T[]> {
  const all: T[] = [];
  for (const id of ids) {
    const one = await find(id);
    if (one !== undefined) all.push(one);
  }
  return all;
}

async function gather(repos: Repositories, person: StaffMember, now: Date): Promise<PersonExport> {
  const emails = new Map<string, Promise<string | null>>();
  const emailOf = (id: string | null): Promise<string | null> => {
    if (id === null) return Promise.resolve(null);
    let email = emails.get(id);
    if (email === undefined) {
      email = repos.staff.findById(id).then((found) => found?.email ?? null);
      emails.set(id, email);
    }
    return email;
  };
  const forms = new Map<string, Promise<{ key: string; version: number } | undefined>>();
  const formOf = (id: string): Promise<{ key: string; version: number } | undefined> => {
    let form = forms.get(id);
    if (form === undefined) {
      form = repos.forms.findById(id).then((found) => (found === undefined ? undefined : { key: found.key, version: found.version }));
      forms.set(id, form);
    }
    return form;
  };
  const part = async (response: FormResponse): Promise<Part> => {
    const form = await formOf(response.formId);
    return {
      part: response.part,
      form: form?.key ?? null,
      formVersion: form?.version ?? null,
      respondent: await emailOf(response.respondentId),
      status: response.status,
      answers: response.answers,
      createdAt: iso(response.createdAt),
      updatedAt: iso(response.updatedAt),
      submittedAt: isoOrNull(response.submittedAt),
    };
  };
  /** Parts the person wrote, or all of them when the work is about their practice. */
  const partsFor = async (responses: readonly FormResponse[], aboutThem: boolean): Promise<Part[]> => {
    const parts: Part[] = [];
    for (const response of responses) if (aboutThem || response.respondentId === person.id) parts.push(await part(response));
    return parts;
  };
  const me = person.id;

  const membership = await repos.subjectAccess.rotaMembership(me);
  const overrides = [];
  for (const override of await repos.subjectAccess.rotaOverrides(me, person.email)) {
    const roles = [...(override.staffId === me ? (['subject'] as const) : []), ...(override.decidedBy === person.email ? (['decider'] as const) : [])];
    overrides.push({ id: override.id, roles, person: await emailOf(override.staffId), month: override.month, action: override.action, kind: override.kind, reason: override.reason, decidedBy: override.decidedBy, createdAt: iso(override.createdAt) });
  }

  const assignments = [];
  for (const id of await repos.subjectAccess.assignmentIds(me)) {
    const a = await repos.assignments.findById(id);
    if (a === undefined) continue;
    assignments.push({
      id: a.id,
      month: a.month,
      kind: a.kind,
      status: a.status,
      excuseReason: a.excuseReason,
      assignedAt: iso(a.assignedAt),
      startedAt: isoOrNull(a.startedAt),
      completedAt: isoOrNull(a.completedAt),
      escalatedAt: isoOrNull(a.escalatedAt),
    });
  }

  const rotaRequests = [];
  for (const id of await repos.subjectAccess.rotaRequestIds(me, person.email)) {
    const r = await repos.rota.findRequest(id);
    if (r === undefined) continue;
    const roles = [...(r.staffId === me ? (['requester'] as const) : []), ...(r.decidedBy === person.email ? (['decider'] as const) : [])];
    rotaRequests.push({
      id: r.id,
      roles,
      person: await emailOf(r.staffId),
      month: r.month,
      action: r.action,
      kind: r.kind,
      reason: r.reason,
      status: r.status,
      decidedBy: r.decidedBy,
      decidedAt: isoOrNull(r.decidedAt),
      createdAt: iso(r.createdAt),
    });
  }

  const reviews = [];
  for (const review of await each(await repos.subjectAccess.reviewIds(me), (id) => repos.reviews.findById(id))) {
    const roles: ReviewRole[] = [];
    if (review.reviewerId === me) roles.push('reviewer');
    if (review.practitionerId === me) roles.push('practitioner');
    if (review.chairId === me) roles.push('independent_chair');
    if (review.moderatorId === me) roles.push('moderator');
    if (review.oversightBy === me) roles.push('overseeing_manager');
    const has = (...which: ReviewRole[]): boolean => which.some((role) => roles.includes(role));
    reviews.push({
      id: review.id,
      roles,
      caseReference: review.caseReference,
      service: review.service,
      team: review.team,
      status: review.status,
      reviewer: await emailOf(review.reviewerId),
      practitioner: await emailOf(review.practitionerId),
      independentChair: await emailOf(review.chairId),
      moderator: await emailOf(review.moderatorId),
      overseeingManager: await emailOf(review.oversightBy),
      reviewerGrade: review.reviewerGrade,
      finalGrade: review.finalGrade,
      ...(has('reviewer', 'practitioner', 'moderator') ? { moderationReason: review.moderationReason } : {}),
      ...(has('reviewer', 'moderator') ? { moderationFeedback: review.moderationFeedback } : {}),
      ...(has('practitioner', 'overseeing_manager') ? { oversightDirections: review.oversightDirections } : {}),
      createdAt: iso(review.createdAt),
      submittedAt: isoOrNull(review.submittedAt),
      moderatedAt: isoOrNull(review.moderatedAt),
      oversightAt: isoOrNull(review.oversightAt),
      parts: await partsFor(await repos.responses.listFor(review.id, 'review'), review.practitionerId === me),
    });
  }

  const observations = [];
  for (const observation of await repos.observations.listInvolving(me)) {
    observations.push({
      id: observation.id,
      roles: [...(observation.observerId === me ? (['observer'] as const) : []), ...(observation.practitionerId === me ? (['practitioner'] as const) : [])],
      observer: await emailOf(observation.observerId),
      practitioner: await emailOf(observation.practitionerId),
      service: observation.service,
      team: observation.team,
      status: observation.status,
      observedOn: observation.observedOn,
      setting: observation.setting,
      focusDayId: observation.focusDayId,
      grade: observation.grade,
      createdAt: iso(observation.createdAt),
      submittedAt: isoOrNull(observation.submittedAt),
      parts: await partsFor(await repos.responses.listFor(observation.id, 'observation'), observation.practitionerId === me),
    });
  }

  const thematicReviews = (await repos.subjectAccess.thematicReviews(me)).map((review) => ({
    id: review.id,
    assignmentId: review.assignmentId,
    themeMonth: review.themeMonth,
    themeTitle: review.themeTitle,
    status: review.status,
    createdAt: iso(review.createdAt),
    submittedAt: isoOrNull(review.submittedAt),
    samples: review.samples.map((sample) => ({ id: sample.id, caseReference: sample.caseReference, answers: sample.answers, createdAt: iso(sample.createdAt) })),
  }));

  const actions = [];
  for (const action of await each(await repos.subjectAccess.actionIds(me), (id) => repos.actions.findById(id))) {
    actions.push({
      id: action.id,
      roles: [...(action.ownerId === me ? (['owner'] as const) : []), ...(action.createdBy === me ? (['creator'] as const) : []), ...(action.completedBy === me ? (['closer'] as const) : [])],
      source: { kind: action.sourceKind, id: action.sourceId },
      description: action.description,
      owner: await emailOf(action.ownerId),
      dueDate: action.dueDate,
      status: action.status,
      createdBy: await emailOf(action.createdBy),
      createdAt: iso(action.createdAt),
      remindedAt: isoOrNull(action.remindedAt),
      overdueNotifiedAt: isoOrNull(action.overdueNotifiedAt),
      completedAt: isoOrNull(action.completedAt),
      completedBy: await emailOf(action.completedBy),
      completionNote: action.completionNote,
    });
  }

  const feedback = [];
  for (const piece of await each(await repos.subjectAccess.feedbackIds(me), (id) => repos.feedback.findById(id))) {
    feedback.push({
      id: piece.id,
      roles: [...(piece.recordedBy === me ? (['recorder'] as const) : []), ...(piece.practitionerId === me ? (['practitioner'] as const) : [])],
      caseReference: piece.caseReference,
      kind: piece.kind,
      source: piece.source,
      method: piece.method,
      rating: piece.rating,
      consent: piece.consent,
      recordedBy: await emailOf(piece.recordedBy),
      practitioner: await emailOf(piece.practitionerId),
      reviewId: piece.reviewId,
      observationId: piece.observationId,
      month: piece.month,
      createdAt: iso(piece.createdAt),
      parts: await partsFor(await repos.responses.listFor(piece.id, 'feedback'), true),
    });
  }
  const feedbackIds = new Set(feedback.map((piece) => piece.id));

  const complaints = [];
  for (const complaint of await each(await repos.subjectAccess.complaintIds(me), (id) => repos.complaints.findById(id))) {
    complaints.push({
      id: complaint.id,
      roles: [...(complaint.officerId === me ? (['officer'] as const) : []), ...(feedbackIds.has(complaint.feedbackId) ? (['feedback'] as const) : [])],
      feedbackId: complaint.feedbackId,
      officer: await emailOf(complaint.officerId),
      stage: complaint.stage,
      receivedOn: complaint.receivedOn,
      acknowledgeBy: complaint.acknowledgeBy,
      respondBy: complaint.respondBy,
      status: complaint.status,
      acknowledgedAt: isoOrNull(complaint.acknowledgedAt),
      respondedAt: isoOrNull(complaint.respondedAt),
      response: complaint.response,
      extendedAt: isoOrNull(complaint.extendedAt),
      extensionReason: complaint.extensionReason,
      createdAt: iso(complaint.createdAt),
    });
  }

  const conversations = (await repos.subjectAccess.conversations(me)).map((c) => ({ ...c, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) }));
  const outbox = (await repos.subjectAccess.messages(me)).map((m) => ({ ...m, createdAt: iso(m.createdAt), sentAt: isoOrNull(m.sentAt) }));
  const focusDaysScheduled = (await repos.subjectAccess.focusDaysScheduledBy(person.email)).map((d) => ({ ...d, createdAt: iso(d.createdAt) }));
  const formsPublished = (await repos.subjectAccess.formsPublishedBy(person.email)).map((f) => ({ ...f, publishedAt: iso(f.publishedAt) }));
  const themesPlanned = (await repos.subjectAccess.themesPlannedBy(person.email)).map((t) => ({ ...t, createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt) }));

  const actors = new Set([person.email.toLowerCase(), ...(person.aadObjectId === null ? [] : [person.aadObjectId.toLowerCase()])]);
  const auditLog = (await auditEntriesBy(repos, actors)).map((entry) => ({
    id: entry.id,
    at: iso(entry.at),
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    recordKind: entry.recordKind,
    recordId: entry.recordId,
    source: entry.source,
    detail: entry.detail ?? null,
  }));

  return {
    about: ABOUT,
    exportedAt: iso(now),
    person: {
      id: person.id,
      email: person.email,
      name: person.name,
      aadObjectId: person.aadObjectId,
      tier: person.tier,
      service: person.service,
      team: person.team,
      roles: person.roles,
      lineManagerEmail: await emailOf(person.lineManagerId),
      active: person.active,
      createdAt: iso(person.createdAt),
      updatedAt: iso(person.updatedAt),
    },
    rota: {
      membership: membership === undefined ? null : { ...membership, createdAt: iso(membership.createdAt), updatedAt: iso(membership.updatedAt) },
      overrides,
    },
    assignments,
    rotaRequests,
    reviews,
    observations,
    thematicReviews,
    actions,
    feedback,
    complaints,
    conversations,
    outbox,
    focusDaysScheduled,
    formsPublished,
    themesPlanned,
    auditLog,
  };
}

/**
 * Everything held about `person`, read in one transaction (on SQLite, every section as of
 * the same moment). Changes nothing.
 */
export function gatherPersonData(context: ServiceContext, person: StaffMember): Promise<PersonExport> {
  const now = context.clock.now();
  return context.transaction((repos) => gather(repos, person, now));
}

/** Records that an export was made: who made it, about whom, and where it went. Never its contents. */
export async function recordPersonExport(context: ServiceContext, actor: string, person: StaffMember, output: 'file' | 'screen'): Promise<void> {
  await context.repos.audit.append({ actor, actorRole: null, action: 'person.exported', recordKind: 'staff', recordId: person.id, source: 'cli', detail: { output } }, context.clock.now());
}

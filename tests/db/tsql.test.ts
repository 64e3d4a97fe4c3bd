import type { CompiledQuery } from 'kysely';
import { AuditRepository } from '../../db/audit.repository';
import { ConversationRepository } from '../../db/conversation.repository';
import { JobRunRepository } from '../../db/job-run.repository';
import { migrateToLatest, migrationsFor } from '../../db/migrate';
import { OutboxRepository } from '../../db/outbox.repository';
import { createRepositories, type Repositories } from '../../db/repositories';
import { StaffRepository } from '../../db/staff.repository';
import { RotaRepository } from '../../db/rota.repository';
import { AssignmentRepository } from '../../db/assignment.repository';
import { ComplaintRepository, FeedbackRepository } from '../../db/feedback.repository';
import { FocusDayRepository } from '../../db/focus-day.repository';
import { RetentionRepository } from '../../db/retention.repository';
import { ThemeRepository } from '../../db/theme.repository';
import { BriefingCopyRepository } from '../../db/briefing-copy.repository';
import { BriefingRepository } from '../../db/briefing.repository';
import { SpotlightRepository } from '../../db/spotlight.repository';
import { SubjectAccessRepository } from '../../db/subject-access.repository';
import { FormRepository } from '../../db/form.repository';
import { ObservationRepository, type NewObservation } from '../../db/observation.repository';
import { ReviewRepository, type NewReview } from '../../db/review.repository';
import { ReportRepository } from '../../db/report.repository';
import { FormResponseRepository } from '../../db/form-response.repository';
import { ActionRepository } from '../../db/action.repository';
import type { FormDefinition } from '../../services/forms/form-definition';
import type { NewFeedback } from '../../services/feedback/feedback';
import { createTsqlRecorder, mssqlDuplicateKey, tsqlProblems, type TsqlRecorder } from '../support/tsql-recorder';

/**
 * Every repository method, run against Kysely's SQL Server compiler: each statement
 * it would send must be valid T-SQL by the project's rules. Scripted answers walk the
 * other paths (duplicate key, found rows).
 */
const now = new Date('2026-09-01T08:00:00.000Z');
const page = { offset: 20, limit: 10 };
const jobRow = {
  id: 'j1', job: 'assign', period: '2026-09', status: 'failed', instance_id: 'a', attempts: 1,
  started_at: now.toISOString(), lease_until: now.toISOString(), finished_at: null, error: 'x',
};
const assignmentRow = {
  id: 'a', staff_id: 's', month: '2026-09', kind: 'practice_review', status: 'assigned', excuse_reason: null,
  assigned_at: now.toISOString(), started_at: null, completed_at: null, escalated_at: null, updated_at: now.toISOString(),
};
const isInsert = (q: CompiledQuery) => /^insert/i.test(q.sql);
const isSelect = (q: CompiledQuery) => /^select/i.test(q.sql);
const isUpdate = (q: CompiledQuery) => /^update/i.test(q.sql);
const verbs = (rec: TsqlRecorder) => rec.statements.map((q) => q.sql.split(' ')[0]);
const only = (rec: TsqlRecorder): CompiledQuery => {
  expect(rec.statements).toHaveLength(1);
  return rec.statements[0]!;
};
/**
 * The unique indexes of migration 0004 are indexes, not constraints: SQL Server reports a
 * duplicate in one as error 2601 ("Cannot insert duplicate key row ... with unique index"),
 * where a UNIQUE/PRIMARY KEY constraint gives 2627 (mssqlDuplicateKey).
 */
const mssqlDuplicateIndexKey = (): Error =>
  Object.assign(new Error("Cannot insert duplicate key row in object 'dbo.reviews' with unique index 'ux_reviews_assignment'."), { number: 2601 });
const noRows = { rows: [], numAffectedRows: 0n };

const definition: FormDefinition = {
  key: 'records_review',
  title: 'Records review',
  sections: [{ id: 'overall', title: 'Overall', questions: [{ id: 'overall_grade', label: 'Overall grade', type: 'grade', required: true }] }],
};
const formRow = {
  id: 'f1', form_key: 'records_review', version: 3, title: 'Records review', definition_json: JSON.stringify(definition),
  published_by: 'qa@x.org', published_at: now.toISOString(),
};
const newReview: NewReview = {
  assignmentId: 'a', reviewerId: 'r', practitionerId: 'p', chairId: null, caseReference: 'CR-1', service: 'S', team: 'T',
  recordsFormId: 'f1', reflectionFormId: 'f2', familyFormId: 'f3',
};
const reviewRow = {
  id: 'rv1', assignment_id: 'a', reviewer_id: 'r', practitioner_id: 'p', chair_id: null, case_reference: 'CR-1', service: 'S', team: 'T',
  status: 'draft', records_form_id: 'f1', reflection_form_id: 'f2', family_form_id: 'f3', reviewer_grade: null, final_grade: null,
  moderator_id: null, moderation_reason: null, moderation_feedback: null, oversight_by: null, oversight_directions: null,
  created_at: now.toISOString(), submitted_at: null, moderated_at: null, oversight_at: null, updated_at: now.toISOString(),
};
const responseRow = {
  id: 'fr1', subject_kind: 'review', subject_id: 'rv1', part: 'records', form_id: 'f1', respondent_id: 'r', answers_json: '{"q":"a"}',
  status: 'draft', created_at: now.toISOString(), updated_at: now.toISOString(), submitted_at: null,
};
const actionRow = {
  id: 'ac1', source_kind: 'review', source_id: 'rv1', description: 'Update the plan', owner_id: 'o', due_date: '2026-09-30', status: 'open',
  created_by: 'm', created_at: now.toISOString(), reminded_at: null, overdue_notified_at: null, completed_at: null, completed_by: null,
  completion_note: null, updated_at: now.toISOString(),
};

const newObservation: NewObservation = {
  startKey: 'assignment:a', assignmentId: 'a', observerId: 'o', practitionerId: 'p', service: 'S', team: 'T', formId: 'f4', reflectionFormId: 'f5',
};
const observationRow = {
  id: 'ob1', start_key: 'assignment:a', assignment_id: 'a', observer_id: 'o', practitioner_id: 'p', service: 'S', team: 'T', observed_on: null,
  setting: null, focus_day_id: null, status: 'draft', form_id: 'f4', reflection_form_id: 'f5', grade: null, created_at: now.toISOString(),
  submitted_at: null, updated_at: now.toISOString(),
};

const themeRow = {
  id: 't1', month: '2027-01', title: 'Neglect', origin: 'pib', why: 'Audit', form_id: 'f6', sample_size: 2, channels_json: '[]',
  created_by: 'qa@x.org', created_at: now.toISOString(), updated_at: now.toISOString(),
};

type Case = [string, (repos: Repositories, recorder: TsqlRecorder) => Promise<unknown>];

const cases: Case[] = [
  ['staff.insert', (r) => r.staff.insert({ email: 'A@x.org', name: 'A', tier: 'team_manager', service: 'S', team: 'T', roles: ['manager'] }, now)],
  ['staff.insert (duplicate)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    await expect(r.staff.insert({ email: 'a@x.org', name: 'A', tier: 't', service: 'S', team: 'T', roles: [] }, now)).rejects.toMatchObject({ code: 'CONFLICT' });
  }],
  ['staff.update', (r) => r.staff.update('id', { name: 'B', roles: ['manager'], active: false }, now)],
  ['staff.linkAadObjectId', (r) => r.staff.linkAadObjectId('id', 'aad', now)],
  ['staff.findById', (r) => r.staff.findById('id')],
  ['staff.findByEmail', (r) => r.staff.findByEmail('a@x.org')],
  ['staff.findByAadObjectId', (r) => r.staff.findByAadObjectId('aad')],
  ['staff.listActive', (r) => r.staff.listActive(page)],
  ['staff.listAll', (r) => r.staff.listAll()],
  ['rota.join', (r) => r.rota.join('s', 2, '2026-09', now)],
  ['rota.join (back on the rota)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    await r.rota.join('s', 2, '2026-09', now);
    expect(rec.statements.map((q) => q.sql.split(' ')[0])).toEqual(['insert', 'update']);
  }],
  ['rota.leave', (r) => r.rota.leave('s', now)],
  ['rota.listMembers', (r) => r.rota.listMembers()],
  ['rota.setOverride', (r) => r.rota.setOverride({ staffId: 's', month: '2026-09', action: 'excuse', kind: null, reason: 'leave', decidedBy: 'qa' }, now)],
  ['rota.setOverride (replacing)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    await r.rota.setOverride({ staffId: 's', month: '2026-09', action: 'swap', kind: 'thematic_review', reason: null, decidedBy: 'qa' }, now);
  }],
  ['rota.overridesForMonth', (r) => r.rota.overridesForMonth('2026-09')],
  ['rota.addRequest', (r) => r.rota.addRequest({ staffId: 's', month: '2026-09', action: 'excuse', kind: null, reason: 'sick' }, now)],
  ['rota.addRequest (one already waiting)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    expect(await r.rota.addRequest({ staffId: 's', month: '2026-09', action: 'excuse', kind: null, reason: 'sick' }, now)).toBeUndefined();
  }],
  ['rota.reopenRequest', (r) => r.rota.reopenRequest('q')],
  ['rota.findRequest', (r) => r.rota.findRequest('q')],
  ['rota.decideRequest', (r) => r.rota.decideRequest('q', 'approved', 'qa', now)],
  ['rota.pendingRequestFor', (r) => r.rota.pendingRequestFor('s', '2026-09')],
  ['assignments.create', (r) => r.assignments.create('s', '2026-09', 'practice_review', 'assigned', null, now)],
  ['assignments.create (made already)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : isSelect(q) ? { rows: [assignmentRow] } : undefined);
    expect((await r.assignments.create('s', '2026-09', 'practice_review', 'assigned', null, now)).created).toBe(false);
  }],
  ['assignments.findById', (r) => r.assignments.findById('a')],
  ['assignments.findFor', (r) => r.assignments.findFor('s', '2026-09')],
  ['assignments.listForMonth', (r) => r.assignments.listForMonth('2026-09')],
  ['assignments.listOpenFor', (r) => r.assignments.listOpenFor('s')],
  ['assignments.transition', (r) => r.assignments.transition('a', ['assigned', 'started'], 'excused', now, { excuseReason: 'leave' })],
  ['assignments.changeKind', (r) => r.assignments.changeKind('a', 'thematic_review', now)],
  ['assignments.markEscalated', (r) => r.assignments.markEscalated('a', now)],
  ['staff.countActive', async (r, rec) => {
    rec.answer = () => ({ rows: [{ n: 3 }] });
    expect(await r.staff.countActive()).toBe(3);
  }],
  ['conversations.save', (r) => r.conversations.save(conversation(), now)],
  ['conversations.save (known)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    expect(await r.conversations.save(conversation(), now)).toBe('refreshed');
  }],
  ['conversations.findByConversationId', (r) => r.conversations.findByConversationId('c')],
  ['conversations.findPersonalForStaff', (r) => r.conversations.findPersonalForStaff('s')],
  ['conversations.linkStaff', (r) => r.conversations.linkStaff('c', 's', now)],
  ['conversations.listInstalled', (r) => r.conversations.listInstalled('team')],
  ['conversations.markUninstalled', (r) => r.conversations.markUninstalled('c', now)],
  ['conversations.markTeamUninstalled', async (r, rec) => {
    await r.conversations.markTeamUninstalled('19:team@thread.tacv2', now);
    expect(only(rec).sql).toMatch(/^update "conversation_refs" set .* where "team_id" = @\d+ and "scope" = @\d+ and "installed" = @\d+$/);
  }],
  ['conversations.countInstalled', async (r, rec) => {
    rec.answer = () => ({ rows: [{ n: 2 }] });
    expect(await r.conversations.countInstalled()).toBe(2);
  }],
  ['audit.append', (r) => r.audit.append({ actor: 'a', actorRole: null, action: 'x', recordKind: 'k', recordId: null, source: 'cli', detail: { n: 1 } }, now)],
  ['audit.list', (r) => r.audit.list(now, now, page)],
  ['jobRuns.claim', (r) => r.jobRuns.claim('assign', '2026-09', 'a', now, 60_000)],
  ['jobRuns.claim (take over a failed run)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : isSelect(q) ? { rows: [jobRow] } : { rows: [], numAffectedRows: 1n });
    expect(await r.jobRuns.claim('assign', '2026-09', 'b', now, 60_000)).toBe('claimed');
  }],
  ['jobRuns.finish', (r) => r.jobRuns.finish('assign', '2026-09', 'a', { error: null }, now)],
  ['jobRuns.find', (r) => r.jobRuns.find('assign', '2026-09')],
  ['jobRuns.listRecent', (r) => r.jobRuns.listRecent(page)],
  ['outbox.enqueue', (r) => r.outbox.enqueue({ dedupeKey: 'k', kind: 'reminder', conversationId: 'c', staffId: null, payload: { text: 'x' } }, now)],
  ['outbox.enqueue (duplicate)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    expect(await r.outbox.enqueue({ dedupeKey: 'k', kind: 'reminder', conversationId: 'c', staffId: null, payload: {} }, now)).toBe(false);
  }],
  ['outbox.claimDue', async (r, rec) => {
    let selects = 0;
    // First the due candidates, then (after the claim) the claimed rows: none, for brevity.
    rec.answer = (q) => (isSelect(q) && selects++ === 0 ? { rows: [{ id: 'o1', status: 'queued', locked_until: null }] } : { rows: [], numAffectedRows: 1n });
    await r.outbox.claimDue(now, 25, 30_000);
    expect(rec.statements.map((q) => q.sql.split(' ')[0])).toEqual(['select', 'update', 'select']);
  }],
  ['outbox.markSent', (r) => r.outbox.markSent('o1', 'act', now)],
  ['outbox.markSent (naming its claim)', (r) => r.outbox.markSent('o1', 'act', now, now)],
  ['outbox.markRetry', (r) => r.outbox.markRetry('o1', now, 'HTTP 429')],
  ['outbox.markFinal', (r) => r.outbox.markFinal('o1', 'blocked', 'HTTP 403 MessageWritesBlocked')],
  ['outbox.requeueNotInstalled', (r) => r.outbox.requeueNotInstalled('s', now, now)],
  ['outbox.findByDedupeKey', (r) => r.outbox.findByDedupeKey('k')],
  ['outbox.countByStatus', (r) => r.outbox.countByStatus()],
  ['outbox.enqueue (an update of a posted message)', async (r, rec) => {
    await r.outbox.enqueue({ dedupeKey: 'u', kind: 'briefing', conversationId: 'c', staffId: null, payload: {}, operation: { kind: 'update', activityId: 'a1' } }, now);
    expect(only(rec).parameters).toEqual(expect.arrayContaining(['update', 'a1']));
  }],
  ['outbox.countByStatusWithPrefix', async (r, rec) => {
    await r.outbox.countByStatusWithPrefix('briefing:b1:');
    expect(only(rec).sql).toMatch(/like @\d+ group by "status" order by "status"/);
    expect(only(rec).parameters).toContain('briefing:b1:%');
  }],
  ['outbox.listWithPrefix', async (r, rec) => {
    await r.outbox.listWithPrefix('briefing:b1:', page);
    expect(only(rec).sql).toMatch(/order by "dedupe_key", "id" offset @\d+ rows fetch next @\d+ rows only/);
  }],
  ['outbox.cancelQueued', async (r, rec) => {
    await r.outbox.cancelQueued('briefing:b1:', 'recalled');
    expect(isUpdate(only(rec))).toBe(true);
    await expect(r.outbox.cancelQueued('50%', 'x')).rejects.toThrow(/wildcards/);
  }],
  ['outbox.cancelUnfinished (queued, not installed and blocked: never brought back)', async (r, rec) => {
    await r.outbox.cancelUnfinished('briefing:b1:', 'recalled');
    const q = only(rec);
    expect(q.sql).toMatch(/^update "outbox" set "status" = @1, "last_error" = @2, "locked_until" = @3 where "dedupe_key" like @4 and "status" in \(@5, @6, @7\)$/);
    expect(q.parameters).toEqual(['cancelled', 'recalled', null, 'briefing:b1:%', 'queued', 'not_installed', 'blocked']);
    await expect(r.outbox.cancelUnfinished('a_b', 'x')).rejects.toThrow(/wildcards/);
  }],
  ['outbox.latestWithPrefix', async (r, rec) => {
    expect(await r.outbox.latestWithPrefix('briefing-delivery:b1:')).toBeUndefined();
    expect(only(rec).sql).toMatch(/^select \* from "outbox" where "dedupe_key" like @1 order by "created_at" desc, "id" desc offset @2 rows fetch next @3 rows only$/);
  }],
  ['forms.latest', async (r, rec) => {
    expect(await r.forms.latest('records_review')).toBeUndefined();
    // The highest version only: ORDER BY version DESC, then OFFSET 0 / FETCH NEXT 1 (no LIMIT, no TOP in shared code).
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "forms" where "form_key" = @1 order by "version" desc offset @2 rows fetch next @3 rows only$/);
    expect(q.parameters).toEqual(['records_review', 0, 1]);
    rec.answer = () => ({ rows: [formRow] });
    expect(await r.forms.latest('records_review')).toMatchObject({ id: 'f1', key: 'records_review', version: 3, definition, publishedAt: now });
  }],
  ['forms.findById', async (r, rec) => {
    rec.answer = () => ({ rows: [formRow] });
    expect((await r.forms.findById('f1'))?.definition).toEqual(definition);
    expect(only(rec).sql).toMatch(/^select \* from "forms" where "id" = @1$/);
  }],
  ['forms.listVersions', async (r, rec) => {
    rec.answer = () => ({ rows: [formRow, { ...formRow, id: 'f2', version: 4 }] });
    expect((await r.forms.listVersions('records_review')).map((f) => f.version)).toEqual([3, 4]);
    expect(only(rec).sql).toMatch(/^select \* from "forms" where "form_key" = @1 order by "version"$/);
  }],
  ['forms.insert', async (r, rec) => {
    expect(await r.forms.insert('records_review', 4, definition, 'qa@x.org', now)).toMatchObject({ key: 'records_review', version: 4, definition, publishedBy: 'qa@x.org' });
    const q = only(rec);
    expect(q.sql).toMatch(/^insert into "forms" \("id", "form_key", "version", "title", "definition_json", "published_by", "published_at"\) values \(@1, @2, @3, @4, @5, @6, @7\)$/);
    expect(q.parameters.slice(1)).toEqual(['records_review', 4, 'Records review', JSON.stringify(definition), 'qa@x.org', now.toISOString()]);
  }],
  ['forms.insert (version published first by someone else, 2601)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
    expect(await r.forms.insert('records_review', 4, definition, 'qa@x.org', now)).toBeUndefined();
    expect(verbs(rec)).toEqual(['insert']);
  }],
  ['forms.insert (another error is not swallowed)', async (r, rec) => {
    rec.answer = () => Object.assign(new Error('String or binary data would be truncated.'), { number: 2628 });
    await expect(r.forms.insert('records_review', 4, definition, 'qa@x.org', now)).rejects.toMatchObject({ number: 2628 });
  }],
  ['reviews.create', async (r, rec) => {
    const { review, created } = await r.reviews.create(newReview, now);
    expect(created).toBe(true);
    expect(review).toMatchObject({ assignmentId: 'a', status: 'draft', chairId: null, submittedAt: null, createdAt: now });
    const q = only(rec);
    expect(q.sql).toMatch(/^insert into "reviews" \(/);
    expect(q.parameters).toHaveLength(24);
  }],
  ['reviews.create (started already, 2601: finds the first)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [reviewRow] } : undefined);
    const { review, created } = await r.reviews.create(newReview, now);
    expect(created).toBe(false);
    expect(review.id).toBe('rv1');
    expect(verbs(rec)).toEqual(['insert', 'select']);
    expect(rec.statements[1]?.sql).toMatch(/where "assignment_id" = @1$/);
    expect(rec.statements[1]?.parameters).toEqual(['a']);
  }],
  ['reviews.create (2627 too, and no row to find: the error stands)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    await expect(r.reviews.create(newReview, now)).rejects.toMatchObject({ number: 2627 });
    expect(verbs(rec)).toEqual(['insert', 'select']);
  }],
  ['reviews.findById', async (r, rec) => {
    rec.answer = () => ({ rows: [reviewRow] });
    expect(await r.reviews.findById('rv1')).toMatchObject({ id: 'rv1', status: 'draft', createdAt: now, submittedAt: null });
    expect(only(rec).sql).toMatch(/^select \* from "reviews" where "id" = @1$/);
  }],
  ['reviews.findByAssignment', async (r, rec) => {
    expect(await r.reviews.findByAssignment('a')).toBeUndefined();
    expect(only(rec).sql).toMatch(/^select \* from "reviews" where "assignment_id" = @1$/);
  }],
  ['reviews.listByStatus', async (r, rec) => {
    await r.reviews.listByStatus('submitted');
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "reviews" where "status" = @1 order by "submitted_at", "created_at", "id"$/);
    expect(q.parameters).toEqual(['submitted']);
  }],
  ['reviews.listInvolving', async (r, rec) => {
    await r.reviews.listInvolving('s');
    const q = only(rec);
    expect(q.sql).toMatch(/where \("reviewer_id" = @1 or "practitioner_id" = @2 or "chair_id" = @3\) order by "created_at", "id"$/);
    expect(q.parameters).toEqual(['s', 's', 's']);
  }],
  ['reviews.listAwaitingOversight', async (r, rec) => {
    expect(await r.reviews.listAwaitingOversight([])).toEqual([]);
    // An empty list sends nothing: T-SQL has no "in ()".
    expect(rec.statements).toHaveLength(0);
    await r.reviews.listAwaitingOversight(['p1', 'p2']);
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "reviews" where "status" = @1 and "practitioner_id" in \(@2, @3\) order by "moderated_at", "id"$/);
    expect(q.parameters).toEqual(['moderated', 'p1', 'p2']);
  }],
  ['reviews.transition (submit: conditional on the from-status)', async (r, rec) => {
    expect(await r.reviews.transition('rv1', 'draft', 'submitted', { reviewerGrade: 'good' }, now)).toBe(true);
    const q = only(rec);
    expect(q.sql).toMatch(/^update "reviews" set "status" = @1, "updated_at" = @2, "submitted_at" = @3, "reviewer_grade" = @4 where "id" = @5 and "status" = @6$/);
    expect(q.parameters).toEqual(['submitted', now.toISOString(), now.toISOString(), 'good', 'rv1', 'draft']);
    rec.answer = () => noRows;
    expect(await r.reviews.transition('rv1', 'draft', 'submitted', { reviewerGrade: 'good' }, now)).toBe(false);
  }],
  ['reviews.transition (moderate, with no reason)', async (r, rec) => {
    await r.reviews.transition('rv1', 'submitted', 'moderated', { finalGrade: 'good', moderatorId: 'm', moderationReason: null, moderationFeedback: 'Thorough' }, now);
    const q = only(rec);
    expect(q.sql).toMatch(/"moderated_at" = @\d+, "final_grade" = @\d+, "moderator_id" = @\d+, "moderation_reason" = @\d+, "moderation_feedback" = @\d+ where "id" = @\d+ and "status" = @\d+$/);
    expect(q.sql).not.toMatch(/"submitted_at"/);
    expect(q.parameters).toContain(null);
    expect(q.parameters.at(-1)).toBe('submitted');
  }],
  ['reviews.transition (oversight)', async (r, rec) => {
    await r.reviews.transition('rv1', 'moderated', 'overseen', { oversightBy: 'l', oversightDirections: 'Visit weekly' }, now);
    expect(only(rec).sql).toMatch(/"oversight_at" = @\d+, "oversight_by" = @\d+, "oversight_directions" = @\d+ where "id" = @\d+ and "status" = @\d+$/);
  }],
  ['responses.find', async (r, rec) => {
    rec.answer = () => ({ rows: [responseRow] });
    expect(await r.responses.find('rv1', 'records')).toMatchObject({ id: 'fr1', subjectKind: 'review', part: 'records', answers: { q: 'a' }, status: 'draft' });
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "form_responses" where "subject_kind" = @1 and "subject_id" = @2 and "part" = @3$/);
    expect(q.parameters).toEqual(['review', 'rv1', 'records']);
  }],
  ['responses.listFor', async (r, rec) => {
    await r.responses.listFor('rv1');
    expect(only(rec).sql).toMatch(/^select \* from "form_responses" where "subject_kind" = @1 and "subject_id" = @2 order by "part"$/);
  }],
  ['responses.open', async (r, rec) => {
    expect(await r.responses.open('rv1', 'reflection', 'f2', 'p', now)).toMatchObject({ subjectId: 'rv1', part: 'reflection', respondentId: 'p', answers: {}, status: 'draft' });
    const q = only(rec);
    expect(q.sql).toMatch(/^insert into "form_responses" \(/);
    expect(q.parameters).toHaveLength(11);
  }],
  ['responses.open (opened already, 2601: finds it)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [responseRow] } : undefined);
    expect((await r.responses.open('rv1', 'records', 'f1', 'r', now)).id).toBe('fr1');
    expect(verbs(rec)).toEqual(['insert', 'select']);
    expect(rec.statements[1]?.parameters).toEqual(['review', 'rv1', 'records']);
  }],
  ['responses.open (2627, and nothing to find: the error stands)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
    await expect(r.responses.open('rv1', 'records', 'f1', 'r', now)).rejects.toMatchObject({ number: 2627 });
  }],
  ['responses.saveDraft', async (r, rec) => {
    expect(await r.responses.saveDraft('fr1', { q: 'b' }, now)).toBe(true);
    const q = only(rec);
    expect(q.sql).toMatch(/^update "form_responses" set "answers_json" = @1, "updated_at" = @2 where "id" = @3 and "status" = @4$/);
    expect(q.parameters).toEqual(['{"q":"b"}', now.toISOString(), 'fr1', 'draft']);
    rec.answer = () => noRows;
    expect(await r.responses.saveDraft('fr1', { q: 'b' }, now)).toBe(false);
  }],
  ['responses.submit', async (r, rec) => {
    expect(await r.responses.submit('fr1', { q: 'b' }, now)).toBe(true);
    const q = only(rec);
    expect(q.sql).toMatch(/^update "form_responses" set "answers_json" = @1, "status" = @2, "updated_at" = @3, "submitted_at" = @4 where "id" = @5 and "status" = @6$/);
    expect(q.parameters).toEqual(['{"q":"b"}', 'submitted', now.toISOString(), now.toISOString(), 'fr1', 'draft']);
    rec.answer = () => noRows;
    expect(await r.responses.submit('fr1', { q: 'b' }, now)).toBe(false);
  }],
  ['actions.create', async (r, rec) => {
    const made = await r.actions.create({ sourceKind: 'review', sourceId: 'rv1', description: 'Update the plan', ownerId: 'o', dueDate: '2026-09-30', createdBy: 'm' }, now);
    expect(made).toMatchObject({ status: 'open', dueDate: '2026-09-30', remindedAt: null, completedAt: null });
    const q = only(rec);
    expect(q.sql).toMatch(/^insert into "actions" \(/);
    expect(q.parameters).toHaveLength(15);
  }],
  ['actions.findById', async (r, rec) => {
    rec.answer = () => ({ rows: [actionRow] });
    expect(await r.actions.findById('ac1')).toMatchObject({ id: 'ac1', sourceKind: 'review', status: 'open', createdAt: now, remindedAt: null });
    expect(only(rec).sql).toMatch(/^select \* from "actions" where "id" = @1$/);
  }],
  ['actions.listForSource', async (r, rec) => {
    await r.actions.listForSource('rv1');
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "actions" where "source_kind" = @1 and "source_id" = @2 order by "due_date", "id"$/);
    expect(q.parameters).toEqual(['review', 'rv1']);
  }],
  ['actions.listOpenFor', async (r, rec) => {
    await r.actions.listOpenFor('o');
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "actions" where "owner_id" = @1 and "status" = @2 order by "due_date", "id"$/);
    expect(q.parameters).toEqual(['o', 'open']);
  }],
  ['actions.listOpenDueBy', async (r, rec) => {
    await r.actions.listOpenDueBy('2026-09-30');
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "actions" where "status" = @1 and "due_date" <= @2 order by "due_date", "id"$/);
    expect(q.parameters).toEqual(['open', '2026-09-30']);
  }],
  ['actions.close', async (r, rec) => {
    expect(await r.actions.close('ac1', 'Done', 'o', now)).toBe(true);
    const q = only(rec);
    expect(q.sql).toMatch(/^update "actions" set "status" = @1, "completion_note" = @2, "completed_by" = @3, "completed_at" = @4, "updated_at" = @5 where "id" = @6 and "status" = @7$/);
    expect(q.parameters).toEqual(['done', 'Done', 'o', now.toISOString(), now.toISOString(), 'ac1', 'open']);
    rec.answer = () => noRows;
    expect(await r.actions.close('ac1', 'Done', 'o', now)).toBe(false);
  }],
  ['actions.markReminded', async (r, rec) => {
    expect(await r.actions.markReminded('ac1', now)).toBe(true);
    expect(only(rec).sql).toMatch(/^update "actions" set "reminded_at" = @1, "updated_at" = @2 where "id" = @3 and "status" = @4 and "reminded_at" is null$/);
    expect(only(rec).parameters.slice(2)).toEqual(['ac1', 'open']);
    rec.answer = (q) => (isUpdate(q) ? noRows : undefined);
    expect(await r.actions.markReminded('ac1', now)).toBe(false);
  }],
  ['actions.markOverdueNotified', async (r, rec) => {
    expect(await r.actions.markOverdueNotified('ac1', now)).toBe(true);
    expect(only(rec).sql).toMatch(/^update "actions" set "overdue_notified_at" = @1, "updated_at" = @2 where "id" = @3 and "status" = @4 and "overdue_notified_at" is null$/);
    expect(only(rec).parameters.slice(2)).toEqual(['ac1', 'open']);
    rec.answer = (q) => (isUpdate(q) ? noRows : undefined);
    expect(await r.actions.markOverdueNotified('ac1', now)).toBe(false);
  }],
  ['observations.create', async (r, rec) => {
    const { observation, created } = await r.observations.create(newObservation, now);
    expect(created).toBe(true);
    expect(observation).toMatchObject({ startKey: 'assignment:a', status: 'draft', observedOn: null, focusDayId: null });
    const q = only(rec);
    expect(q.sql).toMatch(/^insert into "observations" \(/);
    expect(q.parameters).toHaveLength(17);
  }],
  ['observations.create (second start of the same card, 2601)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [observationRow] } : undefined);
    const { observation, created } = await r.observations.create(newObservation, now);
    expect(created).toBe(false);
    expect(observation.id).toBe('ob1');
    expect(rec.statements[1]!.sql).toMatch(/^select \* from "observations" where "start_key" = @1$/);
  }],
  ['observations.findById', async (r, rec) => {
    rec.answer = () => ({ rows: [observationRow] });
    expect(await r.observations.findById('ob1')).toMatchObject({ id: 'ob1', practitionerId: 'p' });
    expect(only(rec).sql).toMatch(/^select \* from "observations" where "id" = @1$/);
  }],
  ['observations.findByStartKey', async (r, rec) => {
    expect(await r.observations.findByStartKey('card:x')).toBeUndefined();
    expect(only(rec).sql).toMatch(/^select \* from "observations" where "start_key" = @1$/);
  }],
  ['observations.listInvolving', async (r, rec) => {
    await r.observations.listInvolving('p');
    const q = only(rec);
    expect(q.sql).toMatch(/^select \* from "observations" where \("observer_id" = @1 or "practitioner_id" = @2\) order by "created_at", "id"$/);
  }],
  ['observations.submit', async (r, rec) => {
    expect(await r.observations.submit('ob1', { observedOn: '2027-01-14', setting: 'home_visit', grade: 'good', focusDayId: null }, now)).toBe(true);
    const q = only(rec);
    expect(q.sql).toMatch(/^update "observations" set .* where "id" = @\d+ and "status" = @\d+$/);
    expect(q.parameters.slice(-2)).toEqual(['ob1', 'draft']);
    rec.answer = (query) => (isUpdate(query) ? noRows : undefined);
    expect(await r.observations.submit('ob1', { observedOn: '2027-01-14', setting: 'home_visit', grade: 'good', focusDayId: null }, now)).toBe(false);
  }],
  ['focusDays.add', async (r, rec) => {
    expect(await r.focusDays.add('2027-01-14', 'Voice of the child', 'qa@x.org', now)).toMatchObject({ day: '2027-01-14' });
    expect(only(rec).sql).toMatch(/^insert into "focus_days" \("id", "day", "theme", "created_by", "created_at"\) values \(@1, @2, @3, @4, @5\)$/);
  }],
  ['focusDays.add (a day already taken, 2601)', async (r, rec) => {
    rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
    expect(await r.focusDays.add('2027-01-14', 'Voice of the child', 'qa@x.org', now)).toBeUndefined();
  }],
  ['focusDays.findByDay', async (r, rec) => {
    expect(await r.focusDays.findByDay('2027-01-14')).toBeUndefined();
    expect(only(rec).sql).toMatch(/^select \* from "focus_days" where "day" = @1$/);
  }],
  ['focusDays.listFrom', async (r, rec) => {
    await r.focusDays.listFrom('2027-01-01');
    expect(only(rec).sql).toMatch(/^select \* from "focus_days" where "day" >= @1 order by "day"$/);
  }],
  ['retention.finishedBefore', async (r, rec) => {
    rec.answer = (q) => (/from "reviews"/.test(q.sql) ? { rows: [{ id: 'rv1' }] } : { rows: [] });
    expect(await r.retention.finishedBefore(now)).toEqual([{ kind: 'review', id: 'rv1' }]);
    expect(rec.statements).toHaveLength(3);
    expect(rec.statements[0]!.sql).toMatch(/^select "id" from "reviews" where "status" in \(@1, @2\) and "updated_at" < @3 and "case_reference" <> @4 order by "id"$/);
    expect(rec.statements[1]!.sql).toMatch(/^select "id" from "observations" where "status" = @1 and "updated_at" < @2 and "team" <> @3 order by "id"$/);
    expect(rec.statements[2]!.sql).toMatch(/^select "id" from "feedback" where "created_at" < @1 and "case_reference" <> @2 order by "id"$/);
  }],
  ['retention.replaceAnswers', async (r, rec) => {
    await r.retention.replaceAnswers('fr1', { overall_grade: 'good' }, now);
    expect(only(rec).sql).toMatch(/^update "form_responses" set "answers_json" = @1, "updated_at" = @2 where "id" = @3$/);
  }],
  ['retention.anonymise', async (r, rec) => {
    await r.retention.anonymise({ kind: 'review', id: 'rv1' }, now);
    expect(verbs(rec)).toEqual(['update', 'update']);
    expect(rec.statements[0]!.sql).toMatch(/^update "reviews" set "case_reference" = @1, "moderation_reason" = @2, "moderation_feedback" = @3, "oversight_directions" = @4, "updated_at" = @5 where "id" = @6$/);
    expect(rec.statements[1]!.sql).toMatch(/^update "actions" set .* where "source_id" = @\d+ and "status" = @\d+$/);
    rec.statements.length = 0;
    await r.retention.anonymise({ kind: 'feedback', id: 'fb1' }, now);
    expect(rec.statements.map((q) => q.sql.split(' ').slice(0, 2).join(' '))).toEqual(['update "feedback"', 'update "complaints"']);
  }],
  ['retention.deleteMessagesBefore', async (r, rec) => {
    await r.retention.deleteMessagesBefore(now);
    expect(only(rec).sql).toMatch(/^delete from "outbox" where "status" in \(@1, @2, @3, @4, @5\) and "created_at" < @6$/);
  }],
  ['retention.deleteMessagesBefore (briefing copies keep their outcome, lose their content)', async (r, rec) => {
    await r.retention.deleteMessagesBefore(now, ['briefing']);
    expect(rec.statements[0]!.sql).toMatch(/^update "outbox" set "payload_json" = @1 where "status" in \(.*\) and "created_at" < @\d+ and "kind" in \(@\d+\) and "payload_json" <> @\d+$/);
    expect(rec.statements[1]!.sql).toMatch(/^delete from "outbox" where .* and "kind" not in \(@\d+\)$/);
  }],
  ['retention.deleteJobRunsBefore', async (r, rec) => {
    await r.retention.deleteJobRunsBefore(now);
    expect(only(rec).sql).toMatch(/^delete from "job_runs" where "status" = @1 and "finished_at" < @2$/);
  }],
  ...feedbackCases(),
  ...themeCases(),
  ...briefingCases(),
  ...spotlightCases(),
  ...subjectAccessCases(),
  ...reportCases(),
];

/**
 * The reads behind the QA reports: each narrowed to the period and scope in SQL, ordered,
 * never paged (no LIMIT, no OFFSET), with the scope's service and team as parameters.
 */
function reportCases(): Case[] {
  const from = '2027-01-01T00:00:00.000Z';
  const to = '2027-04-01T00:00:00.000Z';
  return [
    ['reports.listServiceTeams', async (r, rec) => {
      await r.reports.listServiceTeams();
      expect(only(rec).sql).toBe('select distinct "service", "team" from "staff" order by "service", "team"');
    }],
    ['reports.assignments (trust, then a team)', async (r, rec) => {
      await r.reports.assignments('2027-01', '2027-03', {});
      expect(only(rec).sql).toMatch(/^select .* from "assignments" as "a" inner join "staff" as "s" on "s"."id" = "a"."staff_id" where "a"."month" >= @1 and "a"."month" <= @2 order by "a"."month", "s"."name", "a"."id"$/);
      rec.statements.length = 0;
      await r.reports.assignments('2027-01', '2027-03', { service: 'North', team: 'North B' });
      const q = only(rec);
      expect(q.sql).toMatch(/and "s"."service" = @3 and "s"."team" = @4 order by/);
      expect(q.parameters).toEqual(['2027-01', '2027-03', 'North', 'North B']);
    }],
    ['reports.finalReviews', async (r, rec) => {
      rec.answer = () => ({ rows: [{ id: 'rv1', service: 'S', team: 'T', reviewerGrade: 'good', finalGrade: 'good', moderatedAt: from }] });
      expect(await r.reports.finalReviews(from, to, { service: 'North' })).toEqual([{ id: 'rv1', service: 'S', team: 'T', reviewerGrade: 'good', finalGrade: 'good', moderatedAt: from }]);
      const q = only(rec);
      expect(q.sql).toMatch(/^select .* from "reviews" as "r" where "r"."status" in \(@1, @2\) and "r"."moderated_at" >= @3 and "r"."moderated_at" < @4 and "r"."service" = @5 order by "r"."moderated_at", "r"."id"$/);
      expect(q.parameters).toEqual(['moderated', 'overseen', from, to, 'North']);
    }],
    ['reports.finalRecordsAnswers', async (r, rec) => {
      await r.reports.finalRecordsAnswers(from, to, { service: 'North', team: 'North A' });
      const q = only(rec);
      expect(q.sql).toMatch(/^select "fr"."subject_id" as "reviewId", "fr"."form_id" as "formId", "fr"."answers_json" as "answersJson" from "form_responses" as "fr" inner join "reviews" as "r" on "r"."id" = "fr"."subject_id" where .* order by "fr"."subject_id"$/);
      expect(q.parameters).toEqual(['review', 'records', 'moderated', 'overseen', from, to, 'North', 'North A']);
    }],
    ['reports.observations', async (r, rec) => {
      await r.reports.observations('2026-04-01', '2027-03-31', to, {});
      const q = only(rec);
      expect(q.sql).toMatch(/from "observations" as "o" where "o"."status" = @1 and "o"."observed_on" >= @2 and "o"."observed_on" <= @3 and "o"."submitted_at" < @4 order by "o"."observed_on", "o"."id"$/);
    }],
    ['reports.feedback (scoped through its review, observation, practitioner or recorder)', async (r, rec) => {
      await r.reports.feedback('2027-01', '2027-03', to, { service: 'South' });
      const q = only(rec);
      expect(q.sql).toContain('coalesce("rv"."service", "ob"."service", "p"."service", "rb"."service") as "service"');
      expect(q.sql).toMatch(/left join "reviews" as "rv" on "rv"."id" = "f"."review_id" left join "observations" as "ob" on "ob"."id" = "f"."observation_id" left join "staff" as "p" on "p"."id" = "f"."practitioner_id" inner join "staff" as "rb" on "rb"."id" = "f"."recorded_by"/);
      expect(q.sql).toMatch(/and coalesce\("rv"."service", "ob"."service", "p"."service", "rb"."service"\) = @4 order by "f"."month", "f"."id"$/);
      expect(q.parameters).toEqual(['2027-01', '2027-03', to, 'South']);
    }],
    ['reports.complaints', async (r, rec) => {
      await r.reports.complaints('2027-01-01', '2027-03-31', to, { service: 'South', team: 'South A' });
      const q = only(rec);
      expect(q.sql).toMatch(/^select .* from "complaints" as "c" inner join "feedback" as "f" on "f"."id" = "c"."feedback_id" /);
      expect(q.sql).toMatch(/coalesce\("rv"."team", "ob"."team", "p"."team", "rb"."team"\) = @5 order by "c"."received_on", "c"."id"$/);
    }],
    ['reports.actions (scoped through the review or observation they came from)', async (r, rec) => {
      await r.reports.actions(from, to, { service: 'North' });
      const q = only(rec);
      expect(q.sql).toMatch(/left join "reviews" as "rv" on "rv"."id" = "a"."source_id" and "a"."source_kind" = @1 left join "observations" as "ob" on "ob"."id" = "a"."source_id" and "a"."source_kind" = @2/);
      expect(q.sql).toMatch(/where "a"."created_at" < @3 and \("a"."completed_at" is null or "a"."completed_at" >= @4\) and coalesce\("rv"."service", "ob"."service", "o"."service"\) = @5 order by "a"."due_date", "a"."id"$/);
      expect(q.parameters).toEqual(['review', 'observation', to, from, 'North']);
    }],
    ['reports.spotlights (posted, with their channel count; trust-wide)', async (r, rec) => {
      await r.reports.spotlights('2027-01', '2027-03', to);
      const q = only(rec);
      expect(q.sql).toMatch(/\(select count\(\*\) as "n" from "spotlight_posts" as "p" where "p"."spotlight_id" = "s"."id"\) as "channels"/);
      expect(q.sql).toMatch(/order by "s"."month", "s"."id"$/);
    }],
    ['reports.spotlightReplies', async (r, rec) => {
      await r.reports.spotlightReplies('2027-01', '2027-03', to);
      expect(only(rec).sql).toMatch(/inner join "spotlights" as "s" on "s"."id" = "p"."spotlight_id" .* order by "r"."created_at", "r"."id"$/);
    }],
    ['reports.briefingCopies (each copy with its outbox status, scoped by the recipient)', async (r, rec) => {
      await r.reports.briefingCopies(from, to, { service: 'North', team: 'North A' });
      const q = only(rec);
      expect(q.sql).toMatch(/left join "outbox" as "o" on "o"."dedupe_key" = "br"."outbox_key"/);
      expect(q.sql).toMatch(/"br"."service" = @\d+ and "br"."team" = @\d+ order by "b"."sent_at", "br"."id"$/);
    }],
    ['reports.briefingUsage', async (r, rec) => {
      await r.reports.briefingUsage(from, to, { service: 'North' });
      expect(only(rec).sql).toMatch(/"rb"."service" = @\d+ order by "u"."discussed_on", "u"."id"$/);
    }],
  ];
}

/** Family feedback and complaints: every method of FeedbackRepository and ComplaintRepository. */
/**
 * Seven-minute briefings: state changes are conditional updates (a double press changes
 * nothing), a broadcast inserts in batches that keep under SQL Server's 2,100 parameters,
 * and every list is ordered (paged ones with OFFSET ... FETCH).
 */
function briefingCases(): Case[] {
  const parts = { background: 'b', whyItMatters: 'w', keyPoint1: 'k1', keyPoint2: 'k2', keyPoint3: 'k3', remember: 'r', whatToDo: 'd' };
  const audience = { channels: ['19:c'], rotaManagers: true, services: [], teams: [], everyone: false, emails: [] };
  const conditional = (rec: TsqlRecorder, pattern: RegExp): void => expect(only(rec).sql).toMatch(pattern);
  return [
    ['briefings.createDraft (and a second press, 2627)', async (r, rec) => {
      expect(await r.briefings.createDraft({ id: 'b1', title: 'T', parts, spotlightId: null, authorId: 's1' }, now)).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "briefings" \(/);
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateKey() : undefined);
      expect(await r.briefings.createDraft({ id: 'b1', title: 'T', parts, spotlightId: null, authorId: 's1' }, now)).toBe(false);
    }],
    ['briefings.findById', async (r, rec) => {
      expect(await r.briefings.findById('b1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "briefings" where "id" = @1$/);
    }],
    ['briefings.updateDraft', async (r, rec) => {
      await r.briefings.updateDraft('b1', 'T', parts, now);
      conditional(rec, /^update "briefings" set .* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['briefings.submit', async (r, rec) => {
      rec.answer = (q) => (isUpdate(q) ? noRows : undefined);
      expect(await r.briefings.submit('b1', 's2', now)).toBe(false);
      conditional(rec, /^update "briefings" set .* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['briefings.decide', async (r, rec) => {
      expect(await r.briefings.decide('b1', 'approved', 's2', null, now)).toBe(true);
      conditional(rec, /^update "briefings" set "status" = @1, .* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['briefings.schedule', async (r, rec) => {
      await r.briefings.schedule('b1', audience, now, 'qa@x.org', 3, now);
      conditional(rec, /^update "briefings" set .*"send_at" = @\d+.* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['briefings.unschedule', async (r, rec) => {
      await r.briefings.unschedule('b1', now);
      conditional(rec, /^update "briefings" set "status" = @1, "send_at" = @2, "sent_by" = @3, "updated_at" = @4 where "id" = @5 and "status" = @6$/);
    }],
    ['briefings.markSent', async (r, rec) => {
      await r.briefings.markSent('b1', audience, 'qa@x.org', 3, now);
      conditional(rec, /^update "briefings" set .* where "id" = @\d+ and "status" in \(@\d+, @\d+\)$/);
    }],
    ['briefings.listDue', async (r, rec) => {
      await r.briefings.listDue(now);
      expect(only(rec).sql).toMatch(/^select \* from "briefings" where "status" = @1 and "send_at" <= @2 order by "send_at", "id"$/);
    }],
    ['briefings.list', async (r, rec) => {
      await r.briefings.list(page);
      expect(only(rec).sql).toMatch(/^select \* from "briefings" order by "updated_at" desc, "id" offset @1 rows fetch next @2 rows only$/);
    }],
    ['briefings.listSent', async (r, rec) => {
      await r.briefings.listSent(page);
      expect(only(rec).sql).toMatch(/^select \* from "briefings" where "status" in \(@1, @2\) order by "sent_at" desc, "id" offset @3 rows fetch next @4 rows only$/);
    }],
    ['briefings.recall', async (r, rec) => {
      await r.briefings.recall('b1', 'qa@x.org', now);
      conditional(rec, /^update "briefings" set .* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['briefings.listRecalledUnfinished (copies and reminders still to finish, by exact keys)', async (r, rec) => {
      await r.briefings.listRecalledUnfinished();
      const q = only(rec);
      expect(q.sql).toMatch(/^select "b"\.\* from "briefings" as "b" where "b"\."status" = @1 and \(exists \(select .* inner join "outbox" as "o" on "o"\."dedupe_key" = "br"\."outbox_key" .*\) or exists \(select .* inner join "outbox" as "m" on "m"\."dedupe_key" = concat\(@\d+, "br"\."briefing_id", @\d+, "br"\."recipient_key"\) .*\)\) order by "b"\."recalled_at", "b"\."id"$/);
      expect(q.sql).toContain('not exists (select "r"."id" from "outbox" as "r" where "r"."dedupe_key" = concat(');
      expect(q.parameters).toEqual(expect.arrayContaining(['recalled', 'briefing-reminder:', 'briefing-recall:', ':reminder:', 'not_installed', 'blocked']));
    }],
    ['briefings.listAwaitingReminder', async (r, rec) => {
      await r.briefings.listAwaitingReminder();
      expect(only(rec).sql).toMatch(/^select \* from "briefings" where "status" = @1 and "reminded_at" is null and "reminder_working_days" is not null order by "sent_at", "id"$/);
    }],
    ['briefings.markReminded', async (r, rec) => {
      await r.briefings.markReminded('b1', now);
      conditional(rec, /^update "briefings" set .* where "id" = @\d+ and "reminded_at" is null$/);
    }],
    ['briefingCopies.addRecipients (batches within 2,100 parameters)', async (r, rec) => {
      const recipients = Array.from({ length: 250 }, (_, i) => ({ recipientKey: `s${i}`, kind: 'person' as const, staffId: `s${i}`, conversationId: null, service: 'S', team: 'T', outboxKey: `briefing:b1:s${i}` }));
      const messages = recipients.map((recipient) => ({ dedupeKey: recipient.outboxKey, kind: 'briefing', conversationId: null, staffId: recipient.staffId, payload: { text: 'x' } }));
      await r.briefingCopies.addRecipients(recipients, 'b1', messages, now);
      expect(rec.statements.map((q) => q.sql.split(' ').slice(0, 3).join(' '))).toEqual([...Array(3).fill('insert into "briefing_recipients"'), ...Array(3).fill('insert into "outbox"')]);
      for (const statement of rec.statements) expect(statement.parameters.length).toBeLessThanOrEqual(2100);
    }],
    ['briefingCopies.findRecipient', async (r, rec) => {
      expect(await r.briefingCopies.findRecipient('b1', 's1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "briefing_recipients" where "briefing_id" = @1 and "recipient_key" = @2$/);
    }],
    ['briefingCopies.acknowledge', async (r, rec) => {
      await r.briefingCopies.acknowledge('br1', now);
      conditional(rec, /^update "briefing_recipients" set "acknowledged_at" = @1 where "id" = @2 and "acknowledged_at" is null$/);
    }],
    ['briefingCopies.unreadCopiesFor', async (r, rec) => {
      await r.briefingCopies.unreadCopiesFor('s1');
      expect(only(rec).sql).toMatch(/^select .* from "briefing_recipients" as "br" inner join "outbox" as "o" on "o"."dedupe_key" = "br"."outbox_key" where .* order by "br"."created_at", "br"."id"$/);
    }],
    ['briefingCopies.markRead', async (r, rec) => {
      expect(await r.briefingCopies.markRead([], now)).toBe(0);
      await r.briefingCopies.markRead(['br1', 'br2'], now);
      conditional(rec, /^update "briefing_recipients" set "read_at" = @1 where "id" in \(@2, @3\) and "read_at" is null$/);
    }],
    ['briefingCopies.listToRemind', async (r, rec) => {
      await r.briefingCopies.listToRemind('b1');
      expect(only(rec).sql).toMatch(/ where "br"."briefing_id" = @1 and "br"."kind" = @2 and "br"."acknowledged_at" is null and "br"."reminded_at" is null and "o"."status" = @3 order by "br"."recipient_key"$/);
    }],
    ['briefingCopies.markRecipientReminded', async (r, rec) => {
      await r.briefingCopies.markRecipientReminded('br1', now);
      conditional(rec, /^update "briefing_recipients" set "reminded_at" = @1 where "id" = @2 and "reminded_at" is null$/);
    }],
    ['briefingCopies.listPostedCopies (and copies)', async (r, rec) => {
      await r.briefingCopies.listPostedCopies('b1', page);
      expect(only(rec).sql).toMatch(/ order by "br"."recipient_key", "br"."id" offset @\d+ rows fetch next @\d+ rows only$/);
    }],
    ['briefingCopies.ackCounts', async (r, rec) => {
      rec.answer = () => ({ rows: [{ service: 'S', team: 'T', people: '3', delivered: '2', acknowledged: 1, read: 0 }] });
      expect(await r.briefingCopies.ackCounts('b1')).toEqual([{ service: 'S', team: 'T', people: 3, delivered: 2, acknowledged: 1, read: 0 }]);
      expect(only(rec).sql).toMatch(/^select coalesce\("br"."service", @1\) as "service", .* sum\(case when "o"."status" = @\d+ then 1 else 0 end\) as "delivered", .* group by "br"."service", "br"."team" order by "br"."service", "br"."team"$/);
    }],
    ['briefingCopies.teamMembers', async (r, rec) => {
      await r.briefingCopies.teamMembers('b1', 'S', 'T');
      expect(only(rec).sql).toMatch(/^select .* from "briefing_recipients" as "br" inner join "staff" as "s" on "s"."id" = "br"."staff_id" left join "outbox" as "o" .* order by "s"."name", "br"."id"$/);
    }],
    ['briefingCopies.outboxKeysOf (in chunks of 1,000 ids)', async (r, rec) => {
      expect(await r.briefingCopies.outboxKeysOf(Array.from({ length: 2500 }, (_, i) => `m${i}`))).toEqual([]);
      expect(rec.statements).toHaveLength(3);
      expect(rec.statements.map((q) => q.parameters.length)).toEqual([1000, 1000, 500]);
      expect(rec.statements[0]!.sql).toMatch(/^select "dedupe_key" from "outbox" where "id" in \(@1, .*\) order by "dedupe_key"$/);
    }],
    ['briefingCopies.staffWithPersonalChat', async (r, rec) => {
      await r.briefingCopies.staffWithPersonalChat();
      expect(only(rec).sql).toMatch(/^select "s"."id" as "id" from "staff" as "s" where "s"."active" = @1 and exists \(select .* from "conversation_refs" as "c" .*\) order by "s"."id"$/);
    }],
    ['briefings.spotlightSource', async (r, rec) => {
      expect(await r.briefings.spotlightSource('sp1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select .* from "spotlights" as "sp" inner join "themes" as "t" on "t"."id" = "sp"."theme_id" where "sp"."id" = @1$/);
    }],
    ['briefings.latestSpotlightId', async (r, rec) => {
      expect(await r.briefings.latestSpotlightId()).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select "id" from "spotlights" order by "month" desc, "id" offset @1 rows fetch next @2 rows only$/);
    }],
    ['briefingCopies.addUsage (and a double press, 2601)', async (r, rec) => {
      const usage = { briefingId: 'b1', team: 'T', recordedBy: 's1', setting: 'team_meeting', discussedOn: '2027-03-12', notes: null };
      expect(await r.briefingCopies.addUsage(usage, now)).toMatchObject({ setting: 'team_meeting' });
      expect(only(rec).sql).toMatch(/^insert into "briefing_usage" \(/);
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
      expect(await r.briefingCopies.addUsage(usage, now)).toBeUndefined();
    }],
    ['briefingCopies.listUsageForTeam (the service through the recording manager)', async (r, rec) => {
      await r.briefingCopies.listUsageForTeam('b1', 'North', 'Team 1');
      expect(only(rec).sql).toMatch(/^select "u"\.\* from "briefing_usage" as "u" inner join "staff" as "rb" on "rb"\."id" = "u"\."recorded_by" where "u"\."briefing_id" = @1 and "rb"\."service" = @2 and "u"\."team" = @3 order by "u"\."discussed_on", "u"\."id"$/);
    }],
    ['briefingCopies.listUsage', async (r, rec) => {
      await r.briefingCopies.listUsage('b1');
      expect(only(rec).sql).toMatch(/^select \* from "briefing_usage" where "briefing_id" = @1 order by "discussed_on", "id"$/);
    }],
  ];
}

function feedbackCases(): Case[] {
  const newFeedback: NewFeedback = {
    startKey: 'k1', caseReference: 'CR-1', recordedBy: 's', formId: 'f1', kind: 'complaint', source: 'parent', method: 'phone', rating: null, consent: true,
    practitionerId: 'p', reviewId: null, observationId: null, month: '2027-01',
  };
  const feedbackRow = {
    id: 'fb1', start_key: 'k1', case_reference: 'CR-1', recorded_by: 's', form_id: 'f1', kind: 'complaint', source: 'parent', method: 'phone', rating: 4, consent: 1,
    practitioner_id: 'p', review_id: null, observation_id: null, month: '2027-01', created_at: now.toISOString(),
  };
  const complaintRow = {
    id: 'c1', feedback_id: 'fb1', officer_id: 'o', stage: 1, received_on: '2027-01-11', acknowledge_by: '2027-01-14', respond_by: '2027-01-25', status: 'open',
    acknowledged_at: null, responded_at: null, response: null, extended_at: null, extension_reason: null, acknowledge_overdue_at: null, respond_overdue_at: null,
    created_at: now.toISOString(), updated_at: now.toISOString(),
  };
  const newComplaint = { feedbackId: 'fb1', officerId: 'o', receivedOn: '2027-01-11', acknowledgeBy: '2027-01-14', respondBy: '2027-01-25' };
  return [
    ['feedback.create', async (r, rec) => {
      const { feedback, created } = await r.feedback.create(newFeedback, now);
      expect(created).toBe(true);
      expect(feedback).toMatchObject({ startKey: 'k1', kind: 'complaint', consent: true, rating: null, createdAt: now });
      const q = only(rec);
      expect(q.sql).toMatch(/^insert into "feedback" \(/);
      expect(q.parameters).toHaveLength(15);
    }],
    ['feedback.create (same card pressed twice, 2601: finds the first)', async (r, rec) => {
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [feedbackRow] } : undefined);
      const { feedback, created } = await r.feedback.create(newFeedback, now);
      expect(created).toBe(false);
      expect(feedback).toMatchObject({ id: 'fb1', rating: 4, consent: true });
      expect(verbs(rec)).toEqual(['insert', 'select']);
      expect(rec.statements[1]!.sql).toMatch(/^select \* from "feedback" where "start_key" = @1$/);
    }],
    ['feedback.findById', async (r, rec) => {
      rec.answer = () => ({ rows: [feedbackRow] });
      expect(await r.feedback.findById('fb1')).toMatchObject({ id: 'fb1', kind: 'complaint', createdAt: now });
      expect(only(rec).sql).toMatch(/^select \* from "feedback" where "id" = @1$/);
    }],
    ['feedback.findByStartKey', async (r, rec) => {
      expect(await r.feedback.findByStartKey('k1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "feedback" where "start_key" = @1$/);
    }],
    ['feedback.listFor', async (r, rec) => {
      await r.feedback.listFor({ reviewId: 'rv1' });
      await r.feedback.listFor({ observationId: 'ob1' });
      expect(rec.statements.map((q) => q.sql)).toEqual([
        'select * from "feedback" where "review_id" = @1 order by "created_at", "id"',
        'select * from "feedback" where "observation_id" = @1 order by "created_at", "id"',
      ]);
    }],
    ['feedback.countByKind', async (r, rec) => {
      rec.answer = () => ({ rows: [{ kind: 'compliment', n: 2 }, { kind: 'complaint', n: '1' }] });
      expect(await r.feedback.countByKind('2027-01')).toEqual({ compliment: 2, comment: 0, complaint: 1, total: 3 });
      const q = only(rec);
      expect(q.sql).toMatch(/^select "kind", count\(\*\) as "n" from "feedback" where "month" = @1 group by "kind" order by "kind"$/);
      expect(q.parameters).toEqual(['2027-01']);
    }],
    ['complaints.create', async (r, rec) => {
      const { complaint, created } = await r.complaints.create(newComplaint, now);
      expect(created).toBe(true);
      expect(complaint).toMatchObject({ stage: 1, status: 'open', acknowledgedAt: null, respondBy: '2027-01-25' });
      const q = only(rec);
      expect(q.sql).toMatch(/^insert into "complaints" \(/);
      expect(q.parameters).toHaveLength(17);
    }],
    ['complaints.create (opened already, 2601: finds the first)', async (r, rec) => {
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [complaintRow] } : undefined);
      expect(await r.complaints.create(newComplaint, now)).toMatchObject({ created: false, complaint: { id: 'c1' } });
      expect(rec.statements[1]!.sql).toMatch(/^select \* from "complaints" where "feedback_id" = @1$/);
    }],
    ['complaints.findById', async (r, rec) => {
      rec.answer = () => ({ rows: [complaintRow] });
      expect(await r.complaints.findById('c1')).toMatchObject({ id: 'c1', stage: 1, createdAt: now, extendedAt: null });
      expect(only(rec).sql).toMatch(/^select \* from "complaints" where "id" = @1$/);
    }],
    ['complaints.findByFeedback', async (r, rec) => {
      expect(await r.complaints.findByFeedback('fb1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "complaints" where "feedback_id" = @1$/);
    }],
    ['complaints.listOpenFor', async (r, rec) => {
      await r.complaints.listOpenFor('o');
      const q = only(rec);
      expect(q.sql).toMatch(/^select \* from "complaints" where "officer_id" = @1 and "status" in \(@2, @3\) order by "respond_by", "id"$/);
      expect(q.parameters).toEqual(['o', 'open', 'acknowledged']);
    }],
    ['complaints.listOverdue', async (r, rec) => {
      await r.complaints.listOverdue('2027-01-15');
      const q = only(rec);
      expect(q.sql).toMatch(
        /^select \* from "complaints" where "status" in \(@1, @2\) and \(\("status" = @3 and "acknowledge_by" < @4 and "acknowledge_overdue_at" is null\) or \("respond_by" < @5 and "respond_overdue_at" is null\)\) order by "received_on", "id"$/,
      );
      expect(q.parameters).toEqual(['open', 'acknowledged', 'open', '2027-01-15', '2027-01-15']);
    }],
    ['complaints.acknowledge', async (r, rec) => {
      expect(await r.complaints.acknowledge('c1', now)).toBe(true);
      expect(only(rec).sql).toMatch(/^update "complaints" set "status" = @1, "acknowledged_at" = @2, "updated_at" = @3 where "id" = @4 and "status" = @5$/);
      rec.answer = () => noRows;
      expect(await r.complaints.acknowledge('c1', now)).toBe(false);
    }],
    ['complaints.respond', async (r, rec) => {
      expect(await r.complaints.respond('c1', 'We apologised.', now)).toBe(true);
      const q = only(rec);
      expect(q.sql).toMatch(/^update "complaints" set "status" = @1, "response" = @2, "responded_at" = @3, "acknowledged_at" = coalesce\("acknowledged_at", @4\), "updated_at" = @5 where "id" = @6 and "status" in \(@7, @8\)$/);
      expect(q.parameters).toEqual(['responded', 'We apologised.', now.toISOString(), now.toISOString(), now.toISOString(), 'c1', 'open', 'acknowledged']);
      rec.answer = () => noRows;
      expect(await r.complaints.respond('c1', 'Again', now)).toBe(false);
    }],
    ['complaints.extend', async (r, rec) => {
      expect(await r.complaints.extend('c1', '2027-02-08', 'Complex', now)).toBe(true);
      const q = only(rec);
      expect(q.sql).toMatch(/^update "complaints" set "respond_by" = @1, "extension_reason" = @2, "extended_at" = @3, "respond_overdue_at" = @4, "updated_at" = @5 where "id" = @6 and "status" in \(@7, @8\) and "extended_at" is null$/);
      expect(q.parameters.slice(0, 4)).toEqual(['2027-02-08', 'Complex', now.toISOString(), null]);
      rec.answer = () => noRows;
      expect(await r.complaints.extend('c1', '2027-02-22', 'Again', now)).toBe(false);
    }],
    ['complaints.markAcknowledgeOverdue', async (r, rec) => {
      expect(await r.complaints.markAcknowledgeOverdue('c1', now)).toBe(true);
      expect(only(rec).sql).toMatch(/^update "complaints" set "acknowledge_overdue_at" = @1, "updated_at" = @2 where "id" = @3 and "status" = @4 and "acknowledge_overdue_at" is null$/);
      rec.answer = () => noRows;
      expect(await r.complaints.markAcknowledgeOverdue('c1', now)).toBe(false);
    }],
    ['complaints.markRespondOverdue', async (r, rec) => {
      expect(await r.complaints.markRespondOverdue('c1', now)).toBe(true);
      expect(only(rec).sql).toMatch(/^update "complaints" set "respond_overdue_at" = @1, "updated_at" = @2 where "id" = @3 and "status" in \(@4, @5\) and "respond_overdue_at" is null$/);
      rec.answer = () => noRows;
      expect(await r.complaints.markRespondOverdue('c1', now)).toBe(false);
    }],
  ];
}

/** Spotlights, their channel threads and the replies counted there: every method of SpotlightRepository. */
function spotlightCases(): Case[] {
  const content = { figures: { managers: 0, casesSampled: 0, questions: [], grades: [], reviewsConsidered: 0, observationsConsidered: 0 }, edits: { headline: 'H', strengths: [], gaps: [], quotes: [] } };
  const spotlightRow = {
    id: 'sp1', theme_id: 't1', month: '2027-01', status: 'draft', content_json: JSON.stringify(content), created_by: 'qa@x.org',
    created_at: now.toISOString(), updated_at: now.toISOString(), posted_by: null, posted_at: null,
  };
  return [
    ['spotlights.create', async (r, rec) => {
      expect((await r.spotlights.create('t1', '2027-01', content, 'qa@x.org', now)).created).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "spotlights" \(/);
      rec.statements.length = 0;
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : isSelect(q) ? { rows: [spotlightRow] } : undefined);
      expect(await r.spotlights.create('t1', '2027-01', content, 'qa@x.org', now)).toMatchObject({ created: false, spotlight: { id: 'sp1' } });
      expect(verbs(rec)).toEqual(['insert', 'select']);
    }],
    ['spotlights.findById', async (r, rec) => {
      expect(await r.spotlights.findById('sp1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "spotlights" where "id" = @1$/);
    }],
    ['spotlights.findByTheme', async (r, rec) => {
      expect(await r.spotlights.findByTheme('t1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "spotlights" where "theme_id" = @1$/);
    }],
    ['spotlights.updateContent', async (r, rec) => {
      await r.spotlights.updateContent('sp1', content, now);
      expect(only(rec).sql).toMatch(/^update "spotlights" set "content_json" = @1, "updated_at" = @2 where "id" = @3 and "status" = @4$/);
    }],
    ['spotlights.markPosted', async (r, rec) => {
      await r.spotlights.markPosted('sp1', 'qa@x.org', now);
      expect(only(rec).sql).toMatch(/^update "spotlights" set .* where "id" = @\d+ and "status" = @\d+$/);
    }],
    ['spotlights.addPost', async (r, rec) => {
      expect(await r.spotlights.addPost({ spotlightId: 'sp1', conversationId: '19:c', channelName: 'T › General', outboxKey: 'spotlight:sp1:19:c' }, now)).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "spotlight_posts" /);
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
      expect(await r.spotlights.addPost({ spotlightId: 'sp1', conversationId: '19:c', channelName: 'T › General', outboxKey: 'spotlight:sp1:19:c' }, now)).toBe(false);
    }],
    ['spotlights.listPosts', async (r, rec) => {
      await r.spotlights.listPosts('sp1');
      expect(only(rec).sql).toMatch(/^select \* from "spotlight_posts" where "spotlight_id" = @1 order by "created_at", "id"$/);
    }],
    ['spotlights.listPostsInChannel', async (r, rec) => {
      await r.spotlights.listPostsInChannel('19:c');
      expect(only(rec).sql).toMatch(/^select \* from "spotlight_posts" where "conversation_id" = @1 order by "created_at" desc, "id"$/);
    }],
    ['spotlights.setRootActivity', async (r, rec) => {
      await r.spotlights.setRootActivity('p1', 'a1');
      expect(only(rec).sql).toMatch(/^update "spotlight_posts" set "root_activity_id" = @1 where "id" = @2 and "root_activity_id" is null$/);
    }],
    ['spotlights.addReply', async (r, rec) => {
      expect(await r.spotlights.addReply('p1', 'a2', null, true, now)).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "spotlight_replies" /);
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
      expect(await r.spotlights.addReply('p1', 'a2', null, true, now)).toBe(false);
    }],
    ['spotlights.replyCounts', async (r, rec) => {
      rec.answer = () => ({ rows: [{ postId: 'p1', replies: 3, questions: '2', people: 1 }] });
      expect(await r.spotlights.replyCounts('sp1')).toEqual([{ postId: 'p1', replies: 3, questions: 2, people: 1 }]);
      expect(only(rec).sql).toMatch(/^select "r"\."post_id" as "postId", count\(\*\) as "replies", sum\("r"\."mentioned_bot"\) as "questions", count\(distinct "r"\."author_aad_object_id"\) as "people" from "spotlight_replies" as "r" inner join "spotlight_posts" as "p" on "p"\."id" = "r"\."post_id" where "p"\."spotlight_id" = @1 group by "r"\."post_id" order by "r"\."post_id"$/);
    }],
  ];
}

/** The themes planner, thematic reviews and their samples: every method of ThemeRepository. */
function themeCases(): Case[] {
  return [
    ['themes.forMonth', async (r, rec) => {
      expect(await r.themes.forMonth('2027-01')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "themes" where "month" = @1$/);
    }],
    ['themes.findById', async (r, rec) => {
      expect(await r.themes.findById('t1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "themes" where "id" = @1$/);
    }],
    ['themes.listFrom', async (r, rec) => {
      await r.themes.listFrom('2027-01');
      expect(only(rec).sql).toMatch(/^select \* from "themes" where "month" >= @1 order by "month"$/);
    }],
    ['themes.save', async (r, rec) => {
      rec.answer = (q) => (isSelect(q) && rec.statements.filter(isSelect).length > 1 ? { rows: [themeRow] } : undefined);
      await r.themes.save({ month: '2027-01', title: 'Neglect', origin: 'pib', why: 'Audit', formId: 'f6', sampleSize: 2, channels: [], createdBy: 'qa@x.org' }, now);
      expect(verbs(rec)).toEqual(['select', 'insert', 'select']);
      expect(rec.statements[1]!.sql).toMatch(/^insert into "themes" \(/);
    }],
    ['themes.startReview', async (r, rec) => {
      expect((await r.themes.startReview('a', 't1', 's', now)).created).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "thematic_reviews" \(/);
    }],
    ['themes.reviewForAssignment', async (r, rec) => {
      expect(await r.themes.reviewForAssignment('a')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "thematic_reviews" where "assignment_id" = @1$/);
    }],
    ['themes.findReview', async (r, rec) => {
      expect(await r.themes.findReview('tr1')).toBeUndefined();
      expect(only(rec).sql).toMatch(/^select \* from "thematic_reviews" where "id" = @1$/);
    }],
    ['themes.listReviews', async (r, rec) => {
      await r.themes.listReviews('t1');
      expect(only(rec).sql).toMatch(/^select \* from "thematic_reviews" where "theme_id" = @1 order by "created_at", "id"$/);
    }],
    ['themes.addSample', async (r, rec) => {
      expect(await r.themes.addSample('tr1', 'CR1', 'f6', { grade: 'good' }, now)).toBe(true);
      expect(only(rec).sql).toMatch(/^insert into "thematic_samples" /);
      rec.answer = (q) => (isInsert(q) ? mssqlDuplicateIndexKey() : undefined);
      expect(await r.themes.addSample('tr1', 'CR1', 'f6', { grade: 'good' }, now)).toBe(false);
    }],
    ['themes.listSamples', async (r, rec) => {
      await r.themes.listSamples('tr1');
      expect(only(rec).sql).toMatch(/^select \* from "thematic_samples" where "thematic_review_id" = @1 order by "created_at", "id"$/);
    }],
    ['themes.submitReview', async (r, rec) => {
      expect(await r.themes.submitReview('tr1', now)).toBe(true);
      expect(only(rec).sql).toMatch(/^update "thematic_reviews" set .* where "id" = @\d+ and "status" = @\d+$/);
    }],
  ];
}

function conversation() {
  return {
    conversationId: 'c', scope: 'personal' as const, tenantId: 't', aadObjectId: 'a', staffId: null,
    teamId: null, channelId: null, serviceUrl: 'https://smba.example/', reference: { a: 1 },
  };
}

const called = new Set<string>();

/** Wraps each repository so the test knows which methods the cases reached. */
function tracked(repos: Repositories): Repositories {
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value === 'function' && typeof property === 'string') called.add(`${name}.${property}`);
        return value;
      },
    });
  return Object.fromEntries(Object.entries(repos).map(([name, repo]) => [name, wrap(name, repo as object)])) as unknown as Repositories;
}

describe('T-SQL compiled by the SQL Server dialect', () => {
  test.each(cases)('%s', async (_name, run) => {
    const recorder = createTsqlRecorder();
    await run(tracked(createRepositories(recorder.db, 'mssql')), recorder);
    expect(recorder.statements.length).toBeGreaterThan(0);
    for (const statement of recorder.statements) expect({ sql: statement.sql, problems: tsqlProblems(statement) }).toEqual({ sql: statement.sql, problems: [] });
  });

  test('paged queries use ORDER BY ... OFFSET ... FETCH NEXT, with the page in parameters', async () => {
    const recorder = createTsqlRecorder();
    await createRepositories(recorder.db, 'mssql').staff.listActive({ offset: 40, limit: 20 });
    expect(recorder.statements[0]?.sql).toMatch(/order by "name", "email" offset @\d+ rows fetch next @\d+ rows only$/);
    expect(recorder.statements[0]?.parameters).toEqual(expect.arrayContaining([40, 20]));
  });

  test('the migrations compile to T-SQL with nvarchar(max) for long text and the filtered unique index', async () => {
    const recorder = createTsqlRecorder();
    await migrateToLatest(recorder.db, 'mssql');
    const ddl = recorder.statements.map((statement) => statement.sql).join(';\n');
    expect(ddl).toContain('create table "staff"');
    expect(ddl).toContain('"reference_json" nvarchar(max) not null');
    expect(ddl).toMatch(/create unique index "ux_staff_aad_object_id" on "staff" \("aad_object_id"\) where "aad_object_id" is not null/);
    expect(ddl).toContain('INSTEAD OF UPDATE, DELETE');
    expect(ddl).toContain(`create unique index "ux_rota_requests_pending" on "rota_requests" ("staff_id", "month") where "status" = 'pending'`);
    const problems = recorder.statements.flatMap((statement) => tsqlProblems(statement).map((problem) => `${problem}: ${statement.sql}`));
    expect(problems).toEqual([]);
  });

  test('migration 0004 compiles to T-SQL: nvarchar(max) for long text, its unique indexes, keys SQL Server can index', async () => {
    const recorder = createTsqlRecorder();
    await migrationsFor('mssql')['0004-practice-reviews']!.up(recorder.db);
    const statements = recorder.statements.map((statement) => statement.sql);
    const ddl = statements.join(';\n');
    for (const table of ['forms', 'reviews', 'form_responses', 'actions']) expect(statements.filter((s) => s.startsWith(`create table "${table}" (`))).toHaveLength(1);
    for (const column of [
      '"definition_json" nvarchar(max) not null',
      '"answers_json" nvarchar(max) not null',
      '"moderation_reason" nvarchar(max),',
      '"moderation_feedback" nvarchar(max),',
      '"oversight_directions" nvarchar(max),',
    ]) expect(ddl).toContain(column);
    expect(ddl).not.toMatch(/\btext\b/);
    expect(statements).toEqual(
      expect.arrayContaining([
        'create unique index "ux_forms_key_version" on "forms" ("form_key", "version")',
        'create unique index "ux_reviews_assignment" on "reviews" ("assignment_id")',
        'create unique index "ux_form_responses_part" on "form_responses" ("subject_kind", "subject_id", "part")',
      ]),
    );
    // Foreign keys only to tables that exist by then, with no cascades (SQL Server refuses multiple cascade paths to staff).
    expect(ddl).not.toMatch(/on (delete|update) cascade/i);
    expect(ddl).toContain('"assignment_id" nvarchar(36) not null references "assignments" ("id")');
    const targets = new Set([...ddl.matchAll(/references "(\w+)"/g)].map((match) => match[1]));
    expect([...targets].sort()).toEqual(['assignments', 'forms', 'staff']);
    const problems = recorder.statements.flatMap((statement) => tsqlProblems(statement).map((problem) => `${problem}: ${statement.sql}`));
    expect(problems).toEqual([]);
  });

  test('every migration keeps within SQL Server sizes: nvarchar(n) up to 4000, index keys up to 1700 bytes, no nvarchar(max) key', async () => {
    const recorder = createTsqlRecorder();
    await migrateToLatest(recorder.db, 'mssql');
    const widths = new Map<string, number>();
    const problems: string[] = [];
    for (const { sql } of recorder.statements) {
      const table = /^create table "(\w+)" \(/.exec(sql)?.[1];
      if (table === undefined) continue;
      for (const [, column, type, size] of sql.matchAll(/"(\w+)" (nvarchar|integer)(?:\((\d+|max)\))?/g)) {
        const bytes = type === 'integer' ? 4 : size === 'max' ? Number.POSITIVE_INFINITY : 2 * Number(size);
        if (type === 'nvarchar' && size !== 'max' && Number(size) > 4000) problems.push(`${table}.${column} is nvarchar(${size})`);
        widths.set(`${table}.${column}`, bytes);
      }
    }
    expect(widths.get('forms.definition_json')).toBe(Number.POSITIVE_INFINITY);
    for (const { sql } of recorder.statements) {
      const index = /^create (?:unique )?index "(\w+)" on "(\w+)" \(([^)]*)\)/.exec(sql);
      if (index === null) continue;
      const [, name, table, list] = index;
      const columns = [...(list ?? '').matchAll(/"(\w+)"/g)].map((m) => `${table}.${m[1]}`);
      const key = columns.reduce((sum, column) => sum + (widths.get(column) ?? Number.NaN), 0);
      if (!(key <= 1700)) problems.push(`${name}: key of ${columns.join(', ')} is ${key} bytes`);
    }
    expect(problems).toEqual([]);
  });

  test('every public repository method is covered by a case above', () => {
    const classes = {
      staff: StaffRepository, conversations: ConversationRepository, audit: AuditRepository, jobRuns: JobRunRepository,
      outbox: OutboxRepository, rota: RotaRepository, assignments: AssignmentRepository,
      forms: FormRepository, reviews: ReviewRepository, responses: FormResponseRepository, actions: ActionRepository,
      observations: ObservationRepository, focusDays: FocusDayRepository, retention: RetentionRepository, themes: ThemeRepository, spotlights: SpotlightRepository, briefings: BriefingRepository,
      briefingCopies: BriefingCopyRepository,
      feedback: FeedbackRepository, complaints: ComplaintRepository, subjectAccess: SubjectAccessRepository,
      reports: ReportRepository,
    };
    const all = Object.entries(classes).flatMap(([name, repoClass]) =>
      Object.getOwnPropertyNames(repoClass.prototype).filter((method) => method !== 'constructor').map((method) => `${name}.${method}`),
    );
    // find() is also reached through claim(); list what no case touched.
    expect(all.filter((method) => !called.has(method))).toEqual([]);
  });
});

/** Subject access (export person): read only, every statement a select, nothing left out of the T-SQL rules. */
function subjectAccessCases(): Case[] {
  const selectsOnly = (rec: TsqlRecorder): void => expect(rec.statements.every(isSelect)).toBe(true);
  return [
    ['subjectAccess.rotaMembership', async (r, rec) => {
      rec.answer = () => ({ rows: [{ staff_id: 's', rotation_offset: 2, joined_month: '2026-09', on_rota: 1, created_at: now.toISOString(), updated_at: now.toISOString() }] });
      expect(await r.subjectAccess.rotaMembership('s')).toEqual({ joinedMonth: '2026-09', rotationOffset: 2, onRota: true, createdAt: now, updatedAt: now });
      expect(only(rec).sql).toMatch(/^select \* from "rota_members" where "staff_id" = @1$/);
    }],
    ['subjectAccess.rotaOverrides', async (r, rec) => {
      await r.subjectAccess.rotaOverrides('s', 'a@x.org');
      const q = only(rec);
      expect(q.sql).toMatch(/^select \* from "rota_overrides" where \("staff_id" = @1 or "decided_by" = @2\) order by "month", "created_at", "id"$/);
      expect(q.parameters).toEqual(['s', 'a@x.org']);
    }],
    ['subjectAccess.assignmentIds', async (r, rec) => {
      rec.answer = () => ({ rows: [{ id: 'a1' }, { id: 'a2' }] });
      expect(await r.subjectAccess.assignmentIds('s')).toEqual(['a1', 'a2']);
      expect(only(rec).sql).toMatch(/^select "id" from "assignments" where "staff_id" = @1 order by "month", "id"$/);
    }],
    ['subjectAccess.rotaRequestIds', async (r, rec) => {
      await r.subjectAccess.rotaRequestIds('s', 'a@x.org');
      expect(only(rec).sql).toMatch(/^select "id" from "rota_requests" where \("staff_id" = @1 or "decided_by" = @2\) order by "created_at", "id"$/);
    }],
    ['subjectAccess.reviewIds', async (r, rec) => {
      await r.subjectAccess.reviewIds('s');
      const q = only(rec);
      expect(q.sql).toMatch(/^select "id" from "reviews" where \("reviewer_id" = @1 or "practitioner_id" = @2 or "chair_id" = @3 or "moderator_id" = @4 or "oversight_by" = @5\) order by "created_at", "id"$/);
      expect(q.parameters).toEqual(['s', 's', 's', 's', 's']);
    }],
    ['subjectAccess.actionIds', async (r, rec) => {
      await r.subjectAccess.actionIds('s');
      expect(only(rec).sql).toMatch(/^select "id" from "actions" where \("owner_id" = @1 or "created_by" = @2 or "completed_by" = @3\) order by "created_at", "id"$/);
    }],
    ['subjectAccess.feedbackIds', async (r, rec) => {
      await r.subjectAccess.feedbackIds('s');
      expect(only(rec).sql).toMatch(/^select "id" from "feedback" where \("recorded_by" = @1 or "practitioner_id" = @2\) order by "created_at", "id"$/);
    }],
    ['subjectAccess.complaintIds', async (r, rec) => {
      await r.subjectAccess.complaintIds('s');
      expect(only(rec).sql).toMatch(
        /^select "id" from "complaints" where \("officer_id" = @1 or "feedback_id" in \(select "id" from "feedback" where \("recorded_by" = @2 or "practitioner_id" = @3\)\)\) order by "created_at", "id"$/,
      );
    }],
    ['subjectAccess.conversations', async (r, rec) => {
      rec.answer = () => ({
        rows: [{ id: 'cr1', conversation_id: 'c', scope: 'personal', tenant_id: 't', team_id: null, channel_id: null, installed: 1, created_at: now.toISOString(), updated_at: now.toISOString() }],
      });
      expect(await r.subjectAccess.conversations('s')).toEqual([
        { id: 'cr1', conversationId: 'c', scope: 'personal', tenantId: 't', teamId: null, channelId: null, installed: true, createdAt: now, updatedAt: now },
      ]);
      const q = only(rec);
      // Identifiers and scope only: never the reference Teams gave or the connector's address.
      expect(q.sql).toMatch(/^select "id", "conversation_id", "scope", "tenant_id", "team_id", "channel_id", "installed", "created_at", "updated_at" from "conversation_refs" where/);
      expect(q.sql).toContain('"aad_object_id" in (select "aad_object_id" from "staff" where "id" = @2 and "aad_object_id" is not null)');
      expect(q.sql).not.toMatch(/reference_json|service_url/);
    }],
    ['subjectAccess.messages', async (r, rec) => {
      await r.subjectAccess.messages('s');
      const q = only(rec);
      // Kind, status and dates: the payload is never selected.
      expect(q.sql).toMatch(/^select "id", "kind", "status", "created_at", "sent_at" from "outbox" where \("staff_id" = @1 or "conversation_id" in \(select "conversation_id" from "conversation_refs" where "scope" = @2 and /);
      expect(q.sql).toMatch(/ order by "created_at", "id"$/);
      expect(q.sql).not.toContain('payload_json');
    }],
    ['subjectAccess.focusDaysScheduledBy', async (r, rec) => {
      await r.subjectAccess.focusDaysScheduledBy('a@x.org');
      expect(only(rec).sql).toMatch(/^select "id", "day", "theme", "created_at" from "focus_days" where "created_by" = @1 order by "day"$/);
    }],
    ['subjectAccess.formsPublishedBy', async (r, rec) => {
      await r.subjectAccess.formsPublishedBy('a@x.org');
      // The definition (the trust's questions) is not selected.
      expect(only(rec).sql).toMatch(/^select "id", "form_key", "version", "title", "published_at" from "forms" where "published_by" = @1 order by "form_key", "version"$/);
    }],
    ['subjectAccess.themesPlannedBy', async (r, rec) => {
      await r.subjectAccess.themesPlannedBy('a@x.org');
      expect(only(rec).sql).toMatch(/^select "id", "month", "title", "origin", "why", "created_at", "updated_at" from "themes" where "created_by" = @1 order by "month"$/);
    }],
    ['subjectAccess.thematicReviews', async (r, rec) => {
      rec.answer = (q) =>
        /from "thematic_reviews" inner join/.test(q.sql)
          ? { rows: [{ id: 'tr1', assignment_id: 'a', month: '2027-03', title: 'Voice', status: 'submitted', created_at: now.toISOString(), submitted_at: now.toISOString() }] }
          : { rows: [{ id: 'ts1', thematic_review_id: 'tr1', case_reference: 'CR-1', form_id: 'f1', answers_json: '{"q":"a"}', created_at: now.toISOString() }] };
      expect(await r.subjectAccess.thematicReviews('s')).toEqual([
        { id: 'tr1', assignmentId: 'a', themeMonth: '2027-03', themeTitle: 'Voice', status: 'submitted', createdAt: now, submittedAt: now, samples: [{ id: 'ts1', caseReference: 'CR-1', formId: 'f1', answers: { q: 'a' }, createdAt: now }] },
      ]);
      expect(rec.statements).toHaveLength(2);
      expect(rec.statements[0]!.sql).toMatch(/^select .* from "thematic_reviews" inner join "themes" on "themes"\."id" = "thematic_reviews"\."theme_id" where "thematic_reviews"\."reviewer_id" = @1 order by/);
      expect(rec.statements[1]!.sql).toMatch(/^select \* from "thematic_samples" where "thematic_review_id" in \(select "id" from "thematic_reviews" where "reviewer_id" = @1\) order by "created_at", "id"$/);
      selectsOnly(rec);
    }],
  ];
}

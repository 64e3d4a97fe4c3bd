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
import { FocusDayRepository } from '../../db/focus-day.repository';
import { FormRepository } from '../../db/form.repository';
import { ObservationRepository, type NewObservation } from '../../db/observation.repository';
import { ReviewRepository, type NewReview } from '../../db/review.repository';
import { FormResponseRepository } from '../../db/form-response.repository';
import { ActionRepository } from '../../db/action.repository';
import type { FormDefinition } from '../../services/forms/form-definition';
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
];

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
      observations: ObservationRepository, focusDays: FocusDayRepository,
    };
    const all = Object.entries(classes).flatMap(([name, repoClass]) =>
      Object.getOwnPropertyNames(repoClass.prototype).filter((method) => method !== 'constructor').map((method) => `${name}.${method}`),
    );
    // find() is also reached through claim(); list what no case touched.
    expect(all.filter((method) => !called.has(method))).toEqual([]);
  });
});

import type { Insertable, Kysely } from 'kysely';
import type { Repositories } from '../db/repositories';
import type { Database } from '../db/schema';
import { newId } from '../db/values';
import { nextMonth, type CycleCalendar, type IsoDate } from '../services/calendar';
import type { Clock } from '../services/clock';
import { feedbackKinds } from '../services/feedback/feedback';
import { choicesOf, type FormQuestion } from '../services/forms/form-definition';
import { currentForm, shippedDefinition } from '../services/forms/forms-service';
import { grades, type Grade } from '../services/forms/grades';
import { feedbackSources, observationSettings } from '../services/reports/labels';
import { kindAt } from '../services/rota';

/**
 * A large synthetic trust for the report bench, written straight into the tables in bulk
 * (multi-row inserts, one transaction per table) with values shaped as the repositories
 * shape them: 10 services of 50 managers each (a head of service, 4 service managers, 45
 * team managers, each team with 3 practitioners), all 500 on the rota; a year of the cycle
 * (April 2026 to March 2027, so 10 active months); every manager's assignment each active
 * month, most done (some late, some excused, some never done); a practice review for each
 * practice review begun (records review answers, reviewer's grade, moderation, oversight),
 * an observation for each observation done and some ad hoc, four Practice Focused Days,
 * 20,000 pieces of family feedback over the year (complaints with their stage-1 deadlines)
 * and 5,000 actions from overseen reviews and observations. A fixed seed: every run seeds
 * the same. Nothing is dated after `clock.now()`. Spotlights and briefings are not seeded.
 */
export const TRUST_SIZE = { services: 10, managersPerService: 50, serviceManagers: 4, practitionersPerTeam: 3, feedback: 20_000, actions: 5_000, adHocObservations: 400 };
export const FIRST_MONTH = '2026-04';
export const MONTHS = 12;
const FINAL_STATUSES = ['moderated', 'overseen'];

export interface SyntheticTrust {
  months: string[];
  activeMonths: string[];
  /** Rows in each table the report reads, counted after seeding. */
  counts: Record<string, number>;
}

type Row<T extends keyof Database> = Insertable<Database[T]>;
interface Person { id: string; service: string; team: string; lineManagerId: string | null }

/** mulberry32: small, fast and the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertAll<T extends keyof Database>(db: Kysely<Database>, table: T, rows: readonly Row<T>[]): Promise<void> {
  const chunk = 500;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += chunk) await trx.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  });
}

export async function seedSyntheticTrust(db: Kysely<Database>, context: { repos: Repositories; calendar: CycleCalendar; clock: Clock }, progress: (message: string) => void): Promise<SyntheticTrust> {
  const { calendar } = context;
  const now = context.clock.now();
  const nowIso = now.toISOString();
  const rng = random(20270401);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
  const between = (low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));
  const at = (day: IsoDate, hour = between(9, 16)): string => calendar.londonTime(day, `${String(hour).padStart(2, '0')}:${String(between(0, 59)).padStart(2, '0')}`).toISOString();
  const before = (iso: string): string | null => (iso < nowIso ? iso : null);
  const later = (iso: string, workingDays: number): string => at(calendar.addWorkingDays(calendar.londonDateOf(new Date(iso)), workingDays));
  const gradeNear = (grade: Grade, spread: number): Grade => grades[Math.min(3, Math.max(0, grades.indexOf(grade) + (rng() < spread ? pick([-1, 1]) : 0)))] as Grade;
  const someGrade = (): Grade => { const r = rng(); return r < 0.15 ? 'outstanding' : r < 0.65 ? 'good' : r < 0.93 ? 'requires_improvement' : 'inadequate'; };
  const seedAt = calendar.londonTime(`${FIRST_MONTH}-01`, '09:00').toISOString();
  const forms = Object.fromEntries(
    await Promise.all((['records_review', 'reflective_tool', 'family_feedback', 'practice_observation', 'observation_reflection', 'feedback'] as const).map(async (key) => [key, (await currentForm(context, key)).id] as const)),
  ) as Record<'records_review' | 'reflective_tool' | 'family_feedback' | 'practice_observation' | 'observation_reflection' | 'feedback', string>;

  // ------------------------------------------------------------- staff and rota
  const staff: Row<'staff'>[] = [];
  let n = 0;
  const person = (name: string, tier: string, service: string, team: string, lineManagerId: string | null, roles: string): Person => {
    const id = newId();
    n++;
    staff.push({ id, email: `person${n}@trust.example.org`, aad_object_id: `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`, name, tier, service, team, line_manager_id: lineManagerId, roles, active: 1, created_at: seedAt, updated_at: seedAt });
    return { id, service, team, lineManagerId };
  };
  const director = person('Dana Director', 'director', 'Children and Families', 'Leadership', null, 'manager');
  person('Quinn Assurance', 'qa_service', 'Quality Assurance', 'QA Service', director.id, 'qa_manager,moderator');
  const qaEmail = staff[staff.length - 1]?.email ?? '';
  const moderators = [1, 2, 3].map((i) => person(`Moderator ${i}`, 'qa_service', 'Quality Assurance', 'QA Service', director.id, 'moderator'));
  const managers: (Person & { offset: number; practitioners: Person[] })[] = [];
  const practitioners: Person[] = [];
  const serviceManagers: Person[] = [];
  for (let s = 1; s <= TRUST_SIZE.services; s++) {
    const service = `Service ${s}`;
    const inService: Person[] = [];
    const head = person(`Head ${s}`, 'head_of_service', service, 'Leadership', director.id, 'manager');
    const areas = Array.from({ length: TRUST_SIZE.serviceManagers }, (_, a) => person(`Service Manager ${s}.${a + 1}`, 'service_manager', service, `Area ${a + 1}`, head.id, 'manager'));
    serviceManagers.push(...areas);
    inService.push(head, ...areas);
    const teamManagers = TRUST_SIZE.managersPerService - 1 - TRUST_SIZE.serviceManagers;
    const teams: Person[][] = [];
    for (let t = 1; t <= teamManagers; t++) {
      const manager = person(`Team Manager ${s}.${t}`, 'team_manager', service, `Team ${t}`, (areas[t % areas.length] as Person).id, 'manager');
      inService.push(manager);
      teams.push(Array.from({ length: TRUST_SIZE.practitionersPerTeam }, (_, p) => person(`Practitioner ${s}.${t}.${p + 1}`, 'practitioner', service, `Team ${t}`, manager.id, 'practitioner')));
    }
    practitioners.push(...teams.flat());
    // Team managers review their own team's practitioners; the others anyone in the service.
    inService.forEach((manager, i) => managers.push({ ...manager, offset: i % 3, practitioners: i > TRUST_SIZE.serviceManagers ? (teams[i - 1 - TRUST_SIZE.serviceManagers] ?? []) : teams.flat() }));
  }
  await insertAll(db, 'staff', staff);
  await insertAll(db, 'rota_members', managers.map((m) => ({ staff_id: m.id, rotation_offset: m.offset, joined_month: FIRST_MONTH, on_rota: 1, created_at: seedAt, updated_at: seedAt })));

  // ------------------------------------------------------------- assignments, reviews, observations
  const months = [FIRST_MONTH];
  while (months.length < MONTHS) months.push(nextMonth(months[months.length - 1] as string));
  const activeMonths = months.filter((month) => calendar.isActiveMonth(month));
  const focusDays = new Map<IsoDate, string>();
  const focusRows = ['2026-06', '2026-09', '2027-01', '2027-03'].map((month) => {
    const day = calendar.midMonthWorkingDay(month);
    const id = newId();
    focusDays.set(day, id);
    return { id, day, theme: `Practice Focused Day ${month}`, created_by: qaEmail, created_at: seedAt };
  });
  const assignments: Row<'assignments'>[] = [];
  const reviews: Row<'reviews'>[] = [];
  const responses: Row<'form_responses'>[] = [];
  const observations: Row<'observations'>[] = [];
  const recordsQuestions = shippedDefinition('records_review').sections.flatMap((section) => section.questions);
  /** The reviewer's answer: the overall grade, section grades near it, a sentence for each text. */
  const answer = (question: FormQuestion, overall: Grade): string => {
    if (question.id === 'overall_grade') return overall;
    if (question.type === 'grade') return gradeNear(overall, 0.4);
    if (question.type === 'longtext' || question.type === 'text') return `What the reviewer found for ${question.id.replace(/_/g, ' ')}, in a sentence or two of plain words.`;
    return choicesOf(question)[0]?.value ?? '';
  };
  for (const month of activeMonths) {
    const assignedAt = calendar.londonTime(calendar.firstWorkingDay(month), '09:00').toISOString();
    const workingDays = calendar.workingDays(month);
    const dueDay = calendar.lastWorkingDay(month);
    for (const manager of managers) {
      const kind = kindAt(manager.offset, calendar.activeMonthIndex(month));
      const r = rng();
      const status = r < 0.03 ? 'excused' : r < 0.08 ? 'assigned' : r < 0.1 ? 'started' : 'done';
      const startedAt = status === 'done' || status === 'started' ? at(pick(workingDays.slice(0, 5))) : null;
      const completedAt = status === 'done' ? before(r < 0.2 ? later(`${dueDay}T12:00:00Z`, between(1, 8)) : at(pick(workingDays.slice(5)))) : null;
      const id = newId();
      assignments.push({
        id, staff_id: manager.id, month, kind, status: status === 'done' && completedAt === null ? 'started' : status,
        excuse_reason: status === 'excused' ? pick(['On leave all month', 'Long-term sickness', 'Covering a vacant post']) : null,
        assigned_at: assignedAt, started_at: startedAt, completed_at: completedAt, escalated_at: null, updated_at: completedAt ?? startedAt ?? assignedAt,
      });
      if (startedAt === null) continue;
      const practitioner = pick(manager.practitioners);
      if (kind === 'practice_review') {
        const reviewerGrade = someGrade();
        const finalGrade = gradeNear(reviewerGrade, 0.25);
        const moderatedAt = completedAt !== null && rng() < 0.92 ? before(later(completedAt, between(1, 10))) : null;
        const oversightAt = moderatedAt !== null && rng() < 0.6 ? before(later(moderatedAt, between(2, 10))) : null;
        const reviewId = newId();
        reviews.push({
          id: reviewId, assignment_id: id, reviewer_id: manager.id, practitioner_id: practitioner.id, chair_id: null, case_reference: `CR${String(600000 + reviews.length)}`, service: practitioner.service, team: practitioner.team,
          status: oversightAt !== null ? 'overseen' : moderatedAt !== null ? 'moderated' : completedAt !== null ? 'submitted' : 'draft',
          records_form_id: forms.records_review, reflection_form_id: forms.reflective_tool, family_form_id: forms.family_feedback,
          reviewer_grade: completedAt === null ? null : reviewerGrade, final_grade: moderatedAt === null ? null : finalGrade, moderator_id: moderatedAt === null ? null : pick(moderators).id,
          moderation_reason: moderatedAt !== null && finalGrade !== reviewerGrade ? 'The evidence supports a different grade.' : null, moderation_feedback: moderatedAt === null ? null : 'Feedback to the reviewer.',
          oversight_by: oversightAt === null ? null : practitioner.lineManagerId, oversight_directions: oversightAt === null ? null : 'Directions for the practitioner.',
          created_at: startedAt, submitted_at: completedAt, moderated_at: moderatedAt, oversight_at: oversightAt, updated_at: oversightAt ?? moderatedAt ?? completedAt ?? startedAt,
        });
        const answers = Object.fromEntries(recordsQuestions.slice(0, completedAt === null ? 4 : undefined).map((question) => [question.id, answer(question, reviewerGrade)]));
        responses.push({
          id: newId(), subject_kind: 'review', subject_id: reviewId, part: 'records', form_id: forms.records_review, respondent_id: manager.id,
          answers_json: JSON.stringify(answers), status: completedAt === null ? 'draft' : 'submitted', created_at: startedAt, updated_at: completedAt ?? startedAt, submitted_at: completedAt,
        });
      } else if (kind === 'practice_observation') {
        const doneOn = completedAt === null ? null : calendar.londonDateOf(new Date(completedAt));
        const focusDay = [...focusDays.keys()].find((day) => day.startsWith(month));
        // Some observations were made on the month's Practice Focused Day (when it came before the work was submitted).
        const observedOn = doneOn === null ? null : focusDay !== undefined && focusDay <= doneOn && rng() < 0.15 ? focusDay : calendar.addWorkingDays(doneOn, -between(0, 3));
        observations.push(observation(manager, practitioner, id, startedAt, completedAt, observedOn));
      }
    }
  }
  function observation(observer: Person, practitioner: Person, assignmentId: string | null, createdAt: string, submittedAt: string | null, observedOn: IsoDate | null): Row<'observations'> {
    const submitted = submittedAt !== null && observedOn !== null;
    return {
      id: newId(), start_key: `bench:${observations.length}`, assignment_id: assignmentId, observer_id: observer.id, practitioner_id: practitioner.id, service: practitioner.service, team: practitioner.team,
      observed_on: submitted ? observedOn : null, setting: submitted ? pick(observationSettings()).value : null, focus_day_id: submitted ? (focusDays.get(observedOn) ?? null) : null, status: submitted ? 'submitted' : 'draft',
      form_id: forms.practice_observation, reflection_form_id: forms.observation_reflection, grade: submitted ? someGrade() : null, created_at: createdAt, submitted_at: submitted ? submittedAt : null, updated_at: submittedAt ?? createdAt,
    };
  }
  for (let i = 0; i < TRUST_SIZE.adHocObservations; i++) {
    const observer = pick(managers);
    const day = pick(calendar.workingDays(pick(months)));
    observations.push(observation(observer, pick(observer.practitioners), null, at(day, 9), before(at(day, 17)), day));
  }
  progress(`seeding ${staff.length} staff, ${assignments.length} assignments, ${reviews.length} reviews, ${observations.length} observations`);
  await insertAll(db, 'focus_days', focusRows);
  await insertAll(db, 'assignments', assignments);
  await insertAll(db, 'reviews', reviews);
  await insertAll(db, 'form_responses', responses);
  await insertAll(db, 'observations', observations);

  // ------------------------------------------------------------- family feedback and complaints
  const byTime = <T extends { created_at: string }>(rows: T[]): T[] => [...rows].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const reviewsByTime = byTime(reviews);
  const observationsByTime = byTime(observations.filter((row) => row.status === 'submitted'));
  /** A random one of `rows` made before `iso` (rows sorted by created_at), if any. */
  const earlier = <T extends { created_at: string }>(rows: T[], iso: string): T | undefined => {
    let low = 0;
    let high = rows.length;
    while (low < high) { const mid = (low + high) >> 1; if ((rows[mid] as T).created_at < iso) low = mid + 1; else high = mid; }
    return low === 0 ? undefined : rows[Math.floor(rng() * low)];
  };
  const everyone = [...managers, ...practitioners];
  const methods = choicesOf(shippedDefinition('feedback').sections.flatMap((section) => section.questions).find((question) => question.id === 'method') as FormQuestion).map((choice) => choice.value);
  const feedback: Row<'feedback'>[] = [];
  const complaints: Row<'complaints'>[] = [];
  for (let i = 0; i < TRUST_SIZE.feedback; i++) {
    const month = months[i % months.length] as string;
    const created = at(pick(calendar.workingDays(month)));
    if (created >= nowIso) continue;
    const r = rng();
    const kind = r < 0.5 ? feedbackKinds[0] : r < 0.85 ? feedbackKinds[1] : feedbackKinds[2];
    const about = rng();
    const review = about < 0.15 ? earlier(reviewsByTime, created) : undefined;
    const observed = about >= 0.15 && about < 0.25 ? earlier(observationsByTime, created) : undefined;
    const id = newId();
    feedback.push({
      id, start_key: `bench:${i}`, case_reference: `CR${String(700000 + i)}`, recorded_by: pick(everyone).id, form_id: forms.feedback, kind, source: pick(feedbackSources()).value, method: pick(methods),
      rating: rng() < 0.4 ? null : between(1, 5), consent: rng() < 0.7 ? 1 : 0, practitioner_id: about >= 0.25 && about < 0.65 ? pick(practitioners).id : null,
      review_id: review?.id ?? null, observation_id: observed?.id ?? null, month, created_at: created,
    });
    if (kind !== 'complaint') continue;
    const receivedOn = calendar.londonDateOf(new Date(created));
    const acknowledgedAt = rng() < 0.85 ? before(later(created, between(0, 5))) : null;
    const extendedAt = acknowledgedAt !== null && rng() < 0.05 ? before(later(acknowledgedAt, 1)) : null;
    const respondBy = calendar.addWorkingDays(receivedOn, extendedAt === null ? 10 : 20);
    const respondedAt = acknowledgedAt !== null && rng() < 0.8 ? before(later(created, between(4, 14))) : null;
    complaints.push({
      id: newId(), feedback_id: id, officer_id: pick(serviceManagers).id, stage: 1, received_on: receivedOn, acknowledge_by: calendar.addWorkingDays(receivedOn, 3), respond_by: respondBy,
      status: respondedAt !== null ? 'responded' : acknowledgedAt !== null ? 'acknowledged' : 'open', acknowledged_at: acknowledgedAt, responded_at: respondedAt, response: respondedAt === null ? null : 'What the family was told.',
      extended_at: extendedAt, extension_reason: extendedAt === null ? null : 'Waiting for a partner agency.', acknowledge_overdue_at: null, respond_overdue_at: null, created_at: created, updated_at: respondedAt ?? acknowledgedAt ?? created,
    });
  }
  await insertAll(db, 'feedback', feedback);
  await insertAll(db, 'complaints', complaints);

  // ------------------------------------------------------------- actions from overseen reviews and submitted observations
  const sources = [
    ...reviews.filter((row) => row.oversight_at !== null).map((row) => ({ kind: 'review', id: row.id as string, at: row.oversight_at as string, owner: row.practitioner_id, by: row.oversight_by ?? row.reviewer_id })),
    ...observations.filter((row) => row.submitted_at !== null).map((row) => ({ kind: 'observation', id: row.id as string, at: row.submitted_at as string, owner: row.practitioner_id, by: row.observer_id })),
  ];
  const actions: Row<'actions'>[] = Array.from({ length: TRUST_SIZE.actions }, () => {
    const source = pick(sources);
    const dueDate = calendar.addWorkingDays(calendar.londonDateOf(new Date(source.at)), between(5, 30));
    // Most are closed, some early, some on the day, some late; none before the action was made.
    const closedOn = calendar.addWorkingDays(dueDate, between(-4, 6));
    const completedAt = rng() < 0.7 ? before(at(closedOn > source.at.slice(0, 10) ? closedOn : dueDate, 14)) : null;
    return {
      id: newId(), source_kind: source.kind, source_id: source.id, description: 'An action from the review or observation.', owner_id: source.owner, due_date: dueDate, status: completedAt === null ? 'open' : 'done', created_by: source.by,
      created_at: source.at, reminded_at: null, overdue_notified_at: null, completed_at: completedAt, completed_by: completedAt === null ? null : source.owner, completion_note: completedAt === null ? null : 'What was done.', updated_at: completedAt ?? source.at,
    };
  });
  await insertAll(db, 'actions', actions);

  const tables = ['staff', 'rota_members', 'assignments', 'reviews', 'form_responses', 'observations', 'focus_days', 'feedback', 'complaints', 'actions'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  counts.final_reviews = Number((await db.selectFrom('reviews').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', FINAL_STATUSES).executeTakeFirstOrThrow()).n);
  return { months, activeMonths, counts };
}

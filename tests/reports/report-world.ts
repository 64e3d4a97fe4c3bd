import type { TeamsMember } from '../support/connector-stand-in';
import { TENANT_ID } from '../support/teams-client';
import type { Repositories } from '../../db/repositories';
import type { CycleCalendar } from '../../services/calendar';
import { currentForm } from '../../services/forms/forms-service';
import type { Grade } from '../../services/forms/grades';
import { QA_KINDS, type QaKind } from '../../services/rota';

/**
 * A year (2027) of synthetic QA records with known answers, made directly through the
 * repositories. Two services: North (teams North A and North B, four managers) and South
 * (team South A, two managers); a QA manager; a director; a practitioner in each team.
 *
 * Assignments: every manager, every active month, kinds rotating review → observation →
 * thematic (manager i in month index m does QA_KINDS[(i + m) % 3]); done on the 10th,
 * except:
 *   Jan  N2 done 30 Jan 00:30 (late, still in January)   N3 done 29 Jan 23:30 London (on time, the due day)
 *        N4 done 10 Feb (late)                            S1 done 15 Jan      S2 excused "On leave all month"
 *   Mar  S2 never done (overdue)
 *   Jun  N1 done 30 Jun 23:30Z = 1 Jul 00:30 London (late, after June)
 *   Nov  S1 done 2 Dec (late)
 * Final reviews (reviewer → moderated grade): R1 N1/Jan good→good (20 Jan), R2 N4/Jan
 * outstanding→good (12 Feb), R3 N3/Feb RI→good (20 Feb), R4 S2/Feb good→good (25 Feb),
 * R7 S1/Jun inadequate→inadequate (20 Jun), R9 N2/Jun good→RI (30 Jun 23:30Z = 1 July
 * London; overseen since), R8 N2/Oct outstanding→outstanding. R5 (draft) and R6 (submitted,
 * not moderated) are not final. Observations O1–O7, feedback F1–F8, complaints C1–C3 and
 * actions A1–A5 as set out below. August is empty.
 */
export interface WorldPerson extends TeamsMember {
  key: string;
  tier: string;
  service: string;
  team: string;
  roles: string[];
}

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
function person(key: string, n: number, name: string, tier: string, service: string, team: string, roles: string[]): WorldPerson {
  const email = `${key}@trust.example.org`;
  const aadObjectId = guid(n);
  return { key, id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier, service, team, roles };
}

export const PEOPLE = {
  qa: person('qa', 2, 'Quinn Assurance', 'qa_service', 'Quality Assurance', 'QA Service', ['qa_manager', 'moderator']),
  director: person('director', 1, 'Dee Director', 'director', 'Children and Families', 'Leadership', ['manager']),
  n1: person('n1', 11, 'Nadia North', 'team_manager', 'North', 'North A', ['manager']),
  n2: person('n2', 12, 'Ned North', 'team_manager', 'North', 'North A', ['manager']),
  n3: person('n3', 13, 'Nell North', 'team_manager', 'North', 'North B', ['manager']),
  n4: person('n4', 14, 'Noor North', 'service_manager', 'North', 'North B', ['manager']),
  s1: person('s1', 21, 'Sam South', 'team_manager', 'South', 'South A', ['manager']),
  s2: person('s2', 22, 'Sol South', 'head_of_service', 'South', 'South A', ['manager']),
  pNA: person('pna', 31, 'Pat North A', 'practitioner', 'North', 'North A', ['practitioner']),
  pNB: person('pnb', 32, 'Pip North B', 'practitioner', 'North', 'North B', ['practitioner']),
  pSA: person('psa', 33, 'Pia South A', 'practitioner', 'South', 'South A', ['practitioner']),
};
export type PersonKey = keyof typeof PEOPLE;
/** The rota's managers, in the order the kinds rotate. */
export const MANAGERS: PersonKey[] = ['n1', 'n2', 'n3', 'n4', 's1', 's2'];

export interface World {
  staff: Record<PersonKey, string>;
  /** Assignment ids by "KEY/YYYY-MM", e.g. "s2/2027-01". */
  assignments: Map<string, string>;
  reviews: Record<string, string>;
  observations: Record<string, string>;
  feedback: Record<string, string>;
  complaints: Record<string, string>;
  actions: Record<string, string>;
}

const at = (iso: string): Date => new Date(iso);
const SECTIONS = ['lived_experience_grade', 'assessment_grade', 'planning_grade', 'intervention_grade', 'oversight_grade', 'multi_agency_grade', 'recording_grade'] as const;
const sectionAnswers = (grades: readonly Grade[], overall: Grade): Record<string, string> => {
  const answers: Record<string, string> = { overall_grade: overall, overall_rationale: 'Rationale.' };
  SECTIONS.forEach((id, index) => (answers[id] = grades[index] ?? 'good'));
  return answers;
};

/** Completion times that are not "the 10th at 10:00": undefined = never done; 'excused' = excused. */
const SPECIAL: Record<string, string | undefined | 'excused'> = {
  'n2/2027-01': '2027-01-30T00:30:00Z',
  'n3/2027-01': '2027-01-29T23:30:00Z',
  'n4/2027-01': '2027-02-10T12:00:00Z',
  's1/2027-01': '2027-01-15T10:00:00Z',
  's2/2027-01': 'excused',
  's2/2027-03': undefined,
  'n1/2027-06': '2027-06-30T23:30:00Z',
  's1/2027-11': '2027-12-02T10:00:00Z',
};

export async function buildWorld(repos: Repositories, calendar: CycleCalendar): Promise<World> {
  const seedAt = at('2026-12-01T10:00:00Z');
  const context = { repos, clock: { now: () => seedAt } };
  const staff = {} as Record<PersonKey, string>;
  for (const [key, p] of Object.entries(PEOPLE) as [PersonKey, WorldPerson][]) {
    staff[key] = (await repos.staff.insert({ email: p.email, aadObjectId: p.aadObjectId, name: p.name, tier: p.tier, service: p.service, team: p.team, roles: p.roles }, seedAt)).id;
  }
  const forms = {
    records: await currentForm(context, 'records_review'),
    reflection: await currentForm(context, 'reflective_tool'),
    family: await currentForm(context, 'family_feedback'),
    observation: await currentForm(context, 'practice_observation'),
    observationReflection: await currentForm(context, 'observation_reflection'),
    feedback: await currentForm(context, 'feedback'),
  };

  // ------------------------------------------------------------- assignments
  const assignments = new Map<string, string>();
  const kinds = new Map<string, QaKind>();
  const active = Array.from({ length: 12 }, (_, i) => `2027-${String(i + 1).padStart(2, '0')}`).filter((month) => calendar.isActiveMonth(month));
  for (const [monthIndex, month] of active.entries()) {
    const assignedAt = calendar.londonTime(calendar.firstWorkingDay(month), '09:00');
    for (const [managerIndex, key] of MANAGERS.entries()) {
      const id = `${key}/${month}`;
      const kind = QA_KINDS[(managerIndex + monthIndex) % 3] as QaKind;
      kinds.set(id, kind);
      const special = id in SPECIAL ? SPECIAL[id] : `${month}-10T10:00:00Z`;
      const { assignment } = await repos.assignments.create(staff[key], month, kind, special === 'excused' ? 'excused' : 'assigned', special === 'excused' ? 'On leave all month' : null, assignedAt);
      assignments.set(id, assignment.id);
      if (special !== undefined && special !== 'excused') await repos.assignments.transition(assignment.id, ['assigned', 'started'], 'done', at(special));
    }
  }
  const assignmentOf = (id: string): string => {
    const found = assignments.get(id);
    if (found === undefined) throw new Error(`no assignment ${id}`);
    return found;
  };

  // ------------------------------------------------------------- practice reviews
  const reviews: Record<string, string> = {};
  const review = async (
    name: string,
    assignment: string,
    reviewer: PersonKey,
    practitioner: PersonKey,
    states: { created: string; submitted?: string; moderated?: string; overseen?: string; reviewerGrade?: Grade; finalGrade?: Grade; sections?: readonly Grade[] },
  ): Promise<void> => {
    if (kinds.get(assignment) !== 'practice_review') throw new Error(`${assignment} is not a practice review`);
    const p = PEOPLE[practitioner];
    const { review: made } = await repos.reviews.create(
      {
        assignmentId: assignmentOf(assignment),
        reviewerId: staff[reviewer],
        practitionerId: staff[practitioner],
        chairId: null,
        caseReference: `CR${900000 + Object.keys(reviews).length}`,
        service: p.service,
        team: p.team,
        recordsFormId: forms.records.id,
        reflectionFormId: forms.reflection.id,
        familyFormId: forms.family.id,
      },
      at(states.created),
    );
    reviews[name] = made.id;
    const response = await repos.responses.open(made.id, 'records', forms.records.id, staff[reviewer], at(states.created));
    if (states.submitted === undefined) return;
    const grade = states.reviewerGrade ?? 'good';
    await repos.responses.submit(response.id, sectionAnswers(states.sections ?? [], grade), at(states.submitted));
    await repos.reviews.transition(made.id, 'draft', 'submitted', { reviewerGrade: grade }, at(states.submitted));
    if (states.moderated === undefined) return;
    const finalGrade = states.finalGrade ?? grade;
    await repos.reviews.transition(
      made.id,
      'submitted',
      'moderated',
      { finalGrade, moderatorId: staff.qa, moderationReason: finalGrade === grade ? null : 'Reason.', moderationFeedback: 'Feedback.' },
      at(states.moderated),
    );
    if (states.overseen !== undefined) await repos.reviews.transition(made.id, 'moderated', 'overseen', { oversightBy: staff.n4, oversightDirections: 'Directions.' }, at(states.overseen));
  };
  await review('R1', 'n1/2027-01', 'n1', 'pNA', {
    created: '2027-01-11T10:00:00Z',
    submitted: '2027-01-18T10:00:00Z',
    moderated: '2027-01-20T10:00:00Z',
    reviewerGrade: 'good',
    finalGrade: 'good',
    sections: ['good', 'requires_improvement', 'good', 'good', 'outstanding', 'good', 'inadequate'],
  });
  await review('R2', 'n4/2027-01', 'n4', 'pNB', {
    created: '2027-01-25T10:00:00Z',
    submitted: '2027-02-10T12:00:00Z',
    moderated: '2027-02-12T10:00:00Z',
    reviewerGrade: 'outstanding',
    finalGrade: 'good',
    sections: ['outstanding', 'good', 'good', 'requires_improvement', 'good', 'good', 'good'],
  });
  await review('R3', 'n3/2027-02', 'n3', 'pNB', {
    created: '2027-02-03T10:00:00Z',
    submitted: '2027-02-10T10:00:00Z',
    moderated: '2027-02-20T10:00:00Z',
    reviewerGrade: 'requires_improvement',
    finalGrade: 'good',
    sections: ['requires_improvement', 'requires_improvement', 'good', 'good', 'good', 'inadequate', 'good'],
  });
  await review('R4', 's2/2027-02', 's2', 'pSA', {
    created: '2027-02-03T10:00:00Z',
    submitted: '2027-02-10T10:00:00Z',
    moderated: '2027-02-25T10:00:00Z',
    reviewerGrade: 'good',
    finalGrade: 'good',
    sections: ['good', 'good', 'outstanding', 'good', 'good', 'good', 'requires_improvement'],
  });
  await review('R5', 'n2/2027-03', 'n2', 'pNA', { created: '2027-03-03T10:00:00Z' });
  await review('R6', 's1/2027-03', 's1', 'pSA', { created: '2027-03-03T10:00:00Z', submitted: '2027-03-20T10:00:00Z', reviewerGrade: 'good' });
  await review('R7', 's1/2027-06', 's1', 'pSA', { created: '2027-06-03T10:00:00Z', submitted: '2027-06-10T10:00:00Z', moderated: '2027-06-20T10:00:00Z', reviewerGrade: 'inadequate', finalGrade: 'inadequate' });
  await review('R9', 'n2/2027-06', 'n2', 'pNA', {
    created: '2027-06-03T10:00:00Z',
    submitted: '2027-06-25T10:00:00Z',
    moderated: '2027-06-30T23:30:00Z',
    overseen: '2027-07-05T10:00:00Z',
    reviewerGrade: 'good',
    finalGrade: 'requires_improvement',
  });
  await review('R8', 'n2/2027-10', 'n2', 'pNA', { created: '2027-10-04T10:00:00Z', submitted: '2027-10-08T10:00:00Z', moderated: '2027-10-15T10:00:00Z', reviewerGrade: 'outstanding', finalGrade: 'outstanding' });

  // ------------------------------------------------------------- observations
  const focusDay = await repos.focusDays.add('2027-01-14', 'Hearing the voice of the child', PEOPLE.qa.email, seedAt);
  const observations: Record<string, string> = {};
  const observe = async (
    name: string,
    observer: PersonKey,
    practitioner: PersonKey,
    assignment: string | null,
    submitted: { at: string; observedOn: string; setting: string; grade: Grade; focusDay?: boolean } | undefined,
    created = '2027-01-05T10:00:00Z',
  ): Promise<void> => {
    if (assignment !== null && kinds.get(assignment) !== 'practice_observation') throw new Error(`${assignment} is not an observation`);
    const p = PEOPLE[practitioner];
    const { observation } = await repos.observations.create(
      {
        startKey: `test:${name}`,
        assignmentId: assignment === null ? null : assignmentOf(assignment),
        observerId: staff[observer],
        practitionerId: staff[practitioner],
        service: p.service,
        team: p.team,
        formId: forms.observation.id,
        reflectionFormId: forms.observationReflection.id,
      },
      at(created),
    );
    observations[name] = observation.id;
    if (submitted === undefined) return;
    await repos.observations.submit(
      observation.id,
      { observedOn: submitted.observedOn, setting: submitted.setting, grade: submitted.grade, focusDayId: submitted.focusDay === true ? (focusDay?.id ?? null) : null },
      at(submitted.at),
    );
  };
  await observe('O1', 'n2', 'pNA', 'n2/2027-01', { at: '2027-01-30T00:30:00Z', observedOn: '2027-01-12', setting: 'home_visit', grade: 'good' });
  await observe('O2', 's1', 'pSA', 's1/2027-01', { at: '2027-01-15T10:00:00Z', observedOn: '2027-01-14', setting: 'cp_conference', grade: 'outstanding', focusDay: true });
  await observe('O3', 'n3', 'pNB', null, { at: '2027-01-14T16:00:00Z', observedOn: '2027-01-14', setting: 'home_visit', grade: 'requires_improvement', focusDay: true });
  await observe('O4', 'n1', 'pNA', 'n1/2027-02', { at: '2027-02-10T10:00:00Z', observedOn: '2027-02-09', setting: 'group_work', grade: 'good' }, '2027-02-02T10:00:00Z');
  await observe('O5', 'n4', 'pNB', null, undefined, '2027-01-20T10:00:00Z');
  await observe('O6', 'n4', 'pNB', null, { at: '2027-02-02T10:00:00Z', observedOn: '2027-01-31', setting: 'one_to_one', grade: 'inadequate' }, '2027-01-31T10:00:00Z');
  await observe('O7', 's2', 'pSA', 's2/2027-06', { at: '2027-06-09T10:00:00Z', observedOn: '2027-06-08', setting: 'youth_project', grade: 'good' }, '2027-06-02T10:00:00Z');

  // ------------------------------------------------------------- family feedback and complaints
  const feedback: Record<string, string> = {};
  const complaints: Record<string, string> = {};
  const give = async (
    name: string,
    fields: { kind: 'compliment' | 'comment' | 'complaint'; source: string; method: string; recordedBy: PersonKey; practitioner?: PersonKey; review?: string; observation?: string; month: string; created: string },
  ): Promise<string> => {
    const { feedback: made } = await repos.feedback.create(
      {
        startKey: `test-${name}`,
        caseReference: 'CR123456',
        recordedBy: staff[fields.recordedBy],
        formId: forms.feedback.id,
        kind: fields.kind,
        source: fields.source,
        method: fields.method,
        rating: null,
        consent: true,
        practitionerId: fields.practitioner === undefined ? null : staff[fields.practitioner],
        reviewId: fields.review === undefined ? null : (reviews[fields.review] ?? null),
        observationId: fields.observation === undefined ? null : (observations[fields.observation] ?? null),
        month: fields.month,
      },
      at(fields.created),
    );
    feedback[name] = made.id;
    return made.id;
  };
  const complaint = async (name: string, feedbackId: string, officer: PersonKey, dates: { received: string; acknowledgeBy: string; respondBy: string; acknowledged?: string; responded?: string }): Promise<void> => {
    const { complaint: made } = await repos.complaints.create(
      { feedbackId, officerId: staff[officer], receivedOn: dates.received, acknowledgeBy: dates.acknowledgeBy, respondBy: dates.respondBy },
      at(`${dates.received}T12:00:00Z`),
    );
    complaints[name] = made.id;
    if (dates.acknowledged !== undefined) await repos.complaints.acknowledge(made.id, at(dates.acknowledged));
    if (dates.responded !== undefined) await repos.complaints.respond(made.id, 'Response.', at(dates.responded));
  };
  await give('F1', { kind: 'compliment', source: 'child', method: 'conversation', recordedBy: 'n1', practitioner: 'pNA', month: '2027-01', created: '2027-01-08T10:00:00Z' });
  // Attached to review R1 (North), recorded by a South manager: it is North's.
  await give('F2', { kind: 'compliment', source: 'parent', method: 'visit', recordedBy: 's1', review: 'R1', month: '2027-01', created: '2027-01-21T10:00:00Z' });
  // Attached to observation O2 (South), recorded by a North manager: it is South's.
  await give('F3', { kind: 'comment', source: 'carer', method: 'survey', recordedBy: 'n1', observation: 'O2', month: '2027-01', created: '2027-01-16T10:00:00Z' });
  const f4 = await give('F4', { kind: 'complaint', source: 'parent', method: 'letter', recordedBy: 's2', practitioner: 'pSA', month: '2027-01', created: '2027-01-11T10:00:00Z' });
  await complaint('C1', f4, 's2', { received: '2027-01-11', acknowledgeBy: '2027-01-14', respondBy: '2027-01-25', acknowledged: '2027-01-12T10:00:00Z', responded: '2027-01-22T10:00:00Z' });
  const f5 = await give('F5', { kind: 'complaint', source: 'young_person', method: 'phone', recordedBy: 'n1', month: '2027-01', created: '2027-01-20T10:00:00Z' });
  await complaint('C2', f5, 'n4', { received: '2027-01-20', acknowledgeBy: '2027-01-25', respondBy: '2027-02-03', acknowledged: '2027-01-27T10:00:00Z', responded: '2027-02-10T10:00:00Z' });
  const f6 = await give('F6', { kind: 'complaint', source: 'other', method: 'email', recordedBy: 'n3', practitioner: 'pNB', month: '2027-01', created: '2027-01-04T10:00:00Z' });
  await complaint('C3', f6, 'n4', { received: '2027-01-04', acknowledgeBy: '2027-01-07', respondBy: '2027-01-18' });
  await give('F7', { kind: 'comment', source: 'child', method: 'conversation', recordedBy: 'n3', practitioner: 'pNB', month: '2027-02', created: '2027-02-05T10:00:00Z' });
  await give('F8', { kind: 'compliment', source: 'carer', method: 'email', recordedBy: 's1', month: '2027-02', created: '2027-02-06T10:00:00Z' });

  // ------------------------------------------------------------- actions
  const actions: Record<string, string> = {};
  const act = async (name: string, source: { review: string } | { observation: string }, owner: PersonKey, dueDate: string, created: string, closed?: string): Promise<void> => {
    const made = await repos.actions.create(
      {
        sourceKind: 'review' in source ? 'review' : 'observation',
        sourceId: 'review' in source ? (reviews[source.review] ?? '') : (observations[source.observation] ?? ''),
        description: 'An action.',
        ownerId: staff[owner],
        dueDate,
        createdBy: staff.n4,
      },
      at(created),
    );
    actions[name] = made.id;
    if (closed !== undefined) await repos.actions.close(made.id, 'Done.', staff[owner], at(closed));
  };
  await act('A1', { review: 'R1' }, 'pNA', '2027-02-15', '2027-01-21T10:00:00Z', '2027-02-10T10:00:00Z');
  await act('A2', { review: 'R1' }, 'pNA', '2027-01-29', '2027-01-21T10:00:00Z', '2027-02-03T10:00:00Z');
  await act('A3', { observation: 'O2' }, 'pSA', '2027-01-25', '2027-01-15T10:00:00Z');
  await act('A4', { review: 'R4' }, 'pSA', '2027-04-30', '2027-02-26T10:00:00Z');
  await act('A5', { review: 'R1' }, 'pNA', '2027-01-28', '2027-01-22T10:00:00Z', '2027-01-28T23:30:00Z');

  return { staff, assignments, reviews, observations, feedback, complaints, actions };
}

import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * The reads behind the monthly, quarterly and yearly QA reports. Each method reads the
 * rows of one kind of record once, already narrowed to the period and the scope, with
 * only the columns a report needs; the counting is done by services/reports. Nothing
 * here writes, and nothing is paged: a trust's year is thousands of rows, not millions.
 *
 * Scope: the whole trust (no filter), a service, or a team within a service. Where a
 * record has no service of its own it takes one as set out on each method.
 * Times are ISO-8601 UTC text (they compare as they sort); dates are London YYYY-MM-DD.
 */
export interface ReportScopeFilter {
  service?: string | undefined;
  team?: string | undefined;
}

export interface ReportAssignmentRow {
  id: string;
  staffId: string;
  name: string;
  service: string;
  team: string;
  month: string;
  kind: string;
  status: string;
  excuseReason: string | null;
  completedAt: string | null;
}

export interface ReportReviewRow {
  id: string;
  service: string;
  team: string;
  reviewerGrade: string | null;
  finalGrade: string | null;
  moderatedAt: string;
}

export interface ReportRecordsAnswersRow {
  reviewId: string;
  formId: string;
  answersJson: string;
}

export interface ReportObservationRow {
  id: string;
  service: string;
  team: string;
  observedOn: string;
  setting: string | null;
  grade: string | null;
  focusDayId: string | null;
}

export interface ReportFeedbackRow {
  id: string;
  kind: string;
  source: string;
  method: string;
  month: string;
  service: string;
  team: string;
}

export interface ReportComplaintRow {
  id: string;
  feedbackId: string;
  receivedOn: string;
  acknowledgeBy: string;
  respondBy: string;
  acknowledgedAt: string | null;
  respondedAt: string | null;
  extendedAt: string | null;
  service: string;
  team: string;
}

export interface ReportActionRow {
  id: string;
  sourceKind: string;
  dueDate: string;
  createdAt: string;
  completedAt: string | null;
  service: string;
  team: string;
}

export interface ReportSpotlightRow {
  id: string;
  month: string;
  themeTitle: string;
  origin: string;
  contentJson: string;
  postedAt: string;
  /** Channels it was posted to. */
  channels: number;
}

export interface ReportSpotlightReplyRow {
  id: string;
  spotlightId: string;
  createdAt: string;
  mentionedBot: number;
}

export interface ReportBriefingCopyRow {
  id: string;
  briefingId: string;
  title: string;
  sentAt: string;
  recalledAt: string | null;
  /** person or channel */
  kind: string;
  /** The recipient's service and team when it was sent ('' for a channel). */
  service: string;
  team: string;
  /** Where its outbox message stands: sent, failed, not_installed, blocked, queued, sending, cancelled ('' if none). */
  delivery: string;
  acknowledgedAt: string | null;
  readAt: string | null;
}

export interface ReportBriefingUsageRow {
  id: string;
  briefingId: string;
  team: string;
  service: string;
  discussedOn: string;
}

/** Reviews that are final: moderated, and perhaps overseen since. */
const FINAL_REVIEW_STATUSES = ['moderated', 'overseen'];

/**
 * Where a piece of family feedback belongs: the review or observation it is attached to
 * (their service and team as recorded then), else the practitioner it is about, else
 * whoever recorded it. A left-joined table's columns are all null or none, so service
 * and team always come from the same record. (Written out in each query below: Kysely
 * infers the joined tables there.)
 */
export class ReportRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The service and team of everyone on file, once each, for naming a report's scope. */
  async listServiceTeams(): Promise<{ service: string; team: string }[]> {
    return this.db.selectFrom('staff').select(['service', 'team']).distinct().orderBy('service').orderBy('team').execute();
  }

  /**
   * Assignments of the months `fromMonth` to `toMonth` (YYYY-MM, both included), with the
   * manager's name, service and team as they are on file now.
   */
  async assignments(fromMonth: string, toMonth: string, scope: ReportScopeFilter): Promise<ReportAssignmentRow[]> {
    let query = this.db
      .selectFrom('assignments as a')
      .innerJoin('staff as s', 's.id', 'a.staff_id')
      .select([
        'a.id as id',
        'a.staff_id as staffId',
        's.name as name',
        's.service as service',
        's.team as team',
        'a.month as month',
        'a.kind as kind',
        'a.status as status',
        'a.excuse_reason as excuseReason',
        'a.completed_at as completedAt',
      ])
      .where('a.month', '>=', fromMonth)
      .where('a.month', '<=', toMonth);
    if (scope.service !== undefined) query = query.where('s.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('s.team', '=', scope.team);
    return query.orderBy('a.month').orderBy('s.name').orderBy('a.id').execute();
  }

  /** Final reviews moderated from `from` (included) to `to` (excluded), by the review's own service and team. */
  async finalReviews(from: string, to: string, scope: ReportScopeFilter): Promise<ReportReviewRow[]> {
    let query = this.db
      .selectFrom('reviews as r')
      .select(['r.id as id', 'r.service as service', 'r.team as team', 'r.reviewer_grade as reviewerGrade', 'r.final_grade as finalGrade', 'r.moderated_at as moderatedAt'])
      .where('r.status', 'in', FINAL_REVIEW_STATUSES)
      .where('r.moderated_at', '>=', from)
      .where('r.moderated_at', '<', to);
    if (scope.service !== undefined) query = query.where('r.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('r.team', '=', scope.team);
    const rows = await query.orderBy('r.moderated_at').orderBy('r.id').execute();
    // moderated_at is set whenever the status is moderated or overseen.
    return rows.map((row) => ({ ...row, moderatedAt: row.moderatedAt ?? '' }));
  }

  /** The records review answers (the reviewer's section grades) of the same final reviews as finalReviews(). */
  async finalRecordsAnswers(from: string, to: string, scope: ReportScopeFilter): Promise<ReportRecordsAnswersRow[]> {
    let query = this.db
      .selectFrom('form_responses as fr')
      .innerJoin('reviews as r', 'r.id', 'fr.subject_id')
      .select(['fr.subject_id as reviewId', 'fr.form_id as formId', 'fr.answers_json as answersJson'])
      .where('fr.subject_kind', '=', 'review')
      .where('fr.part', '=', 'records')
      .where('r.status', 'in', FINAL_REVIEW_STATUSES)
      .where('r.moderated_at', '>=', from)
      .where('r.moderated_at', '<', to);
    if (scope.service !== undefined) query = query.where('r.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('r.team', '=', scope.team);
    return query.orderBy('fr.subject_id').execute();
  }

  /**
   * Submitted observations that took place on London days `fromDate` to `toDate` (both
   * included) and were submitted before `submittedBefore`, by their own service and team.
   */
  async observations(fromDate: string, toDate: string, submittedBefore: string, scope: ReportScopeFilter): Promise<ReportObservationRow[]> {
    let query = this.db
      .selectFrom('observations as o')
      .select(['o.id as id', 'o.service as service', 'o.team as team', 'o.observed_on as observedOn', 'o.setting as setting', 'o.grade as grade', 'o.focus_day_id as focusDayId'])
      .where('o.status', '=', 'submitted')
      .where('o.observed_on', '>=', fromDate)
      .where('o.observed_on', '<=', toDate)
      .where('o.submitted_at', '<', submittedBefore);
    if (scope.service !== undefined) query = query.where('o.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('o.team', '=', scope.team);
    const rows = await query.orderBy('o.observed_on').orderBy('o.id').execute();
    return rows.map((row) => ({ ...row, observedOn: row.observedOn ?? '' }));
  }

  /** Family feedback of the months `fromMonth` to `toMonth`, recorded before `recordedBefore`, scoped as said above. */
  async feedback(fromMonth: string, toMonth: string, recordedBefore: string, scope: ReportScopeFilter): Promise<ReportFeedbackRow[]> {
    let query = this.db
      .selectFrom('feedback as f')
      .leftJoin('reviews as rv', 'rv.id', 'f.review_id')
      .leftJoin('observations as ob', 'ob.id', 'f.observation_id')
      .leftJoin('staff as p', 'p.id', 'f.practitioner_id')
      .innerJoin('staff as rb', 'rb.id', 'f.recorded_by')
      .select((eb) => ['f.id as id', 'f.kind as kind', 'f.source as source', 'f.method as method', 'f.month as month', eb.fn.coalesce('rv.service', 'ob.service', 'p.service', 'rb.service').as('service'), eb.fn.coalesce('rv.team', 'ob.team', 'p.team', 'rb.team').as('team')])
      .where('f.month', '>=', fromMonth)
      .where('f.month', '<=', toMonth)
      .where('f.created_at', '<', recordedBefore);
    if (scope.service !== undefined) {
      const service = scope.service;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.service', 'ob.service', 'p.service', 'rb.service'), '=', service));
    }
    if (scope.team !== undefined) {
      const team = scope.team;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.team', 'ob.team', 'p.team', 'rb.team'), '=', team));
    }
    return query.orderBy('f.month').orderBy('f.id').execute();
  }

  /** Complaints received on London days `fromDate` to `toDate` and opened before `openedBefore`; scoped as their feedback. */
  async complaints(fromDate: string, toDate: string, openedBefore: string, scope: ReportScopeFilter): Promise<ReportComplaintRow[]> {
    let query = this.db
      .selectFrom('complaints as c')
      .innerJoin('feedback as f', 'f.id', 'c.feedback_id')
      .leftJoin('reviews as rv', 'rv.id', 'f.review_id')
      .leftJoin('observations as ob', 'ob.id', 'f.observation_id')
      .leftJoin('staff as p', 'p.id', 'f.practitioner_id')
      .innerJoin('staff as rb', 'rb.id', 'f.recorded_by')
      .select((eb) => [
        'c.id as id',
        'c.feedback_id as feedbackId',
        'c.received_on as receivedOn',
        'c.acknowledge_by as acknowledgeBy',
        'c.respond_by as respondBy',
        'c.acknowledged_at as acknowledgedAt',
        'c.responded_at as respondedAt',
        'c.extended_at as extendedAt',
        eb.fn.coalesce('rv.service', 'ob.service', 'p.service', 'rb.service').as('service'),
        eb.fn.coalesce('rv.team', 'ob.team', 'p.team', 'rb.team').as('team'),
      ])
      .where('c.received_on', '>=', fromDate)
      .where('c.received_on', '<=', toDate)
      .where('c.created_at', '<', openedBefore);
    if (scope.service !== undefined) {
      const service = scope.service;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.service', 'ob.service', 'p.service', 'rb.service'), '=', service));
    }
    if (scope.team !== undefined) {
      const team = scope.team;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.team', 'ob.team', 'p.team', 'rb.team'), '=', team));
    }
    return query.orderBy('c.received_on').orderBy('c.id').execute();
  }

  /**
   * Actions made before `before` that were still open at `openAt` or after, or finished
   * from then on: those opened, completed or still open in a period starting at `openAt`.
   * Their service and team are those of the review or observation they came from, else
   * the owner's.
   */
  async actions(openAt: string, before: string, scope: ReportScopeFilter): Promise<ReportActionRow[]> {
    let query = this.db
      .selectFrom('actions as a')
      .leftJoin('reviews as rv', (join) => join.onRef('rv.id', '=', 'a.source_id').on('a.source_kind', '=', 'review'))
      .leftJoin('observations as ob', (join) => join.onRef('ob.id', '=', 'a.source_id').on('a.source_kind', '=', 'observation'))
      .innerJoin('staff as o', 'o.id', 'a.owner_id')
      .select((eb) => ['a.id as id', 'a.source_kind as sourceKind', 'a.due_date as dueDate', 'a.created_at as createdAt', 'a.completed_at as completedAt', eb.fn.coalesce('rv.service', 'ob.service', 'o.service').as('service'), eb.fn.coalesce('rv.team', 'ob.team', 'o.team').as('team')])
      .where('a.created_at', '<', before)
      .where((eb) => eb.or([eb('a.completed_at', 'is', null), eb('a.completed_at', '>=', openAt)]));
    if (scope.service !== undefined) {
      const wanted = scope.service;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.service', 'ob.service', 'o.service'), '=', wanted));
    }
    if (scope.team !== undefined) {
      const wanted = scope.team;
      query = query.where((eb) => eb(eb.fn.coalesce('rv.team', 'ob.team', 'o.team'), '=', wanted));
    }
    return query.orderBy('a.due_date').orderBy('a.id').execute();
  }

  /**
   * Spotlights of the months `fromMonth` to `toMonth` posted before `postedBefore`, with their
   * theme and how many channels they went to. Spotlights are trust-wide: no scope.
   */
  async spotlights(fromMonth: string, toMonth: string, postedBefore: string): Promise<ReportSpotlightRow[]> {
    const rows = await this.db
      .selectFrom('spotlights as s')
      .innerJoin('themes as t', 't.id', 's.theme_id')
      .select((eb) => [
        's.id as id',
        's.month as month',
        't.title as themeTitle',
        't.origin as origin',
        's.content_json as contentJson',
        's.posted_at as postedAt',
        eb.selectFrom('spotlight_posts as p').select((inner) => inner.fn.countAll<number | string>().as('n')).whereRef('p.spotlight_id', '=', 's.id').as('channels'),
      ])
      .where('s.status', '=', 'posted')
      .where('s.month', '>=', fromMonth)
      .where('s.month', '<=', toMonth)
      .where('s.posted_at', '<', postedBefore)
      .orderBy('s.month')
      .orderBy('s.id')
      .execute();
    return rows.map((row) => ({ ...row, postedAt: row.postedAt ?? '', channels: Number(row.channels ?? 0) }));
  }

  /** Replies in the threads of the spotlights of those months, made before `before`. */
  async spotlightReplies(fromMonth: string, toMonth: string, before: string): Promise<ReportSpotlightReplyRow[]> {
    return this.db
      .selectFrom('spotlight_replies as r')
      .innerJoin('spotlight_posts as p', 'p.id', 'r.post_id')
      .innerJoin('spotlights as s', 's.id', 'p.spotlight_id')
      .select(['r.id as id', 's.id as spotlightId', 'r.created_at as createdAt', 'r.mentioned_bot as mentionedBot'])
      .where('s.month', '>=', fromMonth)
      .where('s.month', '<=', toMonth)
      .where('r.created_at', '<', before)
      .orderBy('r.created_at')
      .orderBy('r.id')
      .execute();
  }

  /**
   * Every copy of the briefings sent from `from` (included) to `before` (excluded), with how
   * its delivery stands and when it was acknowledged or read. People are scoped by their
   * service and team when it was sent; channel copies only count for the whole trust.
   */
  async briefingCopies(from: string, before: string, scope: ReportScopeFilter): Promise<ReportBriefingCopyRow[]> {
    let query = this.db
      .selectFrom('briefing_recipients as br')
      .innerJoin('briefings as b', 'b.id', 'br.briefing_id')
      .leftJoin('outbox as o', 'o.dedupe_key', 'br.outbox_key')
      .select((eb) => [
        'br.id as id',
        'b.id as briefingId',
        'b.title as title',
        'b.sent_at as sentAt',
        'b.recalled_at as recalledAt',
        'br.kind as kind',
        eb.fn.coalesce('br.service', eb.val('')).as('service'),
        eb.fn.coalesce('br.team', eb.val('')).as('team'),
        eb.fn.coalesce('o.status', eb.val('')).as('delivery'),
        'br.acknowledged_at as acknowledgedAt',
        'br.read_at as readAt',
      ])
      .where('b.sent_at', '>=', from)
      .where('b.sent_at', '<', before);
    if (scope.service !== undefined) query = query.where('br.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('br.team', '=', scope.team);
    const rows = await query.orderBy('b.sent_at').orderBy('br.id').execute();
    return rows.map((row) => ({ ...row, sentAt: row.sentAt ?? '' }));
  }

  /** How teams used the briefings sent from `from` to `before`: recorded before `before`, by the recorder's service. */
  async briefingUsage(from: string, before: string, scope: ReportScopeFilter): Promise<ReportBriefingUsageRow[]> {
    let query = this.db
      .selectFrom('briefing_usage as u')
      .innerJoin('briefings as b', 'b.id', 'u.briefing_id')
      .innerJoin('staff as rb', 'rb.id', 'u.recorded_by')
      .select(['u.id as id', 'u.briefing_id as briefingId', 'u.team as team', 'rb.service as service', 'u.discussed_on as discussedOn'])
      .where('b.sent_at', '>=', from)
      .where('b.sent_at', '<', before)
      .where('u.created_at', '<', before);
    if (scope.service !== undefined) query = query.where('rb.service', '=', scope.service);
    if (scope.team !== undefined) query = query.where('u.team', '=', scope.team);
    return query.orderBy('u.discussed_on').orderBy('u.id').execute();
  }
}

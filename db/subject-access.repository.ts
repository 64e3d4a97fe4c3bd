import type { Kysely } from 'kysely';
import type { Answers } from '../services/forms/form-answers';
import type { Database } from './schema';
import { fromDbBool, fromDbJson, fromDbTime } from './values';

/*
 * What QA Loop holds about one member of staff, for a subject access request: read only.
 * Records that another repository already reads whole (reviews, actions, feedback...) are
 * found here by id and read there; the rest are read here, column by column, so that what
 * must not leave (message payloads, conversation references) is never even selected.
 * The audit log is read through AuditRepository, the one way to that table.
 */

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));
const ids = (rows: readonly { id: string }[]): string[] => rows.map((row) => row.id);

export interface HeldRotaMembership {
  joinedMonth: string;
  rotationOffset: number;
  onRota: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A QA manager's swap or excusal of one manager's month. */
export interface HeldRotaOverride {
  id: string;
  staffId: string;
  month: string;
  action: string;
  kind: string | null;
  reason: string | null;
  decidedBy: string;
  createdAt: Date;
}

/** Where the bot can reach a person: identifiers and scope only, never the reference Teams gave. */
export interface HeldConversation {
  id: string;
  conversationId: string;
  scope: string;
  tenantId: string | null;
  teamId: string | null;
  channelId: string | null;
  installed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A message the bot sent or will send to a person: what kind, how it went and when, never what it said. */
export interface HeldMessage {
  id: string;
  kind: string;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
}

export interface HeldFocusDay {
  id: string;
  day: string;
  theme: string;
  createdAt: Date;
}

/** A form version a person published (the questions themselves are the trust's, not theirs). */
export interface HeldForm {
  id: string;
  key: string;
  version: number;
  title: string;
  publishedAt: Date;
}

/** A monthly theme a person planned. */
export interface HeldTheme {
  id: string;
  month: string;
  title: string;
  origin: string;
  why: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface HeldThematicSample {
  id: string;
  caseReference: string;
  formId: string;
  answers: Answers;
  createdAt: Date;
}

/** A thematic review a person did, with the theme it answered and the cases they sampled. */
export interface HeldThematicReview {
  id: string;
  assignmentId: string;
  themeMonth: string;
  themeTitle: string;
  status: string;
  createdAt: Date;
  submittedAt: Date | null;
  samples: HeldThematicSample[];
}

export class SubjectAccessRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async rotaMembership(staffId: string): Promise<HeldRotaMembership | undefined> {
    const row = await this.db.selectFrom('rota_members').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
    if (row === undefined) return undefined;
    return { joinedMonth: row.joined_month, rotationOffset: row.rotation_offset, onRota: fromDbBool(row.on_rota), createdAt: fromDbTime(row.created_at), updatedAt: fromDbTime(row.updated_at) };
  }

  /** Overrides of the person's months, and those they decided (recorded under their email). */
  async rotaOverrides(staffId: string, email: string): Promise<HeldRotaOverride[]> {
    const rows = await this.db
      .selectFrom('rota_overrides')
      .selectAll()
      .where((eb) => eb.or([eb('staff_id', '=', staffId), eb('decided_by', '=', email)]))
      .orderBy('month')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, staffId: row.staff_id, month: row.month, action: row.action, kind: row.kind, reason: row.reason, decidedBy: row.decided_by, createdAt: fromDbTime(row.created_at) }));
  }

  async assignmentIds(staffId: string): Promise<string[]> {
    return ids(await this.db.selectFrom('assignments').select('id').where('staff_id', '=', staffId).orderBy('month').orderBy('id').execute());
  }

  /** Requests the person made, and those they decided (recorded under their email). */
  async rotaRequestIds(staffId: string, email: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('rota_requests')
      .select('id')
      .where((eb) => eb.or([eb('staff_id', '=', staffId), eb('decided_by', '=', email)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return ids(rows);
  }

  /** Practice reviews naming the person in any part: reviewer, practitioner, Independent Chair, moderator or overseeing manager. */
  async reviewIds(staffId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('reviews')
      .select('id')
      .where((eb) =>
        eb.or([eb('reviewer_id', '=', staffId), eb('practitioner_id', '=', staffId), eb('chair_id', '=', staffId), eb('moderator_id', '=', staffId), eb('oversight_by', '=', staffId)]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return ids(rows);
  }

  /** Actions the person owns, created or closed. */
  async actionIds(staffId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('actions')
      .select('id')
      .where((eb) => eb.or([eb('owner_id', '=', staffId), eb('created_by', '=', staffId), eb('completed_by', '=', staffId)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return ids(rows);
  }

  /** Family feedback the person recorded or that is about their practice. */
  async feedbackIds(staffId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('feedback')
      .select('id')
      .where((eb) => eb.or([eb('recorded_by', '=', staffId), eb('practitioner_id', '=', staffId)]))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return ids(rows);
  }

  /** Complaints the person handles as officer, or that came from feedback they recorded or that is about them. */
  async complaintIds(staffId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('complaints')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('officer_id', '=', staffId),
          eb('feedback_id', 'in', eb.selectFrom('feedback').select('id').where((inner) => inner.or([inner('recorded_by', '=', staffId), inner('practitioner_id', '=', staffId)]))),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return ids(rows);
  }

  /** Conversations linked to the person's staff record or saved under their Entra id. */
  async conversations(staffId: string): Promise<HeldConversation[]> {
    const rows = await this.db
      .selectFrom('conversation_refs')
      .select(['id', 'conversation_id', 'scope', 'tenant_id', 'team_id', 'channel_id', 'installed', 'created_at', 'updated_at'])
      .where((eb) =>
        eb.or([
          eb('staff_id', '=', staffId),
          eb('aad_object_id', 'in', eb.selectFrom('staff').select('aad_object_id').where('id', '=', staffId).where('aad_object_id', 'is not', null)),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversation_id,
      scope: row.scope,
      tenantId: row.tenant_id,
      teamId: row.team_id,
      channelId: row.channel_id,
      installed: fromDbBool(row.installed),
      createdAt: fromDbTime(row.created_at),
      updatedAt: fromDbTime(row.updated_at),
    }));
  }

  /** Messages addressed to the person: to them by staff id, or to a personal chat of theirs. Never the payload. */
  async messages(staffId: string): Promise<HeldMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', 'kind', 'status', 'created_at', 'sent_at'])
      .where((eb) =>
        eb.or([
          eb('staff_id', '=', staffId),
          eb(
            'conversation_id',
            'in',
            eb
              .selectFrom('conversation_refs')
              .select('conversation_id')
              .where('scope', '=', 'personal')
              .where((inner) =>
                inner.or([
                  inner('staff_id', '=', staffId),
                  inner('aad_object_id', 'in', inner.selectFrom('staff').select('aad_object_id').where('id', '=', staffId).where('aad_object_id', 'is not', null)),
                ]),
              ),
          ),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: row.id, kind: row.kind, status: row.status, createdAt: fromDbTime(row.created_at), sentAt: time(row.sent_at) }));
  }

  /** Practice Focused Days the person scheduled (recorded under their email). */
  async focusDaysScheduledBy(email: string): Promise<HeldFocusDay[]> {
    const rows = await this.db.selectFrom('focus_days').select(['id', 'day', 'theme', 'created_at']).where('created_by', '=', email).orderBy('day').execute();
    return rows.map((row) => ({ id: row.id, day: row.day, theme: row.theme, createdAt: fromDbTime(row.created_at) }));
  }

  /** Form versions the person published (recorded under their email). */
  async formsPublishedBy(email: string): Promise<HeldForm[]> {
    const rows = await this.db
      .selectFrom('forms')
      .select(['id', 'form_key', 'version', 'title', 'published_at'])
      .where('published_by', '=', email)
      .orderBy('form_key')
      .orderBy('version')
      .execute();
    return rows.map((row) => ({ id: row.id, key: row.form_key, version: Number(row.version), title: row.title, publishedAt: fromDbTime(row.published_at) }));
  }

  /** Monthly themes the person planned (recorded under their email). */
  async themesPlannedBy(email: string): Promise<HeldTheme[]> {
    const rows = await this.db
      .selectFrom('themes')
      .select(['id', 'month', 'title', 'origin', 'why', 'created_at', 'updated_at'])
      .where('created_by', '=', email)
      .orderBy('month')
      .execute();
    return rows.map((row) => ({ id: row.id, month: row.month, title: row.title, origin: row.origin, why: row.why, createdAt: fromDbTime(row.created_at), updatedAt: fromDbTime(row.updated_at) }));
  }

  /** Thematic reviews the person did, with their theme and every case they sampled. */
  async thematicReviews(staffId: string): Promise<HeldThematicReview[]> {
    const reviews = await this.db
      .selectFrom('thematic_reviews')
      .innerJoin('themes', 'themes.id', 'thematic_reviews.theme_id')
      .select([
        'thematic_reviews.id',
        'thematic_reviews.assignment_id',
        'themes.month',
        'themes.title',
        'thematic_reviews.status',
        'thematic_reviews.created_at',
        'thematic_reviews.submitted_at',
      ])
      .where('thematic_reviews.reviewer_id', '=', staffId)
      .orderBy('thematic_reviews.created_at')
      .orderBy('thematic_reviews.id')
      .execute();
    const samples = await this.db
      .selectFrom('thematic_samples')
      .selectAll()
      .where('thematic_review_id', 'in', this.db.selectFrom('thematic_reviews').select('id').where('reviewer_id', '=', staffId))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return reviews.map((row) => ({
      id: row.id,
      assignmentId: row.assignment_id,
      themeMonth: row.month,
      themeTitle: row.title,
      status: row.status,
      createdAt: fromDbTime(row.created_at),
      submittedAt: time(row.submitted_at),
      samples: samples
        .filter((sample) => sample.thematic_review_id === row.id)
        .map((sample) => ({ id: sample.id, caseReference: sample.case_reference, formId: sample.form_id, answers: fromDbJson<Answers>(sample.answers_json) ?? {}, createdAt: fromDbTime(sample.created_at) })),
    }));
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { ThematicReview, ThematicSample, Theme, ThemeOrigin } from '../services/themes/theme';
import { isDuplicateKeyError } from './errors';
import type { Database, ThematicReviewTable, ThematicSampleTable, ThemeTable } from './schema';
import { fromDbJson, fromDbTime, newId, toDbJson, toDbTime } from './values';

const toTheme = (row: Selectable<ThemeTable>): Theme => ({
  id: row.id,
  month: row.month,
  title: row.title,
  origin: row.origin as ThemeOrigin,
  why: row.why,
  formId: row.form_id,
  sampleSize: row.sample_size,
  channels: fromDbJson<string[]>(row.channels_json) ?? [],
  createdBy: row.created_by,
  createdAt: fromDbTime(row.created_at),
  updatedAt: fromDbTime(row.updated_at),
});

const toReview = (row: Selectable<ThematicReviewTable>): ThematicReview => ({
  id: row.id,
  assignmentId: row.assignment_id,
  themeId: row.theme_id,
  reviewerId: row.reviewer_id,
  status: row.status as ThematicReview['status'],
  createdAt: fromDbTime(row.created_at),
  submittedAt: row.submitted_at === null ? null : fromDbTime(row.submitted_at),
});

const toSample = (row: Selectable<ThematicSampleTable>): ThematicSample => ({
  id: row.id,
  thematicReviewId: row.thematic_review_id,
  caseReference: row.case_reference,
  formId: row.form_id,
  answers: fromDbJson<Record<string, string>>(row.answers_json) ?? {},
  createdAt: fromDbTime(row.created_at),
});

export type NewTheme = Omit<Theme, 'id' | 'createdAt' | 'updatedAt'>;

/** The themes planner, managers' thematic reviews and their dip-samples. */
export class ThemeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async forMonth(month: string): Promise<Theme | undefined> {
    const row = await this.db.selectFrom('themes').selectAll().where('month', '=', month).executeTakeFirst();
    return row === undefined ? undefined : toTheme(row);
  }

  async findById(id: string): Promise<Theme | undefined> {
    const row = await this.db.selectFrom('themes').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toTheme(row);
  }

  /** Themes from a month on, in month order. */
  async listFrom(month: string): Promise<Theme[]> {
    const rows = await this.db.selectFrom('themes').selectAll().where('month', '>=', month).orderBy('month').execute();
    return rows.map(toTheme);
  }

  /** Plans a month's theme, or replaces what was planned for it. */
  async save(theme: NewTheme, now: Date): Promise<Theme> {
    const existing = await this.forMonth(theme.month);
    const values = {
      title: theme.title,
      origin: theme.origin,
      why: theme.why,
      form_id: theme.formId,
      sample_size: theme.sampleSize,
      channels_json: toDbJson(theme.channels),
      created_by: theme.createdBy,
      updated_at: toDbTime(now),
    };
    if (existing !== undefined) {
      await this.db.updateTable('themes').set(values).where('id', '=', existing.id).execute();
    } else {
      await this.db.insertInto('themes').values({ id: newId(), month: theme.month, created_at: toDbTime(now), ...values }).execute();
    }
    return (await this.forMonth(theme.month))!;
  }

  /** Starts a manager's thematic review of an assignment once; a second start finds the first. */
  async startReview(assignmentId: string, themeId: string, reviewerId: string, now: Date): Promise<{ review: ThematicReview; created: boolean }> {
    const row: ThematicReviewTable = { id: newId(), assignment_id: assignmentId, theme_id: themeId, reviewer_id: reviewerId, status: 'draft', created_at: toDbTime(now), submitted_at: null, updated_at: toDbTime(now) };
    try {
      await this.db.insertInto('thematic_reviews').values(row).execute();
      return { review: toReview(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.reviewForAssignment(assignmentId);
      if (existing === undefined) throw error;
      return { review: existing, created: false };
    }
  }

  async reviewForAssignment(assignmentId: string): Promise<ThematicReview | undefined> {
    const row = await this.db.selectFrom('thematic_reviews').selectAll().where('assignment_id', '=', assignmentId).executeTakeFirst();
    return row === undefined ? undefined : toReview(row);
  }

  async findReview(id: string): Promise<ThematicReview | undefined> {
    const row = await this.db.selectFrom('thematic_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toReview(row);
  }

  async listReviews(themeId: string): Promise<ThematicReview[]> {
    const rows = await this.db.selectFrom('thematic_reviews').selectAll().where('theme_id', '=', themeId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toReview);
  }

  /** Stores one sampled case; false when that case is already in this review (a double press). */
  async addSample(thematicReviewId: string, caseReference: string, formId: string, answers: Record<string, string>, now: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('thematic_samples')
        .values({ id: newId(), thematic_review_id: thematicReviewId, case_reference: caseReference, form_id: formId, answers_json: toDbJson(answers), created_at: toDbTime(now) })
        .execute();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async listSamples(thematicReviewId: string): Promise<ThematicSample[]> {
    const rows = await this.db.selectFrom('thematic_samples').selectAll().where('thematic_review_id', '=', thematicReviewId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toSample);
  }

  /** Submits a draft thematic review once. */
  async submitReview(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('thematic_reviews')
      .set({ status: 'submitted', submitted_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

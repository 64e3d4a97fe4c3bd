import type { Kysely, Selectable } from 'kysely';
import type { Briefing, BriefingAudience, BriefingParts, BriefingStatus } from '../services/briefings/briefing';
import { isDuplicateKeyError } from './errors';
import { applyPage, type Page } from './paging';
import type { BriefingTable, Database, DialectName } from './schema';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from './values';

const time = (value: string | null): Date | null => (value === null ? null : fromDbTime(value));

const toBriefing = (row: Selectable<BriefingTable>): Briefing => ({
  id: row.id,
  title: row.title,
  status: row.status as BriefingStatus,
  parts: fromDbJson<BriefingParts>(row.parts_json)!,
  spotlightId: row.spotlight_id,
  authorId: row.author_id,
  approverId: row.approver_id,
  submittedAt: time(row.submitted_at),
  decidedAt: time(row.decided_at),
  decisionNote: row.decision_note,
  audience: fromDbJson<BriefingAudience>(row.audience_json),
  sendAt: time(row.send_at),
  sentAt: time(row.sent_at),
  sentBy: row.sent_by,
  reminderWorkingDays: row.reminder_working_days,
  remindedAt: time(row.reminded_at),
  recalledAt: time(row.recalled_at),
  recalledBy: row.recalled_by,
  createdAt: fromDbTime(row.created_at),
  updatedAt: fromDbTime(row.updated_at),
});

/** The spotlight a briefing may be drafted from, with its theme's title and why. */
export interface BriefingSpotlightSource {
  id: string;
  month: string;
  themeTitle: string;
  themeWhy: string;
  contentJson: string;
}

/**
 * Seven-minute briefings: drafts and their approval, scheduling, sending and recall of the
 * briefing itself. Each sent copy, acknowledgements and how teams used them are in
 * BriefingCopyRepository (db/briefing-copy.repository.ts).
 */
export class BriefingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  /**
   * Stores a new draft under the id its card carried; false when that id is stored already
   * (a double press of the first save), so the caller updates instead.
   */
  async createDraft(draft: { id: string; title: string; parts: BriefingParts; spotlightId: string | null; authorId: string }, now: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('briefings')
        .values({
          id: draft.id, title: draft.title, status: 'draft', parts_json: toDbJson(draft.parts), spotlight_id: draft.spotlightId, author_id: draft.authorId,
          approver_id: null, submitted_at: null, decided_at: null, decision_note: null, audience_json: null, send_at: null, sent_at: null, sent_by: null,
          reminder_working_days: null, reminded_at: null, recalled_at: null, recalled_by: null, created_at: toDbTime(now), updated_at: toDbTime(now),
        })
        .execute();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async findById(id: string): Promise<Briefing | undefined> {
    const row = await this.db.selectFrom('briefings').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toBriefing(row);
  }

  /** Changes a draft's words; only while it is a draft. */
  async updateDraft(id: string, title: string, parts: BriefingParts, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ title, parts_json: toDbJson(parts), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A draft goes to its approver once; a second press finds it awaiting approval already. */
  async submit(id: string, approverId: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: 'awaiting_approval', approver_id: approverId, submitted_at: toDbTime(now), decided_at: null, decision_note: null, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Approved, or sent back to draft with the approver's reason; once. */
  async decide(id: string, outcome: 'approved' | 'draft', approverId: string, note: string | null, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: outcome, approver_id: approverId, decided_at: toDbTime(now), decision_note: note, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'awaiting_approval')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** An approved briefing waits for its London time (stored in UTC). */
  async schedule(id: string, audience: BriefingAudience, sendAt: Date, sentBy: string, reminderWorkingDays: number, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: 'scheduled', audience_json: toDbJson(audience), send_at: toDbTime(sendAt), sent_by: sentBy, reminder_working_days: reminderWorkingDays, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A scheduled send is cancelled: approved again, the audience and reminder days kept, no time. Once. */
  async unschedule(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: 'approved', send_at: null, sent_by: null, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Claims the send: an approved (or scheduled) briefing becomes sent once, so two presses,
   * or the job and a press, never broadcast it twice.
   */
  async markSent(id: string, audience: BriefingAudience, sentBy: string, reminderWorkingDays: number, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: 'sent', audience_json: toDbJson(audience), sent_at: toDbTime(now), sent_by: sentBy, reminder_working_days: reminderWorkingDays, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', 'in', ['approved', 'scheduled'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Scheduled briefings whose time has come, soonest first. */
  async listDue(now: Date): Promise<Briefing[]> {
    const rows = await this.db.selectFrom('briefings').selectAll().where('status', '=', 'scheduled').where('send_at', '<=', toDbTime(now)).orderBy('send_at').orderBy('id').execute();
    return rows.map(toBriefing);
  }

  /** Every briefing, newest change first, a page at a time. */
  async list(page: Page): Promise<Briefing[]> {
    const rows = await applyPage(this.db.selectFrom('briefings').selectAll().orderBy('updated_at', 'desc').orderBy('id'), this.dialect, page).execute();
    return rows.map(toBriefing);
  }

  /** Briefings that went out (recalled ones too), newest first. */
  async listSent(page: Page): Promise<Briefing[]> {
    const rows = await applyPage(
      this.db.selectFrom('briefings').selectAll().where('status', 'in', ['sent', 'recalled']).orderBy('sent_at', 'desc').orderBy('id'),
      this.dialect,
      page,
    ).execute();
    return rows.map(toBriefing);
  }

  /** Withdraws a sent briefing once. */
  async recall(id: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('briefings')
      .set({ status: 'recalled', recalled_at: toDbTime(now), recalled_by: by, updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'sent')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Recalled briefings with a copy or reminder still to finish: one not yet gone (queued,
   * being sent, not installed, blocked), or one that arrived and has no removal queued.
   * The keys mirror briefingKeys: a reminder is `briefing-reminder:<briefing>:<recipient key>`,
   * a copy's removal `briefing-recall:<briefing>:<recipient row id>`, a reminder's
   * `briefing-recall:<briefing>:reminder:<recipient key>`. However long ago the recall was.
   */
  async listRecalledUnfinished(): Promise<Briefing[]> {
    const unfinished = ['queued', 'sending', 'not_installed', 'blocked'];
    const rows = await this.db
      .selectFrom('briefings as b')
      .selectAll('b')
      .where('b.status', '=', 'recalled')
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('briefing_recipients as br')
              .innerJoin('outbox as o', 'o.dedupe_key', 'br.outbox_key')
              .select('br.id')
              .whereRef('br.briefing_id', '=', 'b.id')
              .where((w) =>
                w.or([
                  w('o.status', 'in', unfinished),
                  w.and([
                    w('o.status', '=', 'sent'),
                    w('o.activity_id', 'is not', null),
                    w.not(w.exists(w.selectFrom('outbox as r').select('r.id').where('r.dedupe_key', '=', w.fn<string>('concat', [w.val('briefing-recall:'), 'br.briefing_id', w.val(':'), 'br.id'])))),
                  ]),
                ]),
              ),
          ),
          eb.exists(
            eb
              .selectFrom('briefing_recipients as br')
              .innerJoin('outbox as m', (join) => join.on((j) => j('m.dedupe_key', '=', j.fn<string>('concat', [j.val('briefing-reminder:'), 'br.briefing_id', j.val(':'), 'br.recipient_key']))))
              .select('br.id')
              .whereRef('br.briefing_id', '=', 'b.id')
              .where('br.reminded_at', 'is not', null)
              .where((w) =>
                w.or([
                  w('m.status', 'in', unfinished),
                  w.and([
                    w('m.status', '=', 'sent'),
                    w('m.activity_id', 'is not', null),
                    w.not(w.exists(w.selectFrom('outbox as r').select('r.id').where('r.dedupe_key', '=', w.fn<string>('concat', [w.val('briefing-recall:'), 'br.briefing_id', w.val(':reminder:'), 'br.recipient_key'])))),
                  ]),
                ]),
              ),
          ),
        ]),
      )
      .orderBy('b.recalled_at')
      .orderBy('b.id')
      .execute();
    return rows.map(toBriefing);
  }

  /** Sent briefings with a reminder still to go. */
  async listAwaitingReminder(): Promise<Briefing[]> {
    const rows = await this.db
      .selectFrom('briefings')
      .selectAll()
      .where('status', '=', 'sent')
      .where('reminded_at', 'is', null)
      .where('reminder_working_days', 'is not', null)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    return rows.map(toBriefing);
  }

  /** The briefing's one reminder is done: never again. */
  async markReminded(id: string, now: Date): Promise<boolean> {
    const result = await this.db.updateTable('briefings').set({ reminded_at: toDbTime(now), updated_at: toDbTime(now) }).where('id', '=', id).where('reminded_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The spotlight a briefing is drafted from, with its theme. */
  async spotlightSource(spotlightId: string): Promise<BriefingSpotlightSource | undefined> {
    return this.db
      .selectFrom('spotlights as sp')
      .innerJoin('themes as t', 't.id', 'sp.theme_id')
      .select(['sp.id as id', 'sp.month as month', 't.title as themeTitle', 't.why as themeWhy', 'sp.content_json as contentJson'])
      .where('sp.id', '=', spotlightId)
      .executeTakeFirst();
  }

  /** The newest month's spotlight, to offer drafting a briefing from it. */
  async latestSpotlightId(): Promise<string | undefined> {
    const rows = await applyPage(this.db.selectFrom('spotlights').select('id').orderBy('month', 'desc').orderBy('id'), this.dialect, { offset: 0, limit: 1 }).execute();
    return rows[0]?.id;
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { Spotlight, SpotlightContent, SpotlightPost, SpotlightStatus } from '../services/spotlights/spotlight';
import { isDuplicateKeyError } from './errors';
import type { Database, SpotlightPostTable, SpotlightTable } from './schema';
import { fromDbJson, fromDbTime, newId, toDbBool, toDbJson, toDbTime } from './values';

const emptyContent: SpotlightContent = {
  figures: { managers: 0, casesSampled: 0, questions: [], grades: [], reviewsConsidered: 0, observationsConsidered: 0 },
  edits: { headline: '', strengths: [], gaps: [], quotes: [] },
};

const toSpotlight = (row: Selectable<SpotlightTable>): Spotlight => ({
  id: row.id,
  themeId: row.theme_id,
  month: row.month,
  status: row.status as SpotlightStatus,
  content: fromDbJson<SpotlightContent>(row.content_json) ?? emptyContent,
  createdBy: row.created_by,
  createdAt: fromDbTime(row.created_at),
  updatedAt: fromDbTime(row.updated_at),
  postedBy: row.posted_by,
  postedAt: row.posted_at === null ? null : fromDbTime(row.posted_at),
});

const toPost = (row: Selectable<SpotlightPostTable>): SpotlightPost => ({
  id: row.id,
  spotlightId: row.spotlight_id,
  conversationId: row.conversation_id,
  channelName: row.channel_name,
  outboxKey: row.outbox_key,
  rootActivityId: row.root_activity_id,
  createdAt: fromDbTime(row.created_at),
});

export type NewSpotlightPost = Omit<SpotlightPost, 'id' | 'rootActivityId' | 'createdAt'>;

/** Month spotlights, the thread each was posted as in a channel, and the replies counted there. */
export class SpotlightRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Makes the theme's spotlight once; a second create (two collations at once) finds the first. */
  async create(themeId: string, month: string, content: SpotlightContent, by: string, now: Date): Promise<{ spotlight: Spotlight; created: boolean }> {
    const row: SpotlightTable = {
      id: newId(), theme_id: themeId, month, status: 'draft', content_json: toDbJson(content), created_by: by,
      created_at: toDbTime(now), updated_at: toDbTime(now), posted_by: null, posted_at: null,
    };
    try {
      await this.db.insertInto('spotlights').values(row).execute();
      return { spotlight: toSpotlight(row), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.findByTheme(themeId);
      if (existing === undefined) throw error;
      return { spotlight: existing, created: false };
    }
  }

  async findById(id: string): Promise<Spotlight | undefined> {
    const row = await this.db.selectFrom('spotlights').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toSpotlight(row);
  }

  async findByTheme(themeId: string): Promise<Spotlight | undefined> {
    const row = await this.db.selectFrom('spotlights').selectAll().where('theme_id', '=', themeId).executeTakeFirst();
    return row === undefined ? undefined : toSpotlight(row);
  }

  /** Changes a draft's figures or edits; false once it is posted (what the channels saw stays as it was). */
  async updateContent(id: string, content: SpotlightContent, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('spotlights')
      .set({ content_json: toDbJson(content), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks a draft posted once: of two presses of "Post", only one gets true. */
  async markPosted(id: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('spotlights')
      .set({ status: 'posted', posted_by: by, posted_at: toDbTime(now), updated_at: toDbTime(now) })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the spotlight's thread in one channel once; false when it is there already. */
  async addPost(post: NewSpotlightPost, now: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('spotlight_posts')
        .values({ id: newId(), spotlight_id: post.spotlightId, conversation_id: post.conversationId, channel_name: post.channelName, outbox_key: post.outboxKey, root_activity_id: null, created_at: toDbTime(now) })
        .execute();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async listPosts(spotlightId: string): Promise<SpotlightPost[]> {
    const rows = await this.db.selectFrom('spotlight_posts').selectAll().where('spotlight_id', '=', spotlightId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toPost);
  }

  /** Spotlight threads in one channel, newest first: where a thread reply may belong. */
  async listPostsInChannel(conversationId: string): Promise<SpotlightPost[]> {
    const rows = await this.db
      .selectFrom('spotlight_posts')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toPost);
  }

  /** Keeps the id of the thread's first message, once it is known (set once). */
  async setRootActivity(postId: string, rootActivityId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('spotlight_posts')
      .set({ root_activity_id: rootActivityId })
      .where('id', '=', postId)
      .where('root_activity_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Counts one reply in a thread (no text kept); false when Teams delivered the same activity again. */
  async addReply(postId: string, activityId: string, authorAadObjectId: string | null, mentionedBot: boolean, now: Date): Promise<boolean> {
    try {
      await this.db
        .insertInto('spotlight_replies')
        .values({ id: newId(), post_id: postId, activity_id: activityId, author_aad_object_id: authorAadObjectId, mentioned_bot: toDbBool(mentionedBot), created_at: toDbTime(now) })
        .execute();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Replies and questions to the bot in each of a spotlight's threads, for the reports. */
  async replyCounts(spotlightId: string): Promise<{ postId: string; replies: number; questions: number; people: number }[]> {
    const rows = await this.db
      .selectFrom('spotlight_replies as r')
      .innerJoin('spotlight_posts as p', 'p.id', 'r.post_id')
      .select((eb) => [
        'r.post_id as postId',
        eb.fn.countAll<number | string>().as('replies'),
        eb.fn.sum<number | string | null>('r.mentioned_bot').as('questions'),
        eb.fn.count<number | string>('r.author_aad_object_id').distinct().as('people'),
      ])
      .where('p.spotlight_id', '=', spotlightId)
      .groupBy('r.post_id')
      .orderBy('r.post_id')
      .execute();
    return rows.map((row) => ({ postId: row.postId, replies: Number(row.replies), questions: Number(row.questions ?? 0), people: Number(row.people) }));
  }
}

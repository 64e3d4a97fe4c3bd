import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../schema';
import { columnTypes } from './column-types';

/**
 * Closing the loop: a month's spotlight (the collated thematic findings, posted as a new
 * thread in chosen channels, with the thread's replies counted) and seven-minute
 * briefings (drafted, approved by a second person, broadcast through the outbox to
 * channels and people, acknowledged, recalled), with how teams used them.
 * Frozen once landed.
 */
export function spotlightsAndBriefingsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // The outbox can now change or remove a message it posted (a delivery card's figures,
      // a recalled briefing): null is a new post, as before; 'update' or 'delete' name the target.
      await db.schema.alterTable('outbox').addColumn('operation', t.text(10)).execute();
      await db.schema.alterTable('outbox').addColumn('target_activity_id', t.text(200)).execute();
      await db.schema
        .createTable('spotlights')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('theme_id', t.id, (c) => c.notNull().references('themes.id'))
        .addColumn('month', t.text(7), (c) => c.notNull())
        // draft or posted
        .addColumn('status', t.text(20), (c) => c.notNull())
        // The collated figures and the QA manager's edits (headline, strengths, gaps, quotes).
        .addColumn('content_json', t.longText, (c) => c.notNull())
        .addColumn('created_by', t.text(320), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('posted_by', t.text(320))
        .addColumn('posted_at', t.time)
        .execute();
      // One spotlight a theme: collating again refreshes it rather than making a second.
      await db.schema.createIndex('ux_spotlights_theme').on('spotlights').column('theme_id').unique().execute();

      await db.schema
        .createTable('spotlight_posts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('spotlight_id', t.id, (c) => c.notNull().references('spotlights.id'))
        // The channel's conversation id (the thread root is posted there).
        .addColumn('conversation_id', t.text(400), (c) => c.notNull())
        .addColumn('channel_name', t.text(200), (c) => c.notNull())
        // The outbox message that posts the thread's first message.
        .addColumn('outbox_key', t.text(300), (c) => c.notNull())
        // Set once posted: the thread is "<conversation_id>;messageid=<root_activity_id>".
        .addColumn('root_activity_id', t.text(200))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_spotlight_posts_channel').on('spotlight_posts').columns(['spotlight_id', 'conversation_id']).unique().execute();

      await db.schema
        .createTable('spotlight_replies')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('post_id', t.id, (c) => c.notNull().references('spotlight_posts.id'))
        // Teams' id of the reply: a redelivered activity is counted once. The reply's text is not kept.
        .addColumn('activity_id', t.text(200), (c) => c.notNull())
        .addColumn('author_aad_object_id', t.text(100))
        // 1 when the reply @mentioned the bot (a question it answered)
        .addColumn('mentioned_bot', t.integer, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_spotlight_replies_activity').on('spotlight_replies').columns(['post_id', 'activity_id']).unique().execute();

      await db.schema
        .createTable('briefings')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('title', t.text(200), (c) => c.notNull())
        // draft, awaiting_approval, approved, scheduled, sent, recalled
        .addColumn('status', t.text(20), (c) => c.notNull())
        // The seven parts, by key.
        .addColumn('parts_json', t.longText, (c) => c.notNull())
        .addColumn('spotlight_id', t.id, (c) => c.references('spotlights.id'))
        .addColumn('author_id', t.id, (c) => c.notNull().references('staff.id'))
        .addColumn('approver_id', t.id, (c) => c.references('staff.id'))
        .addColumn('submitted_at', t.time)
        .addColumn('decided_at', t.time)
        // The approver's reason when they send a draft back.
        .addColumn('decision_note', t.text(1000))
        // Who it goes to (channels, rota managers, a service, a team, everyone, emails).
        .addColumn('audience_json', t.longText)
        .addColumn('send_at', t.time)
        .addColumn('sent_at', t.time)
        .addColumn('sent_by', t.text(320))
        .addColumn('reminder_working_days', t.integer)
        .addColumn('reminded_at', t.time)
        .addColumn('recalled_at', t.time)
        .addColumn('recalled_by', t.text(320))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_briefings_status').on('briefings').columns(['status', 'send_at']).execute();

      await db.schema
        .createTable('briefing_recipients')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('briefing_id', t.id, (c) => c.notNull().references('briefings.id'))
        // The staff id for a person, the conversation id for a channel: one copy each.
        .addColumn('recipient_key', t.text(400), (c) => c.notNull())
        // person or channel
        .addColumn('kind', t.text(20), (c) => c.notNull())
        .addColumn('staff_id', t.id, (c) => c.references('staff.id'))
        .addColumn('conversation_id', t.text(400))
        // The person's service and team when it was sent, for the counts.
        .addColumn('service', t.text(200))
        .addColumn('team', t.text(200))
        .addColumn('outbox_key', t.text(300), (c) => c.notNull())
        .addColumn('acknowledged_at', t.time)
        .addColumn('read_at', t.time)
        .addColumn('reminded_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ux_briefing_recipients_key').on('briefing_recipients').columns(['briefing_id', 'recipient_key']).unique().execute();
      await db.schema.createIndex('ix_briefing_recipients_staff').on('briefing_recipients').column('staff_id').execute();

      await db.schema
        .createTable('briefing_usage')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('briefing_id', t.id, (c) => c.notNull().references('briefings.id'))
        .addColumn('team', t.text(200), (c) => c.notNull())
        .addColumn('recorded_by', t.id, (c) => c.notNull().references('staff.id'))
        // e.g. team meeting, supervision, development session
        .addColumn('setting', t.text(100), (c) => c.notNull())
        .addColumn('discussed_on', t.text(10), (c) => c.notNull())
        .addColumn('notes', t.text(2000))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      // A double press records one use.
      await db.schema.createIndex('ux_briefing_usage_once').on('briefing_usage').columns(['briefing_id', 'recorded_by', 'discussed_on', 'setting']).unique().execute();
    },
  };
}

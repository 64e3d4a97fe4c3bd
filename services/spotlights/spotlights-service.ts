import type { Repositories } from '../../db/repositories';
import type { AuditSource } from '../audit';
import { nextMonth, type YearMonth } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { formById } from '../forms/forms-service';
import type { SavedConversation } from '../conversations';
import { outboxKeyPart } from '../outbox';
import type { Theme } from '../themes/theme';
import { collateSpotlight } from './spotlight-collation';
import { checkSpotlightEdits, valuesOf, type SpotlightEditField, type SpotlightEditValues } from './spotlight-edits';
import type { ChannelOption, Spotlight, SpotlightContent, SpotlightPost } from './spotlight';

/** A spotlight as the QA manager sees it: the theme, the channels to choose from, where it went and how the threads went. */
export interface SpotlightSnapshot {
  spotlight: Spotlight;
  theme: Theme;
  /** Team channels the bot is in. */
  channelOptions: ChannelOption[];
  /** The channels ticked: the QA manager's choice, or the theme's channels until one is made. */
  chosenChannels: string[];
  posts: (SpotlightPost & { replies: number; questions: number })[];
}

/** What the preview card shows: the snapshot, the inputs as typed, and the problem beside each. */
export interface SpotlightView {
  snapshot: SpotlightSnapshot;
  values: SpotlightEditValues;
  problems: Partial<Record<SpotlightEditField, string>>;
  acknowledge: string;
  note: string;
  noteTone: 'good' | 'problem' | 'plain';
}

/** What a channel sees: built into a card by whoever sends it. */
export type PostRenderer = (snapshot: SpotlightSnapshot) => Record<string, unknown>;

const OUTBOX_KIND = 'spotlight';
export const spotlightOutboxKey = (spotlightId: string, conversationId: string): string => `spotlight:${spotlightId}:${outboxKeyPart(conversationId)}`;

/** Teams marks a thread by ";messageid=" after its channel's id: such an id is never offered as a channel. */
const isThreadId = (conversationId: string): boolean => conversationId.includes(';messageid=');

/** A saved team channel's readable name, as saved at install ("Team › Channel"). */
export function channelName(saved: SavedConversation): string {
  const conversation = saved.reference.conversation as { name?: unknown } | undefined;
  return typeof conversation?.name === 'string' && conversation.name !== '' ? conversation.name : 'General';
}

export async function channelOptions(context: Pick<ServiceContext, 'repos'>): Promise<ChannelOption[]> {
  const saved = await context.repos.conversations.listInstalled('team');
  return saved.filter((channel) => !isThreadId(channel.conversationId)).map((channel) => ({ conversationId: channel.conversationId, name: channelName(channel) }));
}

async function themeOf(context: Pick<ServiceContext, 'repos'>, month: YearMonth): Promise<Theme> {
  const theme = await context.repos.themes.forMonth(month);
  if (theme === undefined) {
    throw new QaError('NOT_FOUND', `no theme for ${month}`, { userMessage: 'No theme is planned for that month, so there is no spotlight to collate. Type "themes" to plan one.' });
  }
  return theme;
}

/** The month's figures from the theme's submitted dip-samples and the month's moderated reviews and observations. */
async function collatedContent(context: ServiceContext, theme: Theme): Promise<ReturnType<typeof collateSpotlight>> {
  const form = await formById(context, theme.formId);
  const reviews = (await context.repos.themes.listReviews(theme.id)).filter((review) => review.status === 'submitted');
  const thematicReviews = await Promise.all(
    reviews.map(async (review) => ({ reviewerId: review.reviewerId, samples: await context.repos.themes.listSamples(review.id) })),
  );
  const from = context.calendar.londonTime(`${theme.month}-01`, '00:00');
  const to = context.calendar.londonTime(`${nextMonth(theme.month)}-01`, '00:00');
  const lastDay = context.calendar.londonDateOf(new Date(to.getTime() - 1));
  const [finalReviews, observations] = await Promise.all([
    context.repos.reports.finalReviews(from.toISOString(), to.toISOString(), {}),
    context.repos.reports.observations(`${theme.month}-01`, lastDay, context.clock.now().toISOString(), {}),
  ]);
  return collateSpotlight({ form: form.definition, thematicReviews, reviews: finalReviews, observations });
}

export async function snapshotOf(context: ServiceContext, spotlight: Spotlight): Promise<SpotlightSnapshot> {
  const theme = (await context.repos.themes.findById(spotlight.themeId))!;
  const options = await channelOptions(context);
  const counts = await context.repos.spotlights.replyCounts(spotlight.id);
  const posts = await Promise.all(
    (await context.repos.spotlights.listPosts(spotlight.id)).map(async (post) => {
      const count = counts.find((entry) => entry.postId === post.id);
      return { ...(await withRootActivity(context.repos, post)), replies: count?.replies ?? 0, questions: count?.questions ?? 0 };
    }),
  );
  const chosen = spotlight.content.channels ?? theme.channels.filter((id) => options.some((option) => option.conversationId === id));
  return { spotlight, theme, channelOptions: options, chosenChannels: chosen, posts };
}

const viewOf = (snapshot: SpotlightSnapshot, note: string, noteTone: SpotlightView['noteTone'] = 'good'): SpotlightView => ({
  snapshot,
  values: valuesOf(snapshot.spotlight.content.edits, snapshot.chosenChannels),
  problems: {},
  acknowledge: '',
  note,
  noteTone,
});

/**
 * Collates the month's spotlight, or collates a draft again with the latest figures.
 * Collating again keeps what the QA manager wrote; the suggested strengths and gaps only
 * fill lists still empty. A posted spotlight is not changed: the channels saw it so.
 */
export async function collateMonth(context: ServiceContext, month: YearMonth, by: string, source: AuditSource): Promise<{ view: SpotlightView; spotlight: Spotlight; changed: boolean }> {
  const theme = await themeOf(context, month);
  const existing = await context.repos.spotlights.findByTheme(theme.id);
  if (existing?.status === 'posted') {
    return { view: viewOf(await snapshotOf(context, existing), 'This spotlight has been posted, so its figures stay as the channels saw them.', 'plain'), spotlight: existing, changed: false };
  }
  const collation = await collatedContent(context, theme);
  const now = context.clock.now();
  const spotlight = await context.transaction(async (repos) => {
    const content: SpotlightContent = {
      figures: collation.figures,
      edits: {
        headline: existing?.content.edits.headline || `${theme.title}: what ${collation.figures.casesSampled} cases showed`,
        strengths: existing !== undefined && existing.content.edits.strengths.length > 0 ? existing.content.edits.strengths : collation.strengths,
        gaps: existing !== undefined && existing.content.edits.gaps.length > 0 ? existing.content.edits.gaps : collation.gaps,
        quotes: existing?.content.edits.quotes ?? [],
      },
      ...(existing?.content.channels === undefined ? {} : { channels: existing.content.channels }),
    };
    let stored: Spotlight;
    if (existing === undefined) {
      const made = await repos.spotlights.create(theme.id, month, content, by, now);
      stored = made.spotlight;
      if (!made.created) await repos.spotlights.updateContent(stored.id, content, now);
    } else {
      await repos.spotlights.updateContent(existing.id, content, now);
      stored = existing;
    }
    await repos.audit.append(
      { actor: by, actorRole: source === 'job' ? null : 'qa_manager', action: 'spotlight.collated', recordKind: 'spotlight', recordId: stored.id, source, detail: { month, cases: collation.figures.casesSampled, managers: collation.figures.managers } },
      now,
    );
    return (await repos.spotlights.findById(stored.id))!;
  });
  const note = existing === undefined ? 'Collated from this month\'s findings. Edit it, choose the channels, then post.' : 'Collated again with the latest figures; your words are kept.';
  return { view: viewOf(await snapshotOf(context, spotlight), note), spotlight, changed: true };
}

/** The month's spotlight as it is, collated first if there is none yet. */
export async function spotlightForMonth(context: ServiceContext, month: YearMonth, by: string): Promise<SpotlightView> {
  const theme = await themeOf(context, month);
  const existing = await context.repos.spotlights.findByTheme(theme.id);
  if (existing === undefined) return (await collateMonth(context, month, by, 'command')).view;
  const posted = existing.status === 'posted';
  return viewOf(await snapshotOf(context, existing), posted ? 'Posted. Replies in the channels\' threads are counted below.' : '', 'plain');
}

async function draftById(context: ServiceContext, spotlightId: string): Promise<Spotlight> {
  const spotlight = await context.repos.spotlights.findById(spotlightId);
  if (spotlight === undefined) throw new QaError('NOT_FOUND', 'spotlight not found', { userMessage: 'That spotlight no longer exists. Type "spotlight" for the current one.' });
  return spotlight;
}

export async function collateById(context: ServiceContext, spotlightId: string, by: string): Promise<SpotlightView> {
  const spotlight = await draftById(context, spotlightId);
  return (await collateMonth(context, spotlight.month, by, 'card')).view;
}

/** Checks the card's inputs; the card comes back with the problems beside them and every answer kept. */
async function checked(context: ServiceContext, spotlight: Spotlight, values: SpotlightEditValues, privacyChecked: unknown) {
  const snapshot = await snapshotOf(context, spotlight);
  const check = checkSpotlightEdits(values, snapshot.channelOptions.map((option) => option.conversationId), privacyChecked);
  return { snapshot, check };
}

const postedAlready = async (context: ServiceContext, spotlight: Spotlight): Promise<SpotlightView> =>
  viewOf(await snapshotOf(context, spotlight), 'This spotlight was already posted: nothing was changed.', 'plain');

/** Saves the QA manager's edits to a draft (headline, strengths, gaps, quotes, channels). */
export async function saveEdits(context: ServiceContext, spotlightId: string, values: SpotlightEditValues, privacyChecked: unknown, by: string): Promise<SpotlightView> {
  const spotlight = await draftById(context, spotlightId);
  if (spotlight.status === 'posted') return postedAlready(context, spotlight);
  const { snapshot, check } = await checked(context, spotlight, values, privacyChecked);
  if (!check.ok) return { snapshot, values, problems: check.problems, acknowledge: check.acknowledge, note: 'Not saved yet: see the notes beside the answers.', noteTone: 'problem' };
  const now = context.clock.now();
  const saved = await context.transaction(async (repos) => {
    if (!(await repos.spotlights.updateContent(spotlight.id, { ...spotlight.content, edits: check.edits, channels: check.channels }, now))) return false;
    await repos.audit.append({ actor: by, actorRole: 'qa_manager', action: 'spotlight.edited', recordKind: 'spotlight', recordId: spotlight.id, source: 'card', detail: { channels: check.channels.length, quotes: check.edits.quotes.length } }, now);
    return true;
  });
  const fresh = (await context.repos.spotlights.findById(spotlight.id))!;
  if (!saved) return postedAlready(context, fresh);
  return viewOf(await snapshotOf(context, fresh), 'Saved. Post it when it reads right.');
}

/**
 * Posts the spotlight as a new thread in each chosen channel: the edits on the card are
 * checked and saved first, then one outbox message a channel (its dedupe key names the
 * spotlight and the channel), all in one transaction. Only the press that turns the
 * draft into "posted" queues anything, so a double press posts once.
 */
export async function postSpotlight(context: ServiceContext, spotlightId: string, values: SpotlightEditValues, privacyChecked: unknown, by: string, render: PostRenderer): Promise<SpotlightView> {
  const spotlight = await draftById(context, spotlightId);
  if (spotlight.status === 'posted') return postedAlready(context, spotlight);
  const { snapshot, check } = await checked(context, spotlight, values, privacyChecked);
  const problems = check.ok ? {} : { ...check.problems };
  if (check.ok && check.channels.length === 0) problems.channels = 'Choose at least one channel to post to.';
  if (!check.ok || Object.keys(problems).length > 0) {
    return { snapshot, values, problems, acknowledge: check.ok ? '' : check.acknowledge, note: 'Not posted yet: see the notes beside the answers.', noteTone: 'problem' };
  }
  const now = context.clock.now();
  const content: SpotlightContent = { ...spotlight.content, edits: check.edits, channels: check.channels };
  const payload = render({ ...snapshot, spotlight: { ...spotlight, content }, chosenChannels: check.channels });
  const names = new Map(snapshot.channelOptions.map((option) => [option.conversationId, option.name]));
  const posted = await context.transaction(async (repos) => {
    if (!(await repos.spotlights.updateContent(spotlight.id, content, now))) return false;
    if (!(await repos.spotlights.markPosted(spotlight.id, by, now))) return false;
    for (const conversationId of check.channels) {
      const outboxKey = spotlightOutboxKey(spotlight.id, conversationId);
      await repos.spotlights.addPost({ spotlightId: spotlight.id, conversationId, channelName: names.get(conversationId) ?? 'General', outboxKey }, now);
      // To the channel's own id: Teams starts a new thread there.
      await repos.outbox.enqueue({ dedupeKey: outboxKey, kind: OUTBOX_KIND, conversationId, staffId: null, payload }, now);
    }
    await repos.audit.append({ actor: by, actorRole: 'qa_manager', action: 'spotlight.posted', recordKind: 'spotlight', recordId: spotlight.id, source: 'card', detail: { month: spotlight.month, channels: check.channels.length } }, now);
    return true;
  });
  const fresh = (await context.repos.spotlights.findById(spotlight.id))!;
  if (!posted) return postedAlready(context, fresh);
  return viewOf(await snapshotOf(context, fresh), `Posted: it goes to ${check.channels.length} channel${check.channels.length === 1 ? '' : 's'} as a new thread in each. People can reply there, and @mention QA Loop to ask about the figures.`);
}

/** Keeps the thread's root activity id once its outbox message has gone (read from the outbox row by key). */
async function withRootActivity(repos: Repositories, post: SpotlightPost): Promise<SpotlightPost> {
  if (post.rootActivityId !== null) return post;
  const message = await repos.outbox.findByDedupeKey(post.outboxKey);
  if (message?.status !== 'sent' || message.activityId === null) return post;
  await repos.spotlights.setRootActivity(post.id, message.activityId);
  return { ...post, rootActivityId: message.activityId };
}

/** The posted spotlight whose thread this is (a channel and the id of the thread's first message), if any. */
export async function spotlightOfThread(context: Pick<ServiceContext, 'repos'>, channelConversationId: string, rootActivityId: string): Promise<{ spotlight: Spotlight; post: SpotlightPost; theme: Theme } | undefined> {
  for (const candidate of await context.repos.spotlights.listPostsInChannel(channelConversationId)) {
    const post = await withRootActivity(context.repos, candidate);
    if (post.rootActivityId !== rootActivityId) continue;
    const spotlight = await context.repos.spotlights.findById(post.spotlightId);
    const theme = spotlight === undefined ? undefined : await context.repos.themes.findById(spotlight.themeId);
    if (spotlight !== undefined && theme !== undefined) return { spotlight, post, theme };
  }
  return undefined;
}

/** Counts a reply in a spotlight's thread once per activity (Teams may deliver one twice); the text is never kept. */
export async function countReply(context: Pick<ServiceContext, 'repos' | 'clock'>, post: SpotlightPost, activityId: string, authorAadObjectId: string | null, mentionedBot: boolean): Promise<boolean> {
  return context.repos.spotlights.addReply(post.id, activityId.slice(0, 200), authorAadObjectId, mentionedBot, context.clock.now());
}

import { TeamsInfo, TurnContext, type ConversationReference } from 'botbuilder';
import type { BotDeps } from './deps';
import { channelOfThread } from './proactive-sender';

/** "Team › Channel": how a saved channel is named when the QA manager chooses where to post. General when Teams sends no name. */
export const channelLabel = (teamName: string | undefined, channelName: string | undefined): string =>
  `${teamName === undefined || teamName === '' ? 'Team' : teamName} › ${channelName === undefined || channelName === '' ? 'General' : channelName}`;

/** The turn's conversation reference, for a channel (never a thread in it) and with a readable name. */
export function channelReference(context: TurnContext, channelId: string, name: string): ConversationReference {
  const reference = TurnContext.getConversationReference(context.activity) as ConversationReference;
  return { ...reference, conversation: { ...reference.conversation, id: channelOfThread(channelId), name } };
}

/**
 * Saves every channel of the team the bot is in as somewhere it can post, so that a
 * spotlight can go to any channel, not only General. Each is reached through the
 * install's reference with the channel's id. Asking Teams may fail (a permission, a
 * network blip): the install still stands, the failure is logged, and the next channel
 * event or reinstall tries again.
 */
export async function saveTeamChannels(context: TurnContext, deps: BotDeps, teamId: string, teamName: string | undefined): Promise<number> {
  let channels: { id?: string; name?: string }[];
  try {
    channels = await TeamsInfo.getTeamChannels(context, teamId);
  } catch (error) {
    deps.logger.warn({ err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'could not list the team\'s channels; only this channel is saved');
    return 0;
  }
  const tenantId = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? context.activity.conversation.tenantId ?? null;
  let saved = 0;
  for (const channel of channels) {
    if (typeof channel.id !== 'string' || channel.id === '' || channel.id.includes(';messageid=')) continue;
    const reference = channelReference(context, channel.id, channelLabel(teamName, channel.name));
    await deps.repos.conversations.save(
      {
        conversationId: channel.id,
        scope: 'team',
        tenantId,
        aadObjectId: null,
        staffId: null,
        teamId,
        channelId: channel.id,
        serviceUrl: context.activity.serviceUrl,
        reference: reference as unknown as Record<string, unknown>,
      },
      deps.clock.now(),
    );
    saved++;
  }
  return saved;
}

/** A channel was deleted in Teams: stop offering and posting to it. */
export async function forgetChannel(deps: BotDeps, channelId: string): Promise<void> {
  await deps.repos.conversations.markUninstalled(channelId, deps.clock.now());
}

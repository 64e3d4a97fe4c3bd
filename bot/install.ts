import { TurnContext, type ConversationReference } from 'botbuilder';
import type { ConversationScope } from '../services/conversations';
import type { Caller } from '../services/identity';
import type { BotDeps } from './deps';
import { channelOfThread } from './proactive-sender';
import { requeueWaitingFor } from './requeue';
import { channelLabel, channelReference, saveTeamChannels } from './team-channels';

function scopeOf(context: TurnContext): ConversationScope {
  const type = context.activity.conversation.conversationType;
  if (type === 'channel') return 'team';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}

interface TeamsChannelData {
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
  tenant?: { id?: string };
}

/**
 * Saves where the bot can reach this chat or channel (for reminders, spotlights and
 * briefings) and writes it to the audit log. Says whether it is a new install.
 */
export async function recordInstall(
  context: TurnContext,
  deps: BotDeps,
  caller: Caller | undefined,
): Promise<{ scope: ConversationScope; outcome: 'created' | 'reinstalled' | 'refreshed'; placeName: string }> {
  const activity = context.activity;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const scope = scopeOf(context);
  // A thread is never saved as a place of its own: its channel is (a thread is reached through it).
  const conversationId = channelOfThread(activity.conversation.id);
  const reference =
    scope === 'team'
      ? channelReference(context, conversationId, channelLabel(channelData.team?.name, channelData.channel?.name))
      : (TurnContext.getConversationReference(activity) as ConversationReference);
  const now = deps.clock.now();
  const outcome = await deps.repos.conversations.save(
    {
      conversationId,
      scope,
      tenantId: channelData.tenant?.id ?? activity.conversation.tenantId ?? null,
      aadObjectId: scope === 'personal' ? (activity.from.aadObjectId ?? null) : null,
      staffId: scope === 'personal' ? (caller?.staff?.id ?? null) : null,
      teamId: channelData.team?.id ?? null,
      channelId: channelData.channel?.id ?? null,
      serviceUrl: activity.serviceUrl,
      reference: reference as unknown as Record<string, unknown>,
    },
    now,
  );
  const staffId = scope === 'personal' ? (caller?.staff?.id ?? null) : null;
  // Every channel of the team, so that any can be chosen for a spotlight (failures are logged, not thrown).
  const teamId = channelData.team?.id;
  if (scope === 'team' && teamId !== undefined) await saveTeamChannels(context, deps, teamId, channelData.team?.name);
  // Reminders that found no chat before this install go out now.
  if (staffId !== null) await requeueWaitingFor(deps, staffId);
  if (outcome !== 'refreshed') {
    await deps.repos.audit.append(
      {
        actor: caller?.actor ?? activity.from.aadObjectId ?? activity.from.id,
        actorRole: null,
        action: outcome === 'created' ? 'app.installed' : 'app.reinstalled',
        recordKind: 'conversation',
        recordId: activity.conversation.id.slice(0, 100),
        source: 'system',
        detail: { scope },
      },
      now,
    );
  }
  const placeName = channelData.team?.name ?? activity.conversation.name ?? (scope === 'groupChat' ? 'this chat' : 'this team');
  return { scope, outcome, placeName };
}

/** The app was removed from this chat or team: stop sending there. */
export async function recordUninstall(context: TurnContext, deps: BotDeps): Promise<void> {
  const now = deps.clock.now();
  const conversationId = channelOfThread(context.activity.conversation.id);
  const teamId = ((context.activity.channelData ?? {}) as TeamsChannelData).team?.id;
  // Removed from a team: every channel saved for it goes, not only the one the removal came from.
  const channels = scopeOf(context) === 'team' && teamId !== undefined ? await deps.repos.conversations.markTeamUninstalled(teamId, now) : 0;
  // Teams announces a removal twice (installationUpdate and conversationUpdate): audit it once.
  if (!(await deps.repos.conversations.markUninstalled(conversationId, now)) && channels === 0) return;
  await deps.repos.audit.append(
    {
      actor: context.activity.from.aadObjectId ?? context.activity.from.id,
      actorRole: null,
      action: 'app.uninstalled',
      recordKind: 'conversation',
      recordId: conversationId.slice(0, 100),
      source: 'system',
      ...(channels > 1 ? { detail: { channels } } : {}),
    },
    now,
  );
}

import { TurnContext } from 'botbuilder';
import { answerSpotlightQuestion } from '../services/spotlights/spotlight-answers';
import { countReply, spotlightOfThread } from '../services/spotlights/spotlights-service';
import type { BotDeps } from './deps';
import { channelOfThread } from './proactive-sender';

const THREAD_MARK = ';messageid=';

/** Whether this message @mentions the bot (Teams lists mentions as entities). */
export function mentionsBot(context: TurnContext): boolean {
  const botId = context.activity.recipient?.id;
  return (context.activity.entities ?? []).some((entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === botId);
}

/**
 * A message in a channel thread whose first message is a posted spotlight: counted once
 * as a reply (by its activity id; its text is not kept), and, when it @mentions the bot,
 * answered in the same thread from the spotlight's figures. Says whether it was such a
 * message; anything else goes on to the usual command handling.
 */
export async function handleSpotlightThread(context: TurnContext, deps: BotDeps): Promise<boolean> {
  const activity = context.activity;
  const conversationId = activity.conversation?.id ?? '';
  if (activity.conversation?.conversationType !== 'channel' || !conversationId.includes(THREAD_MARK)) return false;
  const channel = channelOfThread(conversationId);
  const rootActivityId = conversationId.slice(channel.length + THREAD_MARK.length);
  const found = await spotlightOfThread(deps.services, channel, rootActivityId);
  if (found === undefined) return false;
  const mentioned = mentionsBot(context);
  const counted = typeof activity.id === 'string' && activity.id !== ''
    ? await countReply(deps.services, found.post, activity.id, activity.from?.aadObjectId ?? null, mentioned)
    : false;
  // A redelivered question was answered the first time.
  if (!mentioned || !counted) return true;
  const question = (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim();
  // sendActivity in this turn replies into the same thread (the activity's conversation is the thread).
  await context.sendActivity(answerSpotlightQuestion(question, found.theme.title, found.spotlight.content));
  return true;
}

import type { TurnContext } from 'botbuilder';
import { markCopiesRead } from '../services/briefings/briefing-acknowledgements';
import { callerOf } from './caller';
import type { BotDeps } from './deps';

/** What Teams' read-receipt event carries (botframework-connector's ReadReceiptInfo). */
export interface ReadReceipt {
  lastReadMessageId?: string;
  isMessageRead(compareMessageId: string): boolean;
}

/**
 * Teams tells the bot (where the app holds the chat read-receipt permission) how far a
 * person has read their personal chat with it: their briefing copies posted up to there
 * are marked read, counted apart from "I've read this".
 */
export async function recordReadReceipt(context: TurnContext, deps: BotDeps, receipt: ReadReceipt): Promise<void> {
  if (context.activity.conversation.conversationType !== 'personal' || receipt.lastReadMessageId === undefined) return;
  const caller = await callerOf(context, deps);
  if (caller.staff === undefined) return;
  await markCopiesRead(deps.services, caller.staff, (activityId) => receipt.isMessageRead(activityId));
}

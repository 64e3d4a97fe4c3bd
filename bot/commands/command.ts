import type { AdaptiveCard } from '../../cards/render';
import type { Caller } from '../../services/identity';
import type { BotDeps } from '../deps';

export interface CommandContext {
  caller: Caller;
  deps: BotDeps;
}

/** A typed command answers with a card, or several shown as a list. */
export type CommandHandler = (context: CommandContext) => Promise<AdaptiveCard | AdaptiveCard[]>;

import type { AdaptiveCard } from '../../cards/render';
import type { Caller } from '../../services/identity';
import type { BotDeps } from '../deps';

export interface CommandContext {
  caller: Caller;
  deps: BotDeps;
  /** What was typed after the command's name, for a command that reads more (e.g. "report 2027-Q1"); empty otherwise. */
  args?: string;
  /** False when typed in a team channel or a group chat, where everyone there would see the answer. */
  personal?: boolean;
}

/** A typed command answers with a card, or several shown as a list. */
export type CommandHandler = (context: CommandContext) => Promise<AdaptiveCard | AdaptiveCard[]>;

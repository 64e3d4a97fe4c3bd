import type { AdaptiveCard } from '../../cards/render';
import type { Caller } from '../../services/identity';
import type { BotDeps } from '../deps';

export interface VerbContext {
  caller: Caller;
  deps: BotDeps;
  /** The card's `data`, already checked to be an object. Each handler validates its own fields. */
  data: Record<string, unknown>;
}

/** An Action.Execute verb answers with the card that replaces the one pressed. */
export type VerbHandler = (context: VerbContext) => Promise<AdaptiveCard>;

import type { Clock } from '../../services/clock';
import { expectValidCard } from './card-check';
import type { TeamsMember } from './connector-stand-in';
import type { Harness } from './harness';
import { pressForCard } from './review-flow';
import { cardOf, cardText } from './teams-client';

/** A card as a person sees it: the card itself and its visible text. */
export interface ShownCard {
  card: Record<string, unknown>;
  text: string;
}

/** The buttons on a card, by title: what a person could press next. */
export function buttons(card: Record<string, unknown>): Map<string, { verb: string; data: Record<string, string> }> {
  const actions = (card.actions ?? []) as { title: string; verb: string; data: Record<string, string> }[];
  return new Map(actions.map((action) => [action.title, { verb: action.verb, data: action.data }]));
}

/**
 * How the HTTP tests of a piece of work act and look as people in Teams: press a button and
 * get the card that replaces it, and see the cards the bot has since sent each person. Every
 * card is checked against the schema and Teams' limits on the way.
 */
export function cardSession(harness: () => Harness, clock: Clock) {
  const seen = new Set<unknown>();
  return {
    idOf: async (person: TeamsMember & { email: string }): Promise<string> => (await harness().app.deps.repos.staff.findByEmail(person.email))!.id,
    press: async (person: TeamsMember, verb: string, data: Record<string, unknown>): Promise<ShownCard> => {
      const { card, text } = await pressForCard(harness().teams, person, verb, data);
      expectValidCard(card);
      return { card: card as Record<string, unknown>, text };
    },
    /** Delivers what is queued and returns the cards sent to a person (or a conversation id) since the last look. */
    deliveredTo: async (to: TeamsMember | string): Promise<ShownCard[]> => {
      const h = harness();
      await h.app.delivery.drainOnce(clock.now());
      const conversationId = typeof to === 'string' ? to : `a:personal-${to.aadObjectId}`;
      const calls = h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId === conversationId && !seen.has(call));
      calls.forEach((call) => seen.add(call));
      return calls.map((call) => {
        const card = cardOf(call.activity)!;
        expectValidCard(card);
        return { card, text: cardText(card) };
      });
    },
  };
}

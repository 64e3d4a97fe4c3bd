import { Template } from 'adaptivecards-templating';

/** An Adaptive Card as sent to Teams (schema 1.5). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  $schema?: string;
  body: unknown[];
  actions?: unknown[];
  [property: string]: unknown;
}

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Expands a template with its typed data. Data is passed as the root object; the
 * templating language only evaluates `${...}` in the template, never in the data,
 * so text people typed is shown as written.
 */
const parsed = new WeakMap<object, Template>();

export function expandCard<TData extends object>(template: object, data: TData): AdaptiveCard {
  // Parsing a template's expressions is most of the cost of a card: do it once per template.
  let compiled = parsed.get(template);
  if (compiled === undefined) {
    compiled = new Template(template);
    parsed.set(template, compiled);
  }
  const card = compiled.expand({ $root: data }) as AdaptiveCard;
  if (card.type !== 'AdaptiveCard') throw new Error('Card template did not expand to an AdaptiveCard.');
  return card;
}
